// The JSON Schemas the package ships (manifest `validator`) are what Plakar Control Plane
// checks a configuration with. Every configuration example of the README must pass them
// under an independent JSON Schema 2020-12 validator (ajv; zod wrote the schemas), and
// they must refuse what the plugin refuses: unknown keys, the other connector's keys,
// values that are not strings.
import { readFileSync } from 'node:fs'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import { afterAll, describe, expect, it } from 'vitest'
import { parseExporterConfig, parseImporterConfig } from '../../src/config/parse.js'
import { ACCESS, OTHER_PROJECT, PROJECT, removeHomes, SECRET, tempHome } from './helpers.js'
import { configOf, plakarMasks, README, readmeExamples } from './readme-examples.js'

const schemaFile = (name: string): object =>
  JSON.parse(readFileSync(new URL(`../../schema/${name}.schema.json`, import.meta.url), 'utf8'))

const ajv = new Ajv2020({ allErrors: true, strict: true })
const validate = {
  source: ajv.compile(schemaFile('importer')),
  destination: ajv.compile(schemaFile('exporter')),
}

const errorsOf = (errors: ErrorObject[] | null | undefined): string =>
  ajv.errorsText(errors, { separator: '\n' })

/** Values for the README's placeholders. */
const PLACEHOLDERS = {
  'project-id': PROJECT,
  'other-project-id': OTHER_PROJECT,
  'access-key': ACCESS,
  'secret-key': SECRET,
}

const examples = readmeExamples()

afterAll(removeHomes)

describe('the README configuration examples', () => {
  it('are there: at least one source and one destination', () => {
    expect(examples.filter((e) => e.kind === 'source').length).toBeGreaterThan(0)
    expect(examples.filter((e) => e.kind === 'destination').length).toBeGreaterThan(0)
  })

  it.each(examples.map((e) => [e.line, e] as const))(
    'pass the shipped JSON Schema and the parser: %s',
    (_, example) => {
      const config = configOf(example, PLACEHOLDERS)
      const check = validate[example.kind]
      expect(check(config), errorsOf(check.errors)).toBe(true)
      const parse = example.kind === 'source' ? parseImporterConfig : parseExporterConfig
      const parsed = parse(config, { env: {}, homeDir: tempHome() })
      expect(parsed.secretKey.reveal()).toBe(SECRET)
    },
  )

  it.each(examples.map((e) => [e.line, e] as const))(
    'put credentials only under names plakar masks: %s',
    (_, example) => {
      const config = configOf(example, PLACEHOLDERS)
      for (const [key, value] of Object.entries(config)) {
        if (value === SECRET || value === ACCESS) expect(plakarMasks(key), key).toBe(true)
      }
    },
  )

  it('never show secret_key= in a command, in the README or the demo', () => {
    const demo = readFileSync(new URL('../../scripts/demo.ts', import.meta.url), 'utf8')
    const readme = readFileSync(README, 'utf8')
    expect(readme).not.toMatch(/\bsecret_key=[^`\s]/)
    expect(demo).not.toMatch(/\bsecret_key=[^`\s]/)
  })
})

describe('the masking rule the README relies on', () => {
  it.each([
    ['secret_access_key', true],
    ['access_key', true],
    ['secret_key', false],
    ['api_url', false],
  ] as const)('%s masked: %s', (key, masked) => {
    expect(plakarMasks(key)).toBe(masked)
  })
})

describe('the shipped JSON Schemas refuse what the plugin refuses', () => {
  const location = `scw-secret://fr-par/${PROJECT}`
  const refusal = (kind: keyof typeof validate, config: Record<string, unknown>): string[] => {
    const check = validate[kind]
    expect(check(config)).toBe(false)
    return (check.errors ?? []).map((error) => `${error.keyword} ${error.instancePath}`)
  }

  it.each(['source', 'destination'] as const)('%s: an unknown key', (kind) => {
    expect(refusal(kind, { location, bogus: 'x' })).toContain('additionalProperties ')
    expect(refusal(kind, { location, secret_acess_key: SECRET })).toContain('additionalProperties ')
  })

  it('the other connector’s keys', () => {
    expect(refusal('source', { location, on_conflict: 'skip' })).toContain('additionalProperties ')
    expect(refusal('destination', { location, read_disabled: 'true' })).toContain(
      'additionalProperties ',
    )
  })

  it.each(['source', 'destination'] as const)('%s: a missing location, a non-string', (kind) => {
    expect(refusal(kind, { secret_access_key: SECRET })).toContain('required ')
    expect(refusal(kind, { location, concurrency: 5 })).toContain('type /concurrency')
  })

  it.each(['source', 'destination'] as const)('%s: a malformed secret key', (kind) => {
    for (const key of ['secret_key', 'secret_access_key']) {
      expect(refusal(kind, { location, [key]: 'not-a-uuid' })).toContain(`pattern /${key}`)
    }
  })
})
