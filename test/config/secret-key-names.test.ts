// The secret key has two config names: secret_key (Plakar Control Plane's) and
// secret_access_key (the one `plakar source show` masks). Both work, they must agree, and
// using the shown one earns a warning; no value is ever printed.
import { inspect } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { renderSchemas } from '../../scripts/lib/config-docs.js'
import {
  exporter,
  exporterError,
  importer,
  importerError,
  LOCATION,
  OTHER_SECRET,
  problemKeys,
  removeHomes,
  SECRET,
} from './helpers.js'

afterAll(removeHomes)

const parsers = [
  ['importer', importer, importerError],
  ['exporter', exporter, exporterError],
] as const

describe.each(parsers)('%s', (_, parse, parseError) => {
  it('takes the secret key as secret_access_key, without a warning', () => {
    const config = parse({ location: LOCATION, secret_access_key: SECRET })
    expect(config.secretKey.reveal()).toBe(SECRET)
    expect(config.warnings).toEqual([])
  })

  it('takes it as secret_key, with one warning that says how to avoid plakar showing it', () => {
    const config = parse({ location: LOCATION, secret_key: SECRET })
    expect(config.secretKey.reveal()).toBe(SECRET)
    expect(config.warnings).toHaveLength(1)
    const [warning] = config.warnings
    expect(warning).toMatch(/^secret_key: plakar shows this key/)
    expect(warning).toContain('secret_access_key')
    expect(warning).toContain('SCW_SECRET_KEY')
    expect(warning).not.toContain(SECRET)
  })

  it('accepts both names when they agree (and still warns about secret_key)', () => {
    const config = parse({ location: LOCATION, secret_key: SECRET, secret_access_key: SECRET })
    expect(config.secretKey.reveal()).toBe(SECRET)
    expect(config.warnings).toHaveLength(1)
  })

  it('refuses both names with different values, naming both keys and neither value', () => {
    const error = parseError({
      location: LOCATION,
      secret_key: SECRET,
      secret_access_key: OTHER_SECRET,
    })
    expect(problemKeys(error)).toEqual(['secret_key'])
    expect(error.message).toContain('secret_key and secret_access_key')
    expect(error.message).toContain('differ')
    for (const text of [error.message, String(error.stack), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(OTHER_SECRET)
    }
  })

  it('names secret_access_key, without its value, when that value is malformed', () => {
    const bad = 'not-a-uuid-canary-0123'
    const error = parseError({ location: LOCATION, secret_access_key: bad })
    expect(problemKeys(error)).toEqual(['secret_access_key'])
    expect(error.message).toContain('secret_access_key: not a UUID')
    expect(error.message).not.toContain(bad)
  })

  it('asks for secret_access_key first when no secret key is given anywhere', () => {
    const error = parseError({ location: LOCATION })
    expect(error.message).toContain('the config key secret_access_key (or secret_key)')
  })

  it('lets a secret key from the environment stand when neither name is given', () => {
    const config = parse({ location: LOCATION }, { env: { SCW_SECRET_KEY: SECRET } })
    expect(config.secretKey.reveal()).toBe(SECRET)
    expect(config.warnings).toEqual([])
  })
})

describe('the published JSON Schemas', () => {
  it.each(Object.entries(renderSchemas()))('%s has both names as UUID strings', (_, text) => {
    const schema = JSON.parse(text) as { properties: Record<string, { pattern?: string }> }
    for (const key of ['secret_key', 'secret_access_key']) {
      expect(schema.properties[key]?.pattern).toBeDefined()
      expect(new RegExp(schema.properties[key]?.pattern ?? '').test(SECRET)).toBe(true)
    }
  })
})
