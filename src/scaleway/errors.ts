// One error type for everything the Secret Manager client can fail with, each carrying a
// `kind` callers can branch on and a message a user can act on. Messages are built from
// our own templates and a few short server fields; they never include a payload, and
// the client scrubs the secret key from them as a last line of defence.
import { Errors } from '@scaleway/sdk-client'
import { DUPLICATE_NAME_HELP } from '../core/secret-manager.js'
import type { RevisionRef, SecretApi } from './api.js'

export type ApiErrorKind =
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'invalid'
  | 'precondition'
  | 'quota'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  // A create (POST /secrets, POST /secrets/{id}/versions) whose answer was lost after the
  // request may have reached the server: deliberately not retried, since repeating it could
  // add a duplicate. The caller must look at the current state before writing again.
  | 'ambiguous_write'
  | 'integrity'

export type Operation = Exclude<keyof SecretApi, 'region' | 'projectId'>

export type PermissionSet =
  | 'SecretManagerReadOnly'
  | 'SecretManagerSecretAccess'
  | 'SecretManagerSecretCreate'
  | 'SecretManagerSecretWrite'
  | 'SecretManagerSecretRestore'

export interface InvalidArgument {
  argumentName: string
  reason: string
  helpMessage?: string
}

export interface ApiErrorInfo {
  status?: number
  operation?: Operation
  /** Route label of the failing request, e.g. `POST /secrets/{id}/versions`. */
  route?: string
  /** HTTP attempts made before giving up. */
  attempts?: number
  elapsedMs?: number
  /** System or undici error code of a transport failure. */
  networkCode?: string
  /** The per-request timeout that expired. */
  timeoutMs?: number
  /** Why retrying stopped: out of attempts, or out of time. */
  gaveUp?: 'attempts' | 'time'
  permissionSet?: PermissionSet
  invalidArguments?: readonly InvalidArgument[]
  cause?: unknown
}

export class ApiError extends Error {
  override name = 'ApiError'
  readonly kind: ApiErrorKind
  readonly status?: number
  readonly operation?: Operation
  readonly route?: string
  readonly attempts?: number
  readonly elapsedMs?: number
  readonly networkCode?: string
  readonly timeoutMs?: number
  readonly gaveUp?: 'attempts' | 'time'
  readonly permissionSet?: PermissionSet
  readonly invalidArguments?: readonly InvalidArgument[]

  constructor(kind: ApiErrorKind, message: string, info: ApiErrorInfo = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause })
    this.kind = kind
    this.status = info.status
    this.operation = info.operation
    this.route = info.route
    this.attempts = info.attempts
    this.elapsedMs = info.elapsedMs
    this.networkCode = info.networkCode
    this.timeoutMs = info.timeoutMs
    this.gaveUp = info.gaveUp
    this.permissionSet = info.permissionSet
    this.invalidArguments = info.invalidArguments
  }
}

/** What the client was doing, to name it in messages. */
export interface OperationContext {
  operation: Operation
  region: string
  projectId: string
  secretId?: string
  revision?: RevisionRef
}

const PERMISSION_SETS: Record<Operation, PermissionSet> = {
  listSecrets: 'SecretManagerReadOnly',
  getSecret: 'SecretManagerReadOnly',
  listVersions: 'SecretManagerReadOnly',
  getVersion: 'SecretManagerReadOnly',
  accessVersion: 'SecretManagerSecretAccess',
  createSecret: 'SecretManagerSecretCreate',
  updateSecret: 'SecretManagerSecretWrite',
  protectSecret: 'SecretManagerSecretWrite',
  createVersion: 'SecretManagerSecretWrite',
  enableVersion: 'SecretManagerSecretWrite',
  disableVersion: 'SecretManagerSecretWrite',
  deleteVersion: 'SecretManagerSecretWrite',
  restoreSecret: 'SecretManagerSecretRestore',
  restoreVersion: 'SecretManagerSecretRestore',
}

/** The IAM permission set an operation needs. */
export function permissionSetFor(operation: Operation): PermissionSet {
  return PERMISSION_SETS[operation]
}

