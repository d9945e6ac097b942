import { inspect } from 'node:util'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { OPTION_DOCS } from '../../scripts/lib/config-docs.js'
import { ConfigError } from '../../src/config/errors.js'
import type { ExporterConfig, ImporterConfig } from '../../src/config/parse.js'
import { ACCESS, exporter, importer, LOCATION, PROJECT, removeHomes, SECRET } from './helpers.js'

afterAll(removeHomes)

const IMPORTER_KEYS = OPTION_DOCS.filter((doc) => doc.connector !== 'exporter').map((d) => d.key)
const EXPORTER_KEYS = OPTION_DOCS.filter((doc) => doc.connector !== 'importer').map((d) => d.key)
const ALL_KEYS = OPTION_DOCS.map((doc) => doc.key)

// Near-misses and valid values, so the fuzzer also explores the accepting paths.
const interesting = fc.constantFrom(
  '',
  ' ',
  'fr-par',
  'nl-ams',
  'it-mil',
  PROJECT,
  SECRET,
  'SCWABCDEFGHIJ0123456',
  'scw-secret://',
  'scw-secret:///a/b',
  `scw-secret://nl-ams/${PROJECT}/x`,
  `scw-secret://fr-par/${PROJECT}/x`,
  'http://localhost:1/',
  '1',
  '64',
  '65',
  '1m30s',
  'YES',
  'off',
  'Prod ',
  'a,B, c',
  '/a/../b',
  '[a-',
  'sync',
  'default',
)

const value = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), interesting)

type Parse = (raw: Record<string, string>) => ImporterConfig | ExporterConfig

function outcome(parse: Parse, raw: Record<string, string>): ConfigError | undefined {
  try {
    parse(raw)
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
}

/** Every problem line leads with the key it is about (quoted when it is odd). */
function expectProblemsNameTheirKeys(error: ConfigError) {
  expect(error.problems.length).toBeGreaterThan(0)
  for (const problem of error.problems) {
    const leads = [problem.key, `\`${problem.key}\``, JSON.stringify(problem.key).slice(0, 60)]
    expect(leads.some((lead) => problem.text.startsWith(lead))).toBe(true)
    expect(error.message).toContain(problem.text)
  }
}

describe('fuzzing one key at a time over a valid config', () => {
  const cases = [
    ...IMPORTER_KEYS.map((key) => [key, importer] as const),
    ...EXPORTER_KEYS.map((key) => [key, exporter] as const),
  ]

  it.each(cases)('%s: parses, or throws a ConfigError naming the key', (key, parse) => {
    fc.assert(
      fc.property(value, (fuzzed) => {
        const error = outcome(parse, { location: LOCATION, secret_key: SECRET, [key]: fuzzed })
        if (error === undefined) return
        expect(error.message).toContain(key)
        expectProblemsNameTheirKeys(error)
      }),
      { numRuns: 150 },
    )
  })
})

describe('fuzzing every key at once', () => {
  const rawMap = fc.record(
    Object.fromEntries(ALL_KEYS.map((key) => [key, value])) as Record<string, typeof value>,
    { requiredKeys: [] },
  )
  const extra = fc.dictionary(fc.string({ maxLength: 12 }), fc.string(), { maxKeys: 2 })

  it.each([
    ['importer', importer],
    ['exporter', exporter],
  ] as const)('%s: a malformed secret_key never appears in the error', (_, parse) => {
    fc.assert(
      fc.property(rawMap, extra, fc.string(), (raw, more, tail) => {
        const canary = `CANARY-${tail}`
        const error = outcome(parse, { ...more, ...raw, secret_key: canary })
        expect(error).toBeDefined()
        if (error === undefined) return
        expect(error.problems.map((problem) => problem.key)).toContain('secret_key')
        expectProblemsNameTheirKeys(error)
        for (const text of [error.message, String(error.stack), inspect(error, { depth: 10 })]) {
          expect(text).not.toContain(canary)
        }
      }),
      { numRuns: 300 },
    )
  })
})

// One valid value per key: any combination of them must parse.
const VALID: Readonly<Record<string, string>> = {
  location: `${LOCATION}/x`,
  region: 'fr-par',
  project_id: PROJECT,
  access_key: ACCESS,
  api_url: 'http://localhost:1/',
  profile: 'default',
  environment: 'Prod ',
  data_class: 'a,B',
  concurrency: '3',
  rate_limit: '0',
  request_timeout: '2m',
  max_retries: '0',
  tags: 'x,y',
  name: 'db-*',
  type: 'opaque',
  include_managed: 'no',
  include_deleted_metadata: 'YES',
  read_disabled: 'off',
  on_conflict: 'skip',
  dry_run: 'on',
  update_metadata: '1',
  preserve_revisions: 'false',
  path: '/x',
  key_id: PROJECT,
}

describe('valid configurations', () => {
  // The secret key is the canary, given under either of its names or both.
  const SECRET_NAMES = [['secret_key'], ['secret_access_key'], ['secret_key', 'secret_access_key']]
  const NOT_VARIED = new Set(['location', 'secret_key', 'secret_access_key'])
  const subset = (keys: readonly string[]) =>
    fc.subarray(keys.filter((key) => !NOT_VARIED.has(key)))
  const secretNames = fc.constantFrom(...SECRET_NAMES)

  it('covers every key', () => {
    expect(Object.keys(VALID).sort()).toEqual(
      ALL_KEYS.filter((k) => !NOT_VARIED.has(k) || k === 'location').sort(),
    )
  })

  it.each([
    ['importer', importer, IMPORTER_KEYS],
    ['exporter', exporter, EXPORTER_KEYS],
  ] as const)('%s: parse, and never show the secret key', (_, parse, keys) => {
    fc.assert(
      fc.property(subset(keys), fc.uuid(), secretNames, (chosen, canary, names) => {
        const raw = Object.fromEntries(chosen.map((key) => [key, VALID[key] ?? '']))
        const secrets = Object.fromEntries(names.map((name) => [name, canary]))
        const config = parse({ ...raw, location: VALID.location ?? '', ...secrets })
        expect(config.secretKey.reveal()).toBe(canary)
        expect(config.warnings.length).toBe(names.includes('secret_key') ? 1 : 0)
        const texts = [
          String(config),
          JSON.stringify(config),
          inspect(config, { depth: 10 }),
          config.describe(),
          ...config.warnings,
        ]
        for (const text of texts) expect(text).not.toContain(canary)
      }),
    )
  })
})
