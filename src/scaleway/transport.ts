// One HTTP attempt, whole: the request goes out and the full answer comes back buffered, or
// the attempt fails. Node's http(s) with a keep-alive agent: per call, one ClientRequest and
// the answer's chunks, where fetch (undici) added a Request, a Response, web streams and abort
// signals. Secret Manager bodies are small (payloads cap at 64 KiB): buffering costs nothing.
import http, { type IncomingHttpHeaders } from 'node:http'
import https from 'node:https'

/** What is sent: the SDK's request taken apart once, resent as is on a retry. */
export interface Exchange {
  method: string
  /** `https://host:port`, and `/path?query`. */
  origin: string
  path: string
  headers: Record<string, string>
  body: string | undefined
}

/** Response headers as the SDK reads them: one at a time, by name. */
class AnswerHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
  }
}

/**
 * What came back, read to the end, shaped as the SDK reads a Response (by these members, not
 * by class), body as JSON or text as often as asked: no web Response and stream per call.
 */
export class Answer {
  readonly headers: AnswerHeaders

  constructor(
    readonly status: number,
    readonly statusText: string,
    headers: IncomingHttpHeaders,
    readonly body: Buffer,
  ) {
    this.headers = new AnswerHeaders(headers)
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300
  }
  async text(): Promise<string> {
    return this.body.toString('utf8')
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }
  /** Bodies are buffered and never consumed: a clone can share them. */
  clone(): Answer {
    return this
  }
}

/** No byte moved for the attempt's timeout; only its kind is ever read. */
export class AttemptTimeout extends Error {}

export type Transport = (exchange: Exchange, timeoutMs: number) => Promise<Answer>

/** Idle keep-alive sockets are closed after this, well before a gateway drops them. */
const IDLE_SOCKET_MS = 4_000

interface Target {
  request: typeof http.request
  agent: http.Agent
  hostname: string
  port: string
}

/** Origin -> how to reach it; an API client talks to one origin, parsed once. */
function targetCache() {
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    timeout: IDLE_SOCKET_MS,
    // The most recently used socket first: the others go idle and close, so a burst
    // does not leave a pool of sockets that the server may close under us.
    scheduling: 'lifo',
  }
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) }
  const targets = new Map<string, Target>()
  return (origin: string): Target => {
    let target = targets.get(origin)
    if (target) return target
    const url = new URL(origin)
    const secure = url.protocol === 'https:'
    target = {
      request: secure ? https.request : http.request,
      agent: secure ? agents.https : agents.http,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || (secure ? '443' : '80'),
    }
    targets.set(origin, target)
    return target
  }
}

export function agentTransport(): Transport {
  const targetOf = targetCache()
  return (exchange, timeoutMs) =>
    new Promise<Answer>((resolve, reject) => {
      const target = targetOf(exchange.origin)
      const { agent, hostname, port } = target
      const { method, path, headers, body } = exchange
      const req = target.request({ agent, hostname, port, method, path, headers })
      let settled = false
      const fail = (error: Error) => {
        if (settled) return
        settled = true
        reject(error)
        req.destroy()
      }
      // A socket timeout, reset by every byte: no timer of our own per call.
      req.setTimeout(timeoutMs, () => fail(new AttemptTimeout()))
      req.on('error', fail)
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', fail)
        res.on('aborted', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })))
        res.on('end', () => {
          if (settled) return
          settled = true
          const status = res.statusCode ?? 0
          const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
          resolve(new Answer(status, res.statusMessage ?? '', res.headers, bytes))
        })
      })
      req.end(body)
    })
}
