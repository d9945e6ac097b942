import { Errors } from '@scaleway/sdk-client'
import { describe, expect, it } from 'vitest'
import {
  ApiError,
  type Operation,
  type OperationContext,
  toApiError,
} from '../../src/scaleway/errors.js'
import {
  DUPLICATE_NAME,
  deniedAuth,
  NOT_FOUND,
  PERMISSION_DENIED,
  PROJECT_ID,
  PROTECTED,
  QUOTA,
  SECRET_ID,
} from './bodies.js'

const ctx = (operation: Operation, extra: Partial<OperationContext> = {}): OperationContext => ({
  operation,
  region: 'nl-ams',
  projectId: PROJECT_ID,
  ...extra,
})

/** What the SDK throws for a JSON error body (same dispatch as its own parser). */
function sdkError(status: number, body: Record<string, unknown>): Errors.ScalewayError {
  const byType: Record<string, { fromJSON(s: number, b: object): Errors.ScalewayError | null }> = {
    denied_authentication: Errors.DeniedAuthenticationError,
    permissions_denied: Errors.PermissionsDeniedError,
    quotas_exceeded: Errors.QuotasExceededError,
    not_found: Errors.ResourceNotFoundError,
    invalid_arguments: Errors.InvalidArgumentsError,
    precondition_failed: Errors.PreconditionFailedError,
  }
  const parser = byType[String(body.type)]
  const parsed = parser?.fromJSON(status, body)
  if (!parsed) throw new Error(`test body of type ${String(body.type)} did not parse`)
  return parsed
}

const ALL_OPERATIONS: [Operation, string][] = [
  ['listSecrets', 'SecretManagerReadOnly'],
  ['listVersions', 'SecretManagerReadOnly'],
  ['getVersion', 'SecretManagerReadOnly'],
  ['accessVersion', 'SecretManagerSecretAccess'],
  ['createSecret', 'SecretManagerSecretCreate'],
  ['createVersion', 'SecretManagerSecretWrite'],
  ['updateSecret', 'SecretManagerSecretWrite'],
  ['protectSecret', 'SecretManagerSecretWrite'],
  ['enableVersion', 'SecretManagerSecretWrite'],
  ['disableVersion', 'SecretManagerSecretWrite'],
  ['deleteVersion', 'SecretManagerSecretWrite'],
  ['restoreSecret', 'SecretManagerSecretRestore'],
  ['restoreVersion', 'SecretManagerSecretRestore'],
]

