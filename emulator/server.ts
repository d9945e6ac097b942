// The HTTP front: counting, gateway rate limit, fault injection, latency, authentication and
// authorisation, then the route handler. Every answer carries X-Request-Id and, except the
// gateway's bare 429, `Content-Type: application/json` exactly (the JS SDK parses nothing else).

import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Fields, parseJsonBody } from './body.js'
import type { Reply, RequestContext } from './context.js'
import {
  ApiError,
  internalError,
  invalidArgument,
  type JsonObject,
  permissionsDenied,
  routeNotFound,
} from './errors.js'
import { DEFAULT_STALL_MS, drawFault, type Fault, type FaultSpec } from './faults.js'
import type { KeyRing } from './keys.js'
import { delayFor, type LatencyMode } from './latency.js'
import type { Random } from './prng.js'
import type { TokenBucket } from './rate-limit.js'
import { type Match, resolve, routeKey } from './router.js'
import { isWrite } from './routes.js'
import type { SecretStore } from './store.js'
import { isRegion, REGIONS } from './types.js'

const MAX_BODY_BYTES = 1024 * 1024
const SERVER_ERRORS = [500, 502, 503, 504] as const

export interface ServerDeps {
  store: SecretStore
  keys: KeyRing
  random: Random
  defaultPageSize: number
  log: (line: string) => void
}

export interface Controls {
  faults: FaultSpec
  latency: LatencyMode
  bucket: TokenBucket | undefined
}

interface Outcome {
  status: number
  body: JsonObject | undefined
}

const readBody = async (req: IncomingMessage): Promise<Buffer | 'too-large'> => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer)
  }
  return size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)
}

const headerValue = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

const writeJson = (res: ServerResponse, requestId: string, outcome: Outcome): void => {
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'X-Request-Id': requestId,
  }
  if (outcome.status === 204 || outcome.body === undefined) {
    res.writeHead(outcome.status, headers)
    res.end()
    return
  }
  const text = Buffer.from(JSON.stringify(outcome.body))
  res.writeHead(outcome.status, { ...headers, 'Content-Length': text.length })
  res.end(text)
}

const writeBare429 = (res: ServerResponse, requestId: string): void => {
  res.writeHead(429, {
    'Content-Length': 0,
    'x-envoy-ratelimited': 'true',
    'X-Request-Id': requestId,
  })
  res.end()
}

/** Headers and part of the body, then a dead socket: a reset in the middle of a response. */
const writeTruncated = (res: ServerResponse, requestId: string, outcome: Outcome): void => {
  const text = Buffer.from(outcome.body === undefined ? '' : JSON.stringify(outcome.body))
  res.writeHead(outcome.status, {
    'Content-Type': 'application/json',
    'Content-Length': Math.max(text.length, 2),
    'X-Request-Id': requestId,
  })
  res.write(text.subarray(0, Math.max(1, Math.floor(text.length / 2))), () => res.destroy())
}

export class EmulatorServer {
  readonly http: Server
  readonly counts = new Map<string, number>()
  private readonly closing = new AbortController()

  constructor(
    private readonly deps: ServerDeps,
    readonly controls: Controls,
  ) {
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.crashed(res, error))
    })
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((done, fail) => {
      this.http.once('error', fail)
      this.http.listen(port, host, () => {
        this.http.off('error', fail)
        done()
      })
    })
    return this.http.address() as AddressInfo
  }

  async close(): Promise<void> {
    this.closing.abort()
    const closed = new Promise<void>((done) => this.http.close(() => done()))
    this.http.closeAllConnections()
    await closed
  }

  private count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    this.counts.set('total', (this.counts.get('total') ?? 0) + 1)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID()
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://emulator')
    const resolution = resolve(method, url.pathname)
    const key = resolution.kind === 'match' ? routeKey(resolution.match.route) : resolution.key
    this.count(key)
    const raw = await readBody(req)
    if (this.controls.bucket && !this.controls.bucket.take()) return writeBare429(res, requestId)
    const { controls, deps } = this
    const fault = drawFault(controls.faults, deps.random, isWrite(method))
    // Counted as `fault <kind>` so tests can prove faults really happened.
    if (fault !== 'none') this.count(`fault ${fault}`)
    if (fault === 'tooManyRequests') return writeBare429(res, requestId)
    if (fault === 'serverError') return writeJson(res, requestId, this.serverError())
    if (!(await this.wait(fault, key))) return void res.destroy()
    const outcome =
      resolution.kind === 'match'
        ? this.execute(resolution.match, method, url, raw, req)
        : this.failure(routeNotFound(url.pathname))
    this.deliver(fault, res, requestId, outcome)
  }

  private serverError(): Outcome {
    const index = Math.floor(this.deps.random() * SERVER_ERRORS.length)
    return this.failure(internalError(SERVER_ERRORS[index] ?? 500))
  }

  /** Latency plus any stall; false when the emulator closed meanwhile. */
  private async wait(fault: Fault, key: string): Promise<boolean> {
    const stall = fault === 'stall' ? (this.controls.faults.stallMs ?? DEFAULT_STALL_MS) : 0
    const ms = delayFor(this.controls.latency, key, this.deps.random) + stall
    if (ms <= 0) return true
    try {
      await sleep(ms, undefined, { signal: this.closing.signal })
      return true
    } catch {
      return false
    }
  }

  private deliver(fault: Fault, res: ServerResponse, requestId: string, outcome: Outcome): void {
    if (res.destroyed) return
    if (fault === 'dropAfterWrite') res.destroy()
    else if (fault === 'reset') writeTruncated(res, requestId, outcome)
    else writeJson(res, requestId, outcome)
  }

  private execute(
    match: Match,
    method: string,
    url: URL,
    raw: Buffer | 'too-large',
    req: IncomingMessage,
  ): Outcome {
    try {
      const reply = this.run(match, method, url, raw, req)
      return { status: reply.status, body: reply.body }
    } catch (error) {
      if (error instanceof ApiError) return this.failure(error)
      this.deps.log(`internal error on ${method} ${url.pathname}: ${String(error)}`)
      return this.failure(internalError(500))
    }
  }

  private run(
    match: Match,
    method: string,
    url: URL,
    raw: Buffer | 'too-large',
    req: IncomingMessage,
  ): Reply {
    const { route, region, params } = match
    const principal = this.deps.keys.authenticate(headerValue(req, 'x-auth-token'))
    if (!isRegion(region)) {
      throw invalidArgument('region', 'constraint', `region must be one of ${REGIONS.join(', ')}`)
    }
    if (!principal.can(route.permission)) throw permissionsDenied(route.action, route.resource)
    if (raw === 'too-large')
      throw invalidArgument('body', 'constraint', 'request body is too large')
    const ctx: RequestContext = {
      region,
      params,
      query: url.searchParams,
      body: new Fields(isWrite(method) ? parseJsonBody(raw) : {}),
      principal,
      store: this.deps.store,
      defaultPageSize: this.deps.defaultPageSize,
      requireProject: (projectId) => {
        if (!principal.allowsProject(projectId))
          throw permissionsDenied(route.action, route.resource)
      },
    }
    return route.handler(ctx)
  }

  private failure(error: ApiError): Outcome {
    return { status: error.status, body: error.body }
  }

  private crashed(res: ServerResponse, error: unknown): void {
    this.deps.log(`request failed: ${String(error)}`)
    if (!res.headersSent) res.destroy()
  }
}
