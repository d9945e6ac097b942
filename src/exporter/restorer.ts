// Executes restore plans against the destination: picks the destination secret among
// same-name twins (twins.ts), plans it (planner.ts), then writes in order. A write whose
// answer was lost is never repeated blindly: the secret stops as "unsettled", and
// settle.ts tries it again, re-read and re-planned, once that write can no longer land.
import type { ExporterConfig } from '../config/parse.js'
import { messageOf } from '../plugin/grpc-errors.js'
import type { Secret, SecretApi, SecretVersion } from '../scaleway/api.js'
import { ApiError, type ApiErrorKind } from '../scaleway/errors.js'
import { listAllVersions, secretPages } from '../scaleway/pages.js'
import type { BackedUpSecret } from './collect.js'
import {
  type DestinationSecret,
  type Plan,
  type PlanOptions,
  planSecret,
  type Step,
  targetPath,
} from './planner.js'
import { chooseTarget, type Target } from './twins.js'

type RestoreOptions = Omit<PlanOptions, 'sameProjectAndRegion'> & Pick<ExporterConfig, 'dryRun'>

/** Writes made, and versions written among them (placeholders aside). */
type Work = { writes: number; versionsWritten: number }

export type RestoreResult = Work &
  (
    | { status: 'done'; plan: Plan }
    // Failed: retrying in this run would not help (a conflict, a refusal, bad content).
    // Unsettled: stopped for safety or by a transient failure, to try again once settled.
    | { status: 'failed' | 'unsettled'; plan?: Plan; error: string }
  )

/** A write lost and not (yet) seen, or the secret changed under us: write no more for now. */
class UnsettledWrite extends Error {
  override name = 'UnsettledWrite'
}

/** Failures a later attempt in the same run can get past. */
const TRANSIENT: ApiErrorKind[] = [
  'rate_limited',
  'server',
  'network',
  'timeout',
  'ambiguous_write',
]

/** The result of a failure thrown before or while writing. */
export function failure(error: unknown, work: Work, plan?: Plan): RestoreResult {
  const message = messageOf(error)
  const text = work.writes > 0 ? `restore stopped after ${work.writes} writes: ${message}` : message
  const transient =
    error instanceof UnsettledWrite || (error instanceof ApiError && TRANSIENT.includes(error.kind))
  return { ...work, plan, status: transient ? 'unsettled' : 'failed', error: text }
}

/**
 * A write whose answer was lost (timeout, dropped connection, gateway 5xx) may have been
 * applied, or may yet be: `landed` looks for it; not found, writing again could duplicate
 * it, so nothing more is written until it can no longer land.
 */
async function once<T>(write: () => Promise<T>, landed: () => Promise<T | undefined>, op: string) {
  try {
    return await write()
  } catch (error) {
    if (!(error instanceof ApiError) || error.kind !== 'ambiguous_write') throw error
    const found = await landed()
    if (found) return found
    throw new UnsettledWrite(`the answer to ${op} was lost and it has not appeared (yet)`)
  }
}

/** The API call behind each step that changes one version's status. */
const VERSION_CALLS = {
  'delete-version': 'deleteVersion',
  'enable-version': 'enableVersion',
  'disable-version': 'disableVersion',
  'restore-version': 'restoreVersion',
} as const

const key = (at: { path: string; name: string }) => `${at.path}\u0000${at.name}`

function byLocation(secrets: Secret[]): Map<string, Secret[]> {
  const out = new Map<string, Secret[]>()
  for (const s of secrets) out.set(key(s), [...(out.get(key(s)) ?? []), s])
  return out
}

export class Restorer {
  /** The destination's secrets by (path, name), listed at the first lookup; not if that failed. */
  private index: Promise<Map<string, Secret[]>> | undefined

  constructor(
    private readonly api: SecretApi,
    private readonly options: RestoreOptions,
  ) {}

  /**
   * The destination's secrets, live then soft-deleted, with this path and name (all if none).
   * The two listings run side by side: the first restore waits for both.
   */
  private async list(query: { path?: string; name?: string } = {}): Promise<Secret[]> {
    const listing = async (scheduledForDeletion: boolean) => {
      const out: Secret[] = []
      for await (const page of secretPages(this.api, { ...query, scheduledForDeletion })) {
        out.push(...page)
      }
      return out
    }
    return (await Promise.all([listing(false), listing(true)])).flat()
  }

  /** Where the snapshot's secret goes; `fresh` reads the destination again, as retries must. */
  async target(secret: BackedUpSecret, fresh = false): Promise<Target> {
    const path = targetPath(secret.meta.path, this.options.folder)
    const { name } = secret.meta
    if (fresh) return chooseTarget(secret.meta, await this.list({ path, name }))
    this.index ??= this.list().then(byLocation, (error: unknown) => {
      this.index = undefined
      throw error
    })
    const candidates = (await this.index).get(key({ path, name })) ?? []
    return chooseTarget(secret.meta, candidates)
  }

