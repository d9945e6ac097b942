import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../src/scaleway/errors.js'
import { createRetryingFetch, type RetryEvent } from '../../src/scaleway/http.js'
import { retryPolicy } from '../../src/scaleway/retry.js'
import { StatsRecorder } from '../../src/scaleway/stats.js'
import { API_PREFIX, answer, SECRET_ID, secretBody } from './bodies.js'
import {
  bare429,
  dropConnection,
  dropMidResponse,
  json,
  type ScriptedServer,
  type Step,
  script,
  stall,
  startServer,
  status,
} from './server.js'
import { VirtualTime } from './virtual-time.js'

const CANARY_KEY = '6f1c2a0e-canary-4b4b-9e9e-000000c4a2a7'

let server: ScriptedServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

interface Harness {
  fetch: typeof fetch
  stats: StatsRecorder
  events: RetryEvent[]
  sleeps: number[]
  server: ScriptedServer
}

interface HarnessOptions {
  maxRetries?: number
  maxRateLimited?: number
  timeoutMs?: number
  pace?: () => Promise<void>
}

async function harness(steps: Step[], options: HarnessOptions = {}): Promise<Harness> {
  server = await startServer(script(...steps))
  const stats = new StatsRecorder()
  const events: RetryEvent[] = []
  const sleeps: number[] = []
  const limited =
    options.maxRateLimited === undefined ? {} : { maxRateLimited: options.maxRateLimited }
  const fetchFn = createRetryingFetch({
    policy: retryPolicy(options.maxRetries ?? 3, { baseDelayMs: 5, maxDelayMs: 20, ...limited }),
    pace: options.pace,
    timeoutMs: options.timeoutMs ?? 2_000,
    stats,
    onRetry: (e) => events.push(e),
    sleep: async (ms) => {
      sleeps.push(ms)
    },
  })
  return { fetch: fetchFn, stats, events, sleeps, server }
}

