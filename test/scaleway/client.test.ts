import { crc32 } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { createSecretApi, type SecretApiOptions } from '../../src/scaleway/client.js'
import { ApiError } from '../../src/scaleway/errors.js'
import type { RetryEvent } from '../../src/scaleway/http.js'
import type { Answer } from '../../src/scaleway/transport.js'
import {
  API_PREFIX,
  accessBody,
  answer,
  DUPLICATE_NAME,
  deniedAuth,
  NOT_FOUND,
  PERMISSION_DENIED,
  PROJECT_ID,
  PROTECTED,
  SECRET_ID,
  secretBody,
  versionBody,
} from './bodies.js'
import {
  bare429,
  delayed,
  dropConnection,
  json,
  noContent,
  type ScriptedServer,
  type Step,
  script,
  stall,
  startServer,
} from './server.js'
import { VirtualTime } from './virtual-time.js'

const SECRET_KEY = 'c4a2a7e1-7e57-4bad-beef-00000000c0de'
const ACCESS_KEY = 'SCWXXXXXXXXXXXXXXXXX'

let server: ScriptedServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function setup(handler: Step, overrides: Partial<SecretApiOptions> = {}) {
  server = await startServer(handler)
  const events: RetryEvent[] = []
  const client = createSecretApi({
    region: 'fr-par',
    projectId: PROJECT_ID,
    secretKey: SECRET_KEY,
    apiUrl: `${server.url}/`,
    concurrency: 4,
    rateLimit: 0,
    timeoutMs: 2_000,
    maxRetries: 3,
    onRetry: (e) => events.push(e),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  })
  return { ...client, events, server }
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`)
  return error
}

function path(url: string): string {
  return new URL(url, 'http://x').pathname.replace(API_PREFIX, '')
}

function query(url: string): URLSearchParams {
  return new URL(url, 'http://x').searchParams
}

describe('createSecretApi through the real SDK', () => {
  it('lists a page of secrets with the query it was given', async () => {
    const { api, server } = await setup(
      json(200, { secrets: [secretBody(), secretBody({ id: 'b', key_id: null })], total_count: 7 }),
    )
    const page = await api.listSecrets({ path: '/app', tags: ['a', 'b'], type: 'opaque' }, 2, 2)
    expect(page.totalCount).toBe(7)
    expect(page.items).toHaveLength(2)
    expect(page.items[0]).toMatchObject({
      id: SECRET_ID,
      name: 'secretVersionNameBasic',
      path: '/',
    })
    expect(page.items[0]?.createdAt).toEqual(new Date('2026-07-03T15:27:59.863920Z'))
    // The wire's nulls do not leak through as values typed `string | undefined`.
    expect(page.items[0]).not.toHaveProperty('keyId')
    const [req] = server.requests
    expect(req?.method).toBe('GET')
    expect(path(req?.url ?? '')).toBe('/secrets')
    const q = query(req?.url ?? '')
    expect(q.get('project_id')).toBe(PROJECT_ID)
    expect(q.get('page')).toBe('2')
    expect(q.get('page_size')).toBe('2')
    expect(q.get('path')).toBe('/app')
    expect(q.getAll('tags')).toEqual(['a', 'b'])
    expect(q.get('type')).toBe('opaque')
    expect(q.get('scheduled_for_deletion')).toBe('false')
    expect(q.get('order_by')).toBe('created_at_asc')
    expect(server.requests).toHaveLength(1)
  })

  it('authenticates with the secret key only', async () => {
    const { api, server } = await setup(json(200, secretBody()))
    await api.protectSecret(SECRET_ID)
    const headers = server.requests[0]?.headers ?? {}
    expect(headers['x-auth-token']).toBe(SECRET_KEY)
    expect(JSON.stringify(headers)).not.toContain(ACCESS_KEY)
  })

  it('reads versions, newest first as the API sends them', async () => {
    const versions = [versionBody(2), versionBody(1, { latest: false, status: 'disabled' })]
    const { api, server } = await setup(json(200, { versions, total_count: 2 }))
    const page = await api.listVersions(SECRET_ID, 1, 50)
    expect(page.items.map((v) => [v.revision, v.status, v.latest])).toEqual([
      [2, 'enabled', true],
      [1, 'disabled', false],
    ])
    expect(path(server.requests[0]?.url ?? '')).toBe(`/secrets/${SECRET_ID}/versions`)
    expect(query(server.requests[0]?.url ?? '').get('page_size')).toBe('50')
  })

  it('gets a version by alias', async () => {
    const { api, server } = await setup(json(200, versionBody(3)))
    const version = await api.getVersion(SECRET_ID, 'latest_enabled')
    expect(version.revision).toBe(3)
    expect(path(server.requests[0]?.url ?? '')).toBe(
      `/secrets/${SECRET_ID}/versions/latest_enabled`,
    )
  })

  it('decodes an accessed payload and verifies its CRC32', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 10])
    const b64 = Buffer.from(bytes).toString('base64')
    const { api, server } = await setup(json(200, accessBody(b64, crc32(bytes), 4)))
    const payload = await api.accessVersion(SECRET_ID, 4)
    expect(payload.data).toEqual(bytes)
    expect(payload.dataCrc32).toBe(crc32(bytes))
    expect(payload.revision).toBe(4)
    expect(payload.type).toBe('opaque')
    expect(path(server.requests[0]?.url ?? '')).toBe(`/secrets/${SECRET_ID}/versions/4/access`)
  })

  it('accepts a payload without checksum', async () => {
    const { api } = await setup(json(200, accessBody('bXlfc3VwZXJfc2VjcmV0', null)))
    const payload = await api.accessVersion(SECRET_ID, 1)
    expect(Buffer.from(payload.data).toString()).toBe('my_super_secret')
    expect(payload).not.toHaveProperty('dataCrc32')
  })

  it('refuses a payload whose CRC32 does not match', async () => {
    const data = Buffer.from('my_super_secret')
    const { api } = await setup(
      json(200, accessBody(data.toString('base64'), (crc32(data) ^ 1) >>> 0)),
    )
    const error = await rejection(api.accessVersion(SECRET_ID, 1))
    expect(error.kind).toBe('integrity')
    expect(error.message).toMatch(/does not match its CRC32/)
    expect(error.message).not.toContain('my_super_secret')
    expect(error.message).not.toContain(data.toString('base64'))
  })

  it('refuses a payload that is not base64', async () => {
    const { api } = await setup(json(200, accessBody('bm90!!base64', null)))
    expect((await rejection(api.accessVersion(SECRET_ID, 1))).kind).toBe('integrity')
  })

  it('creates a version with base64 data and its CRC32', async () => {
    const bytes = new TextEncoder().encode('{"user":"x","password":"y"}')
    const { api, server } = await setup(json(200, versionBody(1)))
    const version = await api.createVersion(SECRET_ID, bytes, 'restored')
    expect(version).toMatchObject({ revision: 1, status: 'enabled', latest: true })
    const sent = JSON.parse(server.requests[0]?.body ?? '{}')
    expect(sent).toEqual({
      data: Buffer.from(bytes).toString('base64'),
      data_crc32: crc32(bytes),
      description: 'restored',
    })
    expect(path(server.requests[0]?.url ?? '')).toBe(`/secrets/${SECRET_ID}/versions`)
  })

  it('creates a secret with every field', async () => {
    const { api, server } = await setup(json(200, secretBody({ protected: true })))
    const secret = await api.createSecret({
      name: 'db',
      path: '/app',
      type: 'key_value',
      tags: [],
      protected: true,
      ephemeralPolicy: { action: 'disable', timeToLive: '1800s', expiresOnceAccessed: false },
    })
    expect(secret.protected).toBe(true)
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).toEqual({
      project_id: PROJECT_ID,
      name: 'db',
      path: '/app',
      type: 'key_value',
      tags: [],
      protected: true,
      ephemeral_policy: { action: 'disable', time_to_live: '1800s', expires_once_accessed: false },
    })
  })

  it('drives the state-changing calls to the right routes', async () => {
    const { api, server, stats } = await setup((res, req) => {
      if (req.method === 'DELETE') return noContent()(res, req)
      if (req.url.includes('/versions/')) return json(200, versionBody(2))(res, req)
      return json(200, secretBody())(res, req)
    })
    await api.updateSecret(SECRET_ID, { tags: ['x'], description: 'd' })
    await api.protectSecret(SECRET_ID)
    await api.restoreSecret(SECRET_ID)
    await api.enableVersion(SECRET_ID, 2)
    await api.disableVersion(SECRET_ID, 2)
    await expect(api.deleteVersion(SECRET_ID, 2)).resolves.toBeUndefined()
    await api.restoreVersion(SECRET_ID, 2)
    expect(server.requests.map((r) => `${r.method} ${path(r.url)}`)).toEqual([
      `PATCH /secrets/${SECRET_ID}`,
      `POST /secrets/${SECRET_ID}/protect`,
      `POST /secrets/${SECRET_ID}/restore`,
      `POST /secrets/${SECRET_ID}/versions/2/enable`,
      `POST /secrets/${SECRET_ID}/versions/2/disable`,
      `DELETE /secrets/${SECRET_ID}/versions/2`,
      `POST /secrets/${SECRET_ID}/versions/2/restore`,
    ])
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ tags: ['x'], description: 'd' })
    expect(stats.count('write')).toBe(7)
  })

  it('counts requests by route and class', async () => {
    const bytes = Buffer.from('x')
    const { api, stats } = await setup((res, req) => {
      if (req.url.includes('/access')) {
        return json(200, accessBody(bytes.toString('base64'), crc32(bytes)))(res, req)
      }
      if (req.url.includes('/versions'))
        return json(200, { versions: [], total_count: 0 })(res, req)
      return json(200, { secrets: [], total_count: 0 })(res, req)
    })
    await api.listSecrets({}, 1, 100)
    await api.listVersions(SECRET_ID, 1, 100)
    await api.accessVersion(SECRET_ID, 1)
    await api.accessVersion(SECRET_ID, 2)
    expect(stats.byRoute).toEqual({
      'GET /secrets': 1,
      'GET /secrets/{id}/versions': 1,
      'GET /secrets/{id}/versions/{rev}/access': 2,
    })
    expect([
      stats.requests,
      stats.count('read'),
      stats.count('access'),
      stats.count('write'),
    ]).toEqual([4, 2, 2, 0])
    expect(stats.summary()).toBe(
      '4 API requests (2 reads, 2 accesses, 0 writes), 0 retries, 0 rate-limited; ' +
        'GET /secrets: 1, GET /secrets/{id}/versions: 1, GET /secrets/{id}/versions/{rev}/access: 2',
    )
  })
})

describe('errors through the real SDK', () => {
  it('401 -> auth', async () => {
    const { api } = await setup(json(401, deniedAuth('expired')))
    const error = await rejection(api.listSecrets({}, 1, 10))
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/the API key has expired/)
  })

  it('403 -> permission, naming the set for the operation', async () => {
    const { api } = await setup(json(403, PERMISSION_DENIED))
    const error = await rejection(api.accessVersion(SECRET_ID, 1))
    expect(error.kind).toBe('permission')
    expect(error.message).toContain('SecretManagerSecretAccess')
    const restore = await rejection(api.restoreVersion(SECRET_ID, 1))
    expect(restore.message).toContain('SecretManagerSecretRestore')
  })

  it('404 on the list -> wrong project or region', async () => {
    const { api } = await setup(json(404, NOT_FOUND))
    const error = await rejection(api.listSecrets({}, 1, 10))
    expect(error.kind).toBe('not_found')
    expect(error.message).toContain(PROJECT_ID)
    expect(error.message).toContain('fr-par')
  })

  it('404 on a secret -> it no longer exists', async () => {
    const { api } = await setup(json(404, NOT_FOUND))
    const error = await rejection(api.protectSecret(SECRET_ID))
    expect(error.message).toContain(`Secret ${SECRET_ID} no longer exists`)
  })

  it('412 -> precondition', async () => {
    const { api } = await setup(json(412, PROTECTED))
    expect((await rejection(api.deleteVersion(SECRET_ID, 1))).kind).toBe('precondition')
  })

  it('400 duplicate -> invalid, recognisable as a duplicate', async () => {
    const { api } = await setup(json(400, DUPLICATE_NAME))
    const error = await rejection(
      api.createSecret({ name: 'db', path: '/', type: 'opaque', tags: [], protected: false }),
    )
    expect(error.kind).toBe('invalid')
    expect(error.message).toMatch(/a secret with this name already exists at this path/)
  })

  it('bare 429s until retrying stops -> rate_limited naming the operation', async () => {
    const { api, stats, events } = await setup(bare429(), {
      maxRetries: 2,
      retry: { baseDelayMs: 1, maxDelayMs: 5, maxRateLimited: 6 },
    })
    const error = await rejection(api.protectSecret(SECRET_ID))
    expect(error.kind).toBe('rate_limited')
    expect(error.facts.operation).toBe('protectSecret')
    expect(error.message).toMatch(
      new RegExp(`^Could not protect secret ${SECRET_ID} .*after 7 attempt`),
    )
    expect(stats.rateLimited).toBe(7)
    expect(events).toHaveLength(6)
  })

  it('429s do not use up max_retries', async () => {
    const { api, stats, server } = await setup(
      script(bare429(), bare429(), bare429(), json(200, versionBody(1))),
      { maxRetries: 0 },
    )
    const version = await api.createVersion(SECRET_ID, new Uint8Array([1]))
    expect(version.revision).toBe(1)
    expect(server.requests).toHaveLength(4)
    expect(stats.rateLimited).toBe(3)
  })

  it('a lost answer to a new version -> ambiguous_write, not retried', async () => {
    const { api, server } = await setup(script(dropConnection(), json(200, versionBody(1))))
    const error = await rejection(api.createVersion(SECRET_ID, new Uint8Array([1])))
    expect(error.kind).toBe('ambiguous_write')
    expect(error.facts.operation).toBe('createVersion')
    expect(error.message).toMatch(/^Could not create a version of secret .*check the current state/)
    expect(server.requests).toHaveLength(1)
  })

  it('reports an answer the SDK cannot read (wrong Content-Type) as a server error', async () => {
    const { api } = await setup((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify(secretBody()))
    })
    expect((await rejection(api.protectSecret(SECRET_ID))).kind).toBe('server')
  })

  it('rejects rather than throws on an empty secret id', async () => {
    const { api, server } = await setup(json(200, secretBody()))
    let promise: Promise<unknown> | undefined
    expect(() => {
      promise = api.protectSecret('')
    }).not.toThrow()
    expect((await rejection(promise ?? Promise.resolve())).kind).toBe('invalid')
    expect(server.requests).toHaveLength(0)
  })

  it('leaves a malformed key to the server, quoting it nowhere', async () => {
    // The SDK's own profile check would quote a key it dislikes: it never sees the key.
    const { api, server } = await setup(json(401, deniedAuth('invalid_argument')), {
      secretKey: 'not-a-uuid-canary',
    })
    const error = await rejection(api.listSecrets({}, 1, 10))
    expect(error.kind).toBe('auth')
    expect(`${error.message}${error.stack}`).not.toContain('not-a-uuid-canary')
    expect(server.requests[0]?.headers['x-auth-token']).toBe('not-a-uuid-canary')
  })
})

describe('shared concurrency limit', () => {
  it('never lets more than `concurrency` calls reach the server at once', async () => {
    const { api, server } = await setup(delayed(30, json(200, secretBody())), { concurrency: 3 })
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? api.protectSecret(SECRET_ID) : api.getVersion(SECRET_ID, 1),
    )
    await Promise.allSettled(calls)
    expect(server.requests).toHaveLength(20)
    expect(server.maxInFlight).toBe(3)
  })
})

describe('secret key canary', () => {
  it('never shows up in an error message or a retry event', async () => {
    const steps: Record<string, Step> = {
      auth: json(401, deniedAuth('invalid_argument')),
      perm: json(403, PERMISSION_DENIED),
      missing: json(404, NOT_FOUND),
      dup: json(400, DUPLICATE_NAME),
      limited: bare429(),
      drop: dropConnection(),
      slow: stall(),
      // A server that echoes the token back must not get it into our messages either.
      echo: (res, req) => {
        const token = String(req.headers['x-auth-token'])
        json(400, {
          type: 'invalid_arguments',
          message: token,
          details: [{ argument_name: 'name', reason: 'format', help_message: `bad ${token}` }],
        })(res, req)
      },
      echo500: (res, req) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(String(req.headers['x-auth-token']))
      },
    }
    const messages: string[] = []
    const allEvents: RetryEvent[] = []
    for (const step of Object.values(steps)) {
      const { api, events, server } = await setup(step, { timeoutMs: 100, maxRetries: 1 })
      const results = await Promise.allSettled([
        api.listSecrets({ name: 'n' }, 1, 10),
        api.accessVersion(SECRET_ID, 1),
        api.createSecret({ name: 'n', path: '/', type: 'opaque', tags: [], protected: false }),
        api.createVersion(SECRET_ID, new TextEncoder().encode('payload-canary')),
      ])
      for (const result of results) {
        expect(result.status).toBe('rejected')
        if (result.status === 'rejected') {
          expect(result.reason).toBeInstanceOf(ApiError)
          const error = result.reason as Error
          messages.push(String(error), error.stack ?? '', String(error.cause ?? ''))
          messages.push(JSON.stringify(error))
        }
      }
      allEvents.push(...events)
      expect(server.requests.every((r) => r.headers['x-auth-token'] === SECRET_KEY)).toBe(true)
      await server.close()
    }
    expect(allEvents.length).toBeGreaterThan(0)
    const everything = [...messages, JSON.stringify(allEvents)].join('\n')
    expect(everything).not.toContain(SECRET_KEY)
    expect(everything).not.toContain('payload-canary')
    expect(everything).not.toContain(Buffer.from('payload-canary').toString('base64'))
  })
})

describe('pacing', () => {
  /** A client on virtual time whose transport answers at once, noting when each attempt left. */
  function pacedClient(rateLimit: number, answers: () => Answer) {
    const clock = new VirtualTime()
    const sent: number[] = []
    const client = createSecretApi({
      region: 'fr-par',
      projectId: PROJECT_ID,
      secretKey: SECRET_KEY,
      apiUrl: 'http://127.0.0.1:9',
      concurrency: 64,
      rateLimit,
      timeoutMs: 2_000,
      maxRetries: 3,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      transport: async () => {
        sent.push(clock.now())
        return answers()
      },
    })
    return { ...client, clock, sent }
  }

  const ok = () => answer(200, secretBody())

  it('spreads 50 calls at 20 per second: a burst of 10 (half a second), then one every 50 ms', async () => {
    const { api, clock, sent } = pacedClient(20, ok)
    const calls = Array.from({ length: 50 }, () => api.protectSecret(SECRET_ID))
    await clock.run(Promise.all(calls))
    expect(sent).toHaveLength(50)
    expect(sent.filter((at) => at === 0)).toHaveLength(10)
    expect(Math.max(...sent)).toBeGreaterThanOrEqual(1_950)
    // No second holds more than the burst plus the rate.
    for (const start of sent) {
      expect(sent.filter((at) => at >= start && at < start + 1_000).length).toBeLessThanOrEqual(30)
    }
  })

  it('does not pace at all with rate 0', async () => {
    const { api, clock, sent } = pacedClient(0, ok)
    await clock.run(Promise.all(Array.from({ length: 50 }, () => api.protectSecret(SECRET_ID))))
    expect(sent.every((at) => at === 0)).toBe(true)
  })

  it('takes a token for every retry too', async () => {
    let answered = 0
    const { api, clock, sent, stats } = pacedClient(1, () => {
      answered += 1
      return answered <= 2 ? answer(429) : ok()
    })
    await clock.run(api.protectSecret(SECRET_ID))
    // One token at start (burst 1), then one a second: the backoff (125 ms, 250 ms) is
    // shorter than the wait for the next token.
    expect(sent).toEqual([0, 1_000, 2_000])
    expect(stats.rateLimited).toBe(2)
  })
})
