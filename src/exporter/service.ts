// The exporter's gRPC service: Init, Ping, Export (records and chunks in, one result
// per record out) and Close. Restores a secret once all its records have arrived.
import type {
  ServerDuplexStream,
  ServerUnaryCall,
  sendUnaryData,
  UntypedServiceImplementation,
} from '@grpc/grpc-js'
import { log } from '../log.js'
import { send } from '../plugin/backpressure.js'
import {
  asGrpcError,
  failedPrecondition,
  invalidArgument,
  messageOf,
} from '../plugin/grpc-errors.js'
import type {
  ExportRequest,
  ExportResponse,
  InitRequest,
  InitResponse,
  WireRecord,
} from '../plugin/messages.js'
import type { SecretApi } from '../scaleway/api.js'
import {
  type BackedUpSecret,
  Grouper,
  type Received,
  roleOf,
  type SecretGroup,
  validateGroup,
} from './collect.js'
import { type RestoreOptions, type RestoreResult, Restorer } from './restorer.js'

export interface ExporterSession {
  api: SecretApi
  origin: string
  options: RestoreOptions
  concurrency: number
  apiSummary(): string
}

export type OpenExporterSession = (request: InitRequest) => Promise<ExporterSession>

/** Files bigger than this are refused without being held in memory. */
const MAX_FILE_BYTES = 1024 * 1024

class Tally {
  created = 0
  updated = 0
  unchanged = 0
  skipped = 0
  failed = 0
  versionsWritten = 0
  writes = 0
  readonly started = Date.now()

  count(result: RestoreResult) {
    this.writes += result.writes
    this.versionsWritten += result.versionsWritten
    if (result.error) this.failed += 1
    else if (result.plan.outcome === 'create') this.created += 1
    else if (result.plan.outcome === 'update') this.updated += 1
    else if (result.plan.outcome === 'skip') this.skipped += 1
    else this.unchanged += 1
  }

  line(session: ExporterSession): string {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(2)
    const dry = session.options.dryRun ? 'dry run of ' : ''
    return (
      `${dry}restore into ${session.origin}: ${this.created} created, ${this.updated} updated, ` +
      `${this.unchanged} unchanged, ${this.skipped} skipped, ${this.failed} failed, ` +
      `${session.options.dryRun ? 0 : this.versionsWritten} versions written, ${session.apiSummary()}, ${elapsed}s`
    )
  }
}

export function createExporterService(open: OpenExporterSession): UntypedServiceImplementation {
  let session: ExporterSession | undefined
  return {
    Init(call: ServerUnaryCall<InitRequest, InitResponse>, callback: sendUnaryData<InitResponse>) {
      if (session) return callback(failedPrecondition('Init was already called'))
      open(call.request)
        .then((opened) => {
          session = opened
          callback(null, { origin: opened.origin, type: 'scw-secret', root: '/', flags: 0 })
        })
        .catch((error: unknown) => callback(asGrpcError(error)))
    },

    Ping(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      if (!session) return callback(failedPrecondition('Init must be called first'))
      // Listing proves the key and the project; writes cannot be probed without writing.
      session.api
        .listSecrets({}, 1, 1)
        .then(() => callback(null, {}))
        .catch((error: unknown) => callback(asGrpcError(error)))
    },

    Export(call: ServerDuplexStream<ExportRequest, ExportResponse>) {
      if (!session) {
        call.emit('error', failedPrecondition('Init must be called first'))
        return
      }
      const current = session
      runExport(current, call)
        .then(() => call.end())
        .catch((error: unknown) => {
          log.error(`restore failed: ${messageOf(error)}`)
          call.emit('error', asGrpcError(error))
        })
    },

    Close(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      callback(null, {})
    },
  }
}

/** Reassembles records and their chunks from the stream, in order. */
async function* receive(call: AsyncIterable<ExportRequest>): AsyncGenerator<Received> {
  let file: { record: WireRecord; chunks: Buffer[]; size: number } | undefined
  for await (const message of call) {
    if (message.record) {
      if (file)
        throw invalidArgument(
          `record ${message.record.pathname} arrived before the end of ${file.record.pathname}`,
        )
      if (message.record.hasReader) file = { record: message.record, chunks: [], size: 0 }
      else yield { record: message.record }
    } else if (message.chunk !== undefined) {
      if (!file) throw invalidArgument('file data arrived without a record')
      const chunk = Buffer.from(message.chunk ?? new Uint8Array())
      if (chunk.length === 0) {
        // An oversize file is passed on truncated-to-nothing with its true size known
        // only here; validation refuses it by its recorded size.
        const data =
          file.size > MAX_FILE_BYTES ? Buffer.alloc(MAX_FILE_BYTES + 1) : Buffer.concat(file.chunks)
        yield { record: file.record, data }
        file = undefined
      } else {
        file.size += chunk.length
        if (file.size <= MAX_FILE_BYTES) file.chunks.push(chunk)
      }
    } else {
      throw invalidArgument('empty ExportRequest')
    }
  }
  if (file) throw invalidArgument(`stream ended inside the data of ${file.record.pathname}`)
}

