// Regenerates schema/*.json from the config module's raw-map schemas.
// `--check` writes nothing and exits 1 when the committed files are out of date.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderSchemas, writeSchemas } from './lib/config-docs.js'

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema')

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function stale(): string[] {
  return Object.entries(renderSchemas())
    .filter(([name, content]) => readOrEmpty(join(schemaDir, name)) !== content)
    .map(([name]) => name)
}

if (process.argv.includes('--check')) {
  const outdated = stale()
  if (outdated.length > 0) {
    console.error(`out of date: ${outdated.join(', ')}; run npx tsx scripts/gen-schema.ts`)
    process.exit(1)
  }
} else {
  for (const path of writeSchemas(schemaDir)) console.log(`wrote ${path}`)
}
