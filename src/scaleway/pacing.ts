// Client-side pacing. The API gateway refuses requests above its rate limit with a bare
// 429; finding the limit that way costs a round trip and a backoff per refusal, and at
// high concurrency most of the time goes to refusals. A token bucket drawn from before
// every HTTP attempt keeps the process under the limit instead.
import { setTimeout as sleepFor } from 'node:timers/promises'

export interface TokenBucketOptions {
  /** Tokens added per second: the sustained request rate. Must be positive. */
  ratePerSecond: number
  /** Most tokens held (the bucket starts full): requests that may leave at once after a lull. */
  burst: number
  /** Milliseconds on a monotonic clock. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/**
 * Each take() books a token at once, going into debt when the bucket is empty, and waits
 * until the refill has paid that debt. Booking up front needs no timer or queue of our
 * own, serves callers in call order, and spaces them exactly 1/rate apart.
 */
export class TokenBucket {
  readonly burst: number
  readonly #perMs: number
  readonly #now: () => number
  readonly #sleep: (ms: number) => Promise<void>
  #tokens: number
  #updatedAt: number

  constructor(options: TokenBucketOptions) {
    const { ratePerSecond, burst } = options
    if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      throw new RangeError(`the request rate must be a positive number, got ${ratePerSecond}`)
    }
    if (!(Number.isFinite(burst) && burst >= 1)) {
      throw new RangeError(`the burst must be at least 1, got ${burst}`)
    }
    this.burst = burst
    this.#perMs = ratePerSecond / 1_000
    this.#now = options.now ?? (() => performance.now())
    this.#sleep = options.sleep ?? ((ms) => sleepFor(ms))
    this.#tokens = burst
    this.#updatedAt = this.#now()
  }

  /** Books one token and returns how many milliseconds to wait before using it. */
  reserve(): number {
    const now = this.#now()
    // A clock that steps back must not mint tokens nor lose the debt already booked.
    const elapsed = Math.max(0, now - this.#updatedAt)
    this.#updatedAt = Math.max(this.#updatedAt, now)
    this.#tokens = Math.min(this.burst, this.#tokens + elapsed * this.#perMs) - 1
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens / this.#perMs)
  }

  async take(): Promise<void> {
    const waitMs = this.reserve()
    if (waitMs > 0) await this.#sleep(waitMs)
  }
}

const shared = new Map<number, TokenBucket>()

/**
 * The bucket a client draws from: none at rate 0; else the process's for that rate (the limit
 * holds however many clients it builds), or its own for a client on its own clock (tests).
 * The burst, half a second of requests, is half the gateway's bucket: a backup starts at full
 * speed, the other half absorbs requests bunched up by latency jitter and other clients.
 */
export function tokenBucketFor(
  ratePerSecond: number,
  clock: Pick<TokenBucketOptions, 'now' | 'sleep'> = {},
): TokenBucket | undefined {
  if (ratePerSecond === 0) return undefined
  const own = clock.now !== undefined || clock.sleep !== undefined
  let bucket = own ? undefined : shared.get(ratePerSecond)
  if (bucket === undefined) {
    const burst = Math.max(1, Math.floor(ratePerSecond / 2))
    bucket = new TokenBucket({ ratePerSecond, burst, ...clock })
    if (!own) shared.set(ratePerSecond, bucket)
  }
  return bucket
}
