// One measured scenario, as it goes into latest.json and the tables.
import type { ProcUsage } from './proc.js'
import type { ApiSummary } from './summary.js'

export type Driver = 'test-host' | 'plakar'

interface Calls {
  read: number
  access: number
  write: number
}

export interface Row {
  scenario: string
  driver: Driver
  /** Plugin options that differ from the defaults, or `default`. */
  config: string
  secrets: number
  versions: number
  /** Emulator latency profile and rate limit (requests per second, null = none). */
  latency: string
  rate_limit: number | null
  wall_s: number
  /** 0 when there is nothing to bound (no latency, no rate limit). */
  bound_s: number
  /** bound / wall; null when the bound is 0. */
  efficiency: number | null
  bound: { chain_s: number; rate_s: number; required_calls: number }
  /** Requests the emulator received, 429-refused ones included. */
  calls: Calls
  routes: Record<string, number>
  rate_limited: number
  retries: number
  peak_rss_mb: number | null
  /** CPU time of the plugin process. */
  cpu_s: number | null
  /** Plugin CPU per request the emulator received. */
  cpu_ms_per_call: number | null
  /** CPU time of plakar itself (plakar runs), and of the emulator serving the run. */
  plakar_cpu_s: number | null
  emulator_cpu_s: number | null
  /**
   * Runs through plakar: when the plugin reported its work done (its summary line), in
   * seconds from plakar's start; wall_s minus this is plakar finishing on its own.
   */
  plugin_done_s?: number
  /**
   * Backups through plakar: plakar's own wall time for the same tree backed up from a local
   * directory (full, or the second run for an incremental): what plakar needs whatever the
   * source, on this machine. The bound does not include it.
   */
  plakar_alone_s?: number
  /**
   * CPU of the bench process during a test-host run: the host playing plakar's part,
   * plus whatever else the bench does meanwhile (the other chains' bookkeeping).
   */
  host_cpu_s?: number
  /** Snapshot records the importer emitted (test-host backups). */
  records?: number
  cpu_s_per_10k_records?: number
  baseline_wall_s?: number
  /** Set when the baseline ran on that many secrets and was scaled up to all. */
  baseline_extrapolated_from?: number
  baseline_peak_rss_mb?: number
  baseline_cpu_s?: number
  /** The baseline's CPU per request (it makes the same calls as a full backup). */
  baseline_cpu_ms_per_call?: number
  speedup?: number
  /** CPU model, CPU count and memory of the machine the run was on. */
  machine?: string
  /** Targets and invariants checked on this run: true = met. */
  checks: Record<string, boolean>
  notes: string[]
}

const ACCESS = /\/access$/

function classify(counts: Record<string, number>): Calls {
  const calls: Calls = { read: 0, access: 0, write: 0 }
  for (const [route, n] of Object.entries(counts)) {
    if (route === 'total') continue
    if (!route.startsWith('GET ')) calls.write += n
    else if (ACCESS.test(route)) calls.access += n
    else calls.read += n
  }
  return calls
}

function routesOf(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([route]) => route !== 'total'))
}

export interface Measured {
  wallS: number
  usage: ProcUsage | undefined
  api: ApiSummary | undefined
  emulatorCpuS: number
  plakarCpuS?: number
  pluginDoneS?: number
  hostCpuS?: number
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits

export function rowFrom(
  base: Pick<
    Row,
    'scenario' | 'driver' | 'config' | 'secrets' | 'versions' | 'latency' | 'rate_limit'
  >,
  measured: Measured,
  bound: { boundS: number; chainS: number; rateS: number; totalCalls: number },
  counts: Record<string, number>,
): Row {
  const wall = measured.wallS
  return {
    ...base,
    wall_s: round(wall),
    bound_s: round(bound.boundS),
    efficiency: bound.boundS > 0 ? round(bound.boundS / wall) : null,
    bound: {
      chain_s: round(bound.chainS),
      rate_s: round(bound.rateS),
      required_calls: bound.totalCalls,
    },
    calls: classify(counts),
    routes: routesOf(counts),
    rate_limited: measured.api?.rateLimited ?? 0,
    retries: measured.api?.retries ?? 0,
    peak_rss_mb: measured.usage ? round(measured.usage.peakRssMb, 1) : null,
    cpu_s: measured.usage ? round(measured.usage.cpuS, 2) : null,
    cpu_ms_per_call:
      measured.usage && (counts.total ?? 0) > 0
        ? round((measured.usage.cpuS * 1000) / (counts.total ?? 1), 3)
        : null,
    plakar_cpu_s: measured.plakarCpuS === undefined ? null : round(measured.plakarCpuS, 2),
    emulator_cpu_s: round(measured.emulatorCpuS, 2),
    ...(measured.pluginDoneS === undefined ? {} : { plugin_done_s: round(measured.pluginDoneS) }),
    ...(measured.hostCpuS === undefined ? {} : { host_cpu_s: round(measured.hostCpuS, 2) }),
    checks: {},
    notes: [],
  }
}

export { round }