describe('toApiError', () => {
  it.each(['invalid_argument', 'not_found', 'expired'] as const)(
    '401 %s -> auth, pointing at the keys',
    (reason) => {
      const error = toApiError(sdkError(401, deniedAuth(reason)), ctx('listSecrets'))
      expect(error.kind).toBe('auth')
      expect(error.status).toBe(401)
      expect(error.message).toMatch(/SCW_ACCESS_KEY and SCW_SECRET_KEY/)
      expect(error.message).toMatch(/expired/)
    },
  )

  it('explains an expired key as such', () => {
    const error = toApiError(sdkError(401, deniedAuth('expired')), ctx('protectSecret'))
    expect(error.message).toMatch(/the API key has expired/)
  })

  it.each(ALL_OPERATIONS)('403 on %s names the %s permission set', (operation, set) => {
    const error = toApiError(
      sdkError(403, PERMISSION_DENIED),
      ctx(operation, { secretId: SECRET_ID, revision: 2 }),
    )
    expect(error.kind).toBe('permission')
    expect(error.message).toContain(`the ${set} permission set`)
    expect(error.message).toContain(PROJECT_ID)
  })

  it('403 without details is still a permission problem', () => {
    const bare = new Errors.ScalewayError(403, { type: 'permissions_denied', message: 'denied' })
    const error = toApiError(bare, ctx('accessVersion', { secretId: SECRET_ID, revision: 1 }))
    expect(error.kind).toBe('permission')
    expect(error.message).toContain('SecretManagerSecretAccess')
  })

  it('403 quotas_exceeded -> quota', () => {
    const error = toApiError(sdkError(403, QUOTA), ctx('createSecret'))
    expect(error.kind).toBe('quota')
    expect(error.message).toMatch(/quota exceeded \(secrets: 100 of 100\)/)
  })

  it('404 on the project-level list names the project and the region', () => {
    const error = toApiError(sdkError(404, NOT_FOUND), ctx('listSecrets'))
    expect(error.kind).toBe('not_found')
    expect(error.message).toContain(`project ${PROJECT_ID}`)
    expect(error.message).toContain('region nl-ams')
  })

  it('404 on a secret says it no longer exists', () => {
    const error = toApiError(
      sdkError(404, NOT_FOUND),
      ctx('protectSecret', { secretId: SECRET_ID }),
    )
    expect(error.kind).toBe('not_found')
    expect(error.message).toMatch(new RegExp(`^Secret ${SECRET_ID} no longer exists`))
  })

  it('404 on a version names the revision', () => {
    const body = { ...NOT_FOUND, resource: 'secret_version', resource_id: '7' }
    const error = toApiError(
      sdkError(404, body),
      ctx('accessVersion', { secretId: SECRET_ID, revision: 7 }),
    )
    expect(error.message).toMatch(new RegExp(`^Version 7 of secret ${SECRET_ID} does not exist`))
  })

  it('412 -> precondition with the reason', () => {
    const error = toApiError(
      sdkError(412, PROTECTED),
      ctx('deleteVersion', { secretId: SECRET_ID }),
    )
    expect(error.kind).toBe('precondition')
    expect(error.message).toMatch(/protected_resource: cannot delete a protected secret/)
  })

  it('400 duplicate name -> invalid, recognisable', () => {
    const error = toApiError(sdkError(400, DUPLICATE_NAME), ctx('createSecret'))
    expect(error.kind).toBe('invalid')
    expect(error.message).toMatch(/a secret with this name already exists at this path/)
  })

  it('400 on the payload never quotes the help text (it may echo the value)', () => {
    const body = {
      type: 'invalid_arguments',
      message: 'invalid argument(s)',
      details: [{ argument_name: 'data', reason: 'format', help_message: 'got {"pw":"hunter2"}' }],
    }
    const error = toApiError(sdkError(400, body), ctx('createVersion', { secretId: SECRET_ID }))
    expect(error.kind).toBe('invalid')
    expect(error.message).not.toMatch(/already exists/)
    expect(error.message).toContain('data (format)')
    expect(error.message).not.toContain('hunter2')
  })

  it('a bare 429 (plain ScalewayError) -> rate_limited', () => {
    const error = toApiError(new Errors.ScalewayError(429, ''), ctx('listSecrets'))
    expect(error.kind).toBe('rate_limited')
  })

  it('5xx -> server', () => {
    const error = toApiError(new Errors.ScalewayError(502, 'bad gateway'), ctx('protectSecret'))
    expect(error.kind).toBe('server')
    expect(error.status).toBe(502)
  })

  it('re-words errors from the HTTP layer with the operation, keeping their kind', () => {
    const raw = new ApiError({
      kind: 'ambiguous_write',
      route: 'POST /secrets/{id}/versions',
      attempts: 1,
      elapsedMs: 12,
      networkCode: 'ECONNRESET',
    })
    expect(raw.message).toMatch(/^POST \/secrets\/\{id\}\/versions failed: .*ECONNRESET/)
    const error = toApiError(raw, ctx('createVersion', { secretId: SECRET_ID }))
    expect(error.kind).toBe('ambiguous_write')
    expect(error.facts.operation).toBe('createVersion')
    expect(error.facts.route).toBe('POST /secrets/{id}/versions')
    expect(error.message).toMatch(
      new RegExp(`^Could not create a version of secret ${SECRET_ID} .*ECONNRESET`),
    )
  })

  it('wraps anything else as an unexpected server-side failure', () => {
    const error = toApiError(new TypeError('Unmarshalling failed'), ctx('protectSecret'))
    expect(error).toBeInstanceOf(ApiError)
    expect(error.kind).toBe('server')
    expect(error.message).toMatch(/unexpected TypeError/)
    // The message of an unknown error may quote what it failed on: never repeated.
    expect(error.message).not.toContain('Unmarshalling failed')
  })
})
