// The committed codecs and message types must be what the .proto files generate: a
// field added to a .proto without `npm run gen:proto` fails here, not on the wire.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')
const GENERATED = 'proto/generated'

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort()
}

describe('generated protocol code', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'scw-sm-gen-'))
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('matches proto/*.proto', () => {
    execFileSync(path.join(ROOT, 'scripts/gen-proto.sh'), [base], { stdio: 'pipe' })
    const fresh = path.join(base, GENERATED)
    const committed = path.join(ROOT, GENERATED)
    expect(files(fresh)).toEqual(files(committed))
    for (const file of files(fresh)) {
      const text = readFileSync(path.join(fresh, file), 'utf8')
      expect(text, `${GENERATED}/${file} is stale: run npm run gen:proto`).toBe(
        readFileSync(path.join(committed, file), 'utf8'),
      )
    }
  })
})
