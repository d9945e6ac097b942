// A loopback HTTP server for the client tests: each request is recorded and answered by
// a handler, typically the next step of a script, so failure sequences can be replayed
// exactly (429s, 5xx, connections dropped before or during the answer, stalls).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

interface Recorded {
  method: string
  /** Path and query, as sent. */
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export type Step = (res: ServerResponse, req: Recorded) => void | Promise<void>

export interface ScriptedServer {
  /** Base URL without trailing slash, for apiUrl. */
  url: string
  requests: Recorded[]
  /** Highest number of requests being handled at the same time. */
  maxInFlight: number
  close(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startServer(handler: Step): Promise<ScriptedServer> {
  let inFlight = 0
  const state: ScriptedServer = {
    url: '',
    requests: [],
    maxInFlight: 0,
    close: async () => undefined,
  }
  const server: Server = createServer(async (req, res) => {
    inFlight += 1
    state.maxInFlight = Math.max(state.maxInFlight, inFlight)
    res.on('close', () => {
      inFlight -= 1
    })
    const recorded = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: await readBody(req),
    }
    state.requests.push(recorded)
    await handler(res, recorded)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  state.url = `http://127.0.0.1:${port}`
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}

/** Answers the n-th request with the n-th step; past the end, with the last one. */
export function script(...steps: Step[]): Step {
  let next = 0
  return (res, req) => {
    const step = steps[Math.min(next, steps.length - 1)]
    next += 1
    if (!step) throw new Error('empty script')
    return step(res, req)
  }
}

/** The exact Content-Type the SDK insists on; anything else and it will not parse. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Step {
  return (res) => {
    const text = JSON.stringify(body)
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'X-Request-Id': '0c93d1f3-36c1-4a2f-8386-370552ee6eb1',
      ...headers,
    })
    res.end(text)
  }
}

export function noContent(): Step {
  return (res) => {
    res.writeHead(204)
    res.end()
  }
}

/** What the real gateway sends when rate limiting: no body, no Retry-After. */
export function bare429(): Step {
  return (res) => {
    res.writeHead(429, { 'x-envoy-ratelimited': 'true', 'Content-Length': 0 })
    res.end()
  }
}

export function status(code: number, headers: Record<string, string> = {}): Step {
  return (res) => {
    res.writeHead(code, { 'Content-Type': 'text/plain', ...headers })
    res.end('upstream trouble')
  }
}

/** Reads the whole request, then drops the connection without answering. */
export function dropConnection(): Step {
  return (res) => {
    res.socket?.destroy()
  }
}

/** Starts a 200 answer, sends half of it, then drops the connection. */
export function dropMidResponse(body: unknown): Step {
  return (res) => {
    const text = JSON.stringify(body)
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': text.length })
    res.write(text.slice(0, Math.floor(text.length / 2)))
    setTimeout(() => res.socket?.destroy(), 20)
  }
}

/** Never answers (until the server closes). */
export function stall(): Step {
  return () => undefined
}

export function delayed(ms: number, step: Step): Step {
  return (res, req) =>
    new Promise<void>((resolve) => {
      setTimeout(() => resolve(step(res, req)), ms)
    })
}
