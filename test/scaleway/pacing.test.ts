import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TokenBucket, tokenBucketFor } from '../../src/scaleway/pacing.js'
import { VirtualTime } from './virtual-time.js'

/** Starts `count` take()s at once; the virtual time at which each may send. */
async function admissions(bucket: TokenBucket, clock: VirtualTime, count: number) {
  const times: number[] = []
  const takes = Array.from({ length: count }, () =>
    bucket.take().then(() => times.push(clock.now())),
  )
  await clock.run(Promise.all(takes))
  return times
}

describe('TokenBucket', () => {
  it('lets a full burst go at once, then spaces requests 1/rate apart, in call order', async () => {
    const clock = new VirtualTime()
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 10, ...clock })
    const times = await admissions(bucket, clock, 50)
    expect(times.slice(0, 10)).toEqual(Array(10).fill(0))
    expect(times.slice(10)).toEqual(Array.from({ length: 40 }, (_, i) => (i + 1) * 50))
  })

  it('refills while idle, but never above the burst', async () => {
    const clock = new VirtualTime()
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, ...clock })
    await admissions(bucket, clock, 3)
    await clock.run(clock.sleep(60_000))
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([
      0, 0, 0, 100,
    ])
  })

  it('books a token per call: a caller arriving during a wait queues behind it', () => {
    let now = 0
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 1, now: () => now })
    expect(bucket.reserve()).toBe(0)
    expect(bucket.reserve()).toBe(250)
    now = 100
    expect(bucket.reserve()).toBe(400)
  })

  it('is not fooled by a clock that steps back', () => {
    let now = 1_000
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1, now: () => now })
    expect(bucket.reserve()).toBe(0)
    now = 0
    expect(bucket.reserve()).toBe(100)
    now = 1_050
    expect(bucket.reserve()).toBe(150)
  })

  it('never admits more than burst + rate x elapsed, whatever the arrivals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 300 }),
        (rate, burst, gaps) => {
          let now = 0
          const bucket = new TokenBucket({ ratePerSecond: rate, burst, now: () => now })
          const sends: number[] = []
          for (const gap of gaps) {
            now += gap
            sends.push(now + bucket.reserve())
          }
          sends.sort((a, b) => a - b)
          const first = sends[0] ?? 0
          sends.forEach((at, i) => {
            // ceil() in the wait may only make a request later, never earlier.
            expect(i + 1).toBeLessThanOrEqual(burst + (rate * (at - first)) / 1_000 + 1e-9)
          })
        },
      ),
    )
  })

  it('refuses a rate or burst it cannot honour', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow(/rate/)
    expect(() => new TokenBucket({ ratePerSecond: Number.NaN, burst: 1 })).toThrow(/rate/)
    expect(() => new TokenBucket({ ratePerSecond: 5, burst: 0.5 })).toThrow(/burst/)
  })
})

describe('process-wide buckets', () => {
  it('hands every client of a rate the same bucket, with half a second of burst', () => {
    expect(tokenBucketFor(100)).toBe(tokenBucketFor(100))
    expect(tokenBucketFor(100)).not.toBe(tokenBucketFor(50))
    expect(tokenBucketFor(100)?.burst).toBe(50)
    expect(tokenBucketFor(0)).toBeUndefined()
    // A client on its own clock gets its own bucket, leaving the shared one untouched.
    const clock = new VirtualTime()
    expect(tokenBucketFor(100, clock)).not.toBe(tokenBucketFor(100))
    expect(tokenBucketFor(100, clock)).not.toBe(tokenBucketFor(100, clock))
    expect(tokenBucketFor(4)?.burst).toBe(2)
    expect(tokenBucketFor(0.5)?.burst).toBe(1)
  })
})
