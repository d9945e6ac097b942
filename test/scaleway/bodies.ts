// Wire bodies shaped like the real API's (keys, order and null conventions from the
// recorded traffic described in the shared API notes).
import { Answer } from '../../src/scaleway/transport.js'

export const PROJECT_ID = '105bdce1-64c0-48ab-899d-868455867ecf'
export const SECRET_ID = '842d724a-1e9c-4017-ac08-6bf83cab4c64'
export const API_PREFIX = '/secret-manager/v1beta1/regions/fr-par'

export function secretBody(overrides: Record<string, unknown> = {}) {
  return {
    id: SECRET_ID,
    project_id: PROJECT_ID,
    name: 'secretVersionNameBasic',
    status: 'ready',
    created_at: '2026-07-03T15:27:59.863920Z',
    updated_at: '2026-07-03T15:27:59.863920Z',
    tags: ['devtools', 'provider', 'terraform'],
    version_count: 0,
    description: 'secret description',
    managed: false,
    type: 'opaque',
    protected: false,
    path: '/',
    ephemeral_policy: null,
    used_by: [],
    deletion_requested_at: null,
    key_id: null,
    region: 'fr-par',
    ...overrides,
  }
}

export function versionBody(revision: number, overrides: Record<string, unknown> = {}) {
  return {
    revision,
    secret_id: SECRET_ID,
    status: 'enabled',
    created_at: '2026-07-03T15:28:00.329374Z',
    updated_at: '2026-07-03T15:28:00.329374Z',
    deleted_at: null,
    description: `version${revision}`,
    latest: true,
    ephemeral_properties: null,
    deletion_requested_at: null,
    region: 'fr-par',
    ...overrides,
  }
}

export function accessBody(data: string, dataCrc32: number | null, revision = 1) {
  return { secret_id: SECRET_ID, revision, data, data_crc32: dataCrc32, type: 'opaque' }
}

export const NOT_FOUND = {
  message: 'resource is not found',
  resource: 'secret',
  resource_id: SECRET_ID,
  type: 'not_found',
}

export const DUPLICATE_NAME = {
  type: 'invalid_arguments',
  message: 'invalid argument(s)',
  details: [
    {
      argument_name: 'name',
      reason: 'format',
      help_message: 'cannot have same secret name in same path',
    },
  ],
}

export const PROTECTED = {
  help_message: 'cannot delete a protected secret',
  message: 'precondition is not respected',
  precondition: 'protected_resource',
  type: 'precondition_failed',
}

export const PERMISSION_DENIED = {
  type: 'permissions_denied',
  message: 'insufficient permissions',
  details: [{ resource: 'secret_manager', action: 'read' }],
}

export const QUOTA = {
  type: 'quotas_exceeded',
  message: 'quota(s) exceeded for this resource',
  details: [{ resource: 'secrets', quota: 100, current: 100, project_id: PROJECT_ID }],
}

export function deniedAuth(reason: 'invalid_argument' | 'not_found' | 'expired') {
  return {
    type: 'denied_authentication',
    method: 'api_key',
    reason,
    message: 'authentication is denied',
  }
}

/** An answer as a transport double hands it back: JSON when given a body. */
export function answer(status: number, body?: unknown): Answer {
  if (body === undefined) return new Answer(status, '', {}, Buffer.alloc(0))
  const headers = { 'content-type': 'application/json' }
  return new Answer(status, '', headers, Buffer.from(JSON.stringify(body)))
}
