// One backup, as plakar drives it over the Import stream: the walk's records go out in
// listing order, acknowledgements come in, and Opens meanwhile ask for the bytes of
// records not acknowledged yet.
import { once } from 'node:events'
import type { ImportRequest, ImportResponse, InitRequest } from '../../proto/generated/importer.js'
import { parseImporterConfig } from '../config/parse.js'
import { connect, TOOL_VERSION } from '../connector.js'
import { ancestors, BACKUP_INFO, folderDir, secretDir } from '../core/layout.js'
import { toJsonBytes } from '../core/metadata.js'
import { log } from '../log.js'
import type { Call } from '../plugin/grpc.js'
import { messageOf } from '../plugin/grpc-errors.js'
import { addVersions, describeCoverage, noCoverageGaps } from './coverage.js'
import { readPayload } from './payloads.js'
import { READ_AHEAD_ENV, ReadAhead, readAheadWindow } from './readahead.js'
import {
  errorRecord,
  type PayloadSource,
  type PlannedRecord,
  secretRecords,
  toWireRecord,
} from './records.js'
import { ListedSecrets, labelOf, type WalkEntry, walkSecrets } from './walk.js'

/** What Init opens for a backup: config -> API client, filters, its own record's start. */
export type ImporterSession = Awaited<ReturnType<typeof openImporterSession>>

export async function openImporterSession(request: InitRequest) {
  const config = parseImporterConfig(request.config)
  const { rateLimit, concurrency } = config
  return {
    ...connect(config),
    options: config,
    /** Payloads read ahead of plakar's Opens at most; 0 turns read-ahead off. */
    readAheadWindow: readAheadWindow(rateLimit, concurrency, process.env[READ_AHEAD_ENV]),
    /** Written to /.backup.json, with the counts added at the end. */
    info: {
      tool: 'scw-secret-manager',
      tool_version: TOOL_VERSION,
      region: config.region,
      project_id: config.projectId,
      folder: config.folder,
      filters: {
        tags: config.tags,
        name: config.name?.pattern ?? null,
        type: config.type ?? null,
        include_managed: config.includeManaged,
        include_deleted_metadata: config.includeDeletedMetadata,
        read_disabled: config.readDisabled,
      },
      environment: config.environment ?? null,
      data_class: config.dataClass,
      started_at: new Date().toISOString(),
    },
  }
}

export class Backup {
  private readonly counts = {
    secrets: 0,
    /** Successful payload reads through the API, read-ahead included. */
    payloadsRead: 0,
    /** Payload Opens that ended in an error. */
    payloadsFailed: 0,
    /** Payloads plakar acknowledged without opening them (its change detection). */
    payloadsSkipped: 0,
    errors: 0,
    changed: 0,
  }
  private readonly coverage = noCoverageGaps()
  /** Records sent and not acknowledged yet, by path: what an Open may ask for. */
  private readonly pending = new Map<string, PlannedRecord>()
  private readonly dirsSent = new Set<string>()
  /** Every secret the walk listed, by id, to re-check once the backup is over. */
  private readonly listed = new ListedSecrets()
  /** Secrets whose versions read_disabled toggled: their own update times say nothing. */
  private readonly toggled = new Set<string>()
  private readonly ahead: ReadAhead<PayloadSource>
  private readonly started = Date.now()
  private walked = false

  constructor(
    private readonly session: ImporterSession,
    private readonly call: Call<ImportRequest, ImportResponse>,
  ) {
    this.ahead = new ReadAhead((source) => this.read(source), session.readAheadWindow)
    call.on('data', (ack: ImportRequest) => this.acknowledge(ack))
    // A cancelled call gets no more Opens: stop reading ahead for it.
    call.on('cancelled', () => void this.ahead.close())
  }

  /** Sends every record, waits for plakar to acknowledge them all, then sums the backup up. */
  async run(): Promise<void> {
    // Plakar half-closes the call once it has acknowledged every record (never, if cancelled).
    const acknowledgedAll = once(this.call, 'end')
    try {
      await this.sendAll()
      await acknowledgedAll
    } catch (error) {
      log.error(`backup failed: ${messageOf(error)}`)
      throw error
    }
    await this.finish()
  }

  /** Sends every record of the walk, then this backup's own record and the end. */
  private async sendAll(): Promise<void> {
    await this.sendDirs('/')
    for await (const entry of walkSecrets(this.session.api, this.session.options)) {
      if (this.call.cancelled) return
      await this.sendSecret(entry)
    }
    const { versions, disabled, deleted } = this.coverage
    const counts = {
      secrets: this.counts.secrets,
      versions,
      // Every readable version is one payload record.
      payloads: versions - disabled - deleted,
      metadata_only_disabled: disabled,
      metadata_only_deleted: deleted,
      errors: this.counts.errors,
    }
    const info = { ...this.session.info, finished_at: new Date().toISOString(), counts }
    const record = { pathname: `/${BACKUP_INFO}`, mtime: new Date(), bytes: toJsonBytes(info) }
    await this.sendRecord({ kind: 'content', ...record })
    this.walked = true
    await this.send({ record: undefined, finished: true })
  }

