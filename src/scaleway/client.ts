// The real SecretApi: Scaleway's SDK on top of our retrying fetch, behind one
// concurrency limiter shared by every call made through this client, and paced by a
// token bucket shared by the whole process.
import {
  AUTH_HEADER_KEY,
  createAdvancedClient,
  withHTTPClient,
  withProfile,
} from '@scaleway/sdk-client'
import { Secretv1beta1 } from '@scaleway/sdk-secret'
import pLimit from 'p-limit'
import type { Region } from '../core/secret-manager.js'
import { bindSecretApi, type Runner } from './adapter.js'
import type { SecretApi } from './api.js'
import { ApiError, toApiError } from './errors.js'
import { createRetryingFetch, type RetryingFetchOptions } from './http.js'
import { tokenBucketFor } from './pacing.js'
import { type RetryPolicy, retryPolicy } from './retry.js'
import { StatsRecorder } from './stats.js'

const DEFAULT_API_URL = 'https://api.scaleway.com'

/** Passed on to the retrying fetch; `now` and `sleep` to the token bucket too. */
type HttpOptions = 'timeoutMs' | 'onRetry' | 'transport' | 'sleep' | 'now' | 'random'

/** Already checked by src/config, which names the config key at fault; not again here. */
export interface SecretApiOptions extends Pick<RetryingFetchOptions, HttpOptions> {
  region: Region
  projectId: string
  /** Sent as X-Auth-Token; never logged nor put in an error message. */
  secretKey: string
  apiUrl?: string
  /** API calls in flight at once, across every user of this client. */
  concurrency: number
  /** HTTP attempts per second, retries included, shared by clients of one rate; 0: no pacing. */
  rateLimit: number
  maxRetries: number
  /** Backoff tuning; the number of attempts comes from maxRetries. */
  retry?: Partial<Omit<RetryPolicy, 'maxAttempts'>>
}

function mentions(value: unknown, secret: string): boolean {
  return value instanceof Error && (value.message.includes(secret) || mentions(value.cause, secret))
}

/**
 * Last line of defence should a server echo the token: message and detail rewritten, a cause
 * quoting it dropped. A fresh error, as V8 freezes the message into `stack` on first read.
 */
function scrubbed(error: ApiError, secretKey: string): ApiError {
  if (!mentions(error, secretKey)) return error
  const hide = (text: string) => text.replaceAll(secretKey, '[secret key]')
  const facts = { ...error.facts, detail: error.facts.detail && hide(error.facts.detail) }
  const cause = mentions(error.cause, secretKey) ? undefined : error.cause
  return new ApiError(facts, cause, hide(error.message))
}

/** Builds the SDK-backed SecretApi and the request statistics it feeds (read-only to callers). */
export function createSecretApi(options: SecretApiOptions): {
  api: SecretApi
  stats: Readonly<StatsRecorder>
} {
  const apiURL = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '')
  const stats = new StatsRecorder()
  const pacer = tokenBucketFor(options.rateLimit, options)
  const httpClient = createRetryingFetch({
    ...options,
    policy: retryPolicy(options.maxRetries, options.retry),
    stats,
    pace: pacer && (() => pacer.take()),
    // The key goes in here rather than through withProfile's secrets, whose format check
    // throws an error quoting the key.
    headers: { [AUTH_HEADER_KEY]: options.secretKey },
  })
  const client = createAdvancedClient(
    withProfile({ apiURL, defaultRegion: options.region, defaultProjectId: options.projectId }),
    withHTTPClient(httpClient),
  )
  const sdk = new Secretv1beta1.API(client)
  const limit = pLimit(options.concurrency)
  const { region, projectId, secretKey } = options

  // Every call goes through the limiter, retries and backoff included: a call waiting out
  // a 429 keeps its slot, so pressure on the API drops instead of being refilled at once.
  // The async wrapper also turns the SDK's synchronous throws into rejections.
  const run: Runner = (call, work) =>
    limit(async () => {
      try {
        if ('secretId' in call && !call.secretId) {
          throw new ApiError({ kind: 'invalid', detail: 'the secret id is empty' })
        }
        return await work()
      } catch (error) {
        throw scrubbed(toApiError(error, { ...call, region, projectId }), secretKey)
      }
    })

  const api = bindSecretApi(sdk, run, region, projectId)
  return { api, stats }
}