function request(h: Harness, method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = {
    method,
    headers: { 'X-Auth-Token': CANARY_KEY, 'Content-Type': 'application/json; charset=utf-8' },
  }
  if (body !== undefined) init.body = JSON.stringify(body)
  return h.fetch(new Request(`${h.server.url}${API_PREFIX}${path}`, init))
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`)
  return error
}

describe('retrying fetch against a scripted server', () => {
  it('rides out bare 429s and counts them', async () => {
    const h = await harness([bare429(), bare429(), json(200, secretBody())])
    const response = await request(h, 'GET', `/secrets/${SECRET_ID}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toMatchObject({ id: SECRET_ID })
    expect(h.server.requests).toHaveLength(3)
    expect(h.stats.requests).toBe(3)
    expect(h.stats.retries).toBe(2)
    expect(h.stats.rateLimited).toBe(2)
    expect(h.stats.byRoute).toEqual({ 'GET /secrets/{id}': 3 })
    expect(h.events.map((e) => [e.reason, e.attempt, e.status])).toEqual([
      ['rate_limited', 1, 429],
      ['rate_limited', 2, 429],
    ])
    expect(h.events.every((e) => e.route === 'GET /secrets/{id}')).toBe(true)
  })

  it('retries a 500, resending the same body', async () => {
    const h = await harness([status(500), json(200, secretBody())])
    const response = await request(h, 'PATCH', `/secrets/${SECRET_ID}`, { tags: ['a'] })
    expect(response.status).toBe(200)
    expect(h.server.requests.map((r) => r.body)).toEqual(['{"tags":["a"]}', '{"tags":["a"]}'])
    expect(h.stats.retries).toBe(1)
    expect(h.stats.count('write')).toBe(2)
    expect(h.events[0]).toMatchObject({ reason: 'server', status: 500 })
  })

  it('retries a GET whose answer is cut off halfway', async () => {
    const h = await harness([dropMidResponse(secretBody()), json(200, secretBody())])
    const response = await request(h, 'GET', `/secrets/${SECRET_ID}`)
    expect(await response.json()).toMatchObject({ id: SECRET_ID })
    expect(h.server.requests).toHaveLength(2)
    expect(h.events[0]?.reason).toBe('network')
  })

  it('retries a GET whose connection drops before any answer', async () => {
    const h = await harness([dropConnection(), json(200, secretBody())])
    const response = await request(h, 'GET', `/secrets/${SECRET_ID}`)
    expect(response.status).toBe(200)
    expect(h.events[0]).toMatchObject({ reason: 'network' })
    expect(h.events[0]?.networkCode).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/)
  })

  it('does not repeat a POST /secrets whose connection died after the server read it', async () => {
    const h = await harness([dropConnection(), json(200, secretBody())])
    const error = await rejection(request(h, 'POST', '/secrets', { name: 'db', path: '/' }))
    expect(error.kind).toBe('ambiguous_write')
    expect(error.kind).toBe('ambiguous_write')
    expect(error.facts.route).toBe('POST /secrets')
    expect(error.message).toMatch(/may or may not have been applied/)
    expect(h.server.requests).toHaveLength(1)
    expect(h.server.requests[0]?.body).toContain('"name":"db"')
    expect(h.stats.retries).toBe(0)
    expect(h.events).toEqual([])
  })

  it('does not repeat a new version after a 5xx: it may have been written', async () => {
    const path = `/secrets/${SECRET_ID}/versions`
    const strict = await harness([status(503), json(200, {})])
    const error = await rejection(request(strict, 'POST', path, { data: 'eA==' }))
    expect(error.kind).toBe('ambiguous_write')
    expect(error.status).toBe(503)
    expect(strict.server.requests).toHaveLength(1)
  })

  it('repeats creates refused with a 429: the gateway never passed them on', async () => {
    const h = await harness([bare429(), json(200, secretBody())])
    expect((await request(h, 'POST', '/secrets', { name: 'db' })).status).toBe(200)
    expect(h.server.requests).toHaveLength(2)
  })

  it('repeats idempotent POSTs after a dropped connection', async () => {
    const h = await harness([dropConnection(), json(200, secretBody({ protected: true }))])
    const response = await request(h, 'POST', `/secrets/${SECRET_ID}/protect`, {})
    expect(response.status).toBe(200)
    expect(h.server.requests).toHaveLength(2)
  })

  it('times out a stalled request and tries again', async () => {
    const h = await harness([stall(), json(200, secretBody())], { timeoutMs: 150 })
    const started = Date.now()
    const response = await request(h, 'GET', `/secrets/${SECRET_ID}`)
    expect(response.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(h.events).toEqual([
      expect.objectContaining({ reason: 'timeout', attempt: 1, route: 'GET /secrets/{id}' }),
    ])
  })

  it('reports a create that timed out as ambiguous', async () => {
    const h = await harness([stall(), json(200, secretBody())], { timeoutMs: 100 })
    const error = await rejection(request(h, 'POST', `/secrets/${SECRET_ID}/versions`, {}))
    expect(error.kind).toBe('ambiguous_write')
    expect(error.message).toMatch(/no answer in 100 ms/)
    expect(h.server.requests).toHaveLength(1)
  })

  it('gives up with a clear error once retries are exhausted', async () => {
    const h = await harness([status(503)], { maxRetries: 2 })
    const error = await rejection(request(h, 'GET', '/secrets?project_id=x'))
    expect(error.kind).toBe('server')
    expect(error.status).toBe(503)
    expect(error.facts.attempts).toBe(3)
    expect(error.facts.gaveUp).toBe('attempts')
    expect(error.message).toMatch(
      /^GET \/secrets failed: Scaleway answered HTTP 503 after 3 attempt/,
    )
    expect(h.server.requests).toHaveLength(3)
    expect(h.stats.retries).toBe(2)
  })

  it('names rate limiting when 429s never stop', async () => {
    const h = await harness([bare429()], { maxRetries: 1, maxRateLimited: 4 })
    const error = await rejection(request(h, 'GET', `/secrets/${SECRET_ID}`))
    expect(error.kind).toBe('rate_limited')
    expect(error.message).toMatch(/rate limited .*lower rate_limit or concurrency/)
    // Not the 2 attempts maxRetries allows: 429s only hit the safety cap.
    expect(error.facts.attempts).toBe(5)
    expect(h.stats.rateLimited).toBe(5)
  })

  it('does not spend the retries on 429s: the gateway did nothing', async () => {
    const h = await harness([bare429(), bare429(), bare429(), json(200, secretBody())], {
      maxRetries: 0,
    })
    expect((await request(h, 'POST', '/secrets', { name: 'db' })).status).toBe(200)
    expect(h.server.requests).toHaveLength(4)
    expect(h.stats.rateLimited).toBe(3)
  })

  it('still counts 5xx among 429s against the retries', async () => {
    const h = await harness([bare429(), status(503), bare429(), status(503), json(200, {})], {
      maxRetries: 1,
    })
    const error = await rejection(request(h, 'GET', `/secrets/${SECRET_ID}`))
    expect(error.kind).toBe('server')
    expect(error.facts.attempts).toBe(4)
    expect(h.server.requests).toHaveLength(4)
  })

  it('paces every attempt, retries included', async () => {
    let paced = 0
    const h = await harness([bare429(), status(502), json(200, secretBody())], {
      pace: async () => {
        paced += 1
      },
    })
    expect((await request(h, 'GET', `/secrets/${SECRET_ID}`)).status).toBe(200)
    expect(paced).toBe(3)
    expect(h.server.requests).toHaveLength(3)
  })

  it('honours Retry-After, in seconds or as a date', async () => {
    const inTwoSeconds = new Date(Date.now() + 2_000).toUTCString()
    const h = await harness([
      status(503, { 'Retry-After': '1' }),
      bare429(),
      status(429, { 'Retry-After': inTwoSeconds }),
      json(200, secretBody()),
    ])
    expect((await request(h, 'GET', `/secrets/${SECRET_ID}`)).status).toBe(200)
    expect(h.sleeps[0]).toBe(1_000)
    expect(h.sleeps[1]).toBeLessThanOrEqual(10)
    expect(h.sleeps[2]).toBeGreaterThan(500)
    expect(h.sleeps[2]).toBeLessThanOrEqual(2_000)
  })

  it('hands back client errors at once', async () => {
    const h = await harness([json(404, { type: 'not_found' }), json(200, {})])
    expect((await request(h, 'GET', `/secrets/${SECRET_ID}`)).status).toBe(404)
    expect(h.server.requests).toHaveLength(1)
  })

  it('passes a 204 through with no body', async () => {
    const h = await harness([
      (res) => {
        res.writeHead(204)
        res.end()
      },
    ])
    const response = await request(h, 'DELETE', `/secrets/${SECRET_ID}/versions/1`)
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
  })

  it('never hands the secret key or a body to onRetry', async () => {
    const h = await harness([status(502), dropConnection(), stall(), json(200, {})], {
      timeoutMs: 100,
    })
    await request(h, 'PATCH', `/secrets/${SECRET_ID}`, { description: 'payload-canary' })
    expect(h.events).toHaveLength(3)
    const reported = JSON.stringify(h.events)
    expect(reported).not.toContain(CANARY_KEY)
    expect(reported).not.toContain('payload-canary')
    expect(h.server.requests.every((r) => r.headers['x-auth-token'] === CANARY_KEY)).toBe(true)
  })
})

