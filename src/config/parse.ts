// Entry points: raw map -> each key's schema -> source resolution -> frozen, typed config.
// The config types are what these functions return.
import type { z } from 'zod'
import { ConfigError, type Connector, keyHider, quoteValue } from './errors.js'
import { parseKeys, type Stage } from './keys.js'
import { exporterRawSchema, importerRawSchema } from './options.js'
import { type ParseContext, resolveConnection } from './sources.js'

type Raw = Readonly<Record<string, string>>
type Schema = typeof importerRawSchema | typeof exporterRawSchema

/**
 * Parses every key and resolves the connection, collecting all problems (`check` may add
 * its own) before throwing them as one ConfigError. Returns the config, frozen: the settings
 * both connectors share, then the connector's `own`, and a debug dump of them all.
 */
function parse<K extends Connector, S extends Schema, T extends object>(
  kind: K,
  schema: S,
  raw: Raw,
  context: ParseContext,
  own: (data: z.output<S>) => T,
  check: (stage: Stage<S>) => void = () => {},
) {
  const stage = parseKeys(schema, raw, kind)
  const { settings: connection, secretKeys } = resolveConnection(stage, context)
  const hide = keyHider([...secretKeys, raw.secret_key, raw.secret_access_key])
  check(stage)
  if (stage.problems.length > 0) throw new ConfigError(kind, stage.problems, hide)
  if (connection === undefined) {
    // Every path that leaves it undefined records a problem; this guards that claim.
    throw new Error(`scw-secret ${kind} configuration: resolution failed without a reason`)
  }
  // No problem: every key of the schema parsed, so the values are complete.
  const data = stage.values as z.output<S>
  const config = {
    kind,
    /** The location exactly as Plakar passed it. */
    location: data.location.text,
    ...connection,
    environment: data.environment,
    dataClass: data.data_class,
    concurrency: data.concurrency,
    rateLimit: data.rate_limit,
    timeoutMs: data.request_timeout,
    maxRetries: data.max_retries,
    ...own(data),
  }
  // One line per setting, the secret key masked.
  const describe = () => {
    const rows = Object.entries(config).filter(([key]) => key !== 'warnings')
    const width = Math.max(...rows.map(([key]) => key.length))
    const lines = rows.map(([key, value]) => `${key.padEnd(width)}  ${value ?? '(not set)'}`)
    return hide(lines.join('\n'))
  }
  return Object.freeze({ ...config, describe })
}

export function parseImporterConfig(raw: Raw, context: ParseContext = {}) {
  return parse('importer', importerRawSchema, raw, context, (data) => ({
    /** Canonical Secret Manager path ('/' or '/a/b'): the subtree backed up. */
    folder: data.location.folder,
    tags: data.tags,
    name: data.name,
    type: data.type,
    includeManaged: data.include_managed,
    includeDeletedMetadata: data.include_deleted_metadata,
    readDisabled: data.read_disabled,
  }))
}

/** `path` and a folder in the location both re-root the restore; they may not disagree. */
function checkFolder({ values, problems }: Stage<typeof exporterRawSchema>): void {
  const fromLocation = values.location?.folder ?? '/'
  const { path } = values
  if (path === undefined || fromLocation === '/' || fromLocation === path) return
  problems.push({
    key: 'path',
    text:
      `path: ${quoteValue('path', path)} differs from the folder ` +
      `${quoteValue('location', fromLocation)} ` +
      'given by the location. Give the target folder in only one place, or make them agree.',
  })
}

export function parseExporterConfig(raw: Raw, context: ParseContext = {}) {
  const own = (data: z.output<typeof exporterRawSchema>) => ({
    /** Canonical Secret Manager path ('/' or '/a/b'): the subtree restored into. */
    folder: data.path ?? data.location.folder,
    onConflict: data.on_conflict,
    dryRun: data.dry_run,
    updateMetadata: data.update_metadata,
    preserveRevisions: data.preserve_revisions,
    keyId: data.key_id,
  })
  return parse('exporter', exporterRawSchema, raw, context, own, checkFolder)
}

export type ImporterConfig = ReturnType<typeof parseImporterConfig>
export type ExporterConfig = ReturnType<typeof parseExporterConfig>
/** What both connectors share (connection, pacing, folder). */
export type CommonConfig = ImporterConfig | ExporterConfig
