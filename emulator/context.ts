// What a route handler gets and returns, plus the lookups every secret route starts with.

import { isUuid, parseRevision, type RevisionRef } from '../src/core/secret-manager.js'
import type { Fields } from './body.js'
import { expireDueVersions } from './ephemeral.js'
import { ApiError, invalidArgument, type JsonObject, notFound } from './errors.js'
import type { Principal } from './keys.js'
import type { SecretStore } from './store.js'
import type { Region, SecretRecord, VersionRecord } from './types.js'

export interface RequestContext {
  region: Region
  params: Readonly<Record<string, string>>
  query: URLSearchParams
  body: Fields
  principal: Principal
  store: SecretStore
  defaultPageSize: number
  /** Throws the 403 a key gets for a project outside its scope. */
  requireProject(projectId: string): void
}

export interface Reply {
  status: 200 | 204
  body?: JsonObject
}

export type Handler = (ctx: RequestContext) => Reply

export const ok = (body: JsonObject): Reply => ({ status: 200, body })
export const noContent = (): Reply => ({ status: 204 })

const param = (ctx: RequestContext, name: string): string => {
  const value = ctx.params[name]
  if (value === undefined)
    throw new ApiError(500, { message: `missing ${name}`, type: 'internal_error' })
  return value
}

/** The secret named by the `{id}` path segment, in this region and an allowed project. */
export const loadSecret = (ctx: RequestContext): SecretRecord => {
  const id = param(ctx, 'id')
  if (!isUuid(id)) throw invalidArgument('secret_id', 'format', 'secret_id must be a valid UUID')
  const secret = ctx.store.get(id.toLowerCase())
  if (secret === undefined || secret.region !== ctx.region) throw notFound('secret', id)
  ctx.requireProject(secret.projectId)
  expireDueVersions(secret, ctx.store.clock)
  return secret
}

const revisionRef = (raw: string): RevisionRef => {
  if (raw === 'latest' || raw === 'latest_enabled') return raw
  const ref = parseRevision(raw)
  if (ref !== undefined) return ref
  throw invalidArgument(
    'revision',
    'format',
    'revision must be a positive integer, "latest" or "latest_enabled"',
  )
}

const findVersion = (secret: SecretRecord, ref: RevisionRef): VersionRecord | undefined => {
  if (ref === 'latest') return secret.versions.at(-1)
  if (ref === 'latest_enabled') return secret.versions.findLast((v) => v.status === 'enabled')
  return secret.versions[ref - 1]
}

/** The version named by `{rev}`: a number, `latest` or `latest_enabled`. */
export const loadVersion = (
  ctx: RequestContext,
  secret: SecretRecord = loadSecret(ctx),
): { secret: SecretRecord; version: VersionRecord } => {
  const version = findVersion(secret, revisionRef(param(ctx, 'rev')))
  if (version === undefined) throw notFound('secret_version', secret.id)
  return { secret, version }
}
