// The sample project in a fresh emulator per test, and backups and restores through real
// importer and exporter processes: what the exporter's tests share.
import { afterEach, beforeEach } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { SAMPLE_PROJECT_ID, sampleSeed } from '../../src/emulator/sample.js'
import {
  type ExportOutcome,
  exportAll,
  type ImportedEntry,
  init,
  type PluginProcess,
  runImport,
  snapshotToExport,
  startPlugin,
} from '../host/plugin-host.js'
import { connectorConfig, DEST_PROJECT, emulator } from './world.js'

export const SOURCE = `scw-secret://fr-par/${SAMPLE_PROJECT_ID}`
export const DEST = `scw-secret://nl-ams/${DEST_PROJECT}`

export interface SampleWorld {
  readonly emu: Emulator
  /** A backup of the sample project (read_disabled=true), as records. */
  backup(extra?: Record<string, string>): Promise<ImportedEntry[]>
  restore(
    entries: ImportedEntry[],
    location?: string,
    extra?: Record<string, string>,
    subtree?: string,
  ): Promise<ExportOutcome & { plugin: PluginProcess }>
}

/** Registers the hooks that start and stop it around each test of the calling file. */
export function sampleWorld(): SampleWorld {
  let emu: Emulator | undefined
  const plugins: PluginProcess[] = []
  beforeEach(async () => {
    emu = await emulator({ seed: sampleSeed() })
  })
  afterEach(async () => {
    await Promise.all(plugins.splice(0).map((p) => p.stop()))
    await emu?.close()
  })
  const current = () => {
    if (!emu) throw new Error('the sample world runs inside a test only')
    return emu
  }
  const started = (kind: 'importer' | 'exporter') => {
    const plugin = startPlugin(kind)
    plugins.push(plugin)
    return plugin
  }
  return {
    get emu() {
      return current()
    },
    async backup(extra = {}) {
      const plugin = started('importer')
      const config = connectorConfig(current(), SOURCE, { read_disabled: 'true', ...extra })
      await init(plugin, 'importer', config)
      return runImport(plugin)
    },
    async restore(entries, location = DEST, extra = {}, subtree = '/') {
      const plugin = started('exporter')
      await init(plugin, 'exporter', connectorConfig(current(), location, extra))
      return { ...(await exportAll(plugin, snapshotToExport(entries, subtree))), plugin }
    },
  }
}
