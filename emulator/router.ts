// Maps a request path to a route of the table, capturing region and path parameters.

import { ROUTES, type Route } from './routes.js'

const PREFIX = ['secret-manager', 'v1beta1', 'regions']

interface CompiledRoute {
  route: Route
  segments: string[]
}

const compiled: CompiledRoute[] = ROUTES.map((route) => ({
  route,
  segments: route.template.split('/').slice(1),
}))

export interface Match {
  route: Route
  /** Raw region segment; the server checks it is a known region. */
  region: string
  params: Record<string, string>
}

export type Resolution =
  | { kind: 'match'; match: Match }
  /** A route key for the counters even when nothing matched. */
  | { kind: 'none'; key: string }

const safeDecode = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}

const matchSegments = (pattern: string[], actual: string[]): Record<string, string> | undefined => {
  if (pattern.length !== actual.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, part] of pattern.entries()) {
    const value = actual[i] ?? ''
    if (part.startsWith('{')) {
      if (value === '') return undefined
      const decoded = safeDecode(value)
      if (decoded === undefined) return undefined
      params[part.slice(1, -1)] = decoded
    } else if (part !== value) {
      return undefined
    }
  }
  return params
}

export const resolve = (method: string, pathname: string): Resolution => {
  const parts = pathname.split('/').slice(1)
  const region = parts[3]
  const prefixOk = PREFIX.every((p, i) => parts[i] === p) && region !== undefined && region !== ''
  if (prefixOk) {
    const rest = parts.slice(4)
    for (const candidate of compiled) {
      if (candidate.route.method !== method) continue
      const params = matchSegments(candidate.segments, rest)
      if (params) return { kind: 'match', match: { route: candidate.route, region, params } }
    }
  }
  return { kind: 'none', key: `${method} (unmatched)` }
}

export const routeKey = (route: Route): string => `${route.method} ${route.template}`
