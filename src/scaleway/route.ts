// Turns a concrete request into a stable route label, so statistics and retry logs group
// calls by what they do rather than by which secret they touched, and never echo query
// strings (which carry secret names and paths).
import { isUuid } from '../core/secret-manager.js'

const API_PREFIX = /^\/secret-manager\/v1beta1\/regions\/[^/]+/

/** Actions that set a state rather than add something: repeating them converges. */
const IDEMPOTENT_POST_ACTIONS = new Set([
  'protect',
  'unprotect',
  'restore',
  'enable',
  'disable',
  'add-owner',
])

export type RouteClass = 'read' | 'access' | 'write'

function templateSegment(segment: string, previous: string | undefined): string {
  if (previous === 'secrets' && segment !== 'browse') return '{id}'
  if (previous === 'versions') return '{rev}'
  return isUuid(segment) ? '{id}' : segment
}

/** `GET /secrets/{id}/versions/{rev}/access` from a method and a full URL or path. */
export function routeOf(method: string, url: string): string {
  const path = new URL(url, 'http://route.invalid').pathname.replace(API_PREFIX, '')
  const segments = path.split('/').filter((s) => s.length > 0)
  const templated = segments.map((s, i) => templateSegment(s, segments[i - 1]))
  return `${method.toUpperCase()} /${templated.join('/')}`
}

export function classifyRoute(route: string): RouteClass {
  if (!route.startsWith('GET ')) return 'write'
  return route.endsWith('/access') ? 'access' : 'read'
}

/**
 * A request that adds a resource each time it is applied (POST /secrets, POST
 * /secrets/{id}/versions). Unknown POSTs count as creates: assuming the worst is what
 * keeps a lost answer from turning into a duplicate.
 */
export function isCreate(route: string): boolean {
  if (!route.startsWith('POST ')) return false
  const last = route.slice(route.lastIndexOf('/') + 1)
  return !IDEMPOTENT_POST_ACTIONS.has(last)
}
