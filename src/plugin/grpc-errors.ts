// gRPC statuses, and our errors as the status and message plakar shows to the user.
import { ConfigError } from '../config/errors.js'

export const Status = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const
export type Status = (typeof Status)[keyof typeof Status]

/** A call's failure as the host receives it: its message is what plakar shows. */
export class GrpcError extends Error {
  constructor(
    readonly code: Status,
    message: string,
  ) {
    super(message)
  }
}

const failure = (code: Status) => (message: string) => new GrpcError(code, message)

export const failedPrecondition = failure(Status.FAILED_PRECONDITION)
export const notFound = failure(Status.NOT_FOUND)
export const invalidArgument = failure(Status.INVALID_ARGUMENT)
export const aborted = failure(Status.ABORTED)

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

const STATUS_BY_KIND: Record<string, Status> = {
  auth: Status.UNAUTHENTICATED,
  permission: Status.PERMISSION_DENIED,
  not_found: Status.NOT_FOUND,
  invalid: Status.INVALID_ARGUMENT,
  config: Status.INVALID_ARGUMENT,
  precondition: Status.FAILED_PRECONDITION,
  rate_limited: Status.RESOURCE_EXHAUSTED,
  quota: Status.RESOURCE_EXHAUSTED,
  network: Status.UNAVAILABLE,
  timeout: Status.DEADLINE_EXCEEDED,
}

/** A gRPC error for anything thrown: API errors keep their meaning, the message its text. */
export function asGrpcError(error: unknown): GrpcError {
  if (error instanceof GrpcError) return error
  // A configuration the user must fix, not a fault of the plugin (which INTERNAL says).
  if (error instanceof ConfigError) return new GrpcError(Status.INVALID_ARGUMENT, error.message)
  const kind = (error as { kind?: unknown } | null)?.kind
  const code = typeof kind === 'string' ? STATUS_BY_KIND[kind] : undefined
  return new GrpcError(code ?? Status.INTERNAL, messageOf(error))
}
