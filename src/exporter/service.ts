// The exporter's gRPC service: Init, Ping, Export (records and chunks in, one result
// per record out) and Close. Restores a secret once all its records have arrived.
import type { Record as WireRecord } from '../../proto/generated/connectors.js'
import type { ExportRequest, ExportResponse, InitRequest } from '../../proto/generated/exporter.js'
import { parseExporterConfig } from '../config/parse.js'
import { connect } from '../connector.js'
import { log } from '../log.js'
import type { Call } from '../plugin/grpc.js'
import { aborted, failedPrecondition, messageOf } from '../plugin/grpc-errors.js'
import type { Exporter } from '../plugin/protocol.js'
import {
  type BackedUpSecret,
  receive,
  type SecretGroup,
  secretsOf,
  validateGroup,
} from './collect.js'
import { describeStep } from './planner.js'
import { Restorer } from './restorer.js'
import { attempt, type Settled, settle, settleTiming } from './settle.js'

function open(request: InitRequest) {
  const options = parseExporterConfig(request.config)
  return { ...connect(options), options, settle: settleTiming(options.timeoutMs) }
}

type ExporterSession = ReturnType<typeof open>

export function createExporterService(): Exporter {
  let session: ExporterSession | undefined
  const opened = () => {
    if (!session) throw failedPrecondition('Init must be called first')
    return session
  }
  return {
    async Init(request) {
      if (session) throw failedPrecondition('Init was already called')
      session = open(request)
      return { origin: session.origin, type: 'scw-secret', root: '/', flags: 0 }
    },

    async Ping() {
      // Listing proves the key and the project; writes cannot be probed without writing.
      await opened().api.listSecrets({}, 1, 1)
      return {}
    },

    async Export(call) {
      await new ExportRun(opened(), call).run().catch((error: unknown) => {
        log.error(`restore failed: ${messageOf(error)}`)
        throw error
      })
    },

    Close: async () => ({}),
  }
}

/** A secret of the stream, validated: how it is named, its records and its content. */
type Job = { label: string; group: SecretGroup; secret: BackedUpSecret }

/** One Export call: records in, a result per record out, then a summary and the verdict. */
class ExportRun {
  private readonly restorer: Restorer
  private readonly started = Date.now()
  /** Secrets being restored; their number is bounded by concurrency. */
  private readonly inflight = new Set<Promise<void>>()
  /** Secrets waiting for an uncertain write to settle: they hold no slot meanwhile. */
  private readonly settling: Array<Promise<void>> = []
  /** on_conflict=fail: every secret, held until all targets are checked. */
  private readonly deferred: Job[] = []
  // What the summary and the verdict count: secrets seen, restored (by what their restore
  // did) or not (with why), records outside the layout refused, and the run's work.
  private secrets = 0
  private readonly done = { create: 0, update: 0, unchanged: 0, skip: 0 }
  private readonly failures: Array<{ label: string; error: string }> = []
  private strays = 0
  private retried = 0
  private versionsWritten = 0

  constructor(
    private readonly session: ExporterSession,
    private readonly call: Call<ExportRequest, ExportResponse>,
  ) {
    this.restorer = new Restorer(session.api, session.options)
  }

  async run(): Promise<void> {
    try {
      const stream = receive(this.call.requests())
      for await (const item of secretsOf(stream)) {
        if ('group' in item) await this.schedule(item.group)
        else {
          if (item.refusal !== undefined) this.strays += 1
          await this.reply(item.record, item.refusal)
        }
      }
    } finally {
      // Even when the stream broke: let restores under way finish before the call ends.
      await this.drain()
    }
    if (this.session.options.onConflict === 'fail') await this.restoreAllOrNothing()
    await this.drain()
    log.info(this.summary())
    // Per-record errors alone leave plakar's exit status at 0: an incomplete restore
    // ends the call with an error, after every result was sent.
    const verdict = this.verdict()
    if (verdict) throw aborted(verdict)
  }

  private async drain() {
    await Promise.allSettled(this.inflight)
    await Promise.allSettled(this.settling)
  }

  /** A result for a call that is over has no reader: it is dropped. */
  private async reply(record: WireRecord, error = '') {
    await this.call.send({ result: { header: record, error } })
  }

  /** A secret not restored: counted, logged, and the reason on each of its records. */
  private async refuse(group: SecretGroup, label: string, error: string, reply = error) {
    this.failures.push({ label, error })
    log.error(`${label}: ${error}`)
    for (const { received } of group.members) await this.reply(received.record, reply)
  }

