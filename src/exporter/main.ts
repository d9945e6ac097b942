// Entry point of the exporter executable that plakar starts.

import { serveOnStdio } from '../plugin/grpc.js'
import { exporterRoutes } from '../plugin/protocol.js'
import { createExporterService } from './service.js'

serveOnStdio(exporterRoutes(createExporterService()))
