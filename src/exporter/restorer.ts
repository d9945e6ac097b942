// Executes restore plans against the destination: picks the destination secret among
// same-name twins (twins.ts), plans it (planner.ts), then writes in order. A write whose
// answer was lost is never repeated blindly: the secret stops as "unsettled", and
// settle.ts tries it again, re-read and re-planned, once that write can no longer land.
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

export interface RestoreOptions extends Omit<PlanOptions, 'sameProjectAndRegion'> {
  dryRun: boolean
}

interface Work {
  writes: number
  /** Versions actually written (placeholders aside). */
  versionsWritten: number
}

export type RestoreResult = Work &
  (
    | { status: 'done'; plan: Plan }
    /** Retrying in this run would not help (a conflict, a refusal, bad content). */
    | { status: 'failed'; plan?: Plan; error: string }
    /** Stopped for safety or by a transient failure: try again once that has settled. */
    | { status: 'unsettled'; plan?: Plan; error: string }
  )

/**
 * A write that may or may not have happened: its answer was lost and it has not appeared
 * (yet), or the secret changed under us. Nothing more is written until it has settled.
 */
class UnsettledWrite extends Error {
  override name = 'UnsettledWrite'
}

/** Failures a later attempt in the same run can get past. */
const TRANSIENT: readonly ApiErrorKind[] = [
  'rate_limited',
  'server',
  'network',
  'timeout',
  'ambiguous_write',
]

function isTransient(error: unknown): boolean {
  return (
    error instanceof UnsettledWrite || (error instanceof ApiError && TRANSIENT.includes(error.kind))
  )
}

/** The result of a failure thrown before or while writing. */
export function failure(error: unknown, work: Work, plan?: Plan): RestoreResult {
  const message = messageOf(error)
  const text = work.writes > 0 ? `restore stopped after ${work.writes} writes: ${message}` : message
  return isTransient(error)
    ? { ...work, plan, status: 'unsettled', error: text }
    : { ...work, plan, status: 'failed', error: text }
}

const key = (path: string, name: string) => `${path}\u0000${name}`

function byLocation(secrets: Secret[]): Map<string, Secret[]> {
  const out = new Map<string, Secret[]>()
  for (const s of secrets) {
    const k = key(s.path, s.name)
    out.set(k, [...(out.get(k) ?? []), s])
  }
  return out
}

export class Restorer {
  /** Every secret of the destination by (path, name), listed once, at the first lookup. */
  private index: Promise<Map<string, Secret[]>> | undefined

  constructor(
    private readonly api: SecretApi,
    private readonly options: RestoreOptions,
  ) {}

  /** The destination's secrets, live and soft-deleted, with this path and name (all if none). */
  private async list(query: { path?: string; name?: string } = {}): Promise<Secret[]> {
    const out: Secret[] = []
    for (const scheduledForDeletion of [false, true]) {
      for await (const page of secretPages(this.api, { ...query, scheduledForDeletion })) {
        out.push(...page)
      }
    }
    return out
  }

  /**
   * Which destination secret the snapshot's secret goes to. `fresh` reads the destination
   * again, as a retry must plan against what it holds now.
   */
  async target(secret: BackedUpSecret, fresh = false): Promise<Target> {
    const path = targetPath(secret.meta.path, this.options.folder)
    const { name } = secret.meta
    if (fresh) return chooseTarget(secret.meta, await this.list({ path, name }))
    this.index ??= this.list().then(byLocation)
    const candidates = (await this.index).get(key(path, name)) ?? []
    return chooseTarget(secret.meta, candidates)
  }

  async restore(secret: BackedUpSecret, fresh = false): Promise<RestoreResult> {
    const planOptions: PlanOptions = {
      ...this.options,
      sameProjectAndRegion:
        secret.meta.project_id === this.api.projectId && secret.meta.region === this.api.region,
    }
    const target = await this.target(secret, fresh)
    let found = target.kind === 'new' ? undefined : target.secret
    // A soft-deleted secret serves no payload yet: it is compared by revisions alone first.
    let dest = found && (await this.destinationState(found))
    const warnings: string[] = []
    if (target.kind === 'revive' && planSecret(secret, dest, planOptions).outcome === 'conflict') {
      // Its name is free: leave the differing twin to its purge and restore beside it.
      warnings.push(
        `a soft-deleted secret of the same name (${target.secret.id}) differs from the snapshot; it is left as it is and a new secret is created`,
      )
      found = dest = undefined
    }
    // Brought back before anything else: its versions cannot be read until it is restored.
    const revived =
      found !== undefined &&
      target.kind === 'revive' &&
      !this.options.dryRun &&
      this.options.onConflict === 'sync'
    if (found && revived) {
      found = await this.api.restoreSecret(found.id)
      dest = await this.destinationState(found)
    }
    const plan = planSecret(secret, dest, planOptions)
    plan.warnings.unshift(...warnings)
    if (revived && plan.outcome === 'unchanged') plan.outcome = 'update'
    const work: Work = { writes: revived ? 1 : 0, versionsWritten: 0 }
    if (plan.outcome === 'conflict') {
      const error = `not restored, the destination differs: ${plan.conflicts.join('; ')}`
      return { ...work, plan, status: 'failed', error }
    }
    if (this.options.dryRun) return { ...work, plan, status: 'done' }
    return this.execute(plan, found?.id, work)
  }

