// Entry point of the exporter executable that plakar starts.
import { exporterRoutes } from '../plugin/protocol.js'
import { serveOnStdio } from '../plugin/stdio.js'
import { createExporterService } from './service.js'

serveOnStdio(exporterRoutes(createExporterService()))
