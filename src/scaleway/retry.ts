// Retry policy, kept free of I/O so its bounds can be checked exhaustively: which failures
// deserve another attempt, and how long to wait before it.

export const DEFAULT_RETRY_POLICY = {
  /** Attempts in total, the first one included, not counting those answered with a 429. */
  maxAttempts: 6,
  /** Ceiling of the first backoff; each later one doubles, up to maxDelayMs. */
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  /** No retry is started if it would begin later than this after the first attempt. */
  maxTotalMs: 60_000,
  /**
   * Retries after a 429 allowed for one request, outside maxAttempts (the gateway refused before
   * the API did anything: repeating is safe): maxTotalMs bounds them, this stops a hot loop.
   */
  maxRateLimited: 30,
}

export type RetryPolicy = typeof DEFAULT_RETRY_POLICY

/**
 * A policy allowing `maxRetries` retries, the rest from the defaults or `overrides`.
 * src/config has already checked max_retries (an integer from 0 to 20).
 */
export function retryPolicy(maxRetries: number, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides, maxAttempts: maxRetries + 1 }
}

/**
 * Full jitter: uniform in [0, min(maxDelayMs, baseDelayMs * 2^retryIndex)), retryIndex 0 for
 * the first retry. Spreading clients over the whole window is what breaks up bursts against
 * a gateway that answers a bare 429 with no hint of when to come back.
 */
export function backoffDelay(
  policy: RetryPolicy,
  retryIndex: number,
  random: () => number,
): number {
  const drawn = random()
  // A broken random source must not break the bounds (NaN would slip through min/max).
  const r = Number.isNaN(drawn) ? 0 : Math.min(Math.max(drawn, 0), 1)
  return Math.floor(r * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex))
}

/** Milliseconds to wait from a Retry-After header (delta-seconds or HTTP date). */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value == null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  // Date.parse takes "-5" for a year; an HTTP date always spells out day and month names.
  if (!/[a-z]/i.test(trimmed)) return undefined
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

export type RetryPlan =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'attempts' | 'time' }

export interface RetryState {
  /** Attempts already made, the failed one included. */
  attemptsMade: number
  /** How many of those were answered with a 429; they do not count against maxAttempts. */
  rateLimited?: number
  /** Time since the first attempt started. */
  elapsedMs: number
  /** From the server's Retry-After, when it sent one. */
  retryAfterMs?: number
}

/**
 * Whether and when to try again. 429s are bounded by the time budget (and maxRateLimited),
 * other failures by maxAttempts too. The backoff grows with every attempt, 429s included, so
 * a saturated gateway sees us back off. A Retry-After is obeyed as given, even above the
 * backoff cap (the server knows better), but never past the total budget.
 */
export function planRetry(policy: RetryPolicy, state: RetryState, random: () => number): RetryPlan {
  const rateLimited = state.rateLimited ?? 0
  if (state.attemptsMade - rateLimited >= policy.maxAttempts) {
    return { retry: false, reason: 'attempts' }
  }
  if (rateLimited > policy.maxRateLimited) return { retry: false, reason: 'attempts' }
  const delayMs = state.retryAfterMs ?? backoffDelay(policy, state.attemptsMade - 1, random)
  if (state.elapsedMs + delayMs > policy.maxTotalMs) return { retry: false, reason: 'time' }
  return { retry: true, delayMs }
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504])

/** System codes of failures that happen before a single byte of the request can have left. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
])

/** Codes of transport failures worth another attempt (Node's net, dns and http layers). */
const TRANSIENT_CODES = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
])

export function networkErrorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : undefined
}

export type Failure =
  | { type: 'status'; status: number }
  | { type: 'network'; error: unknown }
  | { type: 'timeout' }

/** retry: try again; final: hand the outcome back as is; ambiguous: a write may have landed. */
export type Verdict = 'retry' | 'final' | 'ambiguous'

/**
 * Judges one failed attempt. `create` marks requests that add something each time they
 * are applied: those are only repeated when the server provably did not act on them
 * (429 from the gateway's rate limiter, or a connection that never opened).
 */
export function judgeFailure(failure: Failure, create: boolean): Verdict {
  switch (failure.type) {
    case 'status':
      if (!RETRYABLE_STATUSES.has(failure.status)) return 'final'
      if (failure.status === 429 || !create) return 'retry'
      return 'ambiguous'
    case 'network': {
      const code = networkErrorCode(failure.error) ?? ''
      if (!TRANSIENT_CODES.has(code)) return 'final'
      return !create || NOT_SENT_CODES.has(code) ? 'retry' : 'ambiguous'
    }
    case 'timeout':
      return create ? 'ambiguous' : 'retry'
  }
}