/** "read version 3 of secret 1f0c…": what we were trying to do, in words. */
export function describeOperation(ctx: OperationContext): string {
  const secret = `secret ${ctx.secretId ?? '?'}`
  const version = `version ${String(ctx.revision ?? '?')} of ${secret}`
  const phrases: Record<Operation, string> = {
    listSecrets: 'list secrets',
    getSecret: `read ${secret}`,
    listVersions: `list the versions of ${secret}`,
    getVersion: `read ${version}`,
    accessVersion: `access the payload of ${version}`,
    createSecret: 'create a secret',
    updateSecret: `update ${secret}`,
    protectSecret: `protect ${secret}`,
    restoreSecret: `restore ${secret}`,
    createVersion: `create a version of ${secret}`,
    enableVersion: `enable ${version}`,
    disableVersion: `disable ${version}`,
    deleteVersion: `delete ${version}`,
    restoreVersion: `restore ${version}`,
  }
  return `${phrases[ctx.operation]} in project ${ctx.projectId} (${ctx.region})`
}

const TRANSPORT_KINDS = ['rate_limited', 'server', 'network', 'timeout', 'ambiguous_write'] as const
type TransportKind = (typeof TRANSPORT_KINDS)[number]

function isTransportKind(kind: ApiErrorKind): kind is TransportKind {
  return (TRANSPORT_KINDS as readonly ApiErrorKind[]).includes(kind)
}

/** What went wrong with the HTTP exchange, in a form free of any request content. */
export interface TransportFacts {
  attempts: number
  elapsedMs: number
  status?: number
  networkCode?: string
  timeoutMs?: number
  /** Why retrying stopped: out of attempts, or out of time. */
  gaveUp?: 'attempts' | 'time'
}

function attemptsPhrase(facts: TransportFacts): string {
  const seconds = (facts.elapsedMs / 1000).toFixed(1)
  const budget = facts.gaveUp === 'time' ? ', retry time budget exhausted' : ''
  return `after ${facts.attempts} attempt(s) in ${seconds} s${budget}`
}

function ambiguousCause(facts: TransportFacts): string {
  if (facts.status !== undefined) return `HTTP ${facts.status}`
  if (facts.networkCode !== undefined) return facts.networkCode
  return facts.timeoutMs === undefined ? 'connection lost' : `no answer in ${facts.timeoutMs} ms`
}

/** The explanation half of a transport failure's message. */
function explainTransport(kind: TransportKind, facts: TransportFacts): string {
  switch (kind) {
    case 'rate_limited':
      return `rate limited by Scaleway (HTTP 429) ${attemptsPhrase(facts)}; lower rate_limit or concurrency, or try again later`
    case 'server':
      return `Scaleway answered HTTP ${facts.status ?? '5xx'} ${attemptsPhrase(facts)}; a problem on Scaleway's side, try again later`
    case 'network':
      return `network error (${facts.networkCode ?? 'connection failed'}) ${attemptsPhrase(facts)}; check connectivity to the Scaleway API`
    case 'timeout':
      return `no answer within ${facts.timeoutMs ?? '?'} ms ${attemptsPhrase(facts)}; the API or the network is slow, raise the timeout or try again later`
    case 'ambiguous_write':
      return `the request was sent but its answer was lost (${ambiguousCause(facts)}), so it may or may not have been applied; check the current state before writing again`
  }
}

export function transportError(
  kind: TransportKind,
  lead: string,
  facts: TransportFacts,
  info: ApiErrorInfo,
): ApiError {
  const message = `${lead}: ${explainTransport(kind, facts)}`
  return new ApiError(kind, message, { ...info, ...facts })
}

const AUTH_REASONS: Record<string, string> = {
  invalid_argument: 'the secret key is malformed or empty',
  not_found: 'no API key matches the secret key',
  expired: 'the API key has expired',
}

function authError(err: Errors.ScalewayError, ctx: OperationContext): ApiError {
  const reason =
    err instanceof Errors.DeniedAuthenticationError ? AUTH_REASONS[err.reason] : undefined
  const message =
    `Could not ${describeOperation(ctx)}: Scaleway refused the API key ` +
    `(${reason ?? 'authentication denied'}); check SCW_ACCESS_KEY and SCW_SECRET_KEY, ` +
    'and that the key still exists in IAM and has not expired'
  return new ApiError('auth', message, { status: err.status, operation: ctx.operation, cause: err })
}

