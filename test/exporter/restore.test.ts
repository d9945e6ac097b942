import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { SAMPLE_PROJECT_ID, sampleSeed } from '../../src/emulator/sample.js'
import {
  exportAll,
  type ImportedEntry,
  init,
  type PluginProcess,
  runExport,
  runImport,
  snapshotToExport,
  startPlugin,
} from '../host/plugin-host.js'
import { projectView } from '../support/compare.js'
import { connectorConfig, DEST_PROJECT, emulator, writeCount } from '../support/world.js'

const SOURCE = `scw-secret://fr-par/${SAMPLE_PROJECT_ID}`
const DEST = `scw-secret://nl-ams/${DEST_PROJECT}`

let emu: Emulator
const plugins: PluginProcess[] = []

beforeEach(async () => {
  emu = await emulator({ seed: sampleSeed() })
})

afterEach(async () => {
  await Promise.all(plugins.splice(0).map((p) => p.stop()))
  await emu.close()
})

async function backup(extra: Record<string, string> = {}): Promise<ImportedEntry[]> {
  const plugin = startPlugin('importer')
  plugins.push(plugin)
  await init(plugin, 'importer', connectorConfig(emu, SOURCE, { read_disabled: 'true', ...extra }))
  return runImport(plugin)
}

async function restore(
  entries: ImportedEntry[],
  location = DEST,
  extra: Record<string, string> = {},
  subtree = '/',
) {
  const plugin = startPlugin('exporter')
  plugins.push(plugin)
  await init(plugin, 'exporter', connectorConfig(emu, location, extra))
  const results = await runExport(plugin, snapshotToExport(entries, subtree))
  return { results, stderr: plugin.stderr, plugin }
}

describe('restore through the exporter process', () => {
  it('recreates every secret, version, status and byte in another project and region', async () => {
    const snapshot = await backup()
    emu.resetCounts()
    const { results, stderr } = await restore(snapshot)
    expect(results.filter((r) => r.error !== '')).toEqual([])
    expect(results.length).toBe(snapshotToExport(snapshot).length)
    expect(projectView(emu, DEST_PROJECT, 'nl-ams')).toEqual(
      projectView(emu, SAMPLE_PROJECT_ID, 'fr-par'),
    )
    expect(stderr()).toMatch(/11 created/)
    const writes = writeCount(emu)
    emu.resetCounts()
    const again = await restore(snapshot)
    expect(again.results.filter((r) => r.error !== '')).toEqual([])
    expect(writeCount(emu)).toBe(0)
    expect(writes).toBeGreaterThan(0)
  })
})

describe('restore options', () => {
  it('dry_run plans every secret and writes nothing', async () => {
    const snapshot = await backup()
    emu.resetCounts()
    const { results, stderr } = await restore(snapshot, DEST, { dry_run: 'true' })
    expect(results.filter((r) => r.error !== '')).toEqual([])
    expect(writeCount(emu)).toBe(0)
    expect(emu.store.allSecrets(DEST_PROJECT, 'nl-ams')).toEqual([])
    expect(stderr()).toMatch(/dry run: \/prod\/db: create[\s\S]*write revision 2/)
    expect(stderr()).toMatch(/dry run of restore into .*11 created/)
  })

  it('on_conflict=skip leaves existing secrets alone; fail writes nothing at all', async () => {
    const snapshot = await backup()
    const existing = emu.store.addSecret(
      DEST_PROJECT,
      { name: 'db', path: '/prod', versions: [{ data_utf8: 'mine' }] },
      'nl-ams',
    )
    const skipped = await restore(snapshot, DEST, { on_conflict: 'skip' })
    expect(skipped.stderr()).toMatch(/10 created, 0 updated, 0 unchanged, 1 skipped/)
    expect(emu.store.versions(existing.id).map((v) => v.data.toString())).toEqual(['mine'])

    const other = '0e1d2c3b-4a59-4867-9786-a5b4c3d2e1f0'
    emu.store.addSecret(
      other,
      { name: 'tls', path: '/staging/web', type: 'certificate', versions: [] },
      'nl-ams',
    )
    emu.resetCounts()
    const plugin = startPlugin('exporter')
    plugins.push(plugin)
    await init(
      plugin,
      'exporter',
      connectorConfig(emu, `scw-secret://nl-ams/${other}`, { on_conflict: 'fail' }),
    )
    const failed = await exportAll(plugin, snapshotToExport(snapshot))
    expect(writeCount(emu)).toBe(0)
    const refusal =
      /on_conflict=fail: nothing restored, 1 secret\(s\) already exist: \/staging\/web\/tls/
    expect(
      failed.results.find((r) => r.header.pathname === '/prod/db.secret/secret.json')?.error,
    ).toMatch(refusal)
    // The call itself fails, so plakar exits non-zero, with one line saying why.
    expect(failed.failure?.details).toMatch(/^11 of 11 secrets not restored: on_conflict=fail/)
  })

  it('restores a subtree at its original path, and re-roots on purpose', async () => {
    const snapshot = await backup()
    await restore(snapshot, DEST, {}, '/prod/db')
    expect(emu.store.allSecrets(DEST_PROJECT, 'nl-ams').map((s) => `${s.path}/${s.name}`)).toEqual([
      '/prod/db/replica',
    ])

    const rerooted = '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b'
    await restore(snapshot, `scw-secret://pl-waw/${rerooted}/restored`)
    expect(projectView(emu, rerooted, 'pl-waw')).toEqual(
      projectView(emu, SAMPLE_PROJECT_ID, 'fr-par', '/restored'),
    )
  })

  it('brings a soft-deleted secret back in place instead of copying it', async () => {
    const snapshot = await backup()
    const db = emu.store.allSecrets(SAMPLE_PROJECT_ID).find((s) => s.name === 'api-token')
    emu.store.updateSecret(db?.id ?? '', { deletionRequestedAt: new Date().toISOString() })
    emu.resetCounts()
    const { stderr } = await restore(snapshot, SOURCE)
    expect(emu.counts()['POST /secrets/{id}/restore']).toBe(1)
    expect(emu.counts()['POST /secrets'] ?? 0).toBe(0)
    expect(stderr()).toMatch(/1 updated, 10 unchanged/)
    expect(emu.store.secret(db?.id ?? '')?.deletionRequestedAt).toBeNull()
  })
})
