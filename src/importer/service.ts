// The importer's gRPC service: Init, Ping, Import (records out, acks in), Open
// (payload bytes on demand) and Close. It holds the per-backup state; listing and
// record planning live in walk.ts and records.ts, payload read-ahead in readahead.ts.
import type { ServerDuplexStream, ServerWritableStream } from '@grpc/grpc-js'
import { ancestors, BACKUP_INFO, folderDir, secretDir } from '../core/layout.js'
import { toJsonBytes } from '../core/metadata.js'
import { log } from '../log.js'
import { send } from '../plugin/backpressure.js'
import { asGrpcError, failedPrecondition, messageOf, notFound } from '../plugin/grpc-errors.js'
import type {
  ImportRequest,
  ImportResponse,
  InitRequest,
  OpenRequest,
  OpenResponse,
  WireRecord,
} from '../plugin/messages.js'
import { type Importer, LocationFlags } from '../plugin/protocol.js'
import type { Secret, SecretApi } from '../scaleway/api.js'
import { ApiError, rewritten } from '../scaleway/errors.js'
import { listAllVersions, PAGE_SIZE } from '../scaleway/pages.js'
import { addVersions, coverageCounts, describeCoverage, noCoverageGaps } from './coverage.js'
import { ReadAhead } from './readahead.js'
import {
  errorRecord,
  type PlannedRecord,
  type RecordOptions,
  secretRecords,
  toWireRecord,
} from './records.js'
import { changedSince, ListedSecrets, type WalkFilter, walkSecrets } from './walk.js'

/** Everything a backup needs once the config has been validated. */
export interface ImporterSession {
  api: SecretApi
  origin: string
  filter: WalkFilter
  records: RecordOptions
  /** Payloads read ahead of plakar's Opens at most; 0 turns read-ahead off. */
  readAheadWindow: number
  /** Written to /.backup.json, with the counts added at the end. */
  info: Record<string, unknown>
  apiSummary(): string
}

export type OpenSession = (request: InitRequest) => Promise<ImporterSession>

/** Bytes a pending record can serve on Open, kept until its acknowledgement. */
type Source = { kind: 'content'; bytes: Buffer } | PayloadSource
type PayloadSource = { kind: 'payload'; secretId: string; revision: number; disabled: boolean }

const CHUNK = 1024 * 1024

const ENDED = () => new Error('plakar ended the import')

class Counters {
  /** Every secret the walk listed, by id, to re-check once the backup is over. */
  readonly listed = new ListedSecrets()
  /** Secrets whose versions read_disabled toggled: their own update times say nothing. */
  readonly toggled = new Set<string>()
  walked = false
  changed = 0
  secrets = 0
  versions = 0
  payloadsListed = 0
  /** Successful payload reads through the API, read-ahead included. */
  payloadsRead = 0
  /** Payload Opens that ended in an error. */
  payloadsFailed = 0
  /** Payloads plakar acknowledged without opening them (its change detection). */
  payloadsSkipped = 0
  errors = 0
  /** Versions whose bytes the snapshot will not hold, by reason. */
  readonly coverage = noCoverageGaps()
  readonly started = Date.now()
}

