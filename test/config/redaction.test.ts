import { inspect } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { ConfigError } from '../../src/config/errors.js'
import { Redacted } from '../../src/config/redacted.js'
import {
  configPath,
  exporter,
  exporterError,
  importer,
  importerError,
  LOCATION,
  PROJECT,
  removeHomes,
  SECRET,
  tempHome,
} from './helpers.js'

afterAll(removeHomes)

// A valid secret key whose value is easy to grep for; and a malformed one.
const CANARY = 'ca4a2ca4-0000-4000-8000-00000000ca4a'
const BAD_CANARY = 'not-a-uuid-CANARY'

/** Every way a config or an error commonly ends up in a log line. */
function renderings(value: object): string[] {
  return [
    String(value),
    `${value}`,
    JSON.stringify(value),
    inspect(value, { depth: 10 }),
    inspect(value, { depth: 10, showHidden: true }),
    inspect(value, { depth: 10, customInspect: false }),
  ]
}

function errorRenderings(error: ConfigError): string[] {
  return [error.message, String(error.stack), JSON.stringify(error.problems), ...renderings(error)]
}

describe('Redacted', () => {
  const secret = new Redacted(CANARY)

  it('reveals the value only on request', () => {
    expect(secret.reveal()).toBe(CANARY)
  })

  it('prints the mask everywhere else', () => {
    for (const text of renderings(secret)) expect(text).not.toContain(CANARY)
    expect(String(secret)).toBe('[redacted]')
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}')
    expect(inspect(secret)).toBe('[redacted]')
    expect(`${secret}`).toBe('[redacted]')
    expect(Object.keys(secret)).toEqual([])
    expect(JSON.stringify({ ...secret })).toBe('{}')
  })
})

describe('a parsed config never shows its secret key', () => {
  const check = (config: object & { describe(): string }) => {
    for (const text of [...renderings(config), config.describe()]) {
      expect(text).not.toContain(CANARY)
    }
    expect(config.describe()).toMatch(/^secretKey +\[redacted\]$/m)
  }

  it('from the config', () => {
    const config = importer({ location: LOCATION, secret_key: CANARY })
    expect(config.secretKey.reveal()).toBe(CANARY)
    check(config)
  })

  it('from the environment', () => {
    const config = exporter({ location: LOCATION }, { env: { SCW_SECRET_KEY: CANARY } })
    expect(config.secretKey.reveal()).toBe(CANARY)
    check(config)
  })

  it('from the scw config file', () => {
    const config = importer(
      { location: LOCATION },
      { homeDir: tempHome(`secret_key: ${CANARY}\n`) },
    )
    expect(config.secretKey.reveal()).toBe(CANARY)
    check(config)
  })
})

