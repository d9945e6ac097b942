// Entry point of the exporter executable that plakar starts. Its Init turns the config
// into an API client for the destination, and the config's restore options are used as is.
import { parseExporterConfig } from '../config/index.js'
import { connect } from '../connector.js'
import { exporterService } from '../plugin/protocol.js'
import { serveOnStdio } from '../plugin/stdio.js'
import { createExporterService } from './service.js'
import { settleTiming } from './settle.js'

const service = createExporterService(async (request) => {
  const config = parseExporterConfig(request.config)
  return {
    ...connect(config),
    options: config,
    concurrency: config.concurrency,
    settle: settleTiming(config.timeoutMs),
  }
})

serveOnStdio(exporterService, service)
