// The importer's gRPC service: Init, Ping, Import (records out, acks in), Open
// (payload bytes on demand) and Close. It holds the per-backup state; listing and
// record planning live in walk.ts and records.ts.
import type {
  ServerDuplexStream,
  ServerUnaryCall,
  ServerWritableStream,
  sendUnaryData,
  UntypedServiceImplementation,
} from '@grpc/grpc-js'
import { ancestors, BACKUP_INFO, folderDir, secretDir } from '../core/layout.js'
import { toJsonBytes } from '../core/metadata.js'
import { log } from '../log.js'
import { asGrpcError, failedPrecondition, messageOf, notFound } from '../plugin/grpc-errors.js'
import type {
  ImportRequest,
  ImportResponse,
  InitRequest,
  InitResponse,
  OpenRequest,
  OpenResponse,
} from '../plugin/messages.js'
import { LocationFlags } from '../plugin/protocol.js'
import type { SecretApi } from '../scaleway/api.js'
import {
  errorRecord,
  type PlannedRecord,
  type RecordOptions,
  secretRecords,
  toWireRecord,
} from './records.js'
import { type WalkFilter, walkSecrets } from './walk.js'

/** Everything a backup needs once the config has been validated. */
export interface ImporterSession {
  api: SecretApi
  origin: string
  filter: WalkFilter
  records: RecordOptions
  /** Written to /.backup.json, with the counts added at the end. */
  info: Record<string, unknown>
  apiSummary(): string
}

export type OpenSession = (request: InitRequest) => Promise<ImporterSession>

/** Bytes a pending record can serve on Open, kept until its acknowledgement. */
type Source =
  | { kind: 'content'; bytes: Buffer }
  | { kind: 'payload'; secretId: string; revision: number; disabled: boolean }

const CHUNK = 1024 * 1024

class Counters {
  secrets = 0
  versions = 0
  payloadsListed = 0
  payloadsRead = 0
  errors = 0
  readonly started = Date.now()
}

