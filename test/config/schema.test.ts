import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  OPTION_DOCS,
  renderConfigTable,
  renderSchemas,
  writeSchemas,
} from '../../scripts/lib/config-docs.js'
import { exporterRawSchema, importerRawSchema } from '../../src/config/options.js'
import { exporter, importer, LOCATION, PROJECT, removeHomes, SECRET } from './helpers.js'

afterAll(removeHomes)

const SCHEMA_DIR = join(import.meta.dirname, '..', '..', 'schema')

interface PropertySchema {
  type?: string
  enum?: string[]
  pattern?: string
  minLength?: number
  description?: string
  default?: string
}

interface ObjectSchema {
  properties: Record<string, PropertySchema>
  required: string[]
  additionalProperties: boolean
}

function published(name: 'importer' | 'exporter'): ObjectSchema {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8'))
}

describe('committed JSON Schema files', () => {
  it.each(Object.entries(renderSchemas()))('%s matches the generated schema', (name, content) => {
    const committed = readFileSync(join(SCHEMA_DIR, name), 'utf8')
    expect(committed, 'schema drift: run npx tsx scripts/gen-schema.ts').toBe(content)
  })

  it('writeSchemas writes exactly what renderSchemas renders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scw-schema-'))
    try {
      const written = writeSchemas(dir)
      expect(written.map((path) => path.slice(dir.length + 1)).sort()).toEqual([
        'exporter.schema.json',
        'importer.schema.json',
      ])
      for (const [name, content] of Object.entries(renderSchemas())) {
        expect(readFileSync(join(dir, name), 'utf8')).toBe(content)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('schema shape', () => {
  const keysOf = (connector: 'importer' | 'exporter') =>
    OPTION_DOCS.filter((doc) => doc.connector === 'both' || doc.connector === connector)
      .map((doc) => doc.key)
      .sort()

  it.each(['importer', 'exporter'] as const)('%s: closed, string-valued, documented', (name) => {
    const schema = published(name)
    expect(schema.additionalProperties).toBe(false)
    expect(schema.required).toEqual(['location'])
    expect(Object.keys(schema.properties).sort()).toEqual(keysOf(name))
    for (const property of Object.values(schema.properties)) {
      expect(property.type).toBe('string')
      expect(property.description?.length).toBeGreaterThan(10)
    }
  })

  it('keeps each connector to its own options', () => {
    expect(published('importer').properties).toHaveProperty('include_managed')
    expect(published('importer').properties).not.toHaveProperty('on_conflict')
    expect(published('exporter').properties).toHaveProperty('on_conflict')
    expect(published('exporter').properties).not.toHaveProperty('tags')
  })
})

// The keywords the generator emits for a property; the checker below understands them all.
const KNOWN_KEYWORDS = new Set([
  'type',
  'enum',
  'pattern',
  'minLength',
  'description',
  'default',
  'examples',
])

function schemaAccepts(property: PropertySchema, value: string): boolean {
  if (property.enum && !property.enum.includes(value)) return false
  if (property.pattern && !new RegExp(property.pattern, 'u').test(value)) return false
  if (property.minLength !== undefined && Array.from(value).length < property.minLength) {
    return false
  }
  return true
}

// Keys whose JSON Schema is exact: it accepts a value if and only if parsing does.
const EXACT = new Set([
  'region',
  'project_id',
  'access_key',
  'secret_key',
  'profile',
  'type',
  'include_managed',
  'include_deleted_metadata',
  'read_disabled',
  'on_conflict',
  'dry_run',
  'update_metadata',
  'preserve_revisions',
  'key_id',
])

describe('the published schema agrees with the parser', () => {
  type Case = [connector: 'importer' | 'exporter', key: string, field: z.ZodType]
  const casesOf = (connector: Case[0], shape: Record<string, z.ZodType>): Case[] =>
    Object.entries(shape).map(([key, field]) => [connector, key, field])
  const cases = [
    ...casesOf('importer', importerRawSchema.shape),
    ...casesOf('exporter', exporterRawSchema.shape),
  ]

  const samples = fc.oneof(
    fc.string(),
    fc.constantFrom('fr-par', 'YES', 'oFf', '1', '0', 'sync', 'opaque', PROJECT, SECRET),
    fc.constantFrom('SCWABCDEFGHIJ0123456', 'scw-secret://', 'http://x', '30s', '8', ''),
  )

  it.each(cases)('%s %s', (connector, key, field) => {
    const property = published(connector).properties[key]
    expect(property).toBeDefined()
    if (property === undefined) return
    for (const keyword of Object.keys(property)) expect(KNOWN_KEYWORDS).toContain(keyword)
    fc.assert(
      fc.property(samples, (value) => {
        const parsed = z.safeParse(field, value).success
        // Never stricter than the parser; for exact keys, never looser either.
        if (parsed) expect(schemaAccepts(property, value)).toBe(true)
        if (EXACT.has(key)) expect(schemaAccepts(property, value)).toBe(parsed)
      }),
      { numRuns: 200 },
    )
  })
})

describe('OPTION_DOCS and the README table', () => {
  const doc = (key: string) => OPTION_DOCS.find((entry) => entry.key === key)

  it('documents every key once, with its connector', () => {
    const keys = OPTION_DOCS.map((entry) => entry.key)
    expect(new Set(keys).size).toBe(keys.length)
    expect(doc('location')).toMatchObject({ connector: 'both', required: true })
    expect(doc('concurrency')).toMatchObject({ connector: 'both', default: '32', required: false })
    expect(doc('rate_limit')).toMatchObject({ connector: 'both', default: '100', required: false })
    expect(doc('tags')?.connector).toBe('importer')
    expect(doc('on_conflict')).toMatchObject({ connector: 'exporter', default: 'sync' })
    for (const entry of OPTION_DOCS) {
      expect(entry.description).not.toBe('')
      expect(entry.allowed).not.toBe('')
    }
  })

  it('has defaults that mean what they say', () => {
    const base = { location: LOCATION, secret_key: SECRET }
    for (const entry of OPTION_DOCS) {
      if (entry.default === undefined) continue
      const parse = entry.connector === 'exporter' ? exporter : importer
      const explicit = JSON.stringify(parse({ ...base, [entry.key]: entry.default }))
      expect(explicit, entry.key).toBe(JSON.stringify(parse(base)))
    }
    expect(OPTION_DOCS.filter((entry) => entry.default !== undefined).length).toBeGreaterThan(8)
  })

  it('renders a Markdown table with one row per key', () => {
    const table = renderConfigTable().split('\n')
    expect(table[0]).toBe('| Key | Used by | Default | Allowed | Description |')
    expect(table).toHaveLength(OPTION_DOCS.length + 2)
    expect(table).toContainEqual(
      expect.stringMatching(
        /^\| `concurrency` \| both \| `32` \| an integer from 1 to 64 \| Maximum number of Secret Manager requests in flight[;.]/,
      ),
    )
    expect(table).toContainEqual(
      expect.stringMatching(
        /^\| `rate_limit` \| both \| `100` \| an integer from 0 \(no pacing\) to 10000 \| /,
      ),
    )
    for (const entry of OPTION_DOCS) {
      expect(table.some((row) => row.startsWith(`| \`${entry.key}\` | ${entry.connector} |`))).toBe(
        true,
      )
    }
  })
})

describe('parsing runs the published raw schemas', () => {
  it('accepts and refuses the same maps as the raw schema', () => {
    const good = { location: LOCATION, secret_key: SECRET, project_id: PROJECT }
    expect(importerRawSchema.safeParse(good).success).toBe(true)
    expect(() => importer(good)).not.toThrow()
    const bad = { ...good, concurrency: '65' }
    expect(importerRawSchema.safeParse(bad).success).toBe(false)
    expect(() => importer(bad)).toThrow(/concurrency/)
  })
})
