// Everything the Secret Manager client fails with is an ApiError: the facts of the failure
// (its kind, what was done on what, what the server or the network said) and one sentence
// built from them by `sentence`, from our own templates and a few short server fields, never
// a payload; the client scrubs the secret key from it as a last line of defence.
import { Errors } from '@scaleway/sdk-client'
import { DUPLICATE_NAME_HELP, type RevisionRef } from '../core/secret-manager.js'
import type { SecretApi } from './api.js'
import { networkErrorCode } from './retry.js'

export type Operation = Exclude<keyof SecretApi, 'region' | 'projectId'>

export interface OperationContext {
  operation: Operation
  region: string
  projectId: string
  secretId?: string
  revision?: RevisionRef
}

/** What went wrong, free of any request or payload content. */
export interface ApiFacts extends Partial<OperationContext> {
  kind: ApiErrorKind
  status?: number
  /** Route label of the failing HTTP request, e.g. `POST /secrets/{id}/versions`. */
  route?: string
  /** HTTP attempts made before giving up, and the time they took. */
  attempts?: number
  elapsedMs?: number
  /** Why retrying stopped: out of attempts, or out of time. */
  gaveUp?: 'attempts' | 'time'
  /** System error code of a transport failure. */
  networkCode?: string
  /** The per-attempt timeout that expired. */
  timeoutMs?: number
  /** The resource a 404 names (`secret`, `secret_version`). */
  resource?: string
  /** A few words on what was refused or wrong: denied actions, quota usage, bad arguments. */
  detail?: string
}

export class ApiError extends Error {
  override name = 'ApiError'
  readonly kind: ApiErrorKind
  readonly status?: number

  /** `message` replaces the sentence the facts make (same facts, another wording). */
  constructor(
    readonly facts: ApiFacts,
    cause?: unknown,
    message = sentence(facts),
  ) {
    super(message, cause === undefined ? undefined : { cause })
    this.kind = facts.kind
    this.status = facts.status
  }
}

/** Each operation in words (see sentence), and the IAM permission set it needs. */
const OPERATIONS: Record<Operation, readonly [phrase: string, permissionSet: string]> = {
  listSecrets: ['list secrets', 'SecretManagerReadOnly'],
  listVersions: ['list the versions of {secret}', 'SecretManagerReadOnly'],
  getVersion: ['read {version}', 'SecretManagerReadOnly'],
  accessVersion: ['access the payload of {version}', 'SecretManagerSecretAccess'],
  createSecret: ['create a secret', 'SecretManagerSecretCreate'],
  updateSecret: ['update {secret}', 'SecretManagerSecretWrite'],
  protectSecret: ['protect {secret}', 'SecretManagerSecretWrite'],
  createVersion: ['create a version of {secret}', 'SecretManagerSecretWrite'],
  enableVersion: ['enable {version}', 'SecretManagerSecretWrite'],
  disableVersion: ['disable {version}', 'SecretManagerSecretWrite'],
  deleteVersion: ['delete {version}', 'SecretManagerSecretWrite'],
  restoreSecret: ['restore {secret}', 'SecretManagerSecretRestore'],
  restoreVersion: ['restore {version}', 'SecretManagerSecretRestore'],
}

/** " after 3 attempt(s) in 1.2 s" when the HTTP layer gave up on retrying, else nothing. */
function tries(f: ApiFacts): string {
  if (f.attempts === undefined) return ''
  const seconds = ((f.elapsedMs ?? 0) / 1000).toFixed(1)
  const budget = f.gaveUp === 'time' ? ', retry time budget exhausted' : ''
  return ` after ${f.attempts} attempt(s) in ${seconds} s${budget}`
}

function lostAnswer(f: ApiFacts): string {
  if (f.status !== undefined) return `HTTP ${f.status}`
  if (f.networkCode !== undefined) return f.networkCode
  return f.timeoutMs === undefined ? 'connection lost' : `no answer in ${f.timeoutMs} ms`
}

function serverTrouble(f: ApiFacts): string {
  if (f.status === undefined) return `unexpected ${f.detail ?? 'error'}`
  if (f.status < 400) return `Scaleway sent an answer that could not be read (HTTP ${f.status})`
  return `Scaleway answered HTTP ${f.status}${tries(f)}; a problem on Scaleway's side, try again later`
}

/** What went wrong and what to do about it, by kind: the half of the sentence after the colon. */
const EXPLAIN = {
  auth: (f) =>
    `Scaleway refused the API key (${f.detail ?? 'authentication denied'}); check SCW_ACCESS_KEY and SCW_SECRET_KEY, and that the key still exists in IAM and has not expired`,
  permission: (f) =>
    `permission denied${f.detail ? ` (denied: ${f.detail})` : ''}; give the API key's IAM policy the ${f.operation && OPERATIONS[f.operation][1]} permission set (or SecretManagerFullAccess) on project ${f.projectId}`,
  quota: (f) =>
    `Secret Manager quota exceeded${f.detail ? ` (${f.detail})` : ''}; remove unused secrets or versions, or ask Scaleway support to raise the quota`,
  not_found: (f) =>
    `not found; check that project ${f.projectId} exists and that region ${f.region} is the one holding its secrets`,
  precondition: (f) => `refused by Scaleway (${f.detail ?? 'precondition failed'})`,
  invalid: (f) => f.detail ?? 'rejected: invalid request',
  integrity: (f) => `${f.detail}; it was discarded, try again`,
  server: serverTrouble,
  rate_limited: (f) =>
    `rate limited by Scaleway (HTTP 429)${tries(f)}; lower rate_limit or concurrency, or try again later`,
  network: (f) =>
    `network error (${f.networkCode ?? 'connection failed'})${tries(f)}; check connectivity to the Scaleway API`,
  timeout: (f) =>
    `no answer within ${f.timeoutMs ?? '?'} ms${tries(f)}; the API or the network is slow, raise the timeout or try again later`,
  // A create whose answer was lost after the request may have reached the server: not retried
  // (it could add a duplicate); the caller must look at the current state before writing again.
  ambiguous_write: (f) =>
    `the request was sent but its answer was lost (${lostAnswer(f)}), so it may or may not have been applied; check the current state before writing again`,
} satisfies Record<string, (f: ApiFacts) => string>