  private async schedule(group: SecretGroup) {
    this.secrets += 1
    const validated = validateGroup(group)
    if (!validated.ok) {
      return this.refuse(group, group.dir, validated.error, `${group.dir}: ${validated.error}`)
    }
    const { secret } = validated
    const { path, name } = secret.meta
    const job = { label: `${path === '/' ? '' : path}/${name}`, group, secret }
    if (this.session.options.onConflict === 'fail') this.deferred.push(job)
    else await this.start(job)
  }

  /** Starts a restore once a slot is free; the first attempt holds it, settling does not. */
  private async start(job: Job) {
    while (this.inflight.size >= this.session.options.concurrency) await Promise.race(this.inflight)
    const task = attempt(this.restorer, job.secret)
      .then((first) => {
        const later = settle(this.restorer, job.secret, first, this.session.settle, (error) =>
          log.warn(`${job.label}: ${error}; trying again in this run once that has settled`),
        ).then((settled) => this.finish(job, settled))
        if (first.status !== 'unsettled') return later
        this.settling.push(
          later.catch((error: unknown) => this.refuse(job.group, job.label, messageOf(error))),
        )
      })
      .finally(() => this.inflight.delete(task))
    this.inflight.add(task)
  }

  /** Counts a restore, tells the user its warnings (and in a dry run its plan), replies. */
  private async finish({ label, group }: Job, { result, retries, created }: Settled) {
    this.versionsWritten += result.versionsWritten
    if (retries > 0) this.retried += 1
    for (const warning of result.plan?.warnings ?? []) log.warn(`${label}: ${warning}`)
    if (result.plan && this.session.options.dryRun) {
      const steps = result.plan.steps.map((s) => `\n  - ${describeStep(s)}`).join('')
      log.info(`dry run: ${label}: ${result.plan.outcome}${steps}`)
    }
    if (result.status !== 'done') return this.refuse(group, label, result.error)
    const outcome = created ? 'create' : result.plan.outcome
    // A conflict never ends done: it fails the secret.
    if (outcome !== 'conflict') this.done[outcome] += 1
    for (const { received } of group.members) await this.reply(received.record)
  }

  /** on_conflict=fail: every target is checked before the first write. */
  private async restoreAllOrNothing() {
    let refusal: string | undefined
    try {
      const existing: string[] = []
      for (const { secret, label } of this.deferred) {
        if ((await this.restorer.target(secret)).kind !== 'new') existing.push(label)
      }
      const shown = `${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', ...' : ''}`
      if (existing.length > 0) refusal = `${existing.length} secret(s) already exist: ${shown}`
    } catch (error) {
      refusal = `the destination could not be checked: ${messageOf(error)}`
    }
    for (const job of this.deferred) {
      if (refusal === undefined) await this.start(job)
      else await this.refuse(job.group, job.label, `on_conflict=fail: nothing restored, ${refusal}`)
    }
  }

  private summary(): string {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(2)
    const { dryRun } = this.session.options
    const { create, update, unchanged, skip } = this.done
    return (
      `${dryRun ? 'dry run of ' : ''}restore into ${this.session.origin}: ${create} created, ` +
      `${update} updated, ${unchanged} unchanged, ${skip} skipped, ${this.failures.length} failed, ` +
      `${dryRun ? 0 : this.versionsWritten} versions written, ` +
      `${this.retried} retried in this run, ${this.session.apiSummary()}, ${elapsed}s`
    )
  }

  /** One line for the final status when something was not restored; undefined if all was. */
  private verdict(): string | undefined {
    const parts: string[] = []
    const failed = this.failures
    if (failed.length > 0) {
      const verb = this.session.options.dryRun ? 'would not be restored' : 'not restored'
      parts.push(`${failed.length} of ${this.secrets} secrets ${verb}: ${this.why()}`)
    }
    if (this.strays > 0) parts.push(`${this.strays} records outside the snapshot layout refused`)
    return parts.length > 0 ? parts.join('; ') : undefined
  }

  /** The reasons, shortened: one shared reason once, else the first three. */
  private why(): string {
    const failed = this.failures
    const first = failed[0]?.error ?? ''
    if (failed.length > 1 && failed.every((f) => f.error === first)) return first
    const shown = failed.slice(0, 3).map((f) => `${f.label} (${f.error})`)
    if (failed.length > 3) shown.push(`and ${failed.length - 3} more above`)
    return shown.join('; ')
  }
}
