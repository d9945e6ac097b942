// gRPC status errors with messages plakar shows to the user as they are.
import { Metadata, type ServiceError, type sendUnaryData, status } from '@grpc/grpc-js'
import { ConfigError } from '../config/errors.js'

function grpcError(code: status, message: string): ServiceError {
  return Object.assign(new Error(message), { code, details: message, metadata: new Metadata() })
}

export const failedPrecondition = (message: string) =>
  grpcError(status.FAILED_PRECONDITION, message)
export const notFound = (message: string) => grpcError(status.NOT_FOUND, message)
export const invalidArgument = (message: string) => grpcError(status.INVALID_ARGUMENT, message)
export const aborted = (message: string) => grpcError(status.ABORTED, message)

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

const STATUS_BY_KIND: Record<string, status> = {
  auth: status.UNAUTHENTICATED,
  permission: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  invalid: status.INVALID_ARGUMENT,
  config: status.INVALID_ARGUMENT,
  precondition: status.FAILED_PRECONDITION,
  rate_limited: status.RESOURCE_EXHAUSTED,
  quota: status.RESOURCE_EXHAUSTED,
  network: status.UNAVAILABLE,
  timeout: status.DEADLINE_EXCEEDED,
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number'
}

/** A gRPC error for anything thrown: API errors keep their meaning, the message its text. */
export function asGrpcError(error: unknown): ServiceError {
  if (isServiceError(error)) return error
  // A configuration the user must fix, not a fault of the plugin (which INTERNAL says).
  if (error instanceof ConfigError) return grpcError(status.INVALID_ARGUMENT, error.message)
  const kind = (error as { kind?: unknown } | null)?.kind
  const code = typeof kind === 'string' ? STATUS_BY_KIND[kind] : undefined
  return grpcError(code ?? status.INTERNAL, messageOf(error))
}

/** Answers a unary call with what `work` resolves to, or with the error it throws. */
export function answer<T>(callback: sendUnaryData<T>, work: () => Promise<T>): void {
  work().then(
    (value) => callback(null, value),
    (error: unknown) => callback(asGrpcError(error)),
  )
}
