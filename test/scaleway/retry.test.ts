import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  backoffDelay,
  judgeFailure,
  networkErrorCode,
  parseRetryAfter,
  planRetry,
  type RetryPolicy,
  retryPolicy,
} from '../../src/scaleway/retry.js'

const policyArb = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 12 }),
  baseDelayMs: fc.integer({ min: 0, max: 5_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 30_000 }),
  maxTotalMs: fc.integer({ min: 0, max: 120_000 }),
  maxRateLimited: fc.integer({ min: 0, max: 40 }),
})

/** Node's shape for a failed request: an Error carrying the system code. */
function failed(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code })
}

describe('backoff', () => {
  it('never exceeds the cap nor the exponential ceiling, and is never negative', () => {
    fc.assert(
      fc.property(policyArb, fc.nat(64), fc.double({ min: 0, max: 1 }), (policy, n, r) => {
        const delay = backoffDelay(policy, n, () => r)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThanOrEqual(policy.maxDelayMs)
        expect(delay).toBeLessThanOrEqual(policy.baseDelayMs * 2 ** n)
      }),
    )
  })

  it('uses full jitter over [0, min(cap, base * 2^n))', () => {
    const policy: RetryPolicy = {
      maxAttempts: 9,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      maxTotalMs: 1e6,
      maxRateLimited: 30,
    }
    expect(backoffDelay(policy, 0, () => 0.999_999)).toBe(99)
    expect(backoffDelay(policy, 4, () => 0.999_999)).toBe(999)
    expect(backoffDelay(policy, 3, () => 0)).toBe(0)
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(400)
    expect(backoffDelay(policy, 3, () => 0.999_999)).toBe(799)
  })

  it('keeps a misbehaving random source inside the window', () => {
    expect(backoffDelay(retryPolicy(1), 0, () => Number.NaN)).toBe(0)
    const policy: RetryPolicy = {
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      maxTotalMs: 1e6,
      maxRateLimited: 30,
    }
    expect(backoffDelay(policy, 0, () => 7)).toBe(100)
    expect(backoffDelay(policy, 0, () => -3)).toBe(0)
  })
})

describe('planRetry', () => {
  it('bounds attempts and total waiting, whatever the randomness, Retry-After and 429s', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: undefined })),
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        (policy, randoms, retryAfters, attemptDuration, answers429) => {
          let clock = 0
          let attempts = 0
          let rateLimited = 0
          let draws = 0
          const random = () => randoms[draws++ % randoms.length] ?? 0
          for (;;) {
            attempts += 1
            clock += attemptDuration
            if (answers429[(attempts - 1) % answers429.length]) rateLimited += 1
            const retryAfterMs = retryAfters[attempts - 1]
            const plan = planRetry(
              policy,
              { attemptsMade: attempts, rateLimited, elapsedMs: clock, retryAfterMs },
              random,
            )
            if (!plan.retry) break
            if (retryAfterMs === undefined)
              expect(plan.delayMs).toBeLessThanOrEqual(policy.maxDelayMs)
            else expect(plan.delayMs).toBe(retryAfterMs)
            clock += plan.delayMs
            // No retry may start past the budget.
            expect(clock).toBeLessThanOrEqual(policy.maxTotalMs)
          }
          expect(attempts - rateLimited).toBeLessThanOrEqual(policy.maxAttempts)
          expect(rateLimited).toBeLessThanOrEqual(policy.maxRateLimited + 1)
          expect(attempts).toBeLessThanOrEqual(policy.maxAttempts + policy.maxRateLimited + 1)
          expect(clock).toBeLessThanOrEqual(policy.maxTotalMs + attemptDuration)
        },
      ),
    )
  })

  it('stops on attempts first, then on time', () => {
    const policy = retryPolicy(2, { baseDelayMs: 100, maxDelayMs: 100, maxTotalMs: 1_000 })
    expect(policy.maxAttempts).toBe(3)
    const random = () => 0.5
    expect(planRetry(policy, { attemptsMade: 1, elapsedMs: 0 }, random)).toEqual({
      retry: true,
      delayMs: 50,
    })
    expect(planRetry(policy, { attemptsMade: 3, elapsedMs: 0 }, random)).toEqual({
      retry: false,
      reason: 'attempts',
    })
    expect(planRetry(policy, { attemptsMade: 1, elapsedMs: 980 }, random)).toEqual({
      retry: false,
      reason: 'time',
    })
  })

  it('does not count 429s against the attempts: time bounds them, and a safety cap', () => {
    const policy = retryPolicy(2, {
      baseDelayMs: 100,
      maxDelayMs: 100,
      maxTotalMs: 10_000,
      maxRateLimited: 20,
    })
    const random = () => 0.5
    // Ten 429s and two 5xx: still one counted retry left.
    expect(planRetry(policy, { attemptsMade: 12, rateLimited: 10, elapsedMs: 0 }, random)).toEqual({
      retry: true,
      delayMs: 50,
    })
    // The same twelve attempts, all 5xx: out of attempts.
    expect(planRetry(policy, { attemptsMade: 12, elapsedMs: 0 }, random)).toEqual({
      retry: false,
      reason: 'attempts',
    })
    // Only 429s: retried as long as time allows...
    expect(
      planRetry(policy, { attemptsMade: 5, rateLimited: 5, elapsedMs: 9_900 }, random),
    ).toEqual({ retry: true, delayMs: 50 })
    expect(
      planRetry(policy, { attemptsMade: 5, rateLimited: 5, elapsedMs: 9_990 }, random),
    ).toEqual({ retry: false, reason: 'time' })
    // ...and up to the cap, should the time never run out.
    expect(planRetry(policy, { attemptsMade: 20, rateLimited: 20, elapsedMs: 0 }, random)).toEqual({
      retry: true,
      delayMs: 50,
    })
    expect(planRetry(policy, { attemptsMade: 21, rateLimited: 21, elapsedMs: 0 }, random)).toEqual({
      retry: false,
      reason: 'attempts',
    })
  })

  it('keeps backing off further through 429s', () => {
    const policy = retryPolicy(1, { baseDelayMs: 100, maxDelayMs: 100_000 })
    const plan = planRetry(policy, { attemptsMade: 6, rateLimited: 6, elapsedMs: 0 }, () => 0.5)
    expect(plan).toEqual({ retry: true, delayMs: 1_600 })
  })

  it('obeys Retry-After even above the backoff cap, but not past the budget', () => {
    const policy = retryPolicy(5, { baseDelayMs: 10, maxDelayMs: 100, maxTotalMs: 10_000 })
    expect(
      planRetry(policy, { attemptsMade: 1, elapsedMs: 0, retryAfterMs: 3_000 }, Math.random),
    ).toEqual({
      retry: true,
      delayMs: 3_000,
    })
    expect(
      planRetry(policy, { attemptsMade: 1, elapsedMs: 0, retryAfterMs: 20_000 }, Math.random),
    ).toEqual({ retry: false, reason: 'time' })
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-07-03T15:28:00Z')

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
  })

  it('reads an HTTP date, and a past date means now', () => {
    expect(parseRetryAfter('Fri, 03 Jul 2026 15:28:05 GMT', now)).toBe(5_000)
    expect(parseRetryAfter('Fri, 03 Jul 2026 15:27:00 GMT', now)).toBe(0)
  })

  it('ignores absent or garbage values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
  })
})

