// Entry point of the importer executable that plakar starts.
import { importerService } from '../plugin/protocol.js'
import { serveOnStdio } from '../plugin/stdio.js'
import { createImporterService } from './service.js'
import { openImporterSession } from './session.js'

serveOnStdio(importerService, createImporterService(openImporterSession))
