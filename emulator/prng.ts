// A small seeded generator (Marsaglia's xorshift32) so that fault and latency runs can be
// replayed exactly with --random-seed. Not for anything security related.

import { randomInt } from 'node:crypto'

export type Random = () => number

export const randomSeed = (): number => randomInt(1, 0x7fff_ffff)

export const seededRandom = (seed: number): Random => {
  // Spread small seeds (1, 2, 3...) over the state space; a zero state would stay zero.
  let state = Math.imul(seed ^ 0x9e37_79b9, 0x85eb_ca6b) >>> 0 || 0x2545_f491
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x1_0000_0000
  }
}

/** Standard normal deviate (Box-Muller), for latency jitter. */
export const normal = (random: Random): number => {
  const u = Math.max(random(), Number.EPSILON)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}
