// The one collection read the plugin and the recordings use: the list of secrets.

import { isUuid } from '../../src/core/secret-manager.js'
import { type Handler, ok, type RequestContext } from '../context.js'
import { invalidArgument } from '../errors.js'
import { pageOf, readBoolean, readEnum, readNonEmpty, readPage } from '../query.js'
import { normalizePath } from '../secret-fields.js'
import { ORDER_BYS, type SecretRecord, WIRE_SECRET_TYPES } from '../types.js'
import { secretWire } from '../wire.js'

type Filter = (s: SecretRecord) => boolean

const readProjectFilter = (ctx: RequestContext): Filter => {
  const projectId = readNonEmpty(ctx.query, 'project_id')
  if (projectId === undefined) return (s) => ctx.principal.allowsProject(s.projectId)
  if (!isUuid(projectId)) throw invalidArgument('project_id', 'format', 'project_id must be a UUID')
  ctx.requireProject(projectId)
  const wanted = projectId.toLowerCase()
  return (s) => s.projectId === wanted
}

const readTagsFilter = (query: URLSearchParams): Filter => {
  const tags = query.getAll('tags').filter((t) => t !== '')
  return (s) => tags.every((t) => s.tags.includes(t))
}

const readTypeFilter = (query: URLSearchParams): Filter => {
  const type = readEnum(query, 'type', WIRE_SECRET_TYPES)
  return (s) => type === undefined || type === 'unknown_type' || s.type === type
}

const readOptionalFilter = <T>(value: T | undefined, test: (s: SecretRecord, v: T) => boolean) =>
  value === undefined ? () => true : (s: SecretRecord) => test(s, value)

const readPathFilter = (query: URLSearchParams): Filter => {
  const raw = readNonEmpty(query, 'path')
  const path = raw === undefined ? undefined : normalizePath(raw)
  return readOptionalFilter(path, (s, p) => s.path === p)
}

// The SDK calls this a filter: false (the default) hides secrets scheduled for deletion and
// true shows only them.
const readDeletionFilter = (query: URLSearchParams): Filter => {
  const wanted = readBoolean(query, 'scheduled_for_deletion') ?? false
  return (s) => (s.deletionRequestedAt !== null) === wanted
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const readOrder = (query: URLSearchParams) => {
  const orderBy = readEnum(query, 'order_by', ORDER_BYS) ?? 'name_asc'
  const field = orderBy.startsWith('name')
    ? 'name'
    : orderBy.startsWith('created')
      ? 'createdAt'
      : 'updatedAt'
  const sign = orderBy.endsWith('asc') ? 1 : -1
  return (a: SecretRecord, b: SecretRecord): number =>
    sign *
    (byText(a[field], b[field]) || byText(`${a.path}\u0000${a.id}`, `${b.path}\u0000${b.id}`))
}

export const listSecrets: Handler = (ctx) => {
  const q = ctx.query
  const name = readNonEmpty(q, 'name')
  const filters = [
    readProjectFilter(ctx),
    readOptionalFilter(name, (s, n) => s.name === n),
    readPathFilter(q),
    readTagsFilter(q),
    readTypeFilter(q),
    readDeletionFilter(q),
  ]
  const order = readOrder(q)
  const page = readPage(q, ctx.defaultPageSize)
  const found = [...ctx.store.all()]
    .filter((s) => s.region === ctx.region && filters.every((f) => f(s)))
    .sort(order)
  return ok({
    secrets: pageOf(found, page).map(secretWire),
    total_count: found.length,
  })
}
