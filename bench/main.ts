// The benchmark: the main scenarios under recorded latency and a rate limit (the baseline
// script running alongside on an emulator of its own), then the scaling runs without
// latency or limit. See bench/README.md.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os'
import path from 'node:path'
import { type BaselineRun, runBaseline } from './baseline-runner.js'
import type { Limits } from './bound.js'
import { type Frozen, prepare, ROOT, sourceState } from './build.js'
import { type Series, scalingSvg } from './chart.js'
import { EmulatorWorker } from './emulator-client.js'
import type { Region } from './emulator-protocol.js'
import { pluginEnv, pluginNodeArgs } from './host.js'
import { type BenchOptions, parseOptions, USAGE } from './options.js'
import { findPlakar } from './plakar.js'
import { mainTable, scalingTable, writeAtomic } from './report.js'
import { type Row, round } from './row.js'
import {
  type Context,
  hostBackup,
  hostRestore,
  type Place,
  plakarAlone,
  plakarBackup,
  plakarHome,
  plakarRestore,
  projectId,
  SECRET_KEY,
} from './scenarios.js'

/** Fixed, so that latency jitter is the same from one run to the next. */
const RANDOM_SEED = 20_251_126

const log = (line: string) => process.stderr.write(`bench: ${line}\n`)

const place = (n: number, region: Region): Place => ({ projectId: projectId(n), region })

function logRow(row: Row): Row {
  const eff = row.efficiency === null ? '' : `, efficiency ${row.efficiency.toFixed(2)}`
  log(`${row.scenario} (${row.driver}, ${row.config}): ${row.wall_s.toFixed(2)} s${eff}`)
  return row
}

/** Through the bench host: backups and restores, default and tuned concurrency. */
async function hostChain(ctx: Context, options: BenchOptions): Promise<Row[]> {
  const source = place(1, 'fr-par')
  await ctx.emu.seed(source.projectId, source.region, options.secrets, options.versions)
  const tuned = options.tunedConcurrency
  const first = await hostBackup(ctx, source, undefined, true)
  const rows = [logRow(first.row)]
  rows.push(logRow((await hostBackup(ctx, source, tuned, false)).row))
  for (const [n, concurrency] of [
    [2, undefined],
    [3, tuned],
  ] as const) {
    const destination = place(n, 'nl-ams')
    for (const kind of ['restore', 'restore-again'] as const) {
      rows.push(logRow(await hostRestore(ctx, first.items, source, destination, concurrency, kind)))
    }
  }
  return rows
}

/** Through the real plakar: backup, incremental backup, restore twice, tuned backup. */
async function plakarChain(ctx: Context, options: BenchOptions, bin: string): Promise<Row[]> {
  const source = place(11, 'fr-par')
  await ctx.emu.seed(source.projectId, source.region, options.secrets, options.versions)
  const tuned = options.tunedConcurrency
  const home = await plakarHome(ctx, bin, source)
  const rows = [logRow(await plakarBackup(ctx, home, 'full-backup'))]
  rows.push(logRow(await plakarBackup(ctx, home, 'incremental-backup')))
  const destination = place(12, 'pl-waw')
  for (const kind of ['restore', 'restore-again'] as const) {
    rows.push(logRow(await plakarRestore(ctx, home, source, destination, tuned, kind)))
  }
  // A store of its own, so that this backup is a full one too.
  const fresh = await plakarHome(ctx, bin, source)
  const flags = ['-concurrency', String(tuned)]
  rows.push(logRow(await plakarBackup(ctx, fresh, 'full-backup', flags)))
  const alone = await plakarAlone(home)
  log(
    `plakar alone, same tree from a local directory: full ${alone.fullS.toFixed(2)} s, incremental ${alone.incrementalS.toFixed(2)} s`,
  )
  for (const row of rows) {
    if (row.scenario === 'full-backup') row.plakar_alone_s = round(alone.fullS)
    if (row.scenario === 'incremental-backup') row.plakar_alone_s = round(alone.incrementalS)
  }
  return rows
}

interface BaselineFigures {
  backup: BaselineRun
  restore: BaselineRun
  /** Estimated time to restore every secret, from the sample. */
  restoreS: number
  sample: number
}

/** The naive script, backup then restore, on an emulator of its own. */
async function baselineMain(
  emu: EmulatorWorker,
  frozen: Frozen,
  workDir: string,
  options: BenchOptions,
): Promise<BaselineFigures> {
  const source = place(101, 'fr-par')
  await emu.seed(source.projectId, source.region, options.secrets, options.versions)
  const file = path.join(workDir, 'baseline-backup.json')
  const common = { url: emu.url, secretKey: SECRET_KEY, file }
  const backup = await runBaseline(frozen.baseline, { ...common, mode: 'backup', ...source })
  log(`baseline backup: ${backup.processWallS.toFixed(1)} s`)
  const sample = Math.min(options.baselineSample, options.secrets)
  const destination = place(102, 'nl-ams')
  const restore = await runBaseline(frozen.baseline, {
    ...common,
    mode: 'restore',
    ...destination,
    limit: sample,
  })
  // One secret after another: time grows linearly; start-up is paid once.
  const startup = restore.processWallS - restore.wallS
  const restoreS = (restore.wallS * options.secrets) / sample + startup
  log(`baseline restore: ${restore.processWallS.toFixed(1)} s for ${sample} secrets`)
  return { backup, restore, restoreS, sample }
}