function permissionError(err: Errors.ScalewayError, ctx: OperationContext): ApiError {
  const set = permissionSetFor(ctx.operation)
  const denied =
    err instanceof Errors.PermissionsDeniedError && err.list.length > 0
      ? ` (denied: ${err.list.map((d) => `${d.action} ${d.resource}`).join(', ')})`
      : ''
  const message =
    `Could not ${describeOperation(ctx)}: permission denied${denied}; give the API key's ` +
    `IAM policy the ${set} permission set (or SecretManagerFullAccess) on project ${ctx.projectId}`
  return new ApiError('permission', message, {
    status: err.status,
    operation: ctx.operation,
    permissionSet: set,
    cause: err,
  })
}

function quotaError(err: Errors.ScalewayError, ctx: OperationContext): ApiError {
  const usage =
    err instanceof Errors.QuotasExceededError
      ? err.list.map((q) => ` ${q.resource}: ${q.current} of ${q.quota}`).join(',')
      : ''
  const message =
    `Could not ${describeOperation(ctx)}: Secret Manager quota exceeded${usage ? ` (${usage.trim()})` : ''}; ` +
    'remove unused secrets or versions, or ask Scaleway support to raise the quota'
  return new ApiError('quota', message, {
    status: err.status,
    operation: ctx.operation,
    cause: err,
  })
}

function notFoundResource(err: Errors.ScalewayError): string | undefined {
  if (err instanceof Errors.ResourceNotFoundError) return err.resource
  return typeof err.body === 'object' && typeof err.body.resource === 'string'
    ? err.body.resource
    : undefined
}

function notFoundMessage(err: Errors.ScalewayError, ctx: OperationContext): string {
  if (ctx.operation === 'listSecrets' || ctx.operation === 'createSecret') {
    return (
      `Could not ${describeOperation(ctx)}: not found; check that project ${ctx.projectId} ` +
      `exists and that region ${ctx.region} is the one holding its secrets`
    )
  }
  const where = `in project ${ctx.projectId} (${ctx.region})`
  const resource = notFoundResource(err)
  if (ctx.revision !== undefined && resource !== 'secret') {
    return `Version ${String(ctx.revision)} of secret ${ctx.secretId ?? '?'} does not exist ${where}`
  }
  return `Secret ${ctx.secretId ?? '?'} no longer exists ${where}; it was probably deleted meanwhile`
}

/** Help texts can quote the rejected value, so none is kept for the payload itself. */
function describeArgument(arg: InvalidArgument): string {
  const help =
    arg.argumentName === 'data' || arg.helpMessage === undefined
      ? ''
      : `: ${arg.helpMessage.replace(/\s+/g, ' ').trim().slice(0, 200)}`
  return `${arg.argumentName} (${arg.reason})${help}`
}

function invalidArguments(err: Errors.ScalewayError): InvalidArgument[] {
  return err instanceof Errors.InvalidArgumentsError ? err.details.map((d) => ({ ...d })) : []
}

/** Re-exported for src/scaleway/fake.ts only, until that file is deleted. */

/** True for the API's answer to a create whose (name, path) is already taken. */
function isDuplicateNameError(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.kind !== 'invalid') return false
  return (error.invalidArguments ?? []).some(
    (a) => a.argumentName === 'name' && a.helpMessage === DUPLICATE_NAME_HELP,
  )
}

function invalidError(err: Errors.ScalewayError, ctx: OperationContext): ApiError {
  const args = invalidArguments(err)
  const info = { status: err.status, operation: ctx.operation, invalidArguments: args, cause: err }
  const duplicate = new ApiError('invalid', '', info)
  if (isDuplicateNameError(duplicate)) {
    const message = `Could not ${describeOperation(ctx)}: a secret with this name already exists at this path`
    return new ApiError('invalid', message, info)
  }
  const detail = args.length > 0 ? args.map(describeArgument).join('; ') : 'invalid request'
  return new ApiError('invalid', `Could not ${describeOperation(ctx)}: rejected: ${detail}`, info)
}

