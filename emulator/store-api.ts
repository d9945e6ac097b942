// Direct access to the emulator's state for tests and benchmarks, bypassing HTTP, auth, faults
// and latency. Reads return copies, so a test cannot break the store's invariants by accident;
// writes go through the same primitives as the API and reach the state file like API writes.

import {
  applySeed,
  type SeedDoc,
  type SeedSecret,
  type SeedVersion,
  seedSecretInto,
  seedVersion,
} from './seed.js'
import { loadSnapshot, type StateDoc, snapshot } from './state-file.js'
import type { SecretStore } from './store.js'
import type { Region, SecretRecord, VersionRecord } from './types.js'

export interface SecretView extends Omit<SecretRecord, 'versions'> {
  versionCount: number
}

export type VersionView = Omit<VersionRecord, 'statusBeforeDeletion'>

export interface ProjectView {
  projectId: string
  region: Region
  /** Secrets scheduled for deletion included. */
  secretCount: number
}

export type SecretPatch = Partial<
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
export type VersionPatch = Partial<
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
  projects(): ProjectView[]
  /** Every secret, soft-deleted ones included, optionally narrowed to a project and region. */
  allSecrets(projectId?: string, region?: Region): SecretView[]
  secret(secretId: string): SecretView | undefined
  /** Versions by ascending revision, raw payload bytes included. */
  versions(secretId: string): VersionView[]
  readonly size: number
  clear(): void
  snapshot(): StateDoc
  load(doc: StateDoc): void
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
  const written = <T>(value: T): T => {
    store.changed()
    return value
  }
  return {
    seed: (doc) => written(applySeed(store, doc).map(secretView)),
    addSecret: (projectId, secret, region) =>
      written(secretView(seedSecretInto(store, { id: projectId, region }, secret))),
    addVersion: (secretId, version) =>
      written(versionView(seedVersion(store, live(secretId), version))),
    updateSecret: (secretId, patch) => {
      const secret = live(secretId)
      const { name, path, ...rest } = patch
      store.rename(secret, name ?? secret.name, path ?? secret.path)
      Object.assign(secret, rest, { tags: [...(rest.tags ?? secret.tags)] })
      secret.updatedAt = store.clock.tick()
      return written(secretView(secret))
    },
    updateVersion: (secretId, revision, patch) => {
      const version = live(secretId).versions[revision - 1]
      if (!version) throw new Error(`no revision ${revision} in ${secretId}`)
      const data = patch.data === undefined ? version.data : Buffer.from(patch.data)
      Object.assign(version, patch, { data, updatedAt: store.clock.tick() })
      return written(versionView(version))
    },
    projects: () => {
      const counts = new Map<string, ProjectView>()
      for (const s of store.all()) {
        const key = `${s.projectId} ${s.region}`
        const seen = counts.get(key) ?? { projectId: s.projectId, region: s.region, secretCount: 0 }
        seen.secretCount += 1
        counts.set(key, seen)
      }
      return [...counts.values()]
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
    get size() {
      return store.size
    },
    clear: () => written(store.clear()),
    snapshot: () => snapshot(store),
    load: (doc) => written(loadSnapshot(store, doc)),
  }
}