function attachBaseline(rows: Row[], figures: BaselineFigures, secrets: number): void {
  for (const row of rows) {
    if (row.scenario === 'full-backup' || row.scenario === 'incremental-backup') {
      // A script without change detection downloads everything every time.
      row.baseline_wall_s = round(figures.backup.processWallS)
      row.baseline_peak_rss_mb = round(figures.backup.peakRssMb, 1)
      row.baseline_cpu_s = round(figures.backup.cpuS, 2)
    } else if (row.scenario === 'restore') {
      row.baseline_wall_s = round(figures.restoreS)
      if (figures.sample < secrets) row.baseline_extrapolated_from = figures.sample
    } else continue
    row.speedup = round((row.baseline_wall_s ?? 0) / row.wall_s, 2)
  }
}

const ORDER = ['full-backup', 'incremental-backup', 'restore', 'restore-again']

/** Each chain runs against an emulator of its own, so none eats another's rate limit. */
async function mainPhase(options: BenchOptions, frozen: Frozen, workDir: string) {
  const limits: Limits = { latency: 'recorded', rateLimit: options.rateLimit }
  const bin = options.plakar ? findPlakar() : undefined
  if (options.plakar && !bin) log('no plakar binary (.cache/bin/plakar or $PLAKAR_BIN): skipped')
  const start = (n: number) => EmulatorWorker.start(limits, RANDOM_SEED + n)
  const [hostEmu, plakarEmu, baselineEmu] = await Promise.all([
    start(0),
    bin ? start(1) : undefined,
    options.baseline ? start(2) : undefined,
  ])
  const { secrets, versions } = options
  const ctxOf = (emu: EmulatorWorker): Context => ({
    frozen,
    emu,
    limits,
    secrets,
    versions,
    workDir,
    log,
  })
  try {
    // One chain at a time: each has the machine to itself, as a user's job would, so a
    // row's figures are its own chain's and not the CPU contention of the others.
    const plakarRows = plakarEmu && bin ? await plakarChain(ctxOf(plakarEmu), options, bin) : []
    const hostRows = await hostChain(ctxOf(hostEmu), options)
    const baseline = baselineEmu
      ? await baselineMain(baselineEmu, frozen, workDir, options)
      : undefined
    const rows = [...hostRows, ...plakarRows].sort(
      (a, b) => ORDER.indexOf(a.scenario) - ORDER.indexOf(b.scenario),
    )
    if (baseline) attachBaseline(rows, baseline, secrets)
    return rows
  } finally {
    await Promise.all([hostEmu.close(), plakarEmu?.close(), baselineEmu?.close()])
  }
}

async function scaleRow(ctx: Context, options: BenchOptions, n: number, size: number) {
  const source = place(200 + n, 'fr-par')
  await ctx.emu.seed(source.projectId, source.region, size, options.versions)
  const sized = { ...ctx, secrets: size }
  const { row } = await hostBackup(sized, source, undefined, false, `scale-${size}`)
  if (options.baseline && size <= options.scaleBaselineMax) {
    const file = path.join(ctx.workDir, `baseline-scale-${size}.json`)
    const args = { mode: 'backup' as const, url: ctx.emu.url, secretKey: SECRET_KEY, file }
    const baseline = await runBaseline(ctx.frozen.baseline, { ...args, ...source })
    row.baseline_wall_s = round(baseline.processWallS)
    row.baseline_peak_rss_mb = round(baseline.peakRssMb, 1)
    row.baseline_cpu_s = round(baseline.cpuS, 2)
    row.baseline_cpu_ms_per_call = round((baseline.cpuS * 1000) / row.bound.required_calls, 3)
    row.speedup = round(baseline.processWallS / row.wall_s, 2)
  }
  return logRow(row)
}

async function scalePhase(options: BenchOptions, frozen: Frozen, workDir: string) {
  const limits: Limits = { latency: 'off', rateLimit: undefined }
  const emu = await EmulatorWorker.start(limits, RANDOM_SEED)
  try {
    const ctx: Context = { frozen, emu, limits, secrets: 0, versions: 0, workDir, log }
    const ctxV = { ...ctx, versions: options.versions }
    const rows: Row[] = []
    for (const [n, size] of options.scale.entries())
      rows.push(await scaleRow(ctxV, options, n, size))
    return rows
  } finally {
    await emu.close()
  }
}

