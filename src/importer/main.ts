// Entry point of the importer executable that plakar starts.
import { type Importer, importerService } from '../plugin/protocol.js'
import { serveOnStdio } from '../plugin/stdio.js'
import { ImporterService } from './service.js'

const importer: Importer = new ImporterService()
serveOnStdio(importerService, importer)
