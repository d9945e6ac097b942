// Backups and restores through real plugin processes, and the checks that hold them to
// "identical, or failed out loud": every version the emulator has is accounted for,
// either by its exact bytes in the snapshot (or destination) or by an error the host saw.

import type { Emulator } from '../../emulator/index.js'
import type { Record as WireRecord } from '../../proto/generated/connectors.js'
import { payloadPath, secretDir, versionMetaPath } from '../../src/core/layout.js'
import type { SecretType } from '../../src/core/secret-manager.js'
import { placeholderPayload } from '../../src/exporter/planner.js'
import {
  type ExportItem,
  type ExportResult,
  exportAll,
  type ImportedEntry,
  init,
  runImport,
  snapshotToExport,
} from '../host/plugin-host.js'
import { projectView } from '../support/compare.js'
import { parsePath } from '../support/layout-reader.js'
import {
  CANARY_KEY,
  noteText,
  type SandboxedPlugin,
  SOURCE,
  SOURCE_PROJECT,
  spawnPlugin,
  tally,
} from './harness.js'

export function config(
  emu: Emulator,
  location: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { location, secret_key: CANARY_KEY, api_url: emu.url, ...extra }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export interface BackupRun {
  entries: ImportedEntry[]
  /** Set when Init or the Import call itself failed. */
  error?: string
  plugin: SandboxedPlugin
}

export interface BackupOptions {
  location?: string
  config?: Record<string, string>
  shouldOpen?: (record: WireRecord) => boolean
  /** Extra environment of the importer process. */
  env?: Record<string, string>
  /** Called with the process once it is running, e.g. to kill it from a timer. */
  started?: (plugin: SandboxedPlugin) => void
}

/** One backup in a fresh importer process; never throws for a failure of the plugin. */
export async function backup(emu: Emulator, options: BackupOptions = {}): Promise<BackupRun> {
  tally.operations += 1
  const plugin = spawnPlugin('importer', options.env)
  options.started?.(plugin)
  const cfg = config(emu, options.location ?? SOURCE, {
    read_disabled: 'true',
    ...options.config,
  })
  const entries: ImportedEntry[] = []
  try {
    await init(plugin, 'importer', cfg)
    const got = await runImport(plugin, { shouldOpen: options.shouldOpen })
    entries.push(...got)
  } catch (error) {
    noteText(messageOf(error))
    return { entries, error: messageOf(error), plugin }
  }
  for (const entry of entries) {
    noteText(entry.record.error)
    noteText(entry.openError)
  }
  return { entries, plugin }
}

export interface BackupCheck {
  /** Versions whose payload (or metadata) is missing with no error said about it. */
  silentGaps: string[]
  /** Versions missing, with an error the host was given. */
  reported: string[]
  /** Payloads that differ from the emulator's bytes for that revision. */
  wrong: string[]
  compared: number
}

export interface SourceSecret {
  path: string
  name: string
  versions: Array<{ revision: number; status: string; data: Buffer }>
}

/** The live secrets of a project as the store holds them, to hold a backup against. */
export function captureSource(emu: Emulator, projectId = SOURCE_PROJECT): SourceSecret[] {
  return emu.store
    .allSecrets(projectId, 'fr-par')
    .filter((s) => s.deletionRequestedAt === null)
    .map((s) => ({
      path: s.path,
      name: s.name,
      versions: emu.store.versions(s.id).map((v) => ({
        revision: v.revision,
        status: v.status,
        data: v.data,
      })),
    }))
}

export interface SourceDiff {
  /** Versions disabled before and enabled after, as `<secret dir> r<revision>`. */
  enabled: string[]
  /** Every other difference. */
  other: string[]
}

/** What changed in a source between two captures; a backup should change nothing. */
export function sourceDiff(before: SourceSecret[], after: SourceSecret[]): SourceDiff {
  const diff: SourceDiff = { enabled: [], other: [] }
  const key = (s: SourceSecret) => `${s.path}\u0000${s.name}`
  const later = new Map(after.map((s) => [key(s), s]))
  if (after.length !== before.length) diff.other.push(`${before.length} -> ${after.length} secrets`)
  for (const secret of before) {
    const now = later.get(key(secret))
    const dir = secretDir(secret)
    if (!now || now.versions.length !== secret.versions.length) {
      diff.other.push(`${dir}: versions changed`)
      continue
    }
    for (const [i, was] of secret.versions.entries()) {
      const is = now.versions[i]
      const label = `${dir} r${was.revision}`
      if (!is?.data.equals(was.data)) diff.other.push(`${label}: data`)
      else if (was.status === 'disabled' && is.status === 'enabled') diff.enabled.push(label)
      else if (was.status !== is.status) diff.other.push(`${label}: ${was.status} -> ${is.status}`)
    }
  }
  return diff
}

/**
 * Holds a backup against the source as it was: every live secret, every version's
 * metadata, every enabled (or, with read_disabled, disabled) version's exact bytes.
 */
export function checkBackup(
  source: SourceSecret[],
  entries: ImportedEntry[],
  readDisabled = true,
): BackupCheck {
  const tree = new Map(entries.map((e) => [e.record.pathname, e]))
  const errorDirs = entries.filter((e) => e.record.error !== '').map((e) => e.record.pathname)
  const check: BackupCheck = { silentGaps: [], reported: [], wrong: [], compared: 0 }
  for (const secret of source) {
    const dir = secretDir(secret)
    const secretFailed = errorDirs.some((d) => d === dir || dir.startsWith(`${d}/`))
    for (const version of secret.versions) {
      check.compared += 1
      const label = `${dir} r${version.revision} (${version.status})`
      if (secretFailed) {
        check.reported.push(label)
        continue
      }
      const meta = tree.get(versionMetaPath(secret, version.revision))
      if (!meta) {
        check.silentGaps.push(`${label}: no metadata`)
        continue
      }
      if (meta.openError) {
        check.reported.push(label)
        continue
      }
      const doc = JSON.parse(meta.data?.toString() ?? '{}') as {
        revision?: number
        status?: string
      }
      if (doc.revision !== version.revision || doc.status !== version.status) {
        check.wrong.push(`${label}: metadata says r${doc.revision} ${doc.status}`)
      }
      const readable =
        version.status === 'enabled' || (readDisabled && version.status === 'disabled')
      const payload = tree.get(payloadPath(secret, version.revision))
      if (!readable) {
        if (payload) check.wrong.push(`${label}: a payload for an unreadable version`)
        continue
      }
      if (!payload) check.silentGaps.push(`${label}: no payload record`)
      else if (payload.openError) check.reported.push(label)
      else if (!payload.data) check.silentGaps.push(`${label}: payload never read`)
      else if (!payload.data.equals(version.data)) check.wrong.push(`${label}: other bytes`)
    }
  }
  // And the other way round: nothing in the snapshot that the source does not have.
  const known = new Set(
    source.flatMap((s) => s.versions.map((v) => `${secretDir(s)} ${v.revision}`)),
  )
  for (const entry of entries) {
    const parsed = parsePath(entry.record.pathname)
    if (parsed.kind !== 'payload' && parsed.kind !== 'version-meta') continue
    if (!known.has(`${secretDir(parsed.secret)} ${parsed.revision}`)) {
      check.wrong.push(`${entry.record.pathname}: not in the source`)
    }
  }
  tally.versionsCompared += check.compared
  return check
}

export interface RestoreRun {
  results: ExportResult[]
  /** Set when Init failed or the Export call ended with an error status (its message). */
  error?: string
  failed: ExportResult[]
  plugin: SandboxedPlugin
}

export interface RestoreOptions {
  config?: Record<string, string>
  started?: (plugin: SandboxedPlugin) => void
}

/** One restore in a fresh exporter process; never throws for a failure of the plugin. */
export async function restore(
  emu: Emulator,
  items: ExportItem[],
  location: string,
  options: RestoreOptions = {},
): Promise<RestoreRun> {
  tally.operations += 1
  const plugin = spawnPlugin('exporter')
  options.started?.(plugin)
  let results: ExportResult[] = []
  let error: string | undefined
  try {
    await init(plugin, 'exporter', config(emu, location, options.config))
    const outcome = await exportAll(plugin, items)
    results = outcome.results
    error = outcome.failure?.details
  } catch (thrown) {
    noteText(messageOf(thrown))
    return { results, error: messageOf(thrown), failed: [], plugin }
  }
  for (const result of results) noteText(result.error)
  if (error !== undefined) noteText(error)
  return { results, error, failed: results.filter((r) => r.error !== ''), plugin }
}

export function exportItems(entries: ImportedEntry[]): ExportItem[] {
  return snapshotToExport(entries)
}

type View = ReturnType<typeof projectView>

/**
 * Duplicates and strays a restore may never leave, even a failed one: two secrets at one
 * (path, name), a secret the source lacks, more versions than the source, or a live
 * version whose bytes are not the source's for that revision.
 */
export function duplicates(dest: View, source: View): string[] {
  const problems: string[] = []
  const sourceBy = new Map(source.map((s) => [`${s.path}\u0000${s.name}`, s]))
  const seen = new Set<string>()
  for (const secret of dest) {
    const key = `${secret.path}\u0000${secret.name}`
    if (seen.has(key)) problems.push(`${secret.path}/${secret.name}: twice`)
    seen.add(key)
    const original = sourceBy.get(key)
    if (!original) {
      problems.push(`${secret.path}/${secret.name}: not in the source`)
      continue
    }
    if (secret.versions.length > original.versions.length) {
      problems.push(
        `${secret.path}/${secret.name}: ${secret.versions.length} versions, source has ${original.versions.length}`,
      )
    }
    for (const version of secret.versions) {
      const twin = original.versions.find((v) => v.revision === version.revision)
      if (version.data === null || twin?.data === null) continue
      if (twin?.data !== version.data && !isPlaceholder(version.data, secret.type)) {
        problems.push(`${secret.path}/${secret.name} r${version.revision}: other bytes`)
      }
    }
  }
  return problems
}

/** A placeholder an interrupted restore may leave live, to be deleted by the next run. */
function isPlaceholder(base64: string, type: SecretType): boolean {
  return Buffer.from(base64, 'base64').equals(placeholderPayload(type))
}

export function countVersions(view: View): number {
  return view.reduce((n, s) => n + s.versions.length, 0)
}

export { projectView }