  private async sendSecret(entry: WalkEntry): Promise<void> {
    const { secret } = entry
    await this.sendDirs(folderDir(secret.path))
    this.counts.secrets += 1
    this.listed.add(secret)
    if ('error' in entry) {
      this.counts.errors += 1
      const message = messageOf(entry.error)
      log.warn(`secret ${labelOf(secret)}: ${message}`)
      await this.send({ record: errorRecord(secretDir(secret), message), finished: false })
      return
    }
    addVersions(this.coverage, entry.versions, this.session.options)
    for (const record of secretRecords(secret, entry.versions, this.session.options)) {
      await this.sendRecord(record)
    }
  }

  /** The folders down to `dir` that have not been sent yet. */
  private async sendDirs(dir: string): Promise<void> {
    for (const pathname of ancestors(dir)) {
      if (this.dirsSent.has(pathname)) continue
      this.dirsSent.add(pathname)
      await this.sendRecord({ kind: 'dir', pathname, mtime: new Date(0) })
    }
  }

  private async sendRecord(record: PlannedRecord): Promise<void> {
    if (record.kind !== 'dir') this.pending.set(record.pathname, record)
    if (record.kind === 'payload') {
      // Before the record goes out, so that its Open always finds it listed. Reads with
      // side effects (enabling a disabled version, expiring a read-once one) wait for Open.
      this.ahead.listed(record.pathname, record, !record.disabled && !record.expiresOnceAccessed)
    }
    await this.send({ record: toWireRecord(record), finished: false })
  }

  private async send(message: ImportResponse): Promise<void> {
    if (!(await this.call.send(message))) throw new Error('plakar ended the import')
  }

  /** Plakar stored (or failed to store) a record: it will not be opened again. */
  private acknowledge(ack: ImportRequest): void {
    const pathname = ack.result?.header?.pathname
    if (pathname === undefined) return
    this.pending.delete(pathname)
    if (this.ahead.acknowledged(pathname)) this.counts.payloadsSkipped += 1
    if (ack.result?.error) {
      this.counts.errors += 1
      log.warn(`plakar could not store ${pathname}: ${ack.result.error}`)
    }
  }

  /** A pending record's bytes, or undefined; a failed prefetch is read again, to fail at Open. */
  open(pathname: string): Promise<Buffer> | undefined {
    const record = this.pending.get(pathname)
    if (record?.kind === 'content') return Promise.resolve(record.bytes)
    if (record?.kind !== 'payload') return undefined
    if (record.disabled) this.toggled.add(record.secretId)
    const read = async () => (await this.ahead.take(pathname)) ?? (await this.read(record))
    return read().catch((error: unknown) => {
      this.counts.errors += 1
      this.counts.payloadsFailed += 1
      log.warn(`cannot read ${pathname}: ${messageOf(error)}`)
      throw error
    })
  }

  /** One payload read, counted when it succeeds, by an Open or ahead of one. */
  private async read(source: PayloadSource): Promise<Buffer> {
    const bytes = await readPayload(this.session.api, source)
    this.counts.payloadsRead += 1
    return bytes
  }

  /** Plakar has acknowledged every record: re-check the source, then sum the backup up. */
  private async finish(): Promise<void> {
    // Reads ahead still in flight are waited for, so that the summary counts them.
    const [rechecked] = await Promise.allSettled([this.recheck(), this.ahead.close()])
    if (rechecked.status === 'rejected') {
      log.warn(`could not re-check the source: ${messageOf(rechecked.reason)}`)
    }
    const { started, served, unused, failed, peakBytes } = this.ahead.stats
    log.debug(
      `read-ahead: ${started} started, ${served} served, ${unused} unused, ` +
        `${failed} failed, peak ${Math.ceil(peakBytes / 1024)} KiB`,
    )
    log.info(this.summary())
  }

  /** Skipped when no payload was read: an unchanged incremental backup costs only the listing. */
  private async recheck(): Promise<void> {
    if (!this.walked || this.counts.payloadsRead + this.counts.payloadsFailed === 0) return
    const { api, options } = this.session
    const changes = await this.listed.changedSince(api, options, this.toggled)
    this.counts.changed = changes.length
    if (changes.length === 0) return
    const shown = changes.slice(0, 20).join('; ')
    const more = changes.length > 20 ? `; and ${changes.length - 20} more` : ''
    log.warn(
      `${changes.length} secret(s) changed while the backup ran; the snapshot holds them as ` +
        `they were first listed, back up again to capture the change: ${shown}${more}`,
    )
  }

  private summary(): string {
    const c = this.counts
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(2)
    const { unused } = this.ahead.stats
    const gaps = describeCoverage(this.coverage)
    return (
      `backup of ${this.session.origin}: ${c.secrets} secrets, ${this.coverage.versions} versions` +
      (gaps ? ` (${gaps})` : '') +
      `, ${c.payloadsRead} payloads read` +
      // Only when it happened: reads ahead that plakar's change detection made useless.
      (unused > 0 ? ` (${unused} prefetched but unused)` : '') +
      `, ${c.payloadsSkipped} unchanged payloads skipped, ` +
      `${c.errors} errors, ${c.changed} secrets changed meanwhile, ` +
      `${this.session.apiSummary()}, ${elapsed}s` +
      (this.pending.size > 0 ? `, ${this.pending.size} records never acknowledged` : '')
    )
  }
}
