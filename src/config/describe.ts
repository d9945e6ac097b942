// Debug summary of a resolved config: one line per key, with where the value came from.
// Built from the resolved values, so the secret key can only ever appear as its mask.
import type { CommonConfig } from './types.js'

const NOT_SET = '(not set)'

function shown(key: string, value: unknown): string {
  if (value === undefined) return NOT_SET
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',')
  if (key === 'rate_limit') return value === 0 ? '0 (no pacing)' : `${value}/s`
  if (key === 'request_timeout') return `${value}ms`
  return String(value)
}

/** `options`: the parsed value of every key, in schema order; `given`: the keys the user set. */
export function describeConfig(
  config: CommonConfig,
  options: Readonly<Record<string, unknown>>,
  given: ReadonlySet<string>,
): string {
  const from = config.provenance
  const rows: (readonly [key: string, value: string, source?: string])[] = [
    ['location', config.location, 'config'],
    ['region', config.region, from.region],
    ['project_id', config.projectId, from.project_id],
    ['folder', config.folder, given.has('path') ? 'config (path)' : 'location'],
    ['profile', config.profile ?? NOT_SET],
    ['access_key', config.accessKey ?? NOT_SET, from.access_key],
    ['secret_key', String(config.secretKey), from.secret_key],
    ['api_url', config.apiUrl ?? NOT_SET, from.api_url],
  ]
  // The rest are plain options; `path` is the folder above, secret_access_key the secret key.
  const above = new Set([...rows.map(([key]) => key), 'path', 'secret_access_key'])
  for (const [key, value] of Object.entries(options)) {
    if (!above.has(key)) rows.push([key, shown(key, value), given.has(key) ? 'config' : 'default'])
  }
  const width = Math.max(...rows.map(([key]) => key.length))
  return rows
    .map(([key, value, source]) => `${key.padEnd(width)}  ${value}${source ? `  (${source})` : ''}`)
    .join('\n')
}
