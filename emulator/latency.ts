// Response delays. `recorded` replays the real API's per-route medians (fr-par, see the shared
// API notes) with log-normal jitter clamped to the observed minimum and a few medians above,
// so runs are realistic without the rare one-second outliers dominating test time.

import { normal, type Random } from './prng.js'

export type LatencyMode = 'off' | 'recorded' | number

interface Observed {
  median: number
  min: number
  max: number
}

const GET_ONE: Observed = { median: 48, min: 31, max: 943 }
const LIST: Observed = { median: 54, min: 38, max: 1082 }
const CREATE: Observed = { median: 130, min: 78, max: 1090 }
const UPDATE: Observed = { median: 159, min: 72, max: 267 }
const DELETE: Observed = { median: 78, min: 53, max: 930 }

// Routes without a recorded figure borrow the closest recorded call.
const RECORDED: Record<string, Observed> = {
  'GET /secrets': LIST,
  'GET /secrets/{id}': GET_ONE,
  'GET /secrets/{id}/versions': { median: 51, min: 30, max: 208 },
  'GET /secrets/{id}/versions/{rev}': GET_ONE,
  'GET /secrets/{id}/versions/{rev}/access': { median: 50, min: 33, max: 193 },
  'POST /secrets': CREATE,
  'POST /secrets/{id}/versions': { median: 292, min: 59, max: 946 },
  'PATCH /secrets/{id}': UPDATE,
  'PATCH /secrets/{id}/versions/{rev}': UPDATE,
  'DELETE /secrets/{id}': DELETE,
  'DELETE /secrets/{id}/versions/{rev}': DELETE,
}

const SPREAD = 0.35
const CAP_IN_MEDIANS = 4

const jittered = (observed: Observed, random: Random): number => {
  const sample = observed.median * Math.exp(SPREAD * normal(random))
  const cap = Math.min(observed.max, observed.median * CAP_IN_MEDIANS)
  return Math.round(Math.min(cap, Math.max(observed.min, sample)))
}

export const delayFor = (mode: LatencyMode, routeKey: string, random: Random): number => {
  if (mode === 'off') return 0
  if (typeof mode === 'number') return mode
  return jittered(RECORDED[routeKey] ?? (routeKey.startsWith('GET') ? GET_ONE : CREATE), random)
}

export const parseLatency = (text: string): LatencyMode => {
  if (text === 'off' || text === 'recorded') return text
  const ms = Number(text)
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`invalid latency "${text}": off|recorded|<ms>`)
  return ms
}
