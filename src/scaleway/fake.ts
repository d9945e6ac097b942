// An in-memory SecretApi for unit tests of the logic above the client (planners,
// importer, exporter). It follows the real service where the shared API notes say how it
// behaves, and fails through the same error mapping as the real client, so code written
// against it sees the same ApiError kinds and messages.
//
// Where the notes are silent the fake picks one behaviour and sticks to it:
// - a soft-deleted secret keeps its (path, name): creating the same again is a duplicate;
// - listSecrets({ scheduledForDeletion: true }) lists only soft-deleted secrets;
// - tags filter with "has every tag";
// - accessing a version that is not enabled is a 412 precondition failure;
// - restoring a version puts back the status it had before its deletion.
import { Errors } from '@scaleway/sdk-client'
import type {
  AccessedPayload,
  CreateSecretInput,
  ListSecretsQuery,
  Page,
  Region,
  RevisionRef,
  Secret,
  SecretApi,
  SecretVersion,
  SecretVersionStatus,
  UpdateSecretInput,
} from './api.js'
import { crc32 } from './crc32.js'
import {
  type ApiError,
  DUPLICATE_NAME_HELP,
  OPERATIONS,
  type Operation,
  type OperationContext,
  toApiError,
} from './errors.js'

const MAX_PAYLOAD_BYTES = 64 * 1024

interface StoredVersion {
  version: SecretVersion
  data: Uint8Array
  dataCrc32: number
  statusBeforeDeletion?: SecretVersionStatus
}

interface StoredSecret {
  secret: Secret
  /** Oldest first; index i holds revision i + 1. */
  versions: StoredVersion[]
}

interface Fault {
  error: ApiError
  afterApplying: boolean
}

export interface FakeSecretApiOptions {
  region?: Region
  projectId?: string
  now?: () => Date
}

function normalizePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path
}

function paginate<T>(items: T[], page: number, pageSize: number): Page<T> {
  const start = (page - 1) * pageSize
  return { items: items.slice(start, start + pageSize), totalCount: items.length }
}

export class FakeSecretApi implements SecretApi {
  readonly region: Region
  readonly projectId: string
  /** Calls per operation, failed ones included. */
  readonly calls: Record<Operation, number>
  private readonly now: () => Date
  private readonly secrets = new Map<string, StoredSecret>()
  private readonly faults = new Map<Operation, Fault[]>()
  private idCounter = 0

  constructor(options: FakeSecretApiOptions = {}) {
    this.region = options.region ?? 'fr-par'
    this.projectId = options.projectId ?? '11111111-1111-4111-8111-111111111111'
    this.now = options.now ?? (() => new Date())
    this.calls = Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<Operation, number>
  }

  get totalCalls(): number {
    return Object.values(this.calls).reduce((sum, n) => sum + n, 0)
  }

  /**
   * Makes the next call of `operation` fail with `error`. With `afterApplying`, the call
   * takes effect first: the way to stage a write whose answer was lost.
   */
  failNext(operation: Operation, error: ApiError, options: { afterApplying?: boolean } = {}) {
    const queue = this.faults.get(operation) ?? []
    queue.push({ error, afterApplying: options.afterApplying ?? false })
    this.faults.set(operation, queue)
  }

  /** DELETE /secrets/S, which SecretApi does not offer: a soft delete. */
  deleteSecret(secretId: string): void {
    const stored = this.mustFind({ ...this.ctx('getSecret'), secretId })
    stored.secret.deletionRequestedAt = this.now()
  }

  /** The stored bytes of a version, for assertions. */
  payloadOf(secretId: string, revision: number): Uint8Array | undefined {
    const data = this.secrets.get(secretId)?.versions[revision - 1]?.data
    return data === undefined ? undefined : new Uint8Array(data)
  }

  /** Every secret, soft-deleted ones included, oldest first. */
  allSecrets(): Secret[] {
    return [...this.secrets.values()].map((s) => structuredClone(s.secret))
  }

  listSecrets(query: ListSecretsQuery, page: number, pageSize: number) {
    return this.call(this.ctx('listSecrets'), () => {
      const matching = [...this.secrets.values()]
        .map((s) => s.secret)
        .filter((secret) => this.matches(secret, query))
      return paginate(matching, page, pageSize)
    })
  }

  getSecret(secretId: string) {
    const ctx = { ...this.ctx('getSecret'), secretId }
    return this.call(ctx, () => this.mustFind(ctx).secret)
  }

  listVersions(secretId: string, page: number, pageSize: number) {
    const ctx = { ...this.ctx('listVersions'), secretId }
    return this.call(ctx, () => {
      const newestFirst = this.mustFind(ctx)
        .versions.map((v) => v.version)
        .reverse()
      return paginate(newestFirst, page, pageSize)
    })
  }

