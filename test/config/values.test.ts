import { afterAll, describe, expect, it } from 'vitest'
import {
  ACCESS,
  exporter,
  exporterError,
  importer,
  importerError,
  LOCATION,
  PROJECT,
  problemKeys,
  removeHomes,
  SECRET,
} from './helpers.js'

afterAll(removeHomes)

const base = { location: LOCATION, secret_key: SECRET }

describe('defaults', () => {
  it('fills every optional importer value', () => {
    const config = importer(base)
    expect(config).toMatchObject({
      kind: 'importer',
      location: LOCATION,
      region: 'fr-par',
      projectId: PROJECT,
      folder: '/',
      dataClass: [],
      concurrency: 32,
      rateLimit: 100,
      timeoutMs: 30_000,
      maxRetries: 6,
      tags: [],
      includeManaged: true,
      includeDeletedMetadata: true,
    })
    expect(config.accessKey).toBeUndefined()
    expect(config.apiUrl).toBeUndefined()
    expect(config.environment).toBeUndefined()
    expect(config.name).toBeUndefined()
    expect(config.type).toBeUndefined()
    expect(config.secretKey.reveal()).toBe(SECRET)
  })

  it('fills every optional exporter value', () => {
    const config = exporter(base)
    expect(config).toMatchObject({
      kind: 'exporter',
      folder: '/',
      onConflict: 'sync',
      dryRun: false,
      updateMetadata: false,
      preserveRevisions: true,
    })
    expect(config.keyId).toBeUndefined()
  })

  it('lists the effective values in the debug summary', () => {
    expect(importer(base).describe()).toMatch(/^rateLimit +100$/m)
    expect(importer(base).describe()).toMatch(/^concurrency +32$/m)
    expect(exporter({ ...base, rate_limit: '0' }).describe()).toMatch(/^rateLimit +0$/m)
  })

  it('returns a frozen object', () => {
    expect(Object.isFrozen(importer(base))).toBe(true)
  })
})

describe('valid values', () => {
  const importerCases: [string, string, (c: ReturnType<typeof importer>) => unknown, unknown][] = [
    ['project_id', PROJECT.toUpperCase(), (c) => c.projectId, PROJECT],
    ['access_key', ACCESS, (c) => c.accessKey, ACCESS],
    ['api_url', 'http://localhost:8080/', (c) => c.apiUrl, 'http://localhost:8080'],
    ['api_url', 'https://api.example.com/base', (c) => c.apiUrl, 'https://api.example.com/base'],
    ['environment', 'Production ', (c) => c.environment, 'production'],
    ['environment', 'prod', (c) => c.environment, 'production'],
    ['environment', 'DEV', (c) => c.environment, 'development'],
    ['environment', 'stg', (c) => c.environment, 'staging'],
    ['environment', 'qa-eu-2', (c) => c.environment, 'qa-eu-2'],
    // The name of an Object.prototype member is a slug like any other, not an alias.
    ['environment', 'constructor', (c) => c.environment, 'constructor'],
    ['data_class', 'critical, PII,pii,', (c) => c.dataClass, ['critical', 'pii']],
    ['data_class', '', (c) => c.dataClass, []],
    ['concurrency', '1', (c) => c.concurrency, 1],
    ['concurrency', '64', (c) => c.concurrency, 64],
    ['concurrency', '016', (c) => c.concurrency, 16],
    ['rate_limit', '0', (c) => c.rateLimit, 0],
    ['rate_limit', '1', (c) => c.rateLimit, 1],
    ['rate_limit', '250', (c) => c.rateLimit, 250],
    ['rate_limit', '10000', (c) => c.rateLimit, 10_000],
    ['request_timeout', '30s', (c) => c.timeoutMs, 30_000],
    ['request_timeout', '1500ms', (c) => c.timeoutMs, 1_500],
    ['request_timeout', '45', (c) => c.timeoutMs, 45_000],
    ['request_timeout', '2.5', (c) => c.timeoutMs, 2_500],
    ['request_timeout', '1m30s', (c) => c.timeoutMs, 90_000],
    ['request_timeout', '1s', (c) => c.timeoutMs, 1_000],
    ['request_timeout', '10m', (c) => c.timeoutMs, 600_000],
    ['max_retries', '0', (c) => c.maxRetries, 0],
    ['max_retries', '20', (c) => c.maxRetries, 20],
    ['tags', ' b, a ,a,', (c) => c.tags, ['a', 'b']],
    ['tags', 'Env:Prod', (c) => c.tags, ['Env:Prod']],
    ['type', 'ssh_key', (c) => c.type, 'ssh_key'],
    ['type', 'database_credentials', (c) => c.type, 'database_credentials'],
    ['include_managed', 'YES', (c) => c.includeManaged, true],
    ['include_managed', 'off', (c) => c.includeManaged, false],
    ['include_managed', '0', (c) => c.includeManaged, false],
    ['include_deleted_metadata', 'False', (c) => c.includeDeletedMetadata, false],
    ['include_deleted_metadata', 'On', (c) => c.includeDeletedMetadata, true],
    ['read_disabled', 'yes', (c) => c.readDisabled, true],
    ['read_disabled', 'OFF', (c) => c.readDisabled, false],
    ['profile', 'default', (c) => c.profile, 'default'],
  ]

  it.each(importerCases)('importer %s=%j', (key, value, pick, expected) => {
    expect(pick(importer({ ...base, [key]: value }))).toEqual(expected)
  })

  it('compiles name to a glob matcher', () => {
    const { name } = importer({ ...base, name: 'db-*' })
    expect(name?.pattern).toBe('db-*')
    expect(name?.matches('db-main')).toBe(true)
    expect(name?.matches('api-db')).toBe(false)
  })

  it('takes region and project_id as keys when the location omits them', () => {
    const config = importer({
      location: 'scw-secret:///',
      region: 'nl-ams',
      project_id: PROJECT,
      secret_key: SECRET,
    })
    expect([config.region, config.projectId]).toEqual(['nl-ams', PROJECT])
  })

  const exporterCases: [string, string, (c: ReturnType<typeof exporter>) => unknown, unknown][] = [
    ['on_conflict', 'skip', (c) => c.onConflict, 'skip'],
    ['on_conflict', 'fail', (c) => c.onConflict, 'fail'],
    ['dry_run', 'TRUE', (c) => c.dryRun, true],
    ['update_metadata', 'yes', (c) => c.updateMetadata, true],
    ['preserve_revisions', 'no', (c) => c.preserveRevisions, false],
    ['path', '/restored//x/', (c) => c.folder, '/restored/x'],
    ['path', 'restored', (c) => c.folder, '/restored'],
    ['path', '/', (c) => c.folder, '/'],
    ['key_id', PROJECT.toUpperCase(), (c) => c.keyId, PROJECT],
  ]

  it.each(exporterCases)('exporter %s=%j', (key, value, pick, expected) => {
    expect(pick(exporter({ ...base, [key]: value }))).toEqual(expected)
  })

  it('accepts a path equal to the location folder', () => {
    const config = exporter({ ...base, location: `${LOCATION}/a/b`, path: '/a/b/' })
    expect(config.folder).toBe('/a/b')
  })

  it('re-roots with the location folder alone', () => {
    expect(exporter({ ...base, location: `${LOCATION}/a` }).folder).toBe('/a')
  })
})

