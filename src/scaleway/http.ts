// A fetch for the Scaleway SDK to call (via withHTTPClient) that adds what the SDK lacks:
// a per-request timeout, bounded retries with backoff, and request accounting. Requests
// and responses pass through untouched; nothing here logs or reports a header or a body
// (X-Auth-Token is the secret key, bodies are payloads).
import { setTimeout as sleepFor } from 'node:timers/promises'
import { type TransportFacts, transportError } from './errors.js'
import {
  type Failure,
  judgeFailure,
  networkErrorCode,
  parseRetryAfter,
  planRetry,
  type RetryPolicy,
} from './retry.js'
import { isCreate, routeOf } from './route.js'
import type { StatsRecorder } from './stats.js'

export type RetryReason = 'rate_limited' | 'server' | 'network' | 'timeout'

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
  /** Per attempt, from sending the request to having read the whole response. */
  timeoutMs: number
  fetch?: typeof fetch
  stats?: StatsRecorder
  onRetry?: (event: RetryEvent) => void
  /** Repeat creates after a 5xx, betting the server refused before writing. Off by default. */
  retryCreatesOnServerError?: boolean
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  now?: () => number
  /**
   * Awaited before every attempt, retries included (a retry costs the gateway as much as
   * a first try): the client's token bucket. No pacing when absent.
   */
  pace?: () => Promise<void>
}

type Deps = Required<Omit<RetryingFetchOptions, 'stats' | 'onRetry' | 'pace'>> &
  Pick<RetryingFetchOptions, 'stats' | 'onRetry' | 'pace'>

type Outcome =
  | { type: 'response'; response: Response }
  | { type: 'network'; error: unknown }
  | { type: 'timeout' }

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

/**
 * Reads the whole body inside the attempt, so that a connection dying mid-body is seen
 * (and retried) here rather than later in the SDK's parser, and so that the timeout
 * covers the full exchange. Secret Manager bodies are small (payloads cap at 64 KiB).
 */
async function buffered(response: Response): Promise<Response> {
  const bytes = await response.arrayBuffer()
  const body = NULL_BODY_STATUSES.has(response.status) ? null : bytes
  const { status, statusText, headers } = response
  return new Response(body, { status, statusText, headers })
}

async function attemptOnce(template: Request, deps: Deps): Promise<Outcome> {
  const timer = new AbortController()
  const handle = setTimeout(() => timer.abort(), deps.timeoutMs)
  try {
    const signal = AbortSignal.any([template.signal, timer.signal])
    const response = await deps.fetch(template.clone(), { signal })
    return { type: 'response', response: await buffered(response) }
  } catch (error) {
    // An abort asked for by the caller is a decision, not a failure to retry.
    if (template.signal.aborted) throw error
    return timer.signal.aborted ? { type: 'timeout' } : { type: 'network', error }
  } finally {
    clearTimeout(handle)
  }
}

function failureOf(outcome: Outcome): Failure {
  return outcome.type === 'response' ? { type: 'status', status: outcome.response.status } : outcome
}

function reasonOf(failure: Failure): RetryReason {
  if (failure.type !== 'status') return failure.type
  return failure.status === 429 ? 'rate_limited' : 'server'
}

function factsOf(failure: Failure, attempts: number, elapsedMs: number, deps: Deps) {
  const facts: TransportFacts = { attempts, elapsedMs }
  if (failure.type === 'status') facts.status = failure.status
  if (failure.type === 'network') facts.networkCode = networkErrorCode(failure.error)
  if (failure.type === 'timeout') facts.timeoutMs = deps.timeoutMs
  return facts
}

function causeOf(outcome: Outcome): unknown {
  return outcome.type === 'network' ? outcome.error : undefined
}

function notify(deps: Deps, event: RetryEvent): void {
  try {
    deps.onRetry?.(event)
  } catch {
    // A failing log hook must not turn a recoverable request into a failed one.
  }
}

async function runWithRetries(template: Request, deps: Deps): Promise<Response> {
  const route = routeOf(template.method, template.url)
  const create = isCreate(route)
  let started: number | undefined
  let rateLimited = 0
  for (let attempt = 1; ; attempt += 1) {
    await deps.pace?.()
    // The budget runs from the first attempt's start, not from the wait for its turn.
    started ??= deps.now()
    deps.stats?.recordAttempt(route)
    const outcome = await attemptOnce(template, deps)
    const failure = failureOf(outcome)
    if (failure.type === 'status' && failure.status === 429) {
      rateLimited += 1
      deps.stats?.recordRateLimited()
    }
    const verdict = judgeFailure(failure, create, deps.retryCreatesOnServerError)
    if (verdict === 'final') {
      if (outcome.type === 'response') return outcome.response
      throw causeOf(outcome)
    }
    const facts = factsOf(failure, attempt, deps.now() - started, deps)
    const info = { route, cause: causeOf(outcome) }
    if (verdict === 'ambiguous')
      throw transportError('ambiguous_write', `${route} failed`, facts, info)
    const retryAfter =
      outcome.type === 'response' ? outcome.response.headers.get('retry-after') : null
    const retryAfterMs = parseRetryAfter(retryAfter, Date.now())
    const state = { attemptsMade: attempt, rateLimited, elapsedMs: facts.elapsedMs, retryAfterMs }
    const plan = planRetry(deps.policy, state, deps.random)
    if (!plan.retry) {
      const exhausted = { ...facts, gaveUp: plan.reason }
      throw transportError(reasonOf(failure), `${route} failed`, exhausted, info)
    }
    deps.stats?.recordRetry()
    const { status, networkCode } = facts
    notify(deps, {
      route,
      attempt,
      delayMs: plan.delayMs,
      reason: reasonOf(failure),
      status,
      networkCode,
    })
    await deps.sleep(plan.delayMs)
  }
}

/** Wraps `options.fetch` (default: the global fetch) with timeout, retries and accounting. */
export function createRetryingFetch(options: RetryingFetchOptions): typeof fetch {
  const deps: Deps = {
    policy: options.policy,
    timeoutMs: options.timeoutMs,
    stats: options.stats,
    onRetry: options.onRetry,
    // Looked up per call so that a fetch swapped in later (test doubles, proxies) is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    retryCreatesOnServerError: options.retryCreatesOnServerError ?? false,
    sleep: options.sleep ?? ((ms) => sleepFor(ms)),
    random: options.random ?? Math.random,
    now: options.now ?? (() => performance.now()),
    pace: options.pace,
  }
  return async (input, init) => runWithRetries(new Request(input, init), deps)
}
