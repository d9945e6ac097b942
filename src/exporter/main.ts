// Entry point of the exporter executable that plakar starts.
import { exporterService } from '../plugin/protocol.js'
import { serveOnStdio } from '../plugin/stdio.js'
import { createExporterService } from './service.js'

serveOnStdio(exporterService, createExporterService())