type Case = [key: string, value: string, reason: string]

const commonInvalid: Case[] = [
  ['region', 'FR-PAR', 'not a Secret Manager region'],
  ['region', 'it-mil', 'not a Secret Manager region'],
  ['region', '', 'not a Secret Manager region'],
  ['project_id', 'abc', 'not a UUID'],
  ['access_key', 'SCWabcdefghij0123456', 'not an access key'],
  ['access_key', 'AKIAABCDEFGHIJ012345', 'not an access key'],
  ['access_key', `${ACCESS}7`, 'not an access key'],
  ['api_url', 'ftp://example.com', 'not an http:// or https:// URL'],
  ['api_url', 'localhost:8080', 'not an http:// or https:// URL'],
  ['api_url', 'https://a b', 'not an http:// or https:// URL'],
  ['api_url', 'https://user:pw@example.com', 'credentials'],
  ['api_url', 'https://example.com/?debug=1', 'query or fragment'],
  ['api_url', 'https://example.com/#x', 'query or fragment'],
  ['api_url', 'http://[::1', 'not a valid URL'],
  ['profile', '', 'empty'],
  ['environment', '', 'not a slug'],
  ['environment', 'prod!', 'not a slug'],
  ['environment', '1st', 'not a slug'],
  ['environment', `e${'x'.repeat(32)}`, 'not a slug'],
  ['data_class', 'ok, bad class', '"bad class" is not a slug'],
  ['data_class', '_x,9y', 'are not slugs'],
  ['concurrency', '0', 'must be between 1 and 64'],
  ['concurrency', '65', 'must be between 1 and 64'],
  ['concurrency', '99999999999999999999999', 'must be between 1 and 64'],
  ['concurrency', '-1', 'not a whole number'],
  ['concurrency', '1.5', 'not a whole number'],
  ['concurrency', ' 8', 'not a whole number'],
  ['concurrency', '', 'not a whole number'],
  ['rate_limit', '10001', 'must be between 0 and 10000'],
  ['rate_limit', '-5', 'not a whole number'],
  ['rate_limit', '2.5', 'not a whole number'],
  ['rate_limit', 'off', 'not a whole number'],
  ['rate_limit', '', 'not a whole number'],
  ['request_timeout', '999ms', 'must be between 1s and 10m'],
  ['request_timeout', '0', 'must be between 1s and 10m'],
  ['request_timeout', '11m', 'must be between 1s and 10m'],
  ['request_timeout', '1h', 'must be between 1s and 10m'],
  ['request_timeout', '5 s', 'not a duration'],
  ['request_timeout', '1d', 'not a duration'],
  ['request_timeout', 'abc', 'not a duration'],
  ['request_timeout', '1e3', 'not a duration'],
  ['max_retries', '21', 'must be between 0 and 20'],
  ['max_retries', '-1', 'not a whole number'],
]

