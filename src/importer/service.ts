// The importer's gRPC service, shaped like plakar's own integrations: Init opens a
// session (config -> API client), Import runs one backup (backup.ts), Open serves the
// bytes of one of its records, Ping checks access, Close has nothing to release.
import { failedPrecondition, notFound } from '../plugin/grpc-errors.js'
import type { Importer } from '../plugin/protocol.js'
import { Backup, type ImporterSession, openImporterSession } from './backup.js'
import { ping } from './coverage.js'

const CHUNK = 1024 * 1024
/** plakar's location flag for one listing per backup instead of a counting pass plus a real one. */
const STREAM = 4

export class ImporterService implements Importer {
  private session: ImporterSession | undefined
  /** The one backup of this process (STREAM): plakar starts a process per backup. */
  private backup: Backup | undefined

  private opened(): ImporterSession {
    if (!this.session) throw failedPrecondition('Init must be called first')
    return this.session
  }

  readonly Init: Importer['Init'] = async (request) => {
    if (this.session) throw failedPrecondition('Init was already called')
    this.session = await openImporterSession(request)
    return { origin: this.session.origin, type: 'scw-secret', root: '/', flags: STREAM }
  }

  readonly Ping: Importer['Ping'] = async () => {
    const { api, options } = this.opened()
    await ping(api, options)
    return {}
  }

  readonly Import: Importer['Import'] = async (call) => {
    const session = this.opened()
    if (this.backup) throw failedPrecondition('Import may run only once per process (STREAM)')
    this.backup = new Backup(session, call)
    await this.backup.run()
  }

  readonly Open: Importer['Open'] = async (request, call) => {
    this.opened()
    const pathname = request.record?.pathname ?? ''
    const data = await this.backup?.open(pathname)
    if (!data) throw notFound(`no open record for ${JSON.stringify(pathname)}`)
    for (let offset = 0; offset < data.length; offset += CHUNK) {
      if (!(await call.send({ chunk: data.subarray(offset, offset + CHUNK) }))) return
    }
  }

  readonly Close: Importer['Close'] = async () => ({})
}
