// Executes restore plans against the destination: looks up what exists, plans each
// secret (planner.ts), then writes in order. A write whose answer was lost is checked
// against the destination before anything is written again, so no retry duplicates.
import { log } from '../log.js'
import type { Secret, SecretApi, SecretVersion } from '../scaleway/api.js'
import { ApiError } from '../scaleway/errors.js'
import { listAllVersions, secretPages } from '../scaleway/pages.js'
import type { BackedUpSecret } from './collect.js'
import {
  type DestinationSecret,
  describeStep,
  type Plan,
  type PlanOptions,
  planSecret,
  type Step,
  targetPath,
} from './planner.js'

export interface RestoreOptions extends Omit<PlanOptions, 'sameProjectAndRegion'> {
  dryRun: boolean
}

export interface RestoreResult {
  plan: Plan
  /** Versions actually written (placeholders aside). */
  versionsWritten: number
  /** Set when the secret could not be restored (fully or at all). */
  error?: string
  writes: number
}

const key = (path: string, name: string) => `${path}\u0000${name}`

export class Restorer {
  private index: Promise<Map<string, Secret>> | undefined

  constructor(
    private readonly api: SecretApi,
    private readonly options: RestoreOptions,
  ) {}

  /** Every secret of the destination, live and soft-deleted, by (path, name). Listed once. */
  existing(): Promise<Map<string, Secret>> {
    this.index ??= this.listDestination()
    return this.index
  }

  private async listDestination(): Promise<Map<string, Secret>> {
    const out = new Map<string, Secret>()
    for (const scheduledForDeletion of [false, true]) {
      for await (const page of secretPages(this.api, { scheduledForDeletion })) {
        for (const s of page) out.set(key(s.path, s.name), s)
      }
    }
    return out
  }

  async find(secret: BackedUpSecret): Promise<Secret | undefined> {
    const path = targetPath(secret.meta.path, this.options.reroot)
    return (await this.existing()).get(key(path, secret.meta.name))
  }

  async restore(secret: BackedUpSecret): Promise<RestoreResult> {
    const planOptions: PlanOptions = {
      ...this.options,
      sameProjectAndRegion:
        secret.meta.project_id === this.api.projectId && secret.meta.region === this.api.region,
    }
    const found = await this.find(secret)
    if (found && (await this.wouldConflict(secret, found, planOptions))) {
      // Nothing is written, not even the revival of a soft-deleted secret.
      const dest = await this.destinationState(found)
      const plan = planSecret(secret, dest, planOptions)
      return { plan, writes: 0, versionsWritten: 0, error: conflictError(plan) }
    }
    const current = found ? await this.revive(found) : undefined
    const dest = current ? await this.destinationState(current.secret) : undefined
    const plan = planSecret(secret, dest, planOptions)
    if (current?.revived) {
      plan.steps.unshift({ op: 'restore-secret' })
      if (plan.outcome === 'unchanged') plan.outcome = 'update'
    }
    const label = `${plan.target.path === '/' ? '' : plan.target.path}/${plan.target.name}`
    for (const warning of plan.warnings) log.warn(`${label}: ${warning}`)
    if (this.options.dryRun) {
      log.info(
        `dry run: ${label}: ${plan.outcome}${plan.steps.map((s) => `\n  - ${describeStep(s)}`).join('')}`,
      )
      return { plan, writes: 0, versionsWritten: 0, error: conflictError(plan) }
    }
    if (plan.outcome === 'conflict') {
      return { plan, writes: 0, versionsWritten: 0, error: conflictError(plan) }
    }
    return this.execute(plan, found?.id, current?.revived === true)
  }

  /** For a soft-deleted secret, whose payloads cannot be read yet: a conflict by revisions alone? */
  private async wouldConflict(secret: BackedUpSecret, found: Secret, options: PlanOptions) {
    if (found.deletionRequestedAt === undefined) return false
    const plan = planSecret(secret, await this.destinationState(found), options)
    return plan.outcome === 'conflict'
  }

  /**
   * A destination secret scheduled for deletion is brought back before anything else:
   * its versions cannot be read, so it cannot be compared, until it is restored.
   */
  private async revive(found: Secret): Promise<{ secret: Secret; revived: boolean }> {
    const soft = found.deletionRequestedAt !== undefined
    if (!soft || this.options.dryRun || this.options.onConflict !== 'sync') {
      return { secret: found, revived: false }
    }
    return { secret: await this.api.restoreSecret(found.id), revived: true }
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
      id: found.id,
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
    revived: boolean,
  ): Promise<RestoreResult> {
    let secretId = existingId
    let writes = 0
    let versionsWritten = 0
    try {
      for (const step of plan.steps) {
        if (step.op === 'restore-secret' && revived) {
          // Already done by revive().
        } else if (step.op === 'create-secret') secretId = await this.createSecret(step)
        else if (secretId) await this.apply(secretId, step)
        else throw new Error(`no secret to apply ${step.op} to`)
        writes += 1
        if (step.op === 'create-version' && !step.placeholder) versionsWritten += 1
      }
      return { plan, writes, versionsWritten }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return {
        plan,
        writes,
        versionsWritten,
        error: `restore stopped after ${writes} writes: ${message}`,
      }
    }
  }

  private async createSecret(step: Extract<Step, { op: 'create-secret' }>): Promise<string> {
    try {
      return (await this.api.createSecret(step.input)).id
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind !== 'ambiguous_write') throw error
      const { items } = await this.api.listSecrets(
        { path: step.input.path, name: step.input.name },
        1,
        1,
      )
      if (items[0]) return items[0].id
      return (await this.api.createSecret(step.input)).id
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
      created = await this.afterLostAnswer(secretId, step, error)
    }
    if (this.options.preserveRevisions && created.revision !== step.revision) {
      // Later steps address revisions by number: going on could disable or delete the
      // wrong version.
      throw new Error(
        `revision ${step.revision} was written as revision ${created.revision} (the secret ` +
          'changed meanwhile); nothing more is written for this secret',
      )
    }
  }

  /** The create may have happened: look before writing again. */
  private async afterLostAnswer(
    secretId: string,
    step: Extract<Step, { op: 'create-version' }>,
    lost: ApiError,
  ): Promise<SecretVersion> {
    const versions = await listAllVersions(this.api, secretId)
    const landed = versions.find((v) => v.revision === step.revision)
    if (landed && landed.status === 'enabled') {
      const { data } = await this.api.accessVersion(secretId, landed.revision)
      if (Buffer.from(data).equals(step.data)) return landed
    }
    if (landed) {
      throw new Error(`revision ${step.revision} appeared in the destination with other content`)
    }
    // Nothing proves the server is done with the request: after a timeout, a dropped
    // connection or a gateway 5xx it may still land after a second create, a duplicate
    // version. Stop this secret instead; the next run's sync plan resumes it.
    const why = lost.status === undefined ? 'was lost' : `was HTTP ${lost.status}`
    throw new Error(
      `the answer to writing revision ${step.revision} ${why} and it has not appeared (yet); ` +
        'nothing more is written for this secret so as not to duplicate it; run the restore again',
    )
  }
}

function conflictError(plan: Plan): string | undefined {
  if (plan.conflicts.length === 0) return undefined
  return `not restored, the destination differs: ${plan.conflicts.join('; ')}`
}