const importerInvalid: Case[] = [
  ...commonInvalid,
  ['name', '', 'an empty pattern'],
  ['name', '[abc', 'never closed'],
  ['name', 'a\\', 'lone backslash'],
  ['name', '[z-a]', 'reversed'],
  ['type', 'unknown_type', 'not a secret type'],
  ['type', 'Opaque', 'not a secret type'],
  ['include_managed', 'maybe', 'not a boolean'],
  ['include_managed', '', 'not a boolean'],
  ['include_deleted_metadata', 'truee', 'not a boolean'],
  ['read_disabled', 'maybe', 'not a boolean'],
]

const exporterInvalid: Case[] = [
  ['on_conflict', 'overwrite', 'not a conflict policy'],
  ['dry_run', 'y', 'not a boolean'],
  ['update_metadata', '2', 'not a boolean'],
  ['preserve_revisions', 'nope', 'not a boolean'],
  ['path', '/a/../b', 'not allowed'],
  ['path', './a', 'not allowed'],
  ['path', '/a\nb', 'control characters'],
  ['key_id', 'nope', 'not a UUID'],
]

function expectOneProblem(
  error: ReturnType<typeof importerError>,
  key: string,
  value: string,
  reason: string,
) {
  expect(problemKeys(error)).toEqual([key])
  const [problem] = error.problems
  expect(problem?.text.startsWith(`${key}: ${reason}`) || problem?.text.includes(reason)).toBe(true)
  expect(error.message).toContain(`${key}: `)
  expect(error.message).toContain(`got ${JSON.stringify(value)}`)
  expect(error.message).toContain('Allowed: ')
}

describe('invalid values', () => {
  it.each(importerInvalid)('importer %s=%j: %s', (key, value, reason) => {
    expectOneProblem(importerError({ ...base, [key]: value }), key, value, reason)
  })

  it.each([...commonInvalid, ...exporterInvalid])('exporter %s=%j: %s', (key, value, reason) => {
    expectOneProblem(exporterError({ ...base, [key]: value }), key, value, reason)
  })

  it('names what is allowed', () => {
    expect(importerError({ ...base, region: 'x' }).message).toContain(
      'Allowed: one of fr-par, nl-ams, pl-waw.',
    )
    expect(importerError({ ...base, include_managed: 'x' }).message).toContain(
      'true, 1, yes, on, false, 0, no, off (any case)',
    )
    expect(importerError({ ...base, type: 'x' }).message).toContain(
      'opaque, certificate, key_value, basic_credentials, database_credentials, ssh_key',
    )
  })

  it('reports every problem at once', () => {
    const error = importerError({
      location: LOCATION,
      concurrency: '0',
      max_retries: 'x',
      type: 'x',
      bogus: '1',
    })
    expect(problemKeys(error).sort()).toEqual(
      ['bogus', 'concurrency', 'max_retries', 'secret_key', 'type'].sort(),
    )
    expect(error.message).toMatch(/has 5 problems:/)
    expect(error.message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(5)
  })

  it('says how to fix it, for the right plakar object', () => {
    expect(importerError({ ...base, concurrency: '0' }).message).toMatch(/plakar source/)
    expect(exporterError({ ...base, concurrency: '0' }).message).toMatch(/plakar destination/)
  })

  it('shows long values truncated', () => {
    const message = importerError({ ...base, region: 'r'.repeat(500) }).message
    expect(message).toContain('… (500 characters)')
    expect(message).not.toContain('r'.repeat(65))
  })

  it('requires location', () => {
    const error = importerError({ secret_key: SECRET })
    expect(problemKeys(error)).toContain('location')
    expect(error.message).toContain('location: missing (required)')
  })

  it('refuses values that are not strings', () => {
    const raw = { ...base, concurrency: 8 } as unknown as Record<string, string>
    expect(importerError(raw).message).toContain('concurrency: not a string; got a number')
  })

  it('refuses a path that disagrees with the location folder, naming both', () => {
    const error = exporterError({ ...base, location: `${LOCATION}/a`, path: '/b' })
    expect(problemKeys(error)).toEqual(['path'])
    expect(error.message).toContain('"/b" differs from the folder "/a" given by the location')
  })
})
