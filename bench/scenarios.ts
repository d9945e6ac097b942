// The measured scenarios: each resets the emulator's counters (and refills its rate
// limiter), runs one backup or restore, and turns what it saw into a Row.
import { mkdtempSync } from 'node:fs'
import path from 'node:path'
import type { ExportItem } from '../test/host/plugin-host.js'
import { snapshotToExport } from '../test/host/plugin-host.js'
import { boundFor, type Kind, type Limits } from './bound.js'
import type { Frozen } from './build.js'
import type { EmulatorWorker } from './emulator-client.js'
import type { Region } from './emulator-protocol.js'
import { exporterRun, importerRun } from './host.js'
import { PlakarHome } from './plakar.js'
import { type Driver, type Row, round, rowFrom } from './row.js'
import { parseSummary, payloadsRead } from './summary.js'
import { compareProjects } from './verify.js'

export const SECRET_KEY = '0c4a7d2e-5b1f-4e3a-9d6c-8f7e6d5c4b3a'
const ACCESS_KEY = 'SCWBENCHACCESSKEY001'

/** Plakar's default Open concurrency is 8 x CPUs + 1; the bench host mirrors it. */
const OPEN_CONCURRENCY = 17
/** Records the bench host lets wait for their acknowledgement before it stops reading. */
const WINDOW = 1000

/** Seconds of CPU the bench process used since `start` (a process.cpuUsage() reading). */
function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

/** Project ids of the bench, one per data set and destination. */
export function projectId(n: number): string {
  return `be9c0000-0000-4000-8000-${String(n).padStart(12, '0')}`
}

export interface Context {
  frozen: Frozen
  emu: EmulatorWorker
  limits: Limits
  secrets: number
  versions: number
  workDir: string
  log: (line: string) => void
}

export interface Place {
  projectId: string
  region: Region
}

const location = (place: Place) => `scw-secret://${place.region}/${place.projectId}`

function pluginConfig(ctx: Context, place: Place, concurrency?: number): Record<string, string> {
  const config: Record<string, string> = {
    location: location(place),
    access_key: ACCESS_KEY,
    secret_key: SECRET_KEY,
    api_url: ctx.emu.url,
  }
  if (concurrency !== undefined) config.concurrency = String(concurrency)
  return config
}

const configLabel = (concurrency?: number) =>
  concurrency === undefined ? 'default' : `concurrency=${concurrency}`

function baseOf(ctx: Context, scenario: string, driver: Driver, concurrency?: number) {
  const { secrets, versions, limits } = ctx
  return {
    scenario,
    driver,
    config: configLabel(concurrency),
    secrets,
    versions,
    latency: String(limits.latency),
    rate_limit: limits.rateLimit ?? null,
  }
}

function boundOf(ctx: Context, kind: Kind) {
  return boundFor(kind, { secrets: ctx.secrets, versions: ctx.versions }, ctx.limits)
}

export interface BackupResult {
  row: Row
  items: ExportItem[]
}

/**
 * A full backup through the bench host; `keep` holds the records for the restores.
 * `scenario` names the row (`full-backup`, or `scale-<N>` for the scaling runs).
 */
export async function hostBackup(
  ctx: Context,
  source: Place,
  concurrency: number | undefined,
  keep: boolean,
  scenario = 'full-backup',
): Promise<BackupResult> {
  await ctx.emu.reset()
  const options = { openConcurrency: OPEN_CONCURRENCY, window: WINDOW, keep }
  const config = pluginConfig(ctx, source, concurrency)
  // Scaling runs have no server rate limit: measure the importer, not our own pacing.
  if (scenario.startsWith('scale-')) config.rate_limit = '0'
  const emulatorCpu = ctx.emu.cpuS()
  const hostCpu = process.cpuUsage()
  const run = await importerRun(ctx.frozen.importer, config, options)
  const api = parseSummary(run.summary)
  const measured = {
    wallS: run.wallS,
    usage: run.usage,
    api,
    emulatorCpuS: ctx.emu.cpuS() - emulatorCpu,
    hostCpuS: cpuSince(hostCpu),
  }
  const counts = await ctx.emu.counts()
  const row = rowFrom(
    baseOf(ctx, scenario, 'test-host', concurrency),
    measured,
    boundOf(ctx, 'full-backup'),
    counts,
  )
  row.records = run.result.records
  if (run.usage)
    row.cpu_s_per_10k_records = round((run.usage.cpuS * 10_000) / run.result.records, 2)
  row.checks.all_payloads_read =
    payloadsRead(run.summary) === ctx.secrets * ctx.versions && run.result.openErrors === 0
  if (!/ 0 errors/.test(run.summary)) row.notes.push(errorsOf(run.summary))
  return { row, items: keep ? snapshotToExport(run.result.entries) : [] }
}