export function createImporterService(openSession: OpenSession): Importer {
  let session: ImporterSession | undefined
  let imported = false
  let readAhead: ReadAhead | undefined
  const pending = new Map<string, Source>()
  const counters = new Counters()

  const requireSession = (): ImporterSession => {
    if (!session) throw failedPrecondition('Init must be called first')
    return session
  }

  return {
    Init(call, callback) {
      if (session) return callback(failedPrecondition('Init was already called'))
      openSession(call.request)
        .then((opened) => {
          session = opened
          callback(null, {
            origin: opened.origin,
            type: 'scw-secret',
            root: '/',
            // STREAM: one listing per backup instead of a counting pass plus a real one.
            flags: LocationFlags.STREAM,
          })
        })
        .catch((error: unknown) => callback(asGrpcError(error)))
    },

    Ping(_call, callback) {
      try {
        const { api, records } = requireSession()
        ping(api, records)
          .then(() => callback(null, {}))
          .catch((error: unknown) => callback(asGrpcError(error)))
      } catch (error) {
        callback(asGrpcError(error))
      }
    },

    Import(call) {
      let current: ImporterSession
      try {
        current = requireSession()
        if (imported) throw failedPrecondition('Import may run only once per process (STREAM)')
      } catch (error) {
        call.emit('error', asGrpcError(error))
        return
      }
      imported = true
      // Reads ahead are never of disabled versions (see runImport's emit).
      const ahead = new ReadAhead(
        (ref) => readPayload(current.api, { kind: 'payload', ...ref, disabled: false }, counters),
        { maxWindow: current.readAheadWindow },
      )
      readAhead = ahead
      call.on('data', (ack: ImportRequest) => acknowledge(ack, pending, ahead, counters))
      call.on('end', () => {
        // Reads ahead still in flight are waited for, so that the summary counts them.
        Promise.allSettled([recheck(current, counters), ahead.close()])
          .then(([rechecked]) => {
            if (rechecked.status === 'rejected') {
              log.warn(`could not re-check the source: ${messageOf(rechecked.reason)}`)
            }
          })
          .finally(() => {
            const { started, served, unused, failed, peakBytes } = ahead.stats
            log.debug(
              `read-ahead: ${started} started, ${served} served, ${unused} unused, ` +
                `${failed} failed, peak ${Math.ceil(peakBytes / 1024)} KiB`,
            )
            log.info(summary(counters, pending, ahead, current))
            call.end()
          })
      })
      // A cancelled or broken call gets no more Opens: stop reading ahead for it.
      call.on('error', () => void ahead.close())
      call.on('cancelled', () => void ahead.close())
      runImport(current, call, pending, ahead, counters).catch((error: unknown) => {
        log.error(`backup failed: ${messageOf(error)}`)
        call.emit('error', asGrpcError(error))
      })
    },

    Open(call) {
      const pathname = call.request.record?.pathname ?? ''
      let current: ImporterSession
      try {
        current = requireSession()
      } catch (error) {
        call.emit('error', asGrpcError(error))
        return
      }
      const source = pending.get(pathname)
      if (!source) {
        call.emit('error', notFound(`no open record for ${JSON.stringify(pathname)}`))
        return
      }
      if (source.kind === 'payload' && source.disabled) counters.toggled.add(source.secretId)
      openSource(current.api, pathname, source, readAhead, counters)
        .then(async (bytes) => {
          await writeChunks(call, bytes)
          call.end()
        })
        .catch((error: unknown) => {
          counters.errors += 1
          if (source.kind === 'payload') counters.payloadsFailed += 1
          log.warn(`cannot read ${pathname}: ${messageOf(error)}`)
          call.emit('error', asGrpcError(error))
        })
    },

    Close(_call, callback) {
      callback(null, {})
    },
  }
}

async function ping(api: SecretApi, records: RecordOptions): Promise<void> {
  const { items, totalCount } = await api.listSecrets({}, 1, PAGE_SIZE)
  const first = items[0]
  if (first && first.versionCount > 0) {
    try {
      await api.accessVersion(first.id, 'latest_enabled')
    } catch (error) {
      // Only a refusal of access itself is a failed ping; a secret without an enabled
      // version proves nothing either way.
      const kind = (error as { kind?: string }).kind
      if (kind === 'permission' || kind === 'auth') throw error
    }
  }
  await reportCoverage(api, records, items, totalCount)
}

/** What a backup would keep as metadata only, over the first page of secrets (bounded cost). */
async function reportCoverage(
  api: SecretApi,
  records: RecordOptions,
  secrets: Secret[],
  total: number,
): Promise<void> {
  const coverage = noCoverageGaps()
  await Promise.all(
    secrets.map(async (secret) =>
      addVersions(coverage, await listAllVersions(api, secret.id), records),
    ),
  )
  const scope = total > secrets.length ? `the first ${secrets.length} of ${total}` : `all ${total}`
  const gaps = describeCoverage(coverage)
  log.info(`ping: in ${scope} secrets, ${gaps || 'every version has its payload backed up'}`)
}