describe('network error classification', () => {
  const judged = (error: unknown, create = false) =>
    judgeFailure({ type: 'network', error }, create)

  it('retries transport failures, recognised by their system code', () => {
    expect(judged(failed('ECONNRESET', 'socket hang up'))).toBe('retry')
    expect(judged(failed('EPIPE'))).toBe('retry')
    expect(judged(failed('ENOTFOUND', 'getaddrinfo ENOTFOUND api.scaleway.com'))).toBe('retry')
  })

  it('does not mistake programming errors or TLS refusals for the network', () => {
    expect(judged(new TypeError('Failed to parse URL from nope'))).toBe('final')
    expect(judged(new RangeError('bad'))).toBe('final')
    expect(judged(failed('ERR_INVALID_CHAR'))).toBe('final')
    expect(judged(failed('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('final')
    expect(judged('ECONNRESET')).toBe('final')
    expect(judged({ code: 'ECONNRESET' })).toBe('final')
  })

  it('reads the code and knows which failures happened before sending', () => {
    expect(networkErrorCode(failed('ECONNREFUSED'))).toBe('ECONNREFUSED')
    expect(networkErrorCode(new Error('no code'))).toBeUndefined()
    expect(judged(failed('ECONNREFUSED'), true)).toBe('retry')
    expect(judged(failed('ENOTFOUND'), true)).toBe('retry')
    expect(judged(failed('ECONNRESET'), true)).toBe('ambiguous')
    expect(judged(failed('EPIPE'), true)).toBe('ambiguous')
  })
})

describe('judgeFailure', () => {
  const status = (s: number) => ({ type: 'status' as const, status: s })

  it('retries 429 and 5xx for idempotent requests, hands back anything else', () => {
    for (const s of [429, 500, 502, 503, 504]) expect(judgeFailure(status(s), false)).toBe('retry')
    for (const s of [200, 204, 400, 401, 403, 404, 409, 412, 501]) {
      expect(judgeFailure(status(s), false)).toBe('final')
    }
    expect(judgeFailure({ type: 'timeout' }, false)).toBe('retry')
    expect(judgeFailure({ type: 'network', error: failed('ECONNRESET') }, false)).toBe('retry')
    expect(judgeFailure({ type: 'network', error: new RangeError('bug') }, false)).toBe('final')
  })

  it('repeats a create only when the server provably did not act on it', () => {
    expect(judgeFailure(status(429), true)).toBe('retry')
    expect(judgeFailure({ type: 'network', error: failed('ECONNREFUSED') }, true)).toBe('retry')
    expect(judgeFailure({ type: 'network', error: failed('ECONNRESET') }, true)).toBe('ambiguous')
    expect(judgeFailure({ type: 'timeout' }, true)).toBe('ambiguous')
    for (const s of [500, 502, 503, 504]) expect(judgeFailure(status(s), true)).toBe('ambiguous')
    expect(judgeFailure(status(400), true)).toBe('final')
  })
})
