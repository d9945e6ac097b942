// Init of the importer: config -> API client, filters and the backup's own record.
import { parseImporterConfig } from '../config/index.js'
import { clientFor, originOf, TOOL_VERSION } from '../connector.js'
import { log } from '../log.js'
import type { InitRequest } from '../plugin/messages.js'
import type { ReadAheadOptions } from './readahead.js'
import type { ImporterSession } from './service.js'

/**
 * SCW_SM_READ_AHEAD caps how many payloads are read ahead of plakar's Opens; 0 turns it
 * off, so each payload is read when plakar opens it and no earlier (tests that change the
 * source mid-backup need that order; so may an operator chasing a consistency question).
 */
export function readAheadFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ReadAheadOptions> {
  const raw = env.SCW_SM_READ_AHEAD?.trim()
  if (raw === undefined || raw === '') return {}
  const n = Number(raw)
  if (Number.isInteger(n) && n >= 0 && n <= 1024) return { maxWindow: n }
  log.warn(
    `SCW_SM_READ_AHEAD=${JSON.stringify(raw.slice(0, 16))} ignored: expected an integer from 0 to 1024`,
  )
  return {}
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
    records: {
      includeDeletedMetadata: config.includeDeletedMetadata,
      readDisabled: config.readDisabled,
    },
    readAhead: readAheadFromEnv(),
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