describe('errors never show a secret key', () => {
  const expectClean = (error: ConfigError, canary: string) => {
    for (const text of errorRenderings(error)) expect(text).not.toContain(canary)
    expect(error.message).toContain('never shown')
  }

  it('when the secret_key key is malformed', () => {
    const error = importerError({ location: LOCATION, secret_key: BAD_CANARY })
    expect(error.problems.map((problem) => problem.key)).toEqual(['secret_key'])
    expectClean(error, 'CANARY')
  })

  it('when SCW_SECRET_KEY is malformed', () => {
    const error = exporterError({ location: LOCATION }, { env: { SCW_SECRET_KEY: BAD_CANARY } })
    expect(error.message).toContain('secret_key (from environment variable SCW_SECRET_KEY)')
    expectClean(error, 'CANARY')
  })

  it('when the file secret_key is malformed', () => {
    const home = tempHome(`profiles:\n  p:\n    secret_key: ${BAD_CANARY}\n`)
    const error = importerError({ location: LOCATION, profile: 'p' }, { homeDir: home })
    expect(error.message).toContain(
      `secret_key (from secret_key in ${configPath(home)}, profile "p")`,
    )
    expectClean(error, 'CANARY')
  })

  it('when the secret key is malformed and other keys are broken too', () => {
    const error = importerError({
      location: 'scw-secret://nowhere',
      secret_key: BAD_CANARY,
      concurrency: '0',
      secretkey: BAD_CANARY,
    })
    expect(error.problems).toHaveLength(4)
    expectClean(error, 'CANARY')
  })

  it('when the file cannot be parsed', () => {
    const home = tempHome(`secret_key: ${CANARY}\n  - : [broken\n`)
    const error = importerError({ location: LOCATION }, { homeDir: home })
    expect(error.message).toContain(`scw config file ${configPath(home)}: it is not valid YAML`)
    for (const text of errorRenderings(error)) expect(text).not.toContain(CANARY)
  })

  it.each([
    ['access_key', CANARY],
    ['region', CANARY],
    ['api_url', `https://${CANARY}@x`],
    ['environment', `prod ${CANARY}`],
  ])('when a secret key is pasted into %s', (key, value) => {
    const error = importerError({ location: LOCATION, secret_key: SECRET, [key]: value })
    expect(error.problems.map((problem) => problem.key)).toEqual([key])
    expect(error.message).toContain('not shown because it looks like a secret key')
    for (const text of errorRenderings(error)) expect(text).not.toContain(CANARY)
  })

  it('when a secret key is pasted as a key name', () => {
    const error = importerError({ location: LOCATION, secret_key: SECRET, [CANARY]: 'x' })
    expect(error.problems.map((problem) => problem.key)).toEqual(['(hidden key)'])
    expect(error.message).toContain('unknown key whose name looks like a secret key')
    for (const text of errorRenderings(error)) expect(text).not.toContain(CANARY)
  })

  it('when a secret key is pasted into SCW_ACCESS_KEY', () => {
    const error = importerError(
      { location: LOCATION, secret_key: SECRET },
      { env: { SCW_ACCESS_KEY: CANARY } },
    )
    for (const text of errorRenderings(error)) expect(text).not.toContain(CANARY)
  })
})

describe('a secret key in the project id is never shown', () => {
  const mangled = CANARY.slice(0, -1)
  it.each([
    ['project_id', { location: 'scw-secret://fr-par', project_id: `${CANARY}0` }],
    ['location', { location: `scw-secret://fr-par/${mangled}` }],
    ['location', { location: `scw-secret://fr-par/${mangled}/x/..` }],
  ])('one character off, in %s: refused, not quoted', (key, config) => {
    const error = importerError({ secret_key: SECRET, ...config })
    expect(error.problems.map((problem) => problem.key)).toEqual([key])
    for (const text of errorRenderings(error)) expect(text).not.toContain(mangled)
  })

  it.each([
    ['the location', { location: `scw-secret://fr-par/${CANARY}` }],
    ['project_id', { location: 'scw-secret://fr-par', project_id: CANARY.toUpperCase() }],
  ])('the key itself, in %s: refused, naming neither', (_, config) => {
    const error = importerError({ secret_access_key: CANARY, ...config })
    expect(error.problems.map((problem) => problem.key)).toEqual(['project_id'])
    expect(error.message).toContain('is the secret key itself')
    for (const text of errorRenderings(error)) expect(text.toLowerCase()).not.toContain(CANARY)
  })
})

describe('the secret key itself is hidden wherever a message quotes it', () => {
  const upper = CANARY.toUpperCase()
  it.each([
    ['a region typo', { location: `scw-secret://fr-pa/${upper}`, secret_access_key: upper }, {}],
    [
      'a bad folder',
      { location: `scw-secret://fr-par/${CANARY}/a/../b` },
      { SCW_SECRET_KEY: CANARY },
    ],
    [
      'another project_id',
      { location: `scw-secret://fr-par/${CANARY}`, project_id: PROJECT, secret_key: CANARY },
      {},
    ],
  ])(
    'after %s in the location',
    (_, config: Record<string, string>, env: Record<string, string>) => {
      const error = importerError(config, { env })
      expect(error.message).toContain('[secret key]')
      for (const text of errorRenderings(error)) expect(text.toLowerCase()).not.toContain(CANARY)
    },
  )

  it('in the debug dump, under key_id', () => {
    const config = exporter({ location: LOCATION, secret_access_key: CANARY, key_id: CANARY })
    expect(config.describe().toLowerCase()).not.toContain(CANARY)
  })
})

