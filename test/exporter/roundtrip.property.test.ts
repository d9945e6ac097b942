// Random projects survive backup -> restore exactly, and a second restore writes nothing.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SeedSecret } from '../../emulator/index.js'
import { MAX_PAYLOAD_BYTES } from '../../src/core/secret-manager.js'
import { init, runExport, runImport, snapshotToExport, startPlugin } from '../host/plugin-host.js'
import { projectView } from '../support/compare.js'
import { connectorConfig, emulator, writeCount } from '../support/world.js'

const SOURCE_PROJECT = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d'
const DEST_PROJECT = '3b4c5d6e-7f8a-4b9c-8d1e-2f3a4b5c6d7e'

const segment = fc.oneof(
  fc.constantFrom('prod', 'db', 'x.secret', 'versions', '..', 'é', 'a b'),
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/),
)
const name = fc
  .oneof(segment, fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }))
  .filter((n) => !n.includes('/') && n.trim() === n && n !== '')
const status = fc.constantFrom('enabled', 'enabled', 'disabled', 'scheduled_for_deletion')
const binary = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }),
  fc.uint8Array({ minLength: MAX_PAYLOAD_BYTES - 536, maxLength: MAX_PAYLOAD_BYTES }),
)
const opaque = fc.record({
  type: fc.constant('opaque' as const),
  versions: fc.array(fc.record({ data: binary, status }), { maxLength: 4 }),
})
const keyValue = fc.record({
  type: fc.constant('key_value' as const),
  versions: fc.array(
    fc.record({
      data: fc
        .dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.string({ maxLength: 20 }), {
          minKeys: 1,
          maxKeys: 4,
        })
        .map((d) => Buffer.from(JSON.stringify(d))),
      status,
    }),
    { maxLength: 3 },
  ),
})
const secret = fc.record({
  // `.` and `..` are not legal folder names (the API refuses them); they are legal names.
  path: fc
    .array(
      segment.filter((s) => s !== '.' && s !== '..'),
      { maxLength: 2 },
    )
    .map((s) => `/${s.join('/')}`),
  name,
  tags: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,5}$/), { maxLength: 2 }),
  body: fc.oneof(opaque, keyValue),
})

type Generated = typeof secret extends fc.Arbitrary<infer T> ? T : never

function seed(secrets: Generated[]): SeedSecret[] {
  const unique = new Map(secrets.map((s) => [`${s.path}\u0000${s.name}`, s]))
  return [...unique.values()].map((s) => ({
    name: s.name,
    path: s.path,
    tags: s.tags,
    type: s.body.type,
    versions: s.body.versions.map((v) => ({
      data_base64: Buffer.from(v.data).toString('base64'),
      status: v.status,
    })),
  }))
}

describe('backup -> restore round trip (property)', () => {
  it('restores random projects exactly, and a second restore writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(secret, { minLength: 1, maxLength: 6 }), async (secrets) => {
        const emu = await emulator({
          seed: { projects: [{ id: SOURCE_PROJECT, region: 'fr-par', secrets: seed(secrets) }] },
        })
        const plugins = [startPlugin('importer'), startPlugin('exporter'), startPlugin('exporter')]
        try {
          const [importer, exporter, again] = plugins as [
            (typeof plugins)[0],
            (typeof plugins)[0],
            (typeof plugins)[0],
          ]
          const source = `scw-secret://fr-par/${SOURCE_PROJECT}`
          await init(importer, 'importer', connectorConfig(emu, source, { read_disabled: 'true' }))
          const records = snapshotToExport(await runImport(importer))
          const dest = `scw-secret://nl-ams/${DEST_PROJECT}`
          await init(exporter, 'exporter', connectorConfig(emu, dest))
          const first = await runExport(exporter, records)
          expect(first.filter((r) => r.error !== '')).toEqual([])
          expect(projectView(emu, DEST_PROJECT, 'nl-ams')).toEqual(
            projectView(emu, SOURCE_PROJECT, 'fr-par'),
          )
          emu.resetCounts()
          await init(again, 'exporter', connectorConfig(emu, dest))
          await runExport(again, records)
          expect(writeCount(emu)).toBe(0)
        } finally {
          await Promise.all(plugins.map((p) => p.stop()))
          await emu.close()
        }
      }),
      { numRuns: 12 },
    )
  }, 240_000)
})
