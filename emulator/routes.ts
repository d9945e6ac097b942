// The v1beta1 routes the plugin calls or the recorded traffic exercises (browse, tags,
// secret types, add-owner and access by path are neither): one row per route, with the
// permission it needs, the IAM action and resource a 403 names, and whether it writes (for
// drop-after-write faults).
// Templates are relative to /secret-manager/v1beta1/regions/{region}; they double as the keys
// of the request counters.

import type { Handler } from './context.js'
import { listSecrets } from './handlers/listing.js'
import {
  createSecret,
  deleteSecret,
  getSecret,
  protectSecret,
  restoreSecret,
  unprotectSecret,
  updateSecret,
} from './handlers/secrets.js'
import {
  accessVersion,
  createVersion,
  deleteVersion,
  disableVersion,
  enableVersion,
  getVersion,
  listVersions,
  restoreVersion,
  updateVersion,
} from './handlers/versions.js'
import type { Permission } from './keys.js'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface Route {
  method: Method
  template: string
  permission: Permission
  action: string
  resource: 'secret' | 'secret_version'
  handler: Handler
}

const route = (
  method: Method,
  template: string,
  permission: Permission,
  action: string,
  resource: Route['resource'],
  handler: Handler,
): Route => ({ method, template, permission, action, resource, handler })

const S = 'secret'
const V = 'secret_version'

// Literal segments must come before `{id}` at the same depth.
export const ROUTES: readonly Route[] = [
  route('GET', '/secrets', 'read', 'list', S, listSecrets),
  route('POST', '/secrets', 'create', 'create', S, createSecret),
  route('GET', '/secrets/{id}', 'read', 'read', S, getSecret),
  route('PATCH', '/secrets/{id}', 'write', 'write', S, updateSecret),
  route('DELETE', '/secrets/{id}', 'write', 'delete', S, deleteSecret),
  route('POST', '/secrets/{id}/protect', 'write', 'write', S, protectSecret),
  route('POST', '/secrets/{id}/unprotect', 'write', 'write', S, unprotectSecret),
  route('POST', '/secrets/{id}/restore', 'restore', 'restore', S, restoreSecret),
  route('GET', '/secrets/{id}/versions', 'read', 'list', V, listVersions),
  route('POST', '/secrets/{id}/versions', 'write', 'create', V, createVersion),
  route('GET', '/secrets/{id}/versions/{rev}', 'read', 'read', V, getVersion),
  route('PATCH', '/secrets/{id}/versions/{rev}', 'write', 'write', V, updateVersion),
  route('DELETE', '/secrets/{id}/versions/{rev}', 'write', 'delete', V, deleteVersion),
  route('POST', '/secrets/{id}/versions/{rev}/enable', 'write', 'write', V, enableVersion),
  route('POST', '/secrets/{id}/versions/{rev}/disable', 'write', 'write', V, disableVersion),
  route('POST', '/secrets/{id}/versions/{rev}/restore', 'restore', 'restore', V, restoreVersion),
  route('GET', '/secrets/{id}/versions/{rev}/access', 'access', 'access', V, accessVersion),
]

export const isWrite = (method: string): boolean =>
  method === 'POST' || method === 'PATCH' || method === 'DELETE'