export function createImporterService(openSession: OpenSession): UntypedServiceImplementation {
  let session: ImporterSession | undefined
  let imported = false
  const pending = new Map<string, Source>()
  const counters = new Counters()

  const requireSession = (): ImporterSession => {
    if (!session) throw failedPrecondition('Init must be called first')
    return session
  }

  return {
    Init(call: ServerUnaryCall<InitRequest, InitResponse>, callback: sendUnaryData<InitResponse>) {
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

    Ping(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      try {
        const { api } = requireSession()
        ping(api)
          .then(() => callback(null, {}))
          .catch((error: unknown) => callback(asGrpcError(error)))
      } catch (error) {
        callback(asGrpcError(error))
      }
    },

    Import(call: ServerDuplexStream<ImportRequest, ImportResponse>) {
      let current: ImporterSession
      try {
        current = requireSession()
        if (imported) throw failedPrecondition('Import may run only once per process (STREAM)')
      } catch (error) {
        call.emit('error', asGrpcError(error))
        return
      }
      imported = true
      call.on('data', (ack: ImportRequest) => acknowledge(ack, pending, counters))
      call.on('end', () => {
        log.info(summary(counters, pending, current))
        call.end()
      })
      call.on('error', () => {})
      runImport(current, call, pending, counters).catch((error: unknown) => {
        log.error(`backup failed: ${messageOf(error)}`)
        call.emit('error', asGrpcError(error))
      })
    },

    Open(call: ServerWritableStream<OpenRequest, OpenResponse>) {
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
      readSource(current.api, source)
        .then(async (bytes) => {
          if (source.kind === 'payload') counters.payloadsRead += 1
          await writeChunks(call, bytes)
          call.end()
        })
        .catch((error: unknown) => {
          counters.errors += 1
          log.warn(`cannot read ${pathname}: ${messageOf(error)}`)
          call.emit('error', asGrpcError(error))
        })
    },

    Close(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      callback(null, {})
    },
  }
}

async function ping(api: SecretApi): Promise<void> {
  const { items } = await api.listSecrets({}, 1, 1)
  const first = items[0]
  if (!first || first.versionCount === 0) return
  try {
    await api.accessVersion(first.id, 'latest_enabled')
  } catch (error) {
    // Only a refusal of access itself is a failed ping; a secret without an enabled
    // version proves nothing either way.
    const kind = (error as { kind?: string }).kind
    if (kind === 'permission' || kind === 'auth') throw error
  }
}

function acknowledge(ack: ImportRequest, pending: Map<string, Source>, counters: Counters) {
  const pathname = ack.result?.header?.pathname
  if (pathname === undefined) return
  pending.delete(pathname)
  if (ack.result?.error) {
    counters.errors += 1
    log.warn(`plakar could not store ${pathname}: ${ack.result.error}`)
  }
}

async function runImport(
  session: ImporterSession,
  call: ServerDuplexStream<ImportRequest, ImportResponse>,
  pending: Map<string, Source>,
  counters: Counters,
): Promise<void> {
  const emittedDirs = new Set<string>()
  const send = async (message: ImportResponse) => {
    if (!call.write(message)) await new Promise((resolve) => call.once('drain', resolve))
  }
  const emitDirs = async (dir: string) => {
    for (const ancestor of ancestors(dir)) {
      if (emittedDirs.has(ancestor)) continue
      emittedDirs.add(ancestor)
      await send({ record: toWireRecord({ kind: 'dir', pathname: ancestor, mtime: new Date(0) }) })
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
      counters.payloadsListed += 1
    }
    if (record.kind === 'dir') emittedDirs.add(record.pathname)
    await send({ record: toWireRecord(record) })
  }

  await emitDirs('/')
  for await (const entry of walkSecrets(session.api, session.filter)) {
    if (call.cancelled) return
    await emitDirs(folderDir(entry.secret.path))
    counters.secrets += 1
    if ('error' in entry) {
      counters.errors += 1
      const message = messageOf(entry.error)
      log.warn(`secret ${entry.secret.path}/${entry.secret.name}: ${message}`)
      await send({ record: errorRecord(secretDir(entry.secret), message) })
      continue
    }
    counters.versions += entry.versions.length
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
      errors: counters.errors,
    },
  }
  await emit({
    kind: 'content',
    pathname: `/${BACKUP_INFO}`,
    mtime: new Date(),
    bytes: toJsonBytes(info),
  })
  await send({ finished: true })
}

async function readSource(api: SecretApi, source: Source): Promise<Buffer> {
  if (source.kind === 'content') return source.bytes
  if (!source.disabled) {
    const payload = await api.accessVersion(source.secretId, source.revision)
    return Buffer.from(payload.data)
  }
  // A disabled version can only be read by enabling it for the time of one access.
  await api.enableVersion(source.secretId, source.revision)
  try {
    const payload = await api.accessVersion(source.secretId, source.revision)
    return Buffer.from(payload.data)
  } finally {
    await api.disableVersion(source.secretId, source.revision)
  }
}

async function writeChunks(call: ServerWritableStream<OpenRequest, OpenResponse>, bytes: Buffer) {
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    const ok = call.write({ chunk: bytes.subarray(offset, offset + CHUNK) })
    if (!ok) await new Promise((resolve) => call.once('drain', resolve))
  }
}

function summary(
  counters: Counters,
  pending: Map<string, Source>,
  session: ImporterSession,
): string {
  const elapsed = ((Date.now() - counters.started) / 1000).toFixed(2)
  const skipped = counters.payloadsListed - counters.payloadsRead
  return (
    `backup of ${session.origin}: ${counters.secrets} secrets, ${counters.versions} versions, ` +
    `${counters.payloadsRead} payloads read, ${skipped} unchanged payloads skipped, ` +
    `${counters.errors} errors, ${session.apiSummary()}, ${elapsed}s` +
    (pending.size > 0 ? `, ${pending.size} records never acknowledged` : '')
  )
}