async function runExport(
  session: ExporterSession,
  call: ServerDuplexStream<ExportRequest, ExportResponse>,
): Promise<void> {
  const restorer = new Restorer(session.api, session.options)
  const tally = new Tally()
  const grouper = new Grouper()
  const inflight = new Set<Promise<void>>()
  const deferred: Array<{ group: SecretGroup; secret: BackedUpSecret }> = []
  const failMode = session.options.onConflict === 'fail'

  // A result for a call that is over has no reader: it is dropped, as before.
  const reply = async (record: WireRecord, error = '') => {
    await send(call, { result: { header: record, error } })
  }
  const replyGroup = async (group: SecretGroup, error = '') => {
    for (const member of group.members) await reply(member.received.record, error)
  }
  const restoreGroup = async (group: SecretGroup, secret: BackedUpSecret) => {
    let result: RestoreResult
    try {
      result = await restorer.restore(secret)
    } catch (error) {
      tally.failed += 1
      log.error(`${group.dir}: ${messageOf(error)}`)
      return replyGroup(group, messageOf(error))
    }
    tally.count(result)
    if (result.error) log.error(`${group.dir}: ${result.error}`)
    await replyGroup(group, result.error)
  }
  const schedule = async (group: SecretGroup) => {
    const validated = validateGroup(group)
    if (!validated.ok) {
      tally.failed += 1
      log.error(validated.error)
      return replyGroup(group, validated.error)
    }
    if (failMode) return void deferred.push({ group, secret: validated.secret })
    while (inflight.size >= session.concurrency) await Promise.race(inflight)
    const task = restoreGroup(group, validated.secret).finally(() => inflight.delete(task))
    inflight.add(task)
  }

  // The default iterator destroys the call when the host half-closes, before the last
  // results are written: keep the call open until we end it.
  try {
    for await (const received of receive(call.iterator({ destroyOnReturn: false }))) {
      const role = roleOf(received.record)
      if (role.kind === 'ack') await reply(received.record)
      else if (role.kind === 'stray') await reply(received.record, role.reason)
      else if (!grouper.accepts(role.dir)) {
        await reply(
          received.record,
          `${received.record.pathname} arrived apart from its secret's records`,
        )
      } else {
        const finished = grouper.add(received, role)
        if (finished) await schedule(finished)
      }
    }
    const last = grouper.flush()
    if (last) await schedule(last)
  } finally {
    // Even when the stream broke: let restores under way finish before the call ends.
    await Promise.allSettled(inflight)
  }
  if (failMode) await restoreAllOrNothing(deferred, restorer, restoreGroup, replyGroup)
  log.info(tally.line(session))
}

/** on_conflict=fail: check every target before the first write. */
async function restoreAllOrNothing(
  deferred: Array<{ group: SecretGroup; secret: BackedUpSecret }>,
  restorer: Restorer,
  restoreGroup: (group: SecretGroup, secret: BackedUpSecret) => Promise<void>,
  replyGroup: (group: SecretGroup, error?: string) => Promise<void>,
) {
  const existing: string[] = []
  try {
    for (const { secret } of deferred) {
      const found = await restorer.find(secret)
      if (found) existing.push(`${found.path === '/' ? '' : found.path}/${found.name}`)
    }
  } catch (error) {
    const message = `on_conflict=fail: nothing restored, the destination could not be checked: ${messageOf(error)}`
    log.error(message)
    for (const { group } of deferred) await replyGroup(group, message)
    return
  }
  if (existing.length > 0) {
    const message = `on_conflict=fail: nothing restored, ${existing.length} secret(s) already exist: ${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', ...' : ''}`
    log.error(message)
    for (const { group } of deferred) await replyGroup(group, message)
    return
  }
  for (const { group, secret } of deferred) await restoreGroup(group, secret)
}
