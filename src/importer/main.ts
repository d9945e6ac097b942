// Entry point of the importer executable that plakar starts.
import { importerRoutes } from '../plugin/protocol.js'
import { serveOnStdio } from '../plugin/stdio.js'
import { ImporterService } from './service.js'

serveOnStdio(importerRoutes(new ImporterService()))