function acknowledge(
  ack: ImportRequest,
  pending: Map<string, Source>,
  ahead: ReadAhead,
  counters: Counters,
) {
  const pathname = ack.result?.header?.pathname
  if (pathname === undefined) return
  pending.delete(pathname)
  if (ahead.acknowledged(pathname)) counters.payloadsSkipped += 1
  if (ack.result?.error) {
    counters.errors += 1
    log.warn(`plakar could not store ${pathname}: ${ack.result.error}`)
  }
}

async function runImport(
  session: ImporterSession,
  call: ServerDuplexStream<ImportRequest, ImportResponse>,
  pending: Map<string, Source>,
  ahead: ReadAhead,
  counters: Counters,
): Promise<void> {
  const emittedDirs = new Set<string>()
  const sendRecord = async (record: WireRecord) => {
    if (!(await send(call, { record, finished: false }))) throw ENDED()
  }
  const emitDirs = async (dir: string) => {
    for (const ancestor of ancestors(dir)) {
      if (emittedDirs.has(ancestor)) continue
      emittedDirs.add(ancestor)
      await sendRecord(toWireRecord({ kind: 'dir', pathname: ancestor, mtime: new Date(0) }))
    }
  }
  const emit = async (record: PlannedRecord) => {
    if (record.kind === 'content')
      pending.set(record.pathname, { kind: 'content', bytes: record.bytes })
    if (record.kind === 'payload') {
      pending.set(record.pathname, {
        kind: 'payload',
        secretId: record.secretId,
        revision: record.revision,
        disabled: record.disabled,
      })
      // Before the record goes out, so that its Open always finds it listed. Reads with
      // side effects (enabling a disabled version, expiring a read-once one) wait for Open.
      const ref = { secretId: record.secretId, revision: record.revision }
      ahead.listed(record.pathname, ref, !record.disabled && !record.expiresOnceAccessed)
      counters.payloadsListed += 1
    }
    await sendRecord(toWireRecord(record))
  }

  await emitDirs('/')
  for await (const entry of walkSecrets(session.api, session.filter)) {
    if (call.cancelled) return
    await emitDirs(folderDir(entry.secret.path))
    counters.secrets += 1
    counters.listed.add(entry.secret)
    if ('error' in entry) {
      counters.errors += 1
      const message = messageOf(entry.error)
      log.warn(`secret ${entry.secret.path}/${entry.secret.name}: ${message}`)
      await sendRecord(errorRecord(secretDir(entry.secret), message))
      continue
    }
    counters.versions += entry.versions.length
    addVersions(counters.coverage, entry.versions, session.records)
    for (const record of secretRecords(entry.secret, entry.versions, session.records)) {
      await emit(record)
    }
  }
  const info = {
    ...session.info,
    finished_at: new Date().toISOString(),
    counts: {
      secrets: counters.secrets,
      versions: counters.versions,
      payloads: counters.payloadsListed,
      ...coverageCounts(counters.coverage),
      errors: counters.errors,
    },
  }
  await emit({
    kind: 'content',
    pathname: `/${BACKUP_INFO}`,
    mtime: new Date(),
    bytes: toJsonBytes(info),
  })
  counters.walked = true
  if (!(await send(call, { record: undefined, finished: true }))) throw ENDED()
}

/**
 * Once every payload has been read: did the source change while the backup ran?
 * Skipped when plakar read no payload at all (nothing had changed since the previous
 * snapshot), so an unchanged incremental backup costs exactly the listing; a change
 * made during such a backup is picked up by the next one.
 */
async function recheck(session: ImporterSession, counters: Counters): Promise<void> {
  if (!counters.walked || counters.payloadsRead + counters.payloadsFailed === 0) return
  const changes = await changedSince(session.api, session.filter, counters.listed, counters.toggled)
  counters.changed = changes.length
  if (changes.length === 0) return
  const shown = changes.slice(0, 20).join('; ')
  const more = changes.length > 20 ? `; and ${changes.length - 20} more` : ''
  log.warn(
    `${changes.length} secret(s) changed while the backup ran; the snapshot holds them as ` +
      `they were first listed, back up again to capture the change: ${shown}${more}`,
  )
}