  private async destinationState(found: Secret): Promise<DestinationSecret> {
    const versions = await listAllVersions(this.api, found.id)
    // Every enabled version is read: to compare it with the snapshot, or to recognise a
    // placeholder an interrupted restore left behind. Reading a burn-after-reading
    // version would destroy it, and a soft-deleted secret (dry run) serves nothing, so
    // those are trusted by revision alone.
    const unreadable =
      found.ephemeralPolicy?.expiresOnceAccessed === true || found.deletionRequestedAt !== undefined
    const withPayloads = await Promise.all(
      versions.map(async (v) => ({
        revision: v.revision,
        status: v.status,
        description: v.description ?? '',
        payload:
          v.status === 'enabled' && !unreadable
            ? Buffer.from((await this.api.accessVersion(found.id, v.revision)).data)
            : undefined,
      })),
    )
    return {
      type: found.type,
      tags: found.tags,
      description: found.description ?? '',
      protected: found.protected,
      scheduledForDeletion: found.deletionRequestedAt !== undefined,
      versions: withPayloads,
    }
  }

  private async execute(
    plan: Plan,
    existingId: string | undefined,
    work: Work,
  ): Promise<RestoreResult> {
    let secretId = existingId
    try {
      for (const step of plan.steps) {
        if (step.op === 'create-secret') secretId = await this.createSecret(step)
        else if (secretId) await this.apply(secretId, step)
        else throw new Error(`no secret to apply ${step.op} to`)
        work.writes += 1
        if (step.op === 'create-version' && !step.placeholder) work.versionsWritten += 1
      }
      return { ...work, plan, status: 'done' }
    } catch (error) {
      return failure(error, work, plan)
    }
  }

  private async createSecret(step: Extract<Step, { op: 'create-secret' }>): Promise<string> {
    try {
      return (await this.api.createSecret(step.input)).id
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind !== 'ambiguous_write') throw error
      const { path, name } = step.input
      const [landed] = (await this.api.listSecrets({ path, name }, 1, 1)).items
      if (landed) return landed.id
      throw new UnsettledWrite(
        'the answer to creating the secret was lost and it has not appeared (yet)',
      )
    }
  }

  private async apply(secretId: string, step: Exclude<Step, { op: 'create-secret' }>) {
    const api = this.api
    switch (step.op) {
      case 'create-version':
        return this.createVersion(secretId, step)
      case 'delete-version':
        return api.deleteVersion(secretId, step.revision)
      case 'enable-version':
        return api.enableVersion(secretId, step.revision)
      case 'disable-version':
        return api.disableVersion(secretId, step.revision)
      case 'restore-version':
        return api.restoreVersion(secretId, step.revision)
      case 'restore-secret':
        return api.restoreSecret(secretId)
      case 'update-secret':
        return api.updateSecret(secretId, { tags: step.tags, description: step.description })
      case 'protect':
        return api.protectSecret(secretId)
    }
  }

  private async createVersion(secretId: string, step: Extract<Step, { op: 'create-version' }>) {
    let created: SecretVersion
    try {
      created = await this.api.createVersion(secretId, step.data, step.description)
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind !== 'ambiguous_write') throw error
      created = await this.afterLostAnswer(secretId, step)
    }
    if (this.options.preserveRevisions && created.revision !== step.revision) {
      // Later steps address revisions by number: going on could disable or delete the
      // wrong version. A fresh plan sees what is there now.
      throw new UnsettledWrite(
        `revision ${step.revision} was written as revision ${created.revision} (the secret changed meanwhile)`,
      )
    }
  }

  /** The create may have happened: look before writing again. */
  private async afterLostAnswer(
    secretId: string,
    step: Extract<Step, { op: 'create-version' }>,
  ): Promise<SecretVersion> {
    const versions = await listAllVersions(this.api, secretId)
    const landed = versions.find((v) => v.revision === step.revision)
    if (landed && landed.status === 'enabled') {
      const { data } = await this.api.accessVersion(secretId, landed.revision)
      if (Buffer.from(data).equals(step.data)) return landed
    }
    if (landed) {
      throw new UnsettledWrite(
        `revision ${step.revision} appeared in the destination with other content`,
      )
    }
    // Nothing proves the server is done with the request: after a timeout, a dropped
    // connection or a gateway 5xx it may still land after a second create, a duplicate
    // version. So nothing more is written until it can no longer land.
    throw new UnsettledWrite(
      `the answer to writing revision ${step.revision} was lost and it has not appeared (yet)`,
    )
  }
}