function errorsOf(summary: string): string {
  return `importer: ${summary.match(/(\d+) errors/)?.[0] ?? 'errors'} (secrets backed up as error records)`
}

/** plakar with its own HOME and store, our package installed, the source configured. */
export async function plakarHome(ctx: Context, bin: string, source: Place): Promise<PlakarHome> {
  const home = new PlakarHome(bin, mkdtempSync(path.join(ctx.workDir, 'plakar-')))
  await home.install(ctx.frozen.packageDir)
  await home.ok([
    'source',
    'add',
    'bench',
    location(source),
    `secret_access_key=${SECRET_KEY}`,
    `api_url=${ctx.emu.url}`,
  ])
  return home
}

const summaryIn = (stderr: string, prefix: RegExp) =>
  stderr.split('\n').find((line) => prefix.test(line)) ?? ''

/**
 * `plakar [flags] backup @bench`: the first in a store is a full backup, the next ones
 * incremental. `flags` are plakar's own (e.g. -concurrency), before `at`.
 */
export async function plakarBackup(
  ctx: Context,
  home: PlakarHome,
  kind: Kind,
  flags: string[] = [],
): Promise<Row> {
  await ctx.emu.reset()
  const emulatorCpu = ctx.emu.cpuS()
  const run = await home.ok([...flags, 'at', home.store, 'backup', '@bench'], 'importer.js')
  const emulatorCpuS = ctx.emu.cpuS() - emulatorCpu
  const summary = summaryIn(run.stderr, /backup of /)
  const api = parseSummary(summary)
  const counts = await ctx.emu.counts()
  const base = baseOf(ctx, kind, 'plakar')
  if (flags.length > 0) base.config = `plakar ${flags.join(' ')}`
  const row = rowFrom(
    base,
    {
      wallS: run.wallS,
      usage: run.plugin,
      api,
      emulatorCpuS,
      plakarCpuS: run.plakar?.cpuS,
      pluginDoneS: run.pluginDoneS,
    },
    boundOf(ctx, kind),
    counts,
  )
  if (kind === 'full-backup') {
    row.checks.all_payloads_read = payloadsRead(summary) === ctx.secrets * ctx.versions
  }
  if (kind === 'incremental-backup') {
    // Every call of an incremental backup is a read; those refused with 429 did nothing.
    const accepted = (counts.total ?? 0) - row.rate_limited
    const minimum = Math.max(1, Math.ceil(ctx.secrets / 100)) + ctx.secrets
    row.checks.no_payload_access = row.calls.access === 0
    row.checks.calls_at_listing_minimum = accepted <= minimum
    row.notes.push(`${accepted} calls accepted; listing minimum ${minimum}`)
  }
  if (!run.plugin) row.notes.push('plugin process not sampled (exited between samples)')
  return row
}

/**
 * plakar on its own: the newest snapshot restored to a local directory, then that tree
 * backed up twice into a store of its own (a full backup, then an incremental one).
 */
export async function plakarAlone(
  home: PlakarHome,
): Promise<{ fullS: number; incrementalS: number }> {
  const [snapshot] = await home.snapshots()
  if (!snapshot) throw new Error('plakar store holds no snapshot to restore')
  const tree = path.join(home.dir, 'tree')
  const store = path.join(home.dir, 'store-local')
  await home.ok(['at', home.store, 'restore', '-to', tree, snapshot])
  await home.ok(['at', store, 'create', '-plaintext'])
  const full = await home.ok(['at', store, 'backup', tree])
  const incremental = await home.ok(['at', store, 'backup', tree])
  return { fullS: full.wallS, incrementalS: incremental.wallS }
}

