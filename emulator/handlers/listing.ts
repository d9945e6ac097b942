// Collection reads: list, browse, tags, secret types, and access by path.

import { isUuid } from '../../src/core/secret-manager.js'
import { type Handler, ok, type RequestContext } from '../context.js'
import { invalidArgument, notFound } from '../errors.js'
import { pageOf, readBoolean, readEnum, readNonEmpty, readPage } from '../query.js'
import { normalizePath } from '../secret-fields.js'
import { ORDER_BYS, type OrderBy, type SecretRecord, WIRE_SECRET_TYPES } from '../types.js'
import { browseFolderWire, browseSecretWire, secretWire } from '../wire.js'
import { accessOf } from './versions.js'

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

interface Sortable {
  name: string
  createdAt: string
  updatedAt: string
  tieBreak: string
}

const comparator = (orderBy: OrderBy) => {
  const [field, direction] = orderBy.startsWith('name')
    ? (['name', orderBy.endsWith('asc')] as const)
    : orderBy.startsWith('created')
      ? (['createdAt', orderBy.endsWith('asc')] as const)
      : (['updatedAt', orderBy.endsWith('asc')] as const)
  return (a: Sortable, b: Sortable): number => {
    const primary = byText(a[field], b[field]) || byText(a.tieBreak, b.tieBreak)
    return direction ? primary : -primary
  }
}

const readOrder = (query: URLSearchParams) =>
  comparator(readEnum(query, 'order_by', ORDER_BYS) ?? 'name_asc')

const sortableSecret = (s: SecretRecord): Sortable & { secret: SecretRecord } => ({
  name: s.name,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  tieBreak: `${s.path}\u0000${s.id}`,
  secret: s,
})

const matching = (ctx: RequestContext, filters: Filter[]): SecretRecord[] => {
  const out: SecretRecord[] = []
  for (const s of ctx.store.all()) {
    if (s.region === ctx.region && filters.every((f) => f(s))) out.push(s)
  }
  return out
}

export const listSecrets: Handler = (ctx) => {
  const q = ctx.query
  const name = readNonEmpty(q, 'name')
  const ephemeral = readBoolean(q, 'ephemeral')
  const filters = [
    readProjectFilter(ctx),
    readOptionalFilter(name, (s, n) => s.name === n),
    readPathFilter(q),
    readTagsFilter(q),
    readTypeFilter(q),
    readOptionalFilter(ephemeral, (s, e) => (s.ephemeralPolicy !== null) === e),
    readDeletionFilter(q),
  ]
  const order = readOrder(q)
  const page = readPage(q, ctx.defaultPageSize)
  const found = matching(ctx, filters).map(sortableSecret).sort(order)
  return ok({
    secrets: pageOf(found, page).map((s) => secretWire(s.secret)),
    total_count: found.length,
  })
}

interface BrowseItem extends Sortable {
  wire: () => ReturnType<typeof browseSecretWire>
}

const childFolder = (prefix: string, path: string): string | undefined => {
  const base = prefix === '/' ? '/' : `${prefix}/`
  if (!path.startsWith(base) || path === prefix) return undefined
  return path.slice(base.length).split('/')[0]
}

const folderItems = (prefix: string, secrets: SecretRecord[]): BrowseItem[] => {
  const folders = new Map<string, { createdAt: string; updatedAt: string }>()
  for (const s of secrets) {
    const name = childFolder(prefix, s.path)
    if (name === undefined) continue
    const seen = folders.get(name)
    folders.set(name, {
      createdAt: seen && seen.createdAt < s.createdAt ? seen.createdAt : s.createdAt,
      updatedAt: seen && seen.updatedAt > s.updatedAt ? seen.updatedAt : s.updatedAt,
    })
  }
  return [...folders].map(([name, times]) => ({
    name,
    ...times,
    tieBreak: '0',
    wire: () => browseFolderWire(name, times.createdAt, times.updatedAt),
  }))
}

export const browseSecrets: Handler = (ctx) => {
  const q = ctx.query
  const prefix = normalizePath(readNonEmpty(q, 'prefix') ?? '/', 'prefix')
  const filters = [readProjectFilter(ctx), readTagsFilter(q), readTypeFilter(q)]
  const order = readOrder(q)
  const page = readPage(q, ctx.defaultPageSize)
  const live = matching(ctx, [...filters, (s) => s.deletionRequestedAt === null])
  const secretItems: BrowseItem[] = live
    .filter((s) => s.path === prefix)
    .map((s) => ({ ...sortableSecret(s), tieBreak: `1${s.id}`, wire: () => browseSecretWire(s) }))
  const items = [...folderItems(prefix, live), ...secretItems].sort(order)
  return ok({
    items: pageOf(items, page).map((item) => item.wire()),
    current_path: prefix,
    total_count: items.length,
  })
}

const liveInProject = (ctx: RequestContext): SecretRecord[] =>
  matching(ctx, [readProjectFilter(ctx), (s) => s.deletionRequestedAt === null])

export const listTags: Handler = (ctx) => {
  const page = readPage(ctx.query, ctx.defaultPageSize)
  const tags = [...new Set(liveInProject(ctx).flatMap((s) => s.tags))].sort(byText)
  return ok({ tags: pageOf(tags, page), total_count: tags.length })
}

export const listSecretTypes: Handler = (ctx) => {
  const page = readPage(ctx.query, ctx.defaultPageSize)
  const used = new Set(liveInProject(ctx).map((s) => s.type))
  const types = WIRE_SECRET_TYPES.filter((t) => used.has(t))
  return ok({ types: pageOf(types, page), total_count: types.length })
}

export const accessByPath: Handler = (ctx) => {
  const q = ctx.query
  const projectId = readNonEmpty(q, 'project_id')
  if (projectId === undefined)
    throw invalidArgument('project_id', 'required', 'project_id is required')
  if (!isUuid(projectId)) throw invalidArgument('project_id', 'format', 'project_id must be a UUID')
  const name = readNonEmpty(q, 'secret_name')
  if (name === undefined)
    throw invalidArgument('secret_name', 'required', 'secret_name is required')
  const path = normalizePath(readNonEmpty(q, 'secret_path') ?? '/', 'secret_path')
  ctx.requireProject(projectId)
  const wanted = projectId.toLowerCase()
  const secret = matching(ctx, [
    (s) => s.projectId === wanted && s.path === path && s.name === name,
    (s) => s.deletionRequestedAt === null,
  ])[0]
  if (secret === undefined) throw notFound('secret', name)
  return accessOf(ctx, secret)
}
