// Init of the exporter: config -> API client for the destination and restore options.
import { parseExporterConfig } from '../config/index.js'
import { clientFor, originOf } from '../connector.js'
import type { InitRequest } from '../plugin/messages.js'
import type { ExporterSession } from './service.js'
import { settleTiming } from './settle.js'

export async function openExporterSession(request: InitRequest): Promise<ExporterSession> {
  const config = parseExporterConfig(request.config ?? {})
  const { api, stats } = clientFor(config)
  return {
    api,
    origin: originOf(config),
    concurrency: config.concurrency,
    settle: settleTiming(config.timeoutMs),
    options: {
      onConflict: config.onConflict,
      updateMetadata: config.updateMetadata,
      preserveRevisions: config.preserveRevisions,
      reroot: config.folder,
      keyId: config.keyId,
      dryRun: config.dryRun,
    },
    apiSummary: () => stats.summary(),
  }
}
