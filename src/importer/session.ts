// Init of the importer: config -> API client, filters and the backup's own record.
import { parseImporterConfig } from '../config/index.js'
import { clientFor, originOf, TOOL_VERSION } from '../connector.js'
import type { InitRequest } from '../plugin/messages.js'
import type { ImporterSession } from './service.js'

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
