// Fault injection, latency, the gateway rate limit, and request counters.

import { afterEach, describe, expect, it } from 'vitest'
import { type Emulator, parseFaults, startEmulator } from '../../emulator/index.js'
import { call, createSecret, PROJECT, TOKEN } from './helpers.js'

let emu: Emulator | undefined

const start = async (options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> => {
  emu = await startEmulator(options)
  return emu
}

afterEach(async () => {
  await emu?.close()
  emu = undefined
})

const elapsed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now()
  const result = await work()
  return [result, performance.now() - t0]
}

const rawGet = (e: Emulator, path = '/secrets') =>
  fetch(`${e.url}/secret-manager/v1beta1/regions/fr-par${path}`, {
    headers: { 'X-Auth-Token': TOKEN },
  })

describe('faults', () => {
  it('parses the CLI spec and refuses nonsense', () => {
    expect(
      parseFaults('5xx=0.05,429=0.05,reset=0.01,stall=0.01,drop-after-write=0.01,stall-ms=30000'),
    ).toEqual({
      serverError: 0.05,
      tooManyRequests: 0.05,
      reset: 0.01,
      stall: 0.01,
      dropAfterWrite: 0.01,
      stallMs: 30000,
    })
    expect(() => parseFaults('5xx=2')).toThrow()
    expect(() => parseFaults('boom=0.1')).toThrow()
    expect(() => parseFaults('5xx=0.6,429=0.6')).toThrow()
  })

  it('answers every request with a JSON 5xx and applies nothing', async () => {
    const e = await start({ faults: '5xx=1' })
    for (let i = 0; i < 10; i++) {
      const res = await createSecret(e)
      expect(res.status).toBeGreaterThanOrEqual(500)
      expect(res.headers.get('content-type')).toBe('application/json')
      expect(res.json.type).toBe('internal_error')
    }
    expect(e.store.allSecrets()).toEqual([])
  })

  it('answers a bare 429 like the gateway', async () => {
    const e = await start({ faults: { tooManyRequests: 1 } })
    const res = await call(e, 'GET', '/secrets')
    expect(res.status).toBe(429)
    expect(res.text).toBe('')
    expect(res.headers.get('x-envoy-ratelimited')).toBe('true')
    expect(res.headers.get('retry-after')).toBeNull()
    expect(res.headers.get('content-type')).toBeNull()
  })

  it('resets the connection in the middle of a response', async () => {
    const e = await start({ faults: 'reset=1' })
    await expect(rawGet(e).then((r) => r.text())).rejects.toThrow()
  })

  it('applies a write, then drops the connection without an answer', async () => {
    const e = await start({ faults: 'drop-after-write=1' })
    await expect(createSecret(e, { name: 'dropped' })).rejects.toThrow()
    expect(e.store.allSecrets(PROJECT).map((s) => s.name)).toEqual(['dropped'])
    expect((await call(e, 'GET', '/secrets')).status).toBe(200)
  })

  it('stalls a response for stall-ms, and close() does not wait for it', async () => {
    const e = await start({ faults: 'stall=1,stall-ms=300' })
    const [res, ms] = await elapsed(() => call(e, 'GET', '/secrets'))
    expect(res.status).toBe(200)
    expect(ms).toBeGreaterThanOrEqual(290)
    e.setFaults('stall=1,stall-ms=60000')
    const pending = rawGet(e).catch(() => 'closed')
    await new Promise((r) => setTimeout(r, 50))
    const [, closeMs] = await elapsed(() => e.close())
    expect(closeMs).toBeLessThan(2000)
    expect(await pending).toBe('closed')
  })

  it('draws the same faults for the same random seed', async () => {
    const statuses = async (seed: number) => {
      const e = await startEmulator({ faults: '5xx=0.5', randomSeed: seed })
      const out: number[] = []
      for (let i = 0; i < 20; i++) out.push((await call(e, 'GET', '/secrets')).status)
      await e.close()
      return out
    }
    const first = await statuses(42)
    expect(await statuses(42)).toEqual(first)
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(2)
    expect(first.filter((s) => s >= 500).length).toBeGreaterThan(2)
  })
})

describe('latency and rate limit', () => {
  it('delays by a fixed amount or by the recorded medians', async () => {
    const e = await start({ latency: 80 })
    const [, fixed] = await elapsed(() => call(e, 'GET', '/secrets'))
    expect(fixed).toBeGreaterThanOrEqual(75)
    e.setLatency('recorded')
    const [, recorded] = await elapsed(() => call(e, 'GET', '/secrets'))
    expect(recorded).toBeGreaterThanOrEqual(35)
    expect(recorded).toBeLessThan(600)
    e.setLatency('off')
    const [, off] = await elapsed(() => call(e, 'GET', '/secrets'))
    expect(off).toBeLessThan(50)
  })

  it('answers bare 429s over the limit and recovers', async () => {
    const e = await start({ rateLimit: 5 })
    const burst = await Promise.all(Array.from({ length: 20 }, () => call(e, 'GET', '/secrets')))
    const limited = burst.filter((r) => r.status === 429)
    expect(burst.filter((r) => r.status === 200)).toHaveLength(5)
    expect(limited).toHaveLength(15)
    for (const r of limited) {
      expect(r.text).toBe('')
      expect(r.headers.get('x-envoy-ratelimited')).toBe('true')
    }
    await new Promise((r) => setTimeout(r, 250))
    expect((await call(e, 'GET', '/secrets')).status).toBe(200)
    e.setRateLimit(undefined)
    const free = await Promise.all(Array.from({ length: 20 }, () => call(e, 'GET', '/secrets')))
    expect(free.every((r) => r.status === 200)).toBe(true)
  })
})

describe('counters', () => {
  it('counts requests per route template, and resets', async () => {
    const e = await start()
    const id = (await createSecret(e)).json.id
    await call(e, 'POST', `/secrets/${id}/versions`, { body: { data: 'eA==' } })
    await call(e, 'GET', `/secrets/${id}/versions/1/access`)
    await call(e, 'GET', `/secrets/${id}/versions/latest/access`)
    await call(e, 'GET', '/secrets')
    await call(e, 'GET', '/nowhere')
    expect(e.counts()).toEqual({
      total: 6,
      'POST /secrets': 1,
      'POST /secrets/{id}/versions': 1,
      'GET /secrets/{id}/versions/{rev}/access': 2,
      'GET /secrets': 1,
      'GET (unmatched)': 1,
    })
    e.resetCounts()
    expect(e.counts()).toEqual({ total: 0 })
  })
})
