// The least time any client could take for a scenario, whatever its concurrency: see
// "The bound" in bench/README.md for the derivation. Latencies are the emulator's own
// per-route medians, so the bound moves with emulator/latency.ts.
import { delayFor, type LatencyMode } from '../emulator/latency.js'

export type Kind = 'full-backup' | 'incremental-backup' | 'restore' | 'restore-again'

const LIST = 'GET /secrets'
const VERSIONS = 'GET /secrets/{id}/versions'
const ACCESS = 'GET /secrets/{id}/versions/{rev}/access'
const CREATE_SECRET = 'POST /secrets'
const CREATE_VERSION = 'POST /secrets/{id}/versions'

/** Largest page the API serves, as the plugin requests it. */
const PAGE = 100

/** A data set of `secrets` secrets with `versions` enabled versions each (generatedSeed). */
export interface Shape {
  secrets: number
  versions: number
}

export interface Limits {
  latency: LatencyMode
  rateLimit: number | undefined
}

export interface Bound {
  boundS: number
  /** Longest chain of calls that must follow one another. */
  chainS: number
  /** Time to get every required call through the rate limiter, plus the last call. */
  rateS: number
  /** Calls any client must make, by route. */
  calls: Record<string, number>
  totalCalls: number
}

/**
 * The median of a route: with a random source stuck at 1/4, the emulator's Box-Muller
 * deviate is sqrt(-2 ln 1/4) * cos(pi/2) = 0, so its jitter factor is exp(0) = 1.
 */
function medianS(latency: LatencyMode, route: string): number {
  return delayFor(latency, route, () => 0.25) / 1000
}

function requiredCalls(kind: Kind, { secrets, versions }: Shape): Record<string, number> {
  const pages = Math.max(1, Math.ceil(secrets / PAGE))
  switch (kind) {
    case 'full-backup':
    case 'restore-again':
      return { [LIST]: pages, [VERSIONS]: secrets, [ACCESS]: secrets * versions }
    case 'incremental-backup':
      return { [LIST]: pages, [VERSIONS]: secrets }
    case 'restore':
      return { [CREATE_SECRET]: secrets, [CREATE_VERSION]: secrets * versions }
  }
}

/**
 * Calls that must follow one another. Listing page 1 tells how many pages there are;
 * all the others can then go at once, so at most two list calls are chained.
 */
function chain(kind: Kind, { secrets, versions }: Shape): string[] {
  const lists = Array<string>(Math.min(2, Math.max(1, Math.ceil(secrets / PAGE)))).fill(LIST)
  switch (kind) {
    case 'full-backup':
    case 'restore-again':
      return [...lists, VERSIONS, ACCESS]
    case 'incremental-backup':
      return [...lists, VERSIONS]
    case 'restore':
      // A secret's versions are created one after the other, after the secret.
      return [CREATE_SECRET, ...Array<string>(versions).fill(CREATE_VERSION)]
  }
}

/** Every chain ends with this route, so the call admitted last is one of these. */
function lastRoute(kind: Kind): string {
  if (kind === 'incremental-backup') return VERSIONS
  return kind === 'restore' ? CREATE_VERSION : ACCESS
}

export function boundFor(kind: Kind, shape: Shape, limits: Limits): Bound {
  const calls = requiredCalls(kind, shape)
  const totalCalls = Object.values(calls).reduce((a, b) => a + b, 0)
  const chainS = chain(kind, shape).reduce((sum, route) => sum + medianS(limits.latency, route), 0)
  const rate = limits.rateLimit
  // The emulator's bucket starts full with `rate` tokens (one second of burst), then
  // refills at `rate` per second: call number n cannot be admitted before (n - rate) / rate.
  const rateS =
    rate === undefined
      ? 0
      : Math.max(0, totalCalls - Math.max(1, rate)) / rate +
        medianS(limits.latency, lastRoute(kind))
  return { boundS: Math.max(chainS, rateS), chainS, rateS, calls, totalCalls }
}
