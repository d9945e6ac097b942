// Turns a concrete request into a stable route label, so statistics and retry logs group
// calls by what they do rather than by which secret they touched, and never echo query
// strings (which carry secret names and paths).
import { UUID_TEXT } from '../core/secret-manager.js'

const API_PREFIX = /^\/secret-manager\/v1beta1\/regions\/[^/]+/
/** The id after /secrets (but /secrets/browse is a route), the revision after /versions. */
const SECRET_ID = /\/secrets\/(?!browse(?:\/|$))[^/]+/g
const REVISION = /\/versions\/[^/]+/g
const ANY_UUID = new RegExp(`/${UUID_TEXT}(?=/|$)`, 'gi')

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

/** `GET /secrets/{id}/versions/{rev}/access` from a method and a `/path?query`. */
export function routeOf(method: string, path: string): string {
  const query = path.indexOf('?')
  const route = path
    .slice(0, query < 0 ? undefined : query)
    .replace(API_PREFIX, '')
    .replace(SECRET_ID, '/secrets/{id}')
    .replace(REVISION, '/versions/{rev}')
    .replace(ANY_UUID, '/{id}')
  return `${method.toUpperCase()} ${route || '/'}`
}

export function classifyRoute(route: string): RouteClass {
  if (!route.startsWith('GET ')) return 'write'
  return route.endsWith('/access') ? 'access' : 'read'
}

/**
 * A request that adds a resource each time it is applied (POST /secrets, /secrets/{id}/versions).
 * Unknown POSTs count as creates: assuming the worst keeps a lost answer from making a duplicate.
 */
export function isCreate(route: string): boolean {
  if (!route.startsWith('POST ')) return false
  const last = route.slice(route.lastIndexOf('/') + 1)
  return !IDEMPOTENT_POST_ACTIONS.has(last)
}
