// Init of the importer: config -> API client, filters and the backup's own record.
import type { InitRequest } from '../../proto/generated/importer.js'
import { parseImporterConfig } from '../config/index.js'
import { connect, TOOL_VERSION } from '../connector.js'
import { READ_AHEAD_ENV, readAheadWindow } from './readahead.js'

/** Everything a backup needs once the config has been validated. */
export type ImporterSession = Awaited<ReturnType<typeof openImporterSession>>

export async function openImporterSession(request: InitRequest) {
  const config = parseImporterConfig(request.config)
  const { rateLimit, concurrency } = config
  return {
    ...connect(config),
    options: config,
    /** Payloads read ahead of plakar's Opens at most; 0 turns read-ahead off. */
    readAheadWindow: readAheadWindow(rateLimit, concurrency, process.env[READ_AHEAD_ENV]),
    /** Written to /.backup.json, with the counts added at the end. */
    info: {
      tool: 'scw-secret-manager',
      tool_version: TOOL_VERSION,
      region: config.region,
      project_id: config.projectId,
      folder: config.folder,
      filters: {
        tags: config.tags,
        name: config.name?.pattern ?? null,
        type: config.type ?? null,
        include_managed: config.includeManaged,
        include_deleted_metadata: config.includeDeletedMetadata,
        read_disabled: config.readDisabled,
      },
      environment: config.environment ?? null,
      data_class: config.dataClass,
      started_at: new Date().toISOString(),
    },
  }
}