/** `plakar restore -to @<destination> <snapshot>`, then the destination checked. */
export async function plakarRestore(
  ctx: Context,
  home: PlakarHome,
  source: Place,
  destination: Place,
  concurrency: number | undefined,
  kind: 'restore' | 'restore-again',
): Promise<Row> {
  const name = `dest-${destination.region}-${destination.projectId.slice(-4)}`
  if (kind === 'restore') {
    const extra = concurrency === undefined ? [] : [`concurrency=${concurrency}`]
    const config = [`secret_access_key=${SECRET_KEY}`, `api_url=${ctx.emu.url}`, ...extra]
    await home.ok(['destination', 'add', name, location(destination), ...config])
  }
  const [snapshot] = await home.snapshots()
  if (!snapshot) throw new Error('plakar store holds no snapshot to restore')
  await ctx.emu.reset()
  const emulatorCpu = ctx.emu.cpuS()
  const run = await home.ok(
    ['at', home.store, 'restore', '-to', `@${name}`, snapshot],
    'exporter.js',
  )
  const emulatorCpuS = ctx.emu.cpuS() - emulatorCpu
  const summary = summaryIn(run.stderr, /restore into /)
  const counts = await ctx.emu.counts()
  const row = rowFrom(
    baseOf(ctx, kind, 'plakar', concurrency),
    {
      wallS: run.wallS,
      usage: run.plugin,
      api: parseSummary(summary),
      emulatorCpuS,
      plakarCpuS: run.plakar?.cpuS,
      pluginDoneS: run.pluginDoneS,
    },
    boundOf(ctx, kind),
    counts,
  )
  await checkRestored(ctx, row, source, destination, kind)
  if (!/ 0 failed/.test(summary)) row.notes.push(summary.match(/\d+ failed/)?.[0] ?? 'failures')
  return row
}

async function checkRestored(
  ctx: Context,
  row: Row,
  source: Place,
  destination: Place,
  kind: 'restore' | 'restore-again',
): Promise<void> {
  const comparison = compareProjects(
    await ctx.emu.digest(source.projectId, source.region),
    await ctx.emu.digest(destination.projectId, destination.region),
  )
  row.checks.destination_identical = comparison.identical
  row.checks.no_version_lost = comparison.lostVersions === 0
  row.checks.no_duplicate = comparison.extraVersions === 0 && comparison.extraSecrets === 0
  if (kind === 'restore-again') row.checks.no_write = row.calls.write === 0
  if (!comparison.identical) row.notes.push(`destination differs: ${JSON.stringify(comparison)}`)
}

/** A restore through the bench host, then the destination compared with the source. */
export async function hostRestore(
  ctx: Context,
  items: ExportItem[],
  source: Place,
  destination: Place,
  concurrency: number | undefined,
  kind: 'restore' | 'restore-again',
): Promise<Row> {
  await ctx.emu.reset()
  const config = pluginConfig(ctx, destination, concurrency)
  const emulatorCpu = ctx.emu.cpuS()
  const hostCpu = process.cpuUsage()
  const run = await exporterRun(ctx.frozen.exporter, config, items)
  const emulatorCpuS = ctx.emu.cpuS() - emulatorCpu
  const hostCpuS = cpuSince(hostCpu)
  const counts = await ctx.emu.counts()
  const row = rowFrom(
    baseOf(ctx, kind, 'test-host', concurrency),
    { wallS: run.wallS, usage: run.usage, api: parseSummary(run.summary), emulatorCpuS, hostCpuS },
    boundOf(ctx, kind),
    counts,
  )
  await checkRestored(ctx, row, source, destination, kind)
  if (run.result.errors.length > 0) {
    const first = run.result.errors[0] ?? ''
    row.notes.push(`${run.result.errors.length} records failed, e.g. ${first.slice(0, 160)}`)
  }
  return row
}
