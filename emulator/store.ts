// The emulator's state: every secret of every project and region, with its versions and raw
// payloads. Handlers work on the live records; the public inspection API (store-api.ts) hands
// out copies.

import { randomUUID } from 'node:crypto'
import { holdsName } from '../src/core/secret-manager.js'
import { Clock } from './clock.js'
import type {
  EphemeralPolicy,
  EphemeralProperties,
  Product,
  Region,
  SecretRecord,
  SecretStatus,
  SecretType,
  VersionRecord,
  VersionStatus,
} from './types.js'

export interface NewSecret {
  id?: string
  projectId: string
  region: Region
  name: string
  path: string
  type: SecretType
  tags: string[]
  description: string
  protected: boolean
  managed: boolean
  status: SecretStatus
  ephemeralPolicy: EphemeralPolicy | null
  usedBy: Product[]
  keyId: string | null
  deletionRequested: boolean
}

export interface NewVersion {
  data: Buffer
  dataCrc32: number | null
  description: string
  status: VersionStatus
  ephemeralProperties: EphemeralProperties | null
}

export type NameKey = Pick<SecretRecord, 'projectId' | 'region' | 'path' | 'name'>

const nameKey = (k: NameKey): string =>
  `${k.projectId}\u0000${k.region}\u0000${k.path}\u0000${k.name}`

export class SecretStore {
  readonly clock = new Clock()
  private readonly secrets = new Map<string, SecretRecord>()
  /** Secret ids by (project, region, path, name), so uniqueness checks stay O(1). */
  private readonly byName = new Map<string, Set<string>>()
  get(id: string): SecretRecord | undefined {
    return this.secrets.get(id)
  }

  all(): IterableIterator<SecretRecord> {
    return this.secrets.values()
  }

  /** The secret already holding (project, region, path, name), soft-deleted ones aside. */
  conflicting(key: NameKey, exceptId?: string): SecretRecord | undefined {
    for (const id of this.byName.get(nameKey(key)) ?? []) {
      const s = this.secrets.get(id)
      if (s && s.id !== exceptId && holdsName(s)) return s
    }
    return undefined
  }

  /** Changes name and path together, keeping the uniqueness index right. */
  rename(secret: SecretRecord, name: string, path: string): void {
    this.unindex(secret)
    secret.name = name
    secret.path = path
    this.index(secret)
  }

  insertSecret(input: NewSecret): SecretRecord {
    const now = this.clock.tick()
    const { id, deletionRequested, ...fields } = input
    const secret: SecretRecord = {
      ...fields,
      id: id ?? randomUUID(),
      tags: [...fields.tags],
      usedBy: [...fields.usedBy],
      createdAt: now,
      updatedAt: now,
      deletionRequestedAt: deletionRequested ? now : null,
      versions: [],
    }
    if (this.secrets.has(secret.id)) throw new Error(`secret id ${secret.id} already exists`)
    this.secrets.set(secret.id, secret)
    this.index(secret)
    return secret
  }

  appendVersion(secret: SecretRecord, input: NewVersion): VersionRecord {
    const now = this.clock.tick()
    const gone = input.status === 'deleted'
    const scheduled = input.status === 'scheduled_for_deletion'
    const version: VersionRecord = {
      secretId: secret.id,
      revision: secret.versions.length + 1,
      status: input.status,
      createdAt: now,
      updatedAt: now,
      deletedAt: gone ? now : null,
      description: input.description,
      ephemeralProperties: input.ephemeralProperties,
      deletionRequestedAt: scheduled ? now : null,
      data: input.data,
      dataCrc32: input.dataCrc32,
      statusBeforeDeletion: scheduled ? 'enabled' : null,
    }
    secret.versions.push(version)
    return version
  }

  /** Permanent removal, used where the real API forgets a secret at once. */
  remove(id: string): void {
    const secret = this.secrets.get(id)
    if (secret) this.unindex(secret)
    this.secrets.delete(id)
  }

  private index(secret: SecretRecord): void {
    const key = nameKey(secret)
    const ids = this.byName.get(key) ?? new Set<string>()
    ids.add(secret.id)
    this.byName.set(key, ids)
  }

  private unindex(secret: SecretRecord): void {
    const key = nameKey(secret)
    const ids = this.byName.get(key)
    ids?.delete(secret.id)
    if (ids?.size === 0) this.byName.delete(key)
  }
}