  getVersion(secretId: string, revision: RevisionRef) {
    const ctx = { ...this.ctx('getVersion'), secretId, revision }
    return this.call(ctx, () => this.mustFindVersion(ctx).version)
  }

  accessVersion(secretId: string, revision: RevisionRef) {
    const ctx = { ...this.ctx('accessVersion'), secretId, revision }
    return this.call(ctx, (): AccessedPayload => {
      const stored = this.mustFindVersion(ctx)
      if (stored.version.status !== 'enabled') {
        throw this.precondition('secret_version_not_enabled', 'the version is not enabled')
      }
      const { secret } = this.mustFind(ctx)
      const { revision: rev } = stored.version
      return { revision: rev, data: stored.data, dataCrc32: stored.dataCrc32, type: secret.type }
    })
  }

  createSecret(input: CreateSecretInput) {
    return this.call(this.ctx('createSecret'), () => {
      const path = normalizePath(input.path)
      this.assertCreatable(input.name, path)
      const secret = this.newSecret(input, path)
      this.secrets.set(secret.id, { secret, versions: [] })
      return secret
    })
  }

  updateSecret(secretId: string, input: UpdateSecretInput) {
    const ctx = { ...this.ctx('updateSecret'), secretId }
    return this.call(ctx, () => {
      const { secret } = this.mustFind(ctx)
      if (input.tags !== undefined) secret.tags = [...input.tags]
      if (input.description !== undefined) secret.description = input.description
      secret.updatedAt = this.now()
      return secret
    })
  }

  protectSecret(secretId: string) {
    const ctx = { ...this.ctx('protectSecret'), secretId }
    return this.call(ctx, () => {
      const { secret } = this.mustFind(ctx)
      secret.protected = true
      secret.updatedAt = this.now()
      return secret
    })
  }

  restoreSecret(secretId: string) {
    const ctx = { ...this.ctx('restoreSecret'), secretId }
    return this.call(ctx, () => {
      const { secret } = this.mustFind(ctx)
      secret.deletionRequestedAt = undefined
      secret.updatedAt = this.now()
      return secret
    })
  }

  createVersion(secretId: string, data: Uint8Array, description?: string) {
    const ctx = { ...this.ctx('createVersion'), secretId }
    return this.call(ctx, () => {
      const stored = this.mustFind(ctx)
      this.assertWritable(stored, data)
      const previous = stored.versions.at(-1)
      if (previous) previous.version.latest = false
      const version = this.newVersion(secretId, stored.versions.length + 1, description)
      stored.versions.push({ version, data: new Uint8Array(data), dataCrc32: crc32(data) })
      stored.secret.versionCount = stored.versions.length
      stored.secret.updatedAt = version.createdAt
      return version
    })
  }

  enableVersion(secretId: string, revision: number) {
    return this.setStatus({ ...this.ctx('enableVersion'), secretId, revision }, 'enabled')
  }

  disableVersion(secretId: string, revision: number) {
    return this.setStatus({ ...this.ctx('disableVersion'), secretId, revision }, 'disabled')
  }

  async deleteVersion(secretId: string, revision: number): Promise<void> {
    const ctx = { ...this.ctx('deleteVersion'), secretId, revision }
    await this.call(ctx, () => {
      const stored = this.mustFindVersion(ctx)
      if (stored.version.status === 'scheduled_for_deletion') return
      stored.statusBeforeDeletion = stored.version.status
      stored.version.status = 'scheduled_for_deletion'
      stored.version.deletionRequestedAt = this.now()
      stored.version.updatedAt = this.now()
    })
  }

  restoreVersion(secretId: string, revision: number) {
    const ctx = { ...this.ctx('restoreVersion'), secretId, revision }
    return this.call(ctx, () => {
      const stored = this.mustFindVersion(ctx)
      if (stored.version.status !== 'scheduled_for_deletion') {
        throw this.precondition(
          'secret_version_not_deleted',
          'the version is not scheduled for deletion',
        )
      }
      stored.version.status = stored.statusBeforeDeletion ?? 'disabled'
      stored.version.deletionRequestedAt = undefined
      stored.version.updatedAt = this.now()
      return stored.version
    })
  }

  /** Counts the call, plays any staged fault, and hands out a copy of the result. */
  private async call<T>(ctx: OperationContext, apply: () => T): Promise<T> {
    this.calls[ctx.operation] += 1
    const fault = this.faults.get(ctx.operation)?.shift()
    if (fault && !fault.afterApplying) throw fault.error
    let result: T
    try {
      result = apply()
    } catch (error) {
      throw toApiError(error, ctx)
    }
    if (fault) throw fault.error
    return structuredClone(result)
  }

  private ctx(operation: Operation): OperationContext {
    return { operation, region: this.region, projectId: this.projectId }
  }

  private nextId(): string {
    this.idCounter += 1
    return `00000000-0000-4000-8000-${this.idCounter.toString(16).padStart(12, '0')}`
  }

