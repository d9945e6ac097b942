// Init of the importer: config -> API client, filters and the backup's own record.
import { parseImporterConfig } from '../config/index.js'
import { clientFor, originOf, TOOL_VERSION } from '../connector.js'
import { invalidArgument } from '../plugin/grpc-errors.js'
import type { InitRequest } from '../plugin/messages.js'
import { readAheadWindow } from './readahead.js'
import type { ImporterSession } from './service.js'

/**
 * Fixes the read-ahead window, 0 turning it off: for tests that need the importer's
 * reads in a known order, and for diagnosing. Not a config key: users tune
 * rate_limit and concurrency, which size the window.
 */
export const READ_AHEAD_ENV = 'SCW_SM_READ_AHEAD'

function windowFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 1024) {
    throw invalidArgument(
      `${READ_AHEAD_ENV} must be an integer from 0 (off) to 1024, got "${value}"`,
    )
  }
  return n
}

export async function openImporterSession(request: InitRequest): Promise<ImporterSession> {
  const config = parseImporterConfig(request.config ?? {})
  const { api, stats } = clientFor(config)
  const name = config.name
  return {
    api,
    origin: originOf(config),
    filter: {
      folder: config.folder,
      tags: config.tags,
      type: config.type,
      nameMatches: name ? (n) => name.matches(n) : undefined,
      includeManaged: config.includeManaged,
    },
    readAheadWindow:
      windowFromEnv(process.env[READ_AHEAD_ENV]) ??
      readAheadWindow(config.rateLimit, config.concurrency),
    records: {
      includeDeletedMetadata: config.includeDeletedMetadata,
      readDisabled: config.readDisabled,
    },
    info: {
      tool: 'scw-secret-manager',
      tool_version: TOOL_VERSION,
      region: config.region,
      project_id: config.projectId,
      folder: config.folder,
      filters: {
        tags: config.tags,
        name: name?.pattern ?? null,
        type: config.type ?? null,
        include_managed: config.includeManaged,
        include_deleted_metadata: config.includeDeletedMetadata,
        read_disabled: config.readDisabled,
      },
      environment: config.environment ?? null,
      data_class: config.dataClass,
      started_at: new Date().toISOString(),
    },
    apiSummary: () => stats.summary(),
  }
}
