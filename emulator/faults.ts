// Injected failures, drawn once per request:
//   serverError     a 5xx with a JSON error body; nothing is applied
//   tooManyRequests a bare 429 as the gateway sends it; nothing is applied
//   reset           the request is applied, part of the body is written, the socket is destroyed
//   stall           the response is held for stallMs, then sent normally
//   dropAfterWrite  a POST/PATCH/DELETE is applied, then the socket is destroyed unanswered
// CLI form: `5xx=0.05,429=0.05,reset=0.01,stall=0.01,drop-after-write=0.01,stall-ms=30000`.

import type { Random } from './prng.js'

export interface FaultSpec {
  serverError?: number
  tooManyRequests?: number
  reset?: number
  stall?: number
  dropAfterWrite?: number
  /** How long a stalled response is held; default 30 000 ms. */
  stallMs?: number
}

export type Fault =
  | 'none'
  | 'serverError'
  | 'tooManyRequests'
  | 'reset'
  | 'stall'
  | 'dropAfterWrite'

export const DEFAULT_STALL_MS = 30_000

const CLI_KEYS: Record<string, keyof FaultSpec> = {
  '5xx': 'serverError',
  '429': 'tooManyRequests',
  reset: 'reset',
  stall: 'stall',
  'drop-after-write': 'dropAfterWrite',
  'stall-ms': 'stallMs',
}

const PROBABILITIES = [
  'serverError',
  'tooManyRequests',
  'reset',
  'stall',
  'dropAfterWrite',
] as const

export const parseFaults = (text: string): FaultSpec => {
  const spec: FaultSpec = {}
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '') continue
    const [rawKey, rawValue] = item.split('=')
    const key = CLI_KEYS[rawKey?.trim() ?? '']
    const value = Number(rawValue)
    if (key === undefined || rawValue === undefined || !Number.isFinite(value)) {
      throw new Error(
        `invalid fault "${item}"; expected ${Object.keys(CLI_KEYS).join('|')}=<number>`,
      )
    }
    spec[key] = value
  }
  return checkFaults(spec)
}

export const checkFaults = (spec: FaultSpec): FaultSpec => {
  let sum = 0
  for (const key of PROBABILITIES) {
    const p = spec[key] ?? 0
    if (p < 0 || p > 1) throw new Error(`fault probability ${key}=${p} is not within 0..1`)
    sum += p
  }
  if (sum > 1 + 1e-9) throw new Error(`fault probabilities add up to ${sum}, more than 1`)
  if ((spec.stallMs ?? 0) < 0) throw new Error('stall-ms must not be negative')
  return { ...spec }
}

/** One draw decides the fault; drop-after-write only concerns writes. */
export const drawFault = (spec: FaultSpec, random: Random, write: boolean): Fault => {
  let draw = random()
  for (const key of PROBABILITIES) {
    const p = spec[key] ?? 0
    if (draw < p) return key === 'dropAfterWrite' && !write ? 'none' : key
    draw -= p
  }
  return 'none'
}