export type ApiErrorKind = keyof typeof EXPLAIN

function sentence(f: ApiFacts): string {
  const { operation, projectId, region, secretId } = f
  if (operation === undefined || projectId === undefined || region === undefined) {
    // Not yet tied to an API call: the HTTP layer's own view of the failure.
    return `${f.route ?? 'A Secret Manager request'} failed: ${EXPLAIN[f.kind](f)}`
  }
  if (f.kind === 'not_found' && secretId !== undefined) {
    const where = `in project ${projectId} (${region})`
    if (f.revision !== undefined && f.resource !== 'secret') {
      return `Version ${String(f.revision)} of secret ${secretId} does not exist ${where}`
    }
    return `Secret ${secretId} no longer exists ${where}; it was probably deleted meanwhile`
  }
  // "read version 3 of secret 1f0c… in project … (fr-par)": what we were trying to do.
  const secret = `secret ${secretId ?? '?'}`
  const version = `version ${String(f.revision ?? '?')} of ${secret}`
  const [phrase] = OPERATIONS[operation]
  const done = phrase.replace('{version}', () => version).replace('{secret}', () => secret)
  return `Could not ${done} in project ${projectId} (${region}): ${EXPLAIN[f.kind](f)}`
}

const AUTH_REASONS: Record<string, string> = {
  invalid_argument: 'the secret key is malformed or empty',
  not_found: 'no API key matches the secret key',
  expired: 'the API key has expired',
}

/** Help texts can quote the rejected value, so none is kept for the payload itself. */
function describeArgument(arg: Errors.InvalidArgumentsErrorDetails): string {
  const help =
    arg.argumentName === 'data' || arg.helpMessage === undefined
      ? ''
      : `: ${arg.helpMessage.replace(/\s+/g, ' ').trim().slice(0, 200)}`
  return `${arg.argumentName} (${arg.reason})${help}`
}

function invalidDetail(err: Errors.ScalewayError): string | undefined {
  if (!(err instanceof Errors.InvalidArgumentsError) || err.details.length === 0) return undefined
  const duplicate = err.details.some(
    (a) => a.argumentName === 'name' && a.helpMessage === DUPLICATE_NAME_HELP,
  )
  if (duplicate) return 'a secret with this name already exists at this path'
  return `rejected: ${err.details.map(describeArgument).join('; ')}`
}

function bodyField(err: Errors.ScalewayError, name: string): string | undefined {
  const value = typeof err.body === 'object' ? err.body[name] : undefined
  return typeof value === 'string' ? value : undefined
}

/** The facts of an answer the SDK turned into an error, in the server's structured terms. */
function sdkFacts(err: Errors.ScalewayError): ApiFacts {
  const { status } = err
  if (status === 401) {
    const reason = err instanceof Errors.DeniedAuthenticationError ? err.reason : ''
    return { kind: 'auth', status, detail: AUTH_REASONS[reason] }
  }
  if (status === 403 && bodyField(err, 'type') === 'quotas_exceeded') {
    const quotas = err instanceof Errors.QuotasExceededError ? err.list : []
    const usage = quotas.map((q) => `${q.resource}: ${q.current} of ${q.quota}`).join(', ')
    return { kind: 'quota', status, detail: usage || undefined }
  }
  if (status === 403) {
    const denied = err instanceof Errors.PermissionsDeniedError ? err.list : []
    const detail = denied.map((d) => `${d.action} ${d.resource}`).join(', ')
    return { kind: 'permission', status, detail: detail || undefined }
  }
  if (status === 404) return { kind: 'not_found', status, resource: bodyField(err, 'resource') }
  if (status === 409 || status === 412) {
    const detail =
      err instanceof Errors.PreconditionFailedError
        ? `${err.precondition}${err.helpMessage ? `: ${err.helpMessage}` : ''}`
        : undefined
    return { kind: 'precondition', status, detail }
  }
  if (status === 429) return { kind: 'rate_limited', status }
  if (status >= 400 && status < 500) return { kind: 'invalid', status, detail: invalidDetail(err) }
  return { kind: 'server', status }
}

/** Anything the SDK or the HTTP layer threw, as an ApiError naming the operation. */
export function toApiError(error: unknown, ctx: OperationContext): ApiError {
  if (error instanceof ApiError) {
    return error.facts.operation ? error : new ApiError({ ...ctx, ...error.facts }, error.cause)
  }
  if (error instanceof Errors.ScalewayError)
    return new ApiError({ ...ctx, ...sdkFacts(error) }, error)
  // Only the error's kind: an unknown error's message may quote what it failed on (a
  // JSON.parse SyntaxError quotes its input, which could be payload bytes).
  const code = networkErrorCode(error)
  const detail =
    error instanceof Error ? `${error.name}${code === undefined ? '' : ` (${code})`}` : typeof error
  return new ApiError({ ...ctx, kind: 'server', detail }, error)
}