describe('retrying fetch with a scripted transport', () => {
  it('repeats a create whose connection was refused: it never left', async () => {
    let calls = 0
    const fetchFn = createRetryingFetch({
      policy: retryPolicy(2, { baseDelayMs: 1 }),
      timeoutMs: 1_000,
      stats: new StatsRecorder(),
      sleep: async () => undefined,
      transport: async () => {
        calls += 1
        if (calls === 1) {
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
            code: 'ECONNREFUSED',
          })
        }
        return answer(200, {})
      },
    })
    const response = await fetchFn(
      'http://127.0.0.1:9/secret-manager/v1beta1/regions/fr-par/secrets',
      {
        method: 'POST',
        body: '{}',
      },
    )
    expect(response.status).toBe(200)
    expect(calls).toBe(2)
  })

  it('rethrows errors that are not transport failures, untouched', async () => {
    const bug = new RangeError('bug in a transport double')
    const fetchFn = createRetryingFetch({
      policy: retryPolicy(3),
      timeoutMs: 1_000,
      stats: new StatsRecorder(),
      transport: async () => {
        throw bug
      },
    })
    await expect(fetchFn('http://127.0.0.1:9/x')).rejects.toBe(bug)
  })

  it('bounds endless 429s by the time budget, not by maxRetries', async () => {
    const clock = new VirtualTime()
    let attempts = 0
    const fetchFn = createRetryingFetch({
      policy: retryPolicy(2, { baseDelayMs: 250, maxDelayMs: 2_000, maxTotalMs: 20_000 }),
      timeoutMs: 10_000,
      stats: new StatsRecorder(),
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      transport: async () => {
        attempts += 1
        return answer(429)
      },
    })
    const error = await clock.run(rejection(fetchFn('http://127.0.0.1:9/x')))
    expect(error.kind).toBe('rate_limited')
    expect(error.facts.gaveUp).toBe('time')
    // Backoffs of 125, 250, 500 ms, then 1 s each (half the 2 s cap): 22 retries fit
    // in 20 s, where maxRetries alone would have stopped after 2.
    expect(attempts).toBe(23)
    expect(error.facts.attempts).toBe(23)
    expect(clock.now()).toBe(19_875)
  })

  it('stays within attempts, cap and time budget whatever the randomness', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 3_000 }),
        async (maxRetries, baseDelayMs, maxDelayMs, maxTotalMs, r, attemptMs) => {
          let clock = 0
          let attempts = 0
          const sleeps: number[] = []
          const fetchFn = createRetryingFetch({
            policy: retryPolicy(maxRetries, { baseDelayMs, maxDelayMs, maxTotalMs }),
            timeoutMs: 10_000,
            stats: new StatsRecorder(),
            now: () => clock,
            random: () => r,
            sleep: async (ms) => {
              sleeps.push(ms)
              clock += ms
            },
            transport: async () => {
              attempts += 1
              clock += attemptMs
              return answer(503)
            },
          })
          const error = await rejection(fetchFn('http://127.0.0.1:9/x'))
          expect(error.kind).toBe('server')
          expect(attempts).toBeLessThanOrEqual(maxRetries + 1)
          expect(error.facts.attempts).toBe(attempts)
          expect(sleeps.every((ms) => ms >= 0 && ms <= maxDelayMs)).toBe(true)
          expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(maxTotalMs)
        },
      ),
      { numRuns: 200 },
    )
  })
})
