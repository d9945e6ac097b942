// Entry points: raw map -> raw schema -> source resolution -> frozen, typed config.
import { describeExporter, describeImporter } from './describe.js'
import { ConfigError, type ConfigProblem, type Connector, quoteValue } from './errors.js'
import {
  type ExporterRaw,
  exporterRawSchema,
  type ImporterRaw,
  importerRawSchema,
} from './options.js'
import { runRawSchema } from './raw-stage.js'
import { type Connection, resolveConnection } from './sources.js'
import type { CommonConfig, ExporterConfig, ImporterConfig, ParseContext } from './types.js'

type CommonPart = Omit<CommonConfig, 'describe' | 'folder'>

function commonPart(data: ImporterRaw | ExporterRaw, connection: Connection): CommonPart {
  return {
    location: data.location.text,
    ...connection,
    environment: data.environment,
    dataClass: data.data_class,
    concurrency: data.concurrency,
    rateLimit: data.rate_limit,
    timeoutMs: data.request_timeout,
    maxRetries: data.max_retries,
  }
}

/** Throws the collected problems, or hands back what is now known to be complete. */
function complete<T>(
  connector: Connector,
  problems: readonly ConfigProblem[],
  data: T | undefined,
  connection: Connection | undefined,
): { data: T; connection: Connection } {
  if (problems.length > 0) throw new ConfigError(connector, problems)
  if (data === undefined || connection === undefined) {
    // Every path that leaves these undefined records a problem; this guards that claim.
    throw new Error(`scw-secret ${connector} configuration: resolution failed without a reason`)
  }
  return { data, connection }
}

export function parseImporterConfig(
  raw: Readonly<Record<string, string>>,
  context: ParseContext = {},
): ImporterConfig {
  const stage = runRawSchema(importerRawSchema, raw, 'importer')
  const resolved = resolveConnection(stage, context, stage.problems)
  const { data, connection } = complete('importer', stage.problems, stage.data, resolved)
  const config: ImporterConfig = {
    kind: 'importer',
    ...commonPart(data, connection),
    folder: data.location.folder,
    tags: data.tags,
    name: data.name,
    type: data.type,
    includeManaged: data.include_managed,
    includeDeletedMetadata: data.include_deleted_metadata,
    readDisabled: data.read_disabled,
    describe: () => describeImporter(config, stage.given),
  }
  return Object.freeze(config)
}

/** `path` and a folder in the location both re-root the restore; they may not disagree. */
function exporterFolder(values: Partial<ExporterRaw>, problems: ConfigProblem[]): string {
  const fromLocation = values.location?.folder ?? '/'
  const { path } = values
  if (path === undefined) return fromLocation
  if (fromLocation !== '/' && fromLocation !== path) {
    problems.push({
      key: 'path',
      text:
        `path: ${quoteValue('path', path)} differs from the folder ` +
        `${quoteValue('location', fromLocation)} ` +
        'given by the location. Give the target folder in only one place, or make them agree.',
    })
  }
  return path
}

export function parseExporterConfig(
  raw: Readonly<Record<string, string>>,
  context: ParseContext = {},
): ExporterConfig {
  const stage = runRawSchema(exporterRawSchema, raw, 'exporter')
  const resolved = resolveConnection(stage, context, stage.problems)
  const folder = exporterFolder(stage.values, stage.problems)
  const { data, connection } = complete('exporter', stage.problems, stage.data, resolved)
  const config: ExporterConfig = {
    kind: 'exporter',
    ...commonPart(data, connection),
    folder,
    onConflict: data.on_conflict,
    dryRun: data.dry_run,
    updateMetadata: data.update_metadata,
    preserveRevisions: data.preserve_revisions,
    keyId: data.key_id,
    describe: () => describeExporter(config, stage.given),
  }
  return Object.freeze(config)
}
