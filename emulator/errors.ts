// Error answers in the exact shapes the real API sends. Scaleway's error bodies list their
// keys alphabetically (unlike resources), so every builder below keeps that order.

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

export type ArgumentReason = 'required' | 'format' | 'constraint'

export interface ArgumentProblem {
  argument: string
  reason: ArgumentReason
  help: string
}

/** Thrown by handlers; the server turns it into a response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject,
  ) {
    super(typeof body.message === 'string' ? body.message : `http ${status}`)
    this.name = 'ApiError'
  }
}

export const notFound = (resource: string, resourceId: string): ApiError =>
  new ApiError(404, {
    message: 'resource is not found',
    resource,
    resource_id: resourceId,
    type: 'not_found',
  })

export const invalidArguments = (...problems: ArgumentProblem[]): ApiError =>
  new ApiError(400, {
    details: problems.map((p) => ({
      argument_name: p.argument,
      help_message: p.help,
      reason: p.reason,
    })),
    message: 'invalid argument(s)',
    type: 'invalid_arguments',
  })

export const invalidArgument = (argument: string, reason: ArgumentReason, help: string): ApiError =>
  invalidArguments({ argument, reason, help })

export const preconditionFailed = (precondition: string, help: string): ApiError =>
  new ApiError(412, {
    help_message: help,
    message: 'precondition is not respected',
    precondition,
    type: 'precondition_failed',
  })

export type AuthFailure = 'invalid_argument' | 'not_found' | 'expired'

export const deniedAuthentication = (reason: AuthFailure): ApiError =>
  new ApiError(401, {
    message: 'authentication is denied',
    method: 'api_key',
    reason,
    type: 'denied_authentication',
  })

export const permissionsDenied = (action: string, resource: string): ApiError =>
  new ApiError(403, {
    details: [{ action, resource }],
    message: 'insufficient permissions',
    type: 'permissions_denied',
  })

export const internalError = (status: number): ApiError =>
  new ApiError(status, { message: 'internal error', type: 'internal_error' })

export const routeNotFound = (path: string): ApiError =>
  new ApiError(404, {
    message: 'route not found',
    resource: 'route',
    resource_id: path,
    type: 'not_found',
  })

/** Refusal of an action a resource's state forbids; the real precondition name is not known. */
export const notUsable = (help: string): ApiError => preconditionFailed('resource_not_usable', help)
