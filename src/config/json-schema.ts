// Publishes the raw-map schemas (the ones parsing runs) as JSON Schema files, for editors
// and for review. A test regenerates them and fails when the committed files drift.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { exporterRawSchema, importerRawSchema } from './options.js'

const SCHEMAS = {
  'importer.schema.json': importerRawSchema,
  'exporter.schema.json': exporterRawSchema,
} as const

export type SchemaFileName = keyof typeof SCHEMAS

/** File name -> file content; `io: 'input'` describes the strings Plakar passes. */
export function renderSchemas(): Record<SchemaFileName, string> {
  const render = (schema: z.ZodType): string =>
    `${JSON.stringify(z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }), null, 2)}\n`
  return {
    'importer.schema.json': render(SCHEMAS['importer.schema.json']),
    'exporter.schema.json': render(SCHEMAS['exporter.schema.json']),
  }
}

/** Writes every schema file into `dir`; returns the paths written. */
export function writeSchemas(dir: string): string[] {
  mkdirSync(dir, { recursive: true })
  return Object.entries(renderSchemas()).map(([name, content]) => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  })
}
