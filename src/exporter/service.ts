// The exporter's gRPC service: Init, Ping, Export (records and chunks in, one result
// per record out) and Close. Restores a secret once all its records have arrived.
import type {
  ServerDuplexStream,
  ServerUnaryCall,
  sendUnaryData,
  UntypedServiceImplementation,
} from '@grpc/grpc-js'
import { log } from '../log.js'
import {
  aborted,
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
import { describeStep, type Plan } from './planner.js'
import { type RestoreOptions, Restorer } from './restorer.js'
import { firstAttempt, type Settled, type SettleTiming, settle } from './settle.js'

export interface ExporterSession {
  api: SecretApi
  origin: string
  options: RestoreOptions
  concurrency: number
  settle: SettleTiming
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
  retried = 0
  versionsWritten = 0
  writes = 0
  /** Secrets seen, restorable or not. */
  secrets = 0
  /** Secrets not restored, with why: what the final status sums up. */
  readonly failures: Array<{ label: string; error: string }> = []
  /** Records outside the layout, refused. */
  strays = 0
  readonly started = Date.now()

  count({ result, retries, created }: Settled) {
    this.writes += result.writes
    this.versionsWritten += result.versionsWritten
    if (retries > 0) this.retried += 1
    if (result.status !== 'done') return
    const outcome = created ? 'create' : result.plan.outcome
    if (outcome === 'create') this.created += 1
    else if (outcome === 'update') this.updated += 1
    else if (outcome === 'skip') this.skipped += 1
    else this.unchanged += 1
  }

  fail(label: string, error: string) {
    this.failures.push({ label, error })
  }

  line(session: ExporterSession): string {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(2)
    const dry = session.options.dryRun ? 'dry run of ' : ''
    return (
      `${dry}restore into ${session.origin}: ${this.created} created, ${this.updated} updated, ` +
      `${this.unchanged} unchanged, ${this.skipped} skipped, ${this.failures.length} failed, ` +
      `${session.options.dryRun ? 0 : this.versionsWritten} versions written, ` +
      `${this.retried} retried in this run, ${session.apiSummary()}, ${elapsed}s`
    )
  }

  /** The reasons, shortened: one shared reason once, else the first three. */
  private why(): string {
    const first = this.failures[0]?.error ?? ''
    if (this.failures.length > 1 && this.failures.every((f) => f.error === first)) return first
    const shown = this.failures
      .slice(0, 3)
      .map((f) => `${f.label} (${f.error.replace(`${f.label}: `, '')})`)
      .join('; ')
    return this.failures.length > 3 ? `${shown}; and ${this.failures.length - 3} more above` : shown
  }

  /** One line for the final status when something was not restored; undefined if all was. */
  verdict(dryRun: boolean): string | undefined {
    if (this.failures.length === 0 && this.strays === 0) return undefined
    const parts: string[] = []
    if (this.failures.length > 0) {
      const verb = dryRun ? 'would not be restored' : 'not restored'
      parts.push(`${this.failures.length} of ${this.secrets} secrets ${verb}: ${this.why()}`)
    }
    if (this.strays > 0) parts.push(`${this.strays} records outside the snapshot layout refused`)
    return parts.join('; ')
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
    if (message.packet === 'record' && message.record) {
      if (file)
        throw invalidArgument(
          `record ${message.record.pathname} arrived before the end of ${file.record.pathname}`,
        )
      if (message.record.hasReader) file = { record: message.record, chunks: [], size: 0 }
      else yield { record: message.record }
    } else if (message.packet === 'chunk') {
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

function labelOf(secret: BackedUpSecret): string {
  return `${secret.meta.path === '/' ? '' : secret.meta.path}/${secret.meta.name}`
}

/** What the user reads about one secret: its warnings, and in a dry run its plan. */
function report(label: string, plan: Plan | undefined, dryRun: boolean) {
  if (!plan) return
  for (const warning of plan.warnings) log.warn(`${label}: ${warning}`)
  if (dryRun) {
    const steps = plan.steps.map((s) => `\n  - ${describeStep(s)}`).join('')
    log.info(`dry run: ${label}: ${plan.outcome}${steps}`)
  }
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

  const reply = (record: WireRecord, error = '') => {
    call.write({ result: { header: record, error } })
  }
  const replyGroup = (group: SecretGroup, error = '') => {
    for (const member of group.members) reply(member.received.record, error)
  }
  const refuseGroup = (group: SecretGroup, label: string, error: string) => {
    tally.fail(label, error)
    log.error(`${label}: ${error}`)
    replyGroup(group, error)
  }
  const finish = (group: SecretGroup, label: string, settled: Settled) => {
    tally.count(settled)
    const { result } = settled
    report(label, result.plan, session.options.dryRun)
    if (result.status === 'done') return replyGroup(group)
    refuseGroup(group, label, result.error)
  }
  // A secret waiting for an uncertain write to settle gives its slot back meanwhile.
  const settling = new Set<Promise<void>>()
  const restoreGroup = async (group: SecretGroup, secret: BackedUpSecret) => {
    const label = labelOf(secret)
    const first = await firstAttempt(restorer, secret, session.settle)
    if (first.result.status !== 'unsettled') return finish(group, label, first)
    const later = settle(restorer, secret, first, session.settle, (error) =>
      log.warn(`${label}: ${error}; trying again in this run once that has settled`),
    )
      .then((settled) => finish(group, label, settled))
      .catch((error: unknown) => log.error(`${label}: ${messageOf(error)}`))
    settling.add(later)
    void later.finally(() => settling.delete(later))
  }
  const schedule = async (group: SecretGroup) => {
    tally.secrets += 1
    const validated = validateGroup(group)
    if (!validated.ok) return refuseGroup(group, group.dir, validated.error)
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
      if (role.kind === 'ack') reply(received.record)
      else if (role.kind === 'stray') {
        tally.strays += 1
        reply(received.record, role.reason)
      } else if (!grouper.accepts(role.dir)) {
        tally.strays += 1
        reply(
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
    await Promise.allSettled(settling)
  }
  if (failMode) await restoreAllOrNothing(deferred, restorer, restoreGroup, refuseGroup)
  await Promise.allSettled(settling)
  log.info(tally.line(session))
  // Per-record errors alone leave plakar's exit status at 0: an incomplete restore must
  // end the call with an error, after every result was sent.
  const verdict = tally.verdict(session.options.dryRun)
  if (verdict) throw aborted(verdict)
}

/** on_conflict=fail: check every target before the first write. */
async function restoreAllOrNothing(
  deferred: Array<{ group: SecretGroup; secret: BackedUpSecret }>,
  restorer: Restorer,
  restoreGroup: (group: SecretGroup, secret: BackedUpSecret) => Promise<void>,
  refuseGroup: (group: SecretGroup, label: string, error: string) => void,
) {
  const existing: string[] = []
  try {
    for (const { secret } of deferred) {
      const target = await restorer.target(secret)
      if (target.kind !== 'new') existing.push(labelOf(secret))
    }
  } catch (error) {
    const message = `on_conflict=fail: nothing restored, the destination could not be checked: ${messageOf(error)}`
    for (const { group, secret } of deferred) refuseGroup(group, labelOf(secret), message)
    return
  }
  if (existing.length > 0) {
    const message = `on_conflict=fail: nothing restored, ${existing.length} secret(s) already exist: ${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', ...' : ''}`
    for (const { group, secret } of deferred) refuseGroup(group, labelOf(secret), message)
    return
  }
  for (const { group, secret } of deferred) await restoreGroup(group, secret)
}
