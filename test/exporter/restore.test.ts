import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { SAMPLE_PROJECT_ID, sampleSeed } from '../../src/emulator/sample.js'
import {
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
