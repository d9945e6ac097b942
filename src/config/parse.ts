// Entry points: raw map -> each key's schema -> source resolution -> frozen, typed config.
import type { z } from 'zod'
import { describeConfig } from './describe.js'
import { ConfigError, type ConfigProblem, type Connector, quoteValue } from './errors.js'
import { parseKeys, type Stage } from './keys.js'
import { exporterRawSchema, importerRawSchema } from './options.js'
import { resolveConnection } from './sources.js'
import type { CommonConfig, ExporterConfig, ImporterConfig, ParseContext } from './types.js'

type Raw = Readonly<Record<string, string>>
type Schema = typeof importerRawSchema | typeof exporterRawSchema

interface Parsed<S extends Schema> {
  readonly data: z.output<S>
  readonly common: Omit<CommonConfig, 'describe' | 'folder'>
  readonly given: ReadonlySet<string>
}

/**
 * Parses every key and resolves the connection, collecting all problems (`check` may add
 * its own) before throwing them as one ConfigError.
 */
function parse<S extends Schema>(
  connector: Connector,
  schema: S,
  raw: Raw,
  context: ParseContext,
  check: (stage: Stage<S>) => void = () => {},
): Parsed<S> {
  const stage = parseKeys(schema, raw, connector)
  const connection = resolveConnection(stage, context, stage.problems)
  check(stage)
  if (stage.problems.length > 0) throw new ConfigError(connector, stage.problems)
  if (connection === undefined) {
    // Every path that leaves it undefined records a problem; this guards that claim.
    throw new Error(`scw-secret ${connector} configuration: resolution failed without a reason`)
  }
  // No problem: every key of the schema parsed, so the values are complete.
  const data = stage.values as z.output<S>
  const common = {
    location: data.location.text,
    ...connection,
    environment: data.environment,
    dataClass: data.data_class,
    concurrency: data.concurrency,
    rateLimit: data.rate_limit,
    timeoutMs: data.request_timeout,
    maxRetries: data.max_retries,
  }
  return { data, common, given: stage.given }
}

export function parseImporterConfig(raw: Raw, context: ParseContext = {}): ImporterConfig {
  const { data, common, given } = parse('importer', importerRawSchema, raw, context)
  const config: ImporterConfig = {
    kind: 'importer',
    ...common,
    folder: data.location.folder,
    tags: data.tags,
    name: data.name,
    type: data.type,
    includeManaged: data.include_managed,
    includeDeletedMetadata: data.include_deleted_metadata,
    readDisabled: data.read_disabled,
    describe: () => describeConfig(config, given),
  }
  return Object.freeze(config)
}

/** `path` and a folder in the location both re-root the restore; they may not disagree. */
function checkFolder({ values, problems }: Stage<typeof exporterRawSchema>): void {
  const fromLocation = values.location?.folder ?? '/'
  const { path } = values
  if (path === undefined || fromLocation === '/' || fromLocation === path) return
  const problem: ConfigProblem = {
    key: 'path',
    text:
      `path: ${quoteValue('path', path)} differs from the folder ` +
      `${quoteValue('location', fromLocation)} ` +
      'given by the location. Give the target folder in only one place, or make them agree.',
  }
  problems.push(problem)
}

export function parseExporterConfig(raw: Raw, context: ParseContext = {}): ExporterConfig {
  const { data, common, given } = parse('exporter', exporterRawSchema, raw, context, checkFolder)
  const config: ExporterConfig = {
    kind: 'exporter',
    ...common,
    folder: data.path ?? data.location.folder,
    onConflict: data.on_conflict,
    dryRun: data.dry_run,
    updateMetadata: data.update_metadata,
    preserveRevisions: data.preserve_revisions,
    keyId: data.key_id,
    describe: () => describeConfig(config, given),
  }
  return Object.freeze(config)
}