function preconditionError(err: Errors.ScalewayError, ctx: OperationContext): ApiError {
  const detail =
    err instanceof Errors.PreconditionFailedError
      ? `${err.precondition}${err.helpMessage ? `: ${err.helpMessage}` : ''}`
      : 'precondition failed'
  const message = `Could not ${describeOperation(ctx)}: refused by Scaleway (${detail})`
  return new ApiError('precondition', message, {
    status: err.status,
    operation: ctx.operation,
    cause: err,
  })
}

function bodyType(err: Errors.ScalewayError): string | undefined {
  return typeof err.body === 'object' && typeof err.body.type === 'string'
    ? err.body.type
    : undefined
}

function fromScalewayError(err: Errors.ScalewayError, ctx: OperationContext): ApiError {
  const type = bodyType(err)
  if (err.status === 401) return authError(err, ctx)
  if (err.status === 403)
    return type === 'quotas_exceeded' ? quotaError(err, ctx) : permissionError(err, ctx)
  if (err.status === 404) {
    return new ApiError('not_found', notFoundMessage(err, ctx), {
      status: err.status,
      operation: ctx.operation,
      cause: err,
    })
  }
  if (err.status === 412 || err.status === 409) return preconditionError(err, ctx)
  if (err.status === 429) {
    const facts = { attempts: 1, elapsedMs: 0, status: 429 }
    return transportError('rate_limited', `Could not ${describeOperation(ctx)}`, facts, {
      operation: ctx.operation,
      cause: err,
    })
  }
  if (err.status >= 400 && err.status < 500) return invalidError(err, ctx)
  if (err.status < 400) {
    const message = `Could not ${describeOperation(ctx)}: Scaleway sent an answer that could not be read (HTTP ${err.status})`
    return new ApiError('server', message, {
      status: err.status,
      operation: ctx.operation,
      cause: err,
    })
  }
  const message = `Could not ${describeOperation(ctx)}: Scaleway answered HTTP ${err.status}; a problem on Scaleway's side, try again later`
  return new ApiError('server', message, {
    status: err.status,
    operation: ctx.operation,
    cause: err,
  })
}

function infoOf(err: ApiError): ApiErrorInfo {
  return {
    status: err.status,
    operation: err.operation,
    route: err.route,
    attempts: err.attempts,
    elapsedMs: err.elapsedMs,
    networkCode: err.networkCode,
    timeoutMs: err.timeoutMs,
    gaveUp: err.gaveUp,
    permissionSet: err.permissionSet,
    invalidArguments: err.invalidArguments,
    cause: err.cause,
  }
}

/** A copy of `err` (same class and fields) with another message, and maybe without its cause. */
export function rewritten(err: ApiError, message: string, dropCause = false): ApiError {
  const info = { ...infoOf(err), cause: dropCause ? undefined : err.cause }
  return new ApiError(err.kind, message, info)
}

/** Re-renders an error from the HTTP layer so that it names the operation, not the route. */
function withOperation(err: ApiError, ctx: OperationContext): ApiError {
  if (err.operation !== undefined) return err
  const info = { ...infoOf(err), operation: ctx.operation }
  if (!isTransportKind(err.kind) || err.attempts === undefined) {
    return new ApiError(err.kind, err.message, info)
  }
  const facts: TransportFacts = { ...info, attempts: err.attempts, elapsedMs: err.elapsedMs ?? 0 }
  return transportError(err.kind, `Could not ${describeOperation(ctx)}`, facts, info)
}

/** Maps anything the SDK or the HTTP layer threw to an ApiError naming the operation. */
export function toApiError(error: unknown, ctx: OperationContext): ApiError {
  if (error instanceof ApiError) return withOperation(error, ctx)
  if (error instanceof Errors.ScalewayError) return fromScalewayError(error, ctx)
  // Only the error's kind: an unknown error's message may quote what it failed on (a
  // JSON.parse SyntaxError quotes its input, which could be payload bytes).
  const code = (error as { code?: unknown } | null)?.code
  const detail =
    error instanceof Error
      ? `${error.name}${typeof code === 'string' ? ` (${code})` : ''}`
      : typeof error
  return new ApiError('server', `Could not ${describeOperation(ctx)}: unexpected ${detail}`, {
    operation: ctx.operation,
    cause: error,
  })
}
