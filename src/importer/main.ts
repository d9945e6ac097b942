// Entry point of the importer executable that plakar starts.
import { serveOnStdio } from '../plugin/grpc.js'
import { importerRoutes } from '../plugin/protocol.js'
import { ImporterService } from './service.js'

serveOnStdio(importerRoutes(new ImporterService()))