function chart(scale: Row[], versions: number): string {
  const withBaseline = scale.filter((r) => r.baseline_wall_s !== undefined)
  const ours = (y: (r: Row) => number | null): Series => ({
    label: 'plugin (importer process)',
    color: '#1f5fa8',
    dashed: false,
    points: scale.map((r) => ({ x: r.secrets, y: y(r) ?? 0 })),
  })
  const baseline = (y: (r: Row) => number | undefined): Series => ({
    label: 'baseline script (same SDK, sequential)',
    color: '#d0711b',
    dashed: true,
    points: withBaseline.map((r) => ({ x: r.secrets, y: y(r) ?? 0 })),
  })
  return scalingSvg(
    [ours((r) => r.wall_s), baseline((r) => r.baseline_wall_s)],
    [ours((r) => r.peak_rss_mb), baseline((r) => r.baseline_peak_rss_mb)],
    `Full backups, ${versions} versions per secret, emulator without latency or rate limit; see bench/README.md.`,
  )
}

/** What the figures depend on: the CPU (model and count), memory and Node. */
function machine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU'
  const gib = Math.round(totalmem() / 2 ** 30)
  return `${model}, ${availableParallelism()} CPUs, ${gib} GiB, Node ${process.version}`
}

function measuredBuild(options: BenchOptions): string {
  const env = Object.entries(options.pluginEnv).map(([k, v]) => `${k}=${v}`)
  const build = options.dist === undefined ? `dist/ of ${sourceState()}` : options.dist
  return env.length === 0 ? build : `${build}, plugin environment ${env.join(' ')}`
}

/** Through plakar: how long plakar went on once the plugin had reported its work done. */
function pluginShare(r: Row): string {
  if (r.plugin_done_s === undefined || r.bound_s === 0) return ''
  const after = r.wall_s - r.plugin_done_s
  return (
    `; plugin done at ${r.plugin_done_s.toFixed(2)} s (bound / that ${(r.bound_s / r.plugin_done_s).toFixed(2)}),` +
    ` then plakar ${after.toFixed(2)} s on its own`
  )
}

function keyFigures(options: BenchOptions, rows: Row[], scale: Row[], seconds: number): string {
  const biggest = scale.at(-1)
  const lines = rows.map(
    (r) =>
      `- ${r.scenario} (${r.driver}, ${r.config}): efficiency ${r.efficiency?.toFixed(2) ?? '-'}` +
      (r.speedup === undefined ? '' : `, ${r.speedup.toFixed(1)}x the baseline`) +
      pluginShare(r),
  )
  if (biggest) {
    lines.push(
      `- importer at ${biggest.secrets} secrets: peak RSS ${biggest.peak_rss_mb ?? '-'} MB, ` +
        `CPU ${biggest.cpu_s ?? '-'} s = ${biggest.cpu_s_per_10k_records ?? '-'} s per 10,000 records`,
    )
  }
  lines.push(`- build measured: ${measuredBuild(options)}`)
  lines.push(`- machine: ${machine()}`)
  lines.push(
    `- bench runtime ${seconds.toFixed(0)} s on ${availableParallelism()} CPUs, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  )
  return lines.join('\n')
}

function publish(options: BenchOptions, rows: Row[], scale: Row[], seconds: number): void {
  const out = path.resolve(ROOT, options.out)
  const all = [...rows, ...scale].map((row) => ({ ...row, machine: machine() }))
  writeAtomic(path.join(out, 'latest.json'), `${JSON.stringify(all, null, 2)}\n`)
  writeAtomic(path.join(out, 'scaling.svg'), chart(scale, options.versions))
  const setting =
    `${options.secrets} secrets x ${options.versions} versions, recorded latency, ` +
    `rate limit ${options.rateLimit ?? 'none'} req/s`
  const text = [
    `Machine: ${machine()}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end (other work on the machine inflates wall times).`,
    '',
    `## Main scenarios (${setting})`,
    '',
    mainTable(rows),
    '',
    '`*` baseline restore timed on a sample of secrets and scaled up (it is strictly sequential).',
    '',
    `## Scaling (backups, ${options.versions} versions per secret, no latency, no rate limit)`,
    '',
    scalingTable(scale),
    '',
    '## Key figures',
    '',
    keyFigures(options, rows, scale, seconds),
    '',
    `Written: ${path.relative(ROOT, out)}/latest.json, ${path.relative(ROOT, out)}/scaling.svg`,
  ]
  process.stdout.write(`${text.join('\n')}\n`)
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv)
  if (options === 'help') return void process.stdout.write(`${USAGE}\n`)
  const started = performance.now()
  const workDir = mkdtempSync(path.join(tmpdir(), 'scw-sm-bench-'))
  const profiles = options.profile ? mkdtempSync(path.join(tmpdir(), 'scw-sm-profiles-')) : ''
  if (profiles) {
    mkdirSync(profiles, { recursive: true })
    pluginNodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profiles}`)
  }
  Object.assign(pluginEnv, options.pluginEnv)
  try {
    const dist = options.dist === undefined ? undefined : path.resolve(options.dist)
    const frozen = await prepare(workDir, log, dist)
    const rows = options.main ? await mainPhase(options, frozen, workDir) : []
    const scale = await scalePhase(options, frozen, workDir)
    publish(options, rows, scale, (performance.now() - started) / 1000)
    if (profiles) log(`CPU profiles of the plugin processes: ${profiles}`)
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}
