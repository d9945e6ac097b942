// Debug summary of a resolved config: one line per key, with where the value came from.
// Built from the resolved values, so the secret key can only ever appear as its mask.
import type { CommonConfig, ExporterConfig, ImporterConfig } from './types.js'

type Row = readonly [key: string, value: string, source?: string]

const NOT_SET = '(not set)'

const list = (items: readonly string[]): string => (items.length === 0 ? '(none)' : items.join(','))

/** Plain options have no fallback chain: either the user set them or the default applies. */
function optionRow(given: ReadonlySet<string>, key: string, value: string): Row {
  return [key, value, given.has(key) ? 'config' : 'default']
}

function commonRows(config: CommonConfig, given: ReadonlySet<string>, folderSource: string): Row[] {
  const { provenance } = config
  return [
    ['location', config.location, 'config'],
    ['region', config.region, provenance.region],
    ['project_id', config.projectId, provenance.project_id],
    ['folder', config.folder, folderSource],
    ['profile', config.profile ?? NOT_SET],
    ['access_key', config.accessKey ?? NOT_SET, provenance.access_key],
    ['secret_key', String(config.secretKey), provenance.secret_key],
    ['api_url', config.apiUrl ?? NOT_SET, provenance.api_url],
    optionRow(given, 'environment', config.environment ?? NOT_SET),
    optionRow(given, 'data_class', list(config.dataClass)),
    optionRow(given, 'concurrency', String(config.concurrency)),
    optionRow(
      given,
      'rate_limit',
      config.rateLimit === 0 ? '0 (no pacing)' : `${config.rateLimit}/s`,
    ),
    optionRow(given, 'request_timeout', `${config.timeoutMs}ms`),
    optionRow(given, 'max_retries', String(config.maxRetries)),
  ]
}

function render(rows: readonly Row[]): string {
  const width = Math.max(...rows.map(([key]) => key.length))
  return rows
    .map(([key, value, source]) => {
      const origin = source === undefined ? '' : `  (${source})`
      return `${key.padEnd(width)}  ${value}${origin}`
    })
    .join('\n')
}

export function describeImporter(config: ImporterConfig, given: ReadonlySet<string>): string {
  return render([
    ...commonRows(config, given, 'location'),
    optionRow(given, 'tags', list(config.tags)),
    optionRow(given, 'name', config.name?.pattern ?? NOT_SET),
    optionRow(given, 'type', config.type ?? NOT_SET),
    optionRow(given, 'include_managed', String(config.includeManaged)),
    optionRow(given, 'include_deleted_metadata', String(config.includeDeletedMetadata)),
    optionRow(given, 'read_disabled', String(config.readDisabled)),
  ])
}

export function describeExporter(config: ExporterConfig, given: ReadonlySet<string>): string {
  const folderSource = given.has('path') ? 'config (path)' : 'location'
  return render([
    ...commonRows(config, given, folderSource),
    optionRow(given, 'on_conflict', config.onConflict),
    optionRow(given, 'dry_run', String(config.dryRun)),
    optionRow(given, 'update_metadata', String(config.updateMetadata)),
    optionRow(given, 'preserve_revisions', String(config.preserveRevisions)),
    optionRow(given, 'key_id', config.keyId ?? NOT_SET),
  ])
}
