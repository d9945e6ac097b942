// Direct access to the emulator's state for tests and benchmarks, bypassing HTTP, auth, faults
// and latency. Reads return copies, so a test cannot break the store's invariants by accident;
// writes go through the same primitives as the API.

import {
  applySeed,
  type SeedDoc,
  type SeedSecret,
  type SeedVersion,
  seedSecretInto,
  seedVersion,
} from './seed.js'
import type { SecretStore } from './store.js'
import type { Region, SecretRecord, VersionRecord } from './types.js'

interface SecretView extends Omit<SecretRecord, 'versions'> {
  versionCount: number
}

type VersionView = Omit<VersionRecord, 'statusBeforeDeletion'>

type SecretPatch = Partial<
  Pick<
    SecretRecord,
    | 'name'
    | 'path'
    | 'tags'
    | 'description'
    | 'protected'
    | 'managed'
    | 'status'
    | 'deletionRequestedAt'
  >
>

/** `data` replaces the stored bytes without touching data_crc32: a way to fake corruption. */
type VersionPatch = Partial<
  Pick<
    VersionRecord,
    'status' | 'description' | 'deletionRequestedAt' | 'deletedAt' | 'data' | 'dataCrc32'
  >
>

export interface EmulatorStore {
  /** Adds a seed document; returns the created secrets in document order. */
  seed(doc: SeedDoc): SecretView[]
  addSecret(projectId: string, secret: SeedSecret, region?: Region): SecretView
  addVersion(secretId: string, version: SeedVersion): VersionView
  updateSecret(secretId: string, patch: SecretPatch): SecretView
  updateVersion(secretId: string, revision: number, patch: VersionPatch): VersionView
  /** Every secret, soft-deleted ones included, optionally narrowed to a project and region. */
  allSecrets(projectId?: string, region?: Region): SecretView[]
  secret(secretId: string): SecretView | undefined
  /** Versions by ascending revision, raw payload bytes included. */
  versions(secretId: string): VersionView[]
}

const secretView = ({ versions, ...rest }: SecretRecord): SecretView => ({
  ...rest,
  tags: [...rest.tags],
  usedBy: [...rest.usedBy],
  ephemeralPolicy: rest.ephemeralPolicy && { ...rest.ephemeralPolicy },
  versionCount: versions.length,
})

const versionView = ({ statusBeforeDeletion: _, ...rest }: VersionRecord): VersionView => ({
  ...rest,
  ephemeralProperties: rest.ephemeralProperties && { ...rest.ephemeralProperties },
  data: Buffer.from(rest.data),
})

const byCreation = (a: SecretRecord, b: SecretRecord): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0

export const createStoreApi = (store: SecretStore): EmulatorStore => {
  const live = (secretId: string): SecretRecord => {
    const secret = store.get(secretId.toLowerCase())
    if (!secret) throw new Error(`no secret ${secretId}`)
    return secret
  }
  return {
    seed: (doc) => applySeed(store, doc).map(secretView),
    addSecret: (projectId, secret, region) =>
      secretView(seedSecretInto(store, { id: projectId, region }, secret)),
    addVersion: (secretId, version) => versionView(seedVersion(store, live(secretId), version)),
    updateSecret: (secretId, patch) => {
      const secret = live(secretId)
      const { name, path, ...rest } = patch
      store.rename(secret, name ?? secret.name, path ?? secret.path)
      Object.assign(secret, rest, { tags: [...(rest.tags ?? secret.tags)] })
      secret.updatedAt = store.clock.tick()
      return secretView(secret)
    },
    updateVersion: (secretId, revision, patch) => {
      const version = live(secretId).versions[revision - 1]
      if (!version) throw new Error(`no revision ${revision} in ${secretId}`)
      const data = patch.data === undefined ? version.data : Buffer.from(patch.data)
      Object.assign(version, patch, { data, updatedAt: store.clock.tick() })
      return versionView(version)
    },
    allSecrets: (projectId, region) =>
      [...store.all()]
        .filter((s) => projectId === undefined || s.projectId === projectId.toLowerCase())
        .filter((s) => region === undefined || s.region === region)
        .sort(byCreation)
        .map(secretView),
    secret: (secretId) => {
      const secret = store.get(secretId.toLowerCase())
      return secret && secretView(secret)
    },
    versions: (secretId) => (store.get(secretId.toLowerCase())?.versions ?? []).map(versionView),
  }
}