  async restore(secret: BackedUpSecret, fresh: boolean): Promise<RestoreResult> {
    const { project_id, region } = secret.meta
    const sameProjectAndRegion = project_id === this.api.projectId && region === this.api.region
    const target = await this.target(secret, fresh)
    const work: Work = { writes: 0, versionsWritten: 0 }
    // on_conflict=skip leaves a live secret alone, unread; a soft-deleted one no longer
    // holds the name, so it is restored as with sync.
    const skip = this.options.onConflict === 'skip'
    const onConflict = skip && target.kind !== 'live' ? 'sync' : this.options.onConflict
    const planOptions: PlanOptions = { ...this.options, onConflict, sameProjectAndRegion }
    if (skip && target.kind === 'live') {
      const plan = planSecret(secret, { ...target.secret, versions: [] }, planOptions)
      return { ...work, plan, status: 'done' }
    }
    let found = target.kind === 'new' ? undefined : target.secret
    // A soft-deleted secret serves no payload yet: it is compared by revisions alone first.
    let plan = planSecret(secret, found && (await this.destinationState(found)), planOptions)
    if (target.kind === 'revive' && plan.outcome === 'conflict') {
      // Its name is free: leave the differing twin to its purge and restore beside it.
      found = undefined
      plan = planSecret(secret, undefined, planOptions)
      plan.warnings.unshift(
        `a soft-deleted secret of the same name (${target.secret.id}) differs from the snapshot; it is left as it is and a new secret is created`,
      )
    } else if (found && plan.steps[0]?.op === 'restore-secret' && !this.options.dryRun) {
      // Brought back first (its versions cannot be read until then), then planned again.
      found = await this.api.restoreSecret(found.id)
      work.writes = 1
      plan = planSecret(secret, await this.destinationState(found), planOptions)
      if (plan.outcome === 'unchanged') plan.outcome = 'update'
    }
    if (plan.outcome === 'conflict') {
      const error = `not restored, the destination differs: ${plan.conflicts.join('; ')}`
      return { ...work, plan, status: 'failed', error }
    }
    if (this.options.dryRun) return { ...work, plan, status: 'done' }
    return this.execute(plan, found?.id, work)
  }

  private async destinationState(found: Secret): Promise<DestinationSecret> {
    // Enabled versions are read, to compare them or to spot a placeholder an interrupted
    // restore left. Reading a burn-after-reading version would destroy it, and a
    // soft-deleted secret (dry run) serves nothing: those are trusted by revision alone.
    const unreadable =
      found.ephemeralPolicy?.expiresOnceAccessed === true || found.deletionRequestedAt !== undefined
    const read = async (v: SecretVersion) =>
      v.status === 'enabled' && !unreadable
        ? Buffer.from((await this.api.accessVersion(found.id, v.revision)).data)
        : undefined
    const versions = await listAllVersions(this.api, found.id)
    return {
      ...found,
      versions: await Promise.all(versions.map(async (v) => ({ ...v, payload: await read(v) }))),
    }
  }

  private async execute(plan: Plan, found: string | undefined, work: Work): Promise<RestoreResult> {
    let secretId = found
    try {
      for (const step of plan.steps) {
        secretId = await this.apply(secretId, step)
        work.writes += 1
        if (step.op === 'create-version' && !step.placeholder) work.versionsWritten += 1
      }
      return { ...work, plan, status: 'done' }
    } catch (error) {
      return failure(error, work, plan)
    }
  }

  /** Makes one step's write; returns the secret's id, which a creation gives. */
  private async apply(id: string | undefined, step: Step): Promise<string> {
    const api = this.api
    if (step.op === 'create-secret') {
      const { path, name } = step.input
      const lookup = async () => (await api.listSecrets({ path, name }, 1, 1)).items[0]
      return (await once(() => api.createSecret(step.input), lookup, 'creating the secret')).id
    }
    if (!id) throw new Error(`no secret to apply ${step.op} to`)
    const { op } = step
    if (op === 'create-version') await this.createVersion(id, step)
    else if (op === 'update-secret')
      await api.updateSecret(id, { tags: step.tags, description: step.description })
    else if (op === 'restore-secret') await api.restoreSecret(id)
    else if (op === 'protect') await api.protectSecret(id)
    else await api[VERSION_CALLS[op]](id, step.revision)
    return id
  }

  private async createVersion(id: string, step: Extract<Step, { op: 'create-version' }>) {
    const { revision, data } = step
    // What a lost create may have written, if it is there with the same bytes.
    const landed = async () => {
      const version = await this.api.getVersion(id, revision).catch((error: unknown) => {
        if (error instanceof ApiError && error.kind === 'not_found') return undefined
        throw error
      })
      if (!version) return undefined
      if (version.status === 'enabled') {
        const written = (await this.api.accessVersion(id, revision)).data
        if (Buffer.from(written).equals(data)) return version
      }
      throw new UnsettledWrite(
        `revision ${revision} appeared in the destination with other content`,
      )
    }
    const write = () => this.api.createVersion(id, data, step.description)
    const created = await once(write, landed, `writing revision ${revision}`)
    if (this.options.preserveRevisions && created.revision !== revision) {
      // Later steps address revisions by number: going on could disable or delete the
      // wrong version. A fresh plan sees what is there now.
      throw new UnsettledWrite(
        `revision ${revision} was written as revision ${created.revision} (the secret changed meanwhile)`,
      )
    }
  }
}
