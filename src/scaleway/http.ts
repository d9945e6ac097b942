// A fetch for the Scaleway SDK (via withHTTPClient) adding a per-attempt timeout, bounded
// retries with backoff, pacing and request accounting over a keep-alive transport. Requests
// and responses pass through untouched; no header or body is logged or reported (X-Auth-Token
// is the secret key, bodies are payloads). A request given up on ends as an ApiError of facts.
import { setTimeout as sleepFor } from 'node:timers/promises'
import { ApiError, type ApiFacts } from './errors.js'
import {
  judgeFailure,
  networkErrorCode,
  parseRetryAfter,
  planRetry,
  type RetryPolicy,
} from './retry.js'
import { isCreate, routeOf } from './route.js'
import type { StatsRecorder } from './stats.js'
import {
  type Answer,
  AttemptTimeout,
  agentTransport,
  type Exchange,
  type Transport,
} from './transport.js'

type RetryReason = 'rate_limited' | 'server' | 'network' | 'timeout'

/** What onRetry hears about: enough to log, nothing from the request or response content. */
export interface RetryEvent {
  route: string
  /** The attempt that failed, counted from 1. */
  attempt: number
  delayMs: number
  reason: RetryReason
  status?: number
  networkCode?: string
}

export interface RetryingFetchOptions {
  policy: RetryPolicy
  /** Per attempt: the longest silence, sending the request or reading the answer. */
  timeoutMs: number
  /** Sends each attempt through this instead of Node's http(s) agent (test doubles). */
  transport?: Transport
  /** Added to each request (the secret key): an SDK interceptor would copy the request. */
  headers?: Record<string, string>
  stats: StatsRecorder
  onRetry?: (event: RetryEvent) => void
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  now?: () => number
  /** Awaited before every attempt, retries included (they cost the gateway alike): pacing. */
  pace?: () => Promise<void>
}

type Deps = RetryingFetchOptions & Required<Omit<RetryingFetchOptions, 'onRetry' | 'pace'>>

/** How one attempt ended; an answer of any status is judged like a failure. */
type Outcome =
  | { type: 'status'; status: number; answer: Answer }
  | { type: 'network'; error: unknown }
  | { type: 'timeout' }

async function attemptOnce(exchange: Exchange, deps: Deps): Promise<Outcome> {
  try {
    const answer = await deps.transport(exchange, deps.timeoutMs)
    return { type: 'status', status: answer.status, answer }
  } catch (error) {
    return error instanceof AttemptTimeout ? { type: 'timeout' } : { type: 'network', error }
  }
}

/** What an attempt's failure says, for the error and the retry log: never any content. */
function factsOf(outcome: Outcome, timeoutMs: number): ApiFacts & { kind: RetryReason } {
  switch (outcome.type) {
    case 'status':
      return { kind: outcome.status === 429 ? 'rate_limited' : 'server', status: outcome.status }
    case 'network':
      return { kind: 'network', networkCode: networkErrorCode(outcome.error) }
    case 'timeout':
      return { kind: 'timeout', timeoutMs }
  }
}

async function runWithRetries(exchange: Exchange, deps: Deps): Promise<Answer> {
  const route = routeOf(exchange.method, exchange.path)
  const create = isCreate(route)
  let started: number | undefined
  let rateLimited = 0
  for (let attempt = 1; ; attempt += 1) {
    await deps.pace?.()
    // The budget runs from the first attempt's start, not from the wait for its turn.
    started ??= deps.now()
    deps.stats.recordAttempt(route)
    const outcome = await attemptOnce(exchange, deps)
    if (outcome.type === 'status' && outcome.status === 429) {
      rateLimited += 1
      deps.stats.rateLimited += 1
    }
    const verdict = judgeFailure(outcome, create)
    // Answers and errors that are not the network's go back as they are.
    if (verdict === 'final' && outcome.type === 'status') return outcome.answer
    if (verdict === 'final' && outcome.type === 'network') throw outcome.error
    const elapsedMs = deps.now() - started
    const facts = { route, attempts: attempt, elapsedMs, ...factsOf(outcome, deps.timeoutMs) }
    const cause = outcome.type === 'network' ? outcome.error : undefined
    if (verdict === 'ambiguous') throw new ApiError({ ...facts, kind: 'ambiguous_write' }, cause)
    const retryAfter = outcome.type === 'status' ? outcome.answer.headers.get('retry-after') : null
    const retryAfterMs = parseRetryAfter(retryAfter, Date.now())
    const state = { attemptsMade: attempt, rateLimited, elapsedMs, retryAfterMs }
    const plan = planRetry(deps.policy, state, deps.random)
    if (!plan.retry) throw new ApiError({ ...facts, gaveUp: plan.reason }, cause)
    deps.stats.retries += 1
    const { kind: reason, status, networkCode } = facts
    deps.onRetry?.({ route, attempt, delayMs: plan.delayMs, reason, status, networkCode })
    await deps.sleep(plan.delayMs)
  }
}

/** The SDK's request, taken apart once: retries resend the same method, headers and body. */
async function exchangeOf(request: Request, extra: Record<string, string>): Promise<Exchange> {
  const headers: Record<string, string> = {}
  for (const [name, value] of request.headers) headers[name] = value
  Object.assign(headers, extra)
  const body = request.body === null ? undefined : await request.text()
  // Split by hand, once per call: a URL object per call costs more than this.
  const { url } = request
  const slash = url.indexOf('/', url.indexOf('//') + 2)
  const origin = slash < 0 ? url : url.slice(0, slash)
  return { method: request.method, origin, path: slash < 0 ? '/' : url.slice(slash), headers, body }
}

export function createRetryingFetch(options: RetryingFetchOptions): typeof fetch {
  const deps: Deps = {
    ...options,
    transport: options.transport ?? agentTransport(),
    headers: options.headers ?? {},
    sleep: options.sleep ?? ((ms) => sleepFor(ms)),
    random: options.random ?? Math.random,
    now: options.now ?? (() => performance.now()),
  }
  return async (input, init) => {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init)
    const exchange = await exchangeOf(request, deps.headers)
    const answer = await runWithRetries(exchange, deps)
    // The SDK reads it as a Response (see Answer); nothing else does.
    return answer as unknown as Response
  }
}