// Reasons and hints, not only the "got ..." part, follow the same rule: a value that
// looks like a secret key is named only where a UUID belongs (location, project_id, key_id).
describe('reasons never quote a pasted secret key', () => {
  const expectHidden = (error: ConfigError) => {
    for (const text of errorRenderings(error)) expect(text).not.toContain(CANARY)
    expect(error.message).toContain('(a value not shown: it looks like a secret key)')
  }

  it.each([
    ['alone', CANARY],
    ['with a suffix', `${CANARY}x`],
    ['among other labels', `critical, ${CANARY}, pii`],
  ])('in data_class, %s', (_, value) => {
    const error = importerError({ location: LOCATION, secret_key: SECRET, data_class: value })
    expect(error.problems.map((problem) => problem.key)).toEqual(['data_class'])
    expectHidden(error)
  })

  it('but still names the other bad labels in data_class', () => {
    const error = importerError({
      location: LOCATION,
      secret_key: SECRET,
      data_class: `crit!cal, ${CANARY}`,
    })
    expect(error.message).toContain('"crit!cal", (a value not shown')
    expectHidden(error)
  })

  it('in profile, with no scw config file', () => {
    const error = importerError({ location: LOCATION, secret_key: SECRET, profile: CANARY })
    expect(error.problems.map((problem) => problem.key)).toEqual(['profile'])
    expect(error.message).toContain('was requested by the config key profile')
    expectHidden(error)
  })

  it('in profile, with a config file that lacks it', () => {
    const home = tempHome('profiles:\n  work: {}\n')
    const error = exporterError(
      { location: LOCATION, secret_key: SECRET, profile: `${CANARY}x` },
      { homeDir: home },
    )
    expect(error.message).toContain('it defines "work"')
    expectHidden(error)
  })

  it('in SCW_PROFILE', () => {
    const error = importerError(
      { location: LOCATION, secret_key: SECRET },
      { env: { SCW_PROFILE: CANARY } },
    )
    expect(error.message).toContain('requested by the environment variable SCW_PROFILE')
    expectHidden(error)
  })

  it('as a profile name listed from the scw config file', () => {
    const home = tempHome(`profiles:\n  ${CANARY}: {}\n`)
    const error = importerError(
      { location: LOCATION, secret_key: SECRET, profile: 'work' },
      { homeDir: home },
    )
    expect(error.message).toContain('profile "work"')
    expectHidden(error)
  })

  it('as a profile of the scw config file that is not a mapping', () => {
    const home = tempHome(`profiles:\n  ${CANARY}: 3\n`)
    const error = importerError({ location: LOCATION, secret_key: SECRET }, { homeDir: home })
    expect(error.message).toContain('is not a mapping')
    expectHidden(error)
  })

  it('in a path that disagrees with the location', () => {
    const error = exporterError({
      location: `${LOCATION}/a`,
      secret_key: SECRET,
      path: `/${CANARY}`,
    })
    expect(error.message).toContain('differs from the folder "/a"')
    expectHidden(error)
  })

  it('but a project id in the location is still shown', () => {
    const error = importerError({ location: LOCATION, secret_key: SECRET, project_id: CANARY })
    expect(error.message).toContain(`says "${CANARY}", which differs from "${PROJECT}"`)
  })

  it('and an unknown key never shows its value, whatever it is', () => {
    const error = importerError({ location: LOCATION, secret_key: SECRET, colour: 'blue-canary' })
    for (const text of errorRenderings(error)) expect(text).not.toContain('blue-canary')
  })
})
