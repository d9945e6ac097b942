// Debug summary of a resolved config: one line per key, with where the value came from.
// Built from the resolved values, so the secret key can only ever appear as its mask.
import type { ExporterConfig, ImporterConfig } from './types.js'

type Row = readonly [key: string, value: string, source?: string]
/** Plain options have no fallback chain: either the user set them or the default applies. */
type OptionRow = (key: string, value: string) => Row

const NOT_SET = '(not set)'

const list = (items: readonly string[]): string => (items.length === 0 ? '(none)' : items.join(','))

function ownRows(config: ImporterConfig | ExporterConfig, option: OptionRow): Row[] {
  if (config.kind === 'importer') {
    return [
      option('tags', list(config.tags)),
      option('name', config.name?.pattern ?? NOT_SET),
      option('type', config.type ?? NOT_SET),
      option('include_managed', String(config.includeManaged)),
      option('include_deleted_metadata', String(config.includeDeletedMetadata)),
      option('read_disabled', String(config.readDisabled)),
    ]
  }
  return [
    option('on_conflict', config.onConflict),
    option('dry_run', String(config.dryRun)),
    option('update_metadata', String(config.updateMetadata)),
    option('preserve_revisions', String(config.preserveRevisions)),
    option('key_id', config.keyId ?? NOT_SET),
  ]
}

export function describeConfig(
  config: ImporterConfig | ExporterConfig,
  given: ReadonlySet<string>,
): string {
  const option: OptionRow = (key, value) => [key, value, given.has(key) ? 'config' : 'default']
  const { provenance: from, rateLimit } = config
  const rows: Row[] = [
    ['location', config.location, 'config'],
    ['region', config.region, from.region],
    ['project_id', config.projectId, from.project_id],
    ['folder', config.folder, given.has('path') ? 'config (path)' : 'location'],
    ['profile', config.profile ?? NOT_SET],
    ['access_key', config.accessKey ?? NOT_SET, from.access_key],
    ['secret_key', String(config.secretKey), from.secret_key],
    ['api_url', config.apiUrl ?? NOT_SET, from.api_url],
    option('environment', config.environment ?? NOT_SET),
    option('data_class', list(config.dataClass)),
    option('concurrency', String(config.concurrency)),
    option('rate_limit', rateLimit === 0 ? '0 (no pacing)' : `${rateLimit}/s`),
    option('request_timeout', `${config.timeoutMs}ms`),
    option('max_retries', String(config.maxRetries)),
    ...ownRows(config, option),
  ]
  const width = Math.max(...rows.map(([key]) => key.length))
  return rows
    .map(([key, value, source]) => `${key.padEnd(width)}  ${value}${source ? `  (${source})` : ''}`)
    .join('\n')
}