/**
 * The bytes of an opened record: prefetched ones if the read-ahead has them, else read
 * now. A prefetch that failed is read again here, so failures surface as they always
 * did: at the Open of that file, and only if plakar opens it.
 */
async function openSource(
  api: SecretApi,
  pathname: string,
  source: Source,
  ahead: ReadAhead | undefined,
  counters: Counters,
): Promise<Buffer> {
  if (source.kind === 'content') return source.bytes
  const prefetched = await ahead?.take(pathname)
  return prefetched ?? (await readPayload(api, source, counters))
}

/** One payload read, counted when it succeeds, by an Open or ahead of one. */
async function readPayload(
  api: SecretApi,
  source: PayloadSource,
  counters: Counters,
): Promise<Buffer> {
  const bytes = await readSource(api, source)
  counters.payloadsRead += 1
  return bytes
}

/** A Buffer over the payload's own bytes (the client hands each read a fresh copy). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

async function readSource(api: SecretApi, source: PayloadSource): Promise<Buffer> {
  if (!source.disabled) {
    const payload = await api.accessVersion(source.secretId, source.revision)
    return asBuffer(payload.data)
  }
  // A disabled version can only be read by enabling it for the time of one access.
  try {
    await api.enableVersion(source.secretId, source.revision)
  } catch (error) {
    // An enable whose answer was lost may still have been applied: put the version back.
    if (mayHaveLanded(error)) await disableAgain(api, source, 'may be')
    throw error
  }
  let read: { bytes: Buffer } | { error: unknown }
  try {
    read = { bytes: asBuffer((await api.accessVersion(source.secretId, source.revision)).data) }
  } catch (error) {
    read = { error }
  }
  await disableAgain(api, source, 'is')
  if ('error' in read) throw read.error
  return read.bytes
}

/** Refusals the API gives before applying anything; anything else may have been applied. */
const NOT_APPLIED = new Set(['auth', 'permission', 'not_found', 'invalid', 'precondition', 'quota'])

function mayHaveLanded(error: unknown): boolean {
  return !(error instanceof ApiError && (NOT_APPLIED.has(error.kind) || error.status === 429))
}

async function disableAgain(
  api: SecretApi,
  source: { secretId: string; revision: number },
  state: 'is' | 'may be',
): Promise<void> {
  try {
    await api.disableVersion(source.secretId, source.revision)
  } catch (error) {
    // The user disabled this version (maybe a compromised credential) and it is readable
    // again: say so in words that cannot be mistaken for a failed read.
    const message =
      `version ${source.revision} of secret ${source.secretId} was disabled, was enabled to ` +
      `read it and could NOT be disabled again, so it ${state} ENABLED now: disable it by ` +
      `hand (${messageOf(error)})`
    log.error(message)
    throw error instanceof ApiError ? rewritten(error, message) : new Error(message)
  }
}

async function writeChunks(call: ServerWritableStream<OpenRequest, OpenResponse>, bytes: Buffer) {
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    if (!(await send(call, { chunk: bytes.subarray(offset, offset + CHUNK) }))) return
  }
}

function summary(
  counters: Counters,
  pending: Map<string, Source>,
  ahead: ReadAhead,
  session: ImporterSession,
): string {
  const elapsed = ((Date.now() - counters.started) / 1000).toFixed(2)
  const { unused } = ahead.stats
  const gaps = describeCoverage(counters.coverage)
  return (
    `backup of ${session.origin}: ${counters.secrets} secrets, ${counters.versions} versions` +
    (gaps ? ` (${gaps})` : '') +
    `, ${counters.payloadsRead} payloads read` +
    // Only when it happened: reads ahead that plakar's change detection made useless.
    (unused > 0 ? ` (${unused} prefetched but unused)` : '') +
    `, ${counters.payloadsSkipped} unchanged payloads skipped, ` +
    `${counters.errors} errors, ${counters.changed} secrets changed meanwhile, ` +
    `${session.apiSummary()}, ${elapsed}s` +
    (pending.size > 0 ? `, ${pending.size} records never acknowledged` : '')
  )
}