  private matches(secret: Secret, query: ListSecretsQuery): boolean {
    const deleted = secret.deletionRequestedAt !== undefined
    if (deleted !== (query.scheduledForDeletion ?? false)) return false
    if (query.path !== undefined && secret.path !== normalizePath(query.path)) return false
    if (query.name !== undefined && secret.name !== query.name) return false
    if (query.type !== undefined && query.type !== 'unknown_type' && secret.type !== query.type) {
      return false
    }
    return (query.tags ?? []).every((tag) => secret.tags.includes(tag))
  }

  private mustFind(ctx: OperationContext): StoredSecret {
    const id = ctx.secretId ?? ''
    const stored = this.secrets.get(id)
    if (!stored) throw this.notFound('secret', id)
    return stored
  }

  private mustFindVersion(ctx: OperationContext): StoredVersion {
    const { versions } = this.mustFind(ctx)
    const found = this.resolveRevision(versions, ctx.revision ?? 'latest')
    if (!found) throw this.notFound('secret_version', String(ctx.revision))
    return found
  }

  private resolveRevision(versions: StoredVersion[], ref: RevisionRef) {
    if (ref === 'latest') return versions.at(-1)
    if (ref === 'latest_enabled') return versions.findLast((v) => v.version.status === 'enabled')
    return versions[ref - 1]
  }

  private assertCreatable(name: string, path: string): void {
    if (name.trim() === '') throw this.invalid('name', 'required', 'name is required')
    if (!path.startsWith('/')) throw this.invalid('path', 'format', 'path must start with /')
    const taken = [...this.secrets.values()].some(
      ({ secret }) => secret.name === name && secret.path === path,
    )
    if (taken) throw this.invalid('name', 'format', DUPLICATE_NAME_HELP)
  }

  private assertWritable(stored: StoredSecret, data: Uint8Array): void {
    if (stored.secret.deletionRequestedAt !== undefined) {
      throw this.precondition(
        'secret_scheduled_for_deletion',
        'the secret is scheduled for deletion',
      )
    }
    if (data.byteLength > MAX_PAYLOAD_BYTES) {
      throw this.invalid('data', 'constraint', 'payload larger than 64 KiB')
    }
  }

  private setStatus(ctx: OperationContext, status: 'enabled' | 'disabled') {
    return this.call(ctx, () => {
      const stored = this.mustFindVersion(ctx)
      const current = stored.version.status
      if (current === 'scheduled_for_deletion' || current === 'deleted') {
        throw this.precondition('secret_version_deleted', 'the version is scheduled for deletion')
      }
      stored.version.status = status
      stored.version.updatedAt = this.now()
      return stored.version
    })
  }

  private newSecret(input: CreateSecretInput, path: string): Secret {
    const now = this.now()
    const secret: Secret = {
      id: this.nextId(),
      projectId: this.projectId,
      name: input.name,
      status: 'ready',
      createdAt: now,
      updatedAt: now,
      tags: [...input.tags],
      versionCount: 0,
      description: input.description ?? '',
      managed: false,
      protected: input.protected,
      type: input.type === 'unknown_type' ? 'opaque' : input.type,
      path,
      usedBy: [],
      region: this.region,
    }
    if (input.ephemeralPolicy) secret.ephemeralPolicy = { ...input.ephemeralPolicy }
    if (input.keyId !== undefined) secret.keyId = input.keyId
    return secret
  }

  private newVersion(secretId: string, revision: number, description?: string): SecretVersion {
    const now = this.now()
    const version: SecretVersion = {
      revision,
      secretId,
      status: 'enabled',
      createdAt: now,
      updatedAt: now,
      latest: true,
      region: this.region,
    }
    if (description !== undefined) version.description = description
    return version
  }

  // Errors are built as the SDK builds them from the real bodies, then mapped like the
  // real client's, so that kinds and messages match.
  private notFound(resource: string, resourceId: string): Errors.ScalewayError {
    const body = {
      message: 'resource is not found',
      resource,
      resource_id: resourceId,
      type: 'not_found',
    }
    return new Errors.ResourceNotFoundError(404, body, resource, resourceId)
  }

  private invalid(argumentName: string, reason: string, helpMessage: string) {
    const details = [{ argument_name: argumentName, reason, help_message: helpMessage }]
    const body = { type: 'invalid_arguments', message: 'invalid argument(s)', details }
    return new Errors.InvalidArgumentsError(400, body, [{ argumentName, reason, helpMessage }])
  }

  private precondition(precondition: string, helpMessage: string) {
    const body = {
      help_message: helpMessage,
      message: 'precondition is not respected',
      precondition,
      type: 'precondition_failed',
    }
    return new Errors.PreconditionFailedError(412, body, precondition, helpMessage)
  }
}
