// gRPC status errors with messages plakar shows to the user as they are.
import { Metadata, type ServiceError, status } from '@grpc/grpc-js'

export function grpcError(code: status, message: string): ServiceError {
  const error = new Error(message) as ServiceError
  error.code = code
  error.details = message
  error.metadata = new Metadata()
  return error
}

export const failedPrecondition = (message: string) =>
  grpcError(status.FAILED_PRECONDITION, message)
export const notFound = (message: string) => grpcError(status.NOT_FOUND, message)
export const invalidArgument = (message: string) => grpcError(status.INVALID_ARGUMENT, message)
export const unavailable = (message: string) => grpcError(status.UNAVAILABLE, message)
export const internal = (message: string) => grpcError(status.INTERNAL, message)

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
