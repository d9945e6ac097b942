// Token bucket in front of every route, like the API gateway's limiter: a burst of up to one
// second's worth of requests, refilled continuously.

export class TokenBucket {
  private tokens: number
  private last = performance.now()

  constructor(private readonly perSecond: number) {
    this.tokens = Math.max(1, perSecond)
  }

  take(): boolean {
    const now = performance.now()
    const capacity = Math.max(1, this.perSecond)
    this.tokens = Math.min(capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
