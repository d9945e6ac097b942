// The narrow slice of the Secret Manager API this integration uses. Everything above
// this interface (importer, exporter, ping) is written against it; tests drive it through
// the real SDK against the emulator, the one stand-in for Secret Manager.
import type { Secretv1beta1 } from '@scaleway/sdk-secret'
import type { Region, RevisionRef, SecretType } from '../core/secret-manager.js'

export type Secret = Secretv1beta1.Secret
export type SecretVersion = Secretv1beta1.SecretVersion
type EphemeralPolicy = Secretv1beta1.EphemeralPolicy

export interface ListSecretsQuery {
  /** Exact path match (the API has no recursive filter). */
  path?: string
  name?: string
  tags?: string[]
  type?: SecretType
  scheduledForDeletion?: boolean
}

interface Page<T> {
  items: T[]
  totalCount: number
}

export interface AccessedPayload {
  revision: number
  data: Uint8Array
  /** Present only when the version was created with a checksum. Already verified. */
  dataCrc32?: number
  type: SecretType
}

export interface CreateSecretInput {
  name: string
  path: string
  type: SecretType
  tags: string[]
  description?: string
  protected: boolean
  ephemeralPolicy?: EphemeralPolicy
  keyId?: string
}

type UpdateSecretInput = Partial<Pick<CreateSecretInput, 'tags' | 'description'>>

/** One API client bound to a (region, project). */
export interface SecretApi {
  readonly region: Region
  readonly projectId: string

  listSecrets(query: ListSecretsQuery, page: number, pageSize: number): Promise<Page<Secret>>
  listVersions(secretId: string, page: number, pageSize: number): Promise<Page<SecretVersion>>
  getVersion(secretId: string, revision: RevisionRef): Promise<SecretVersion>
  accessVersion(secretId: string, revision: RevisionRef): Promise<AccessedPayload>

  createSecret(input: CreateSecretInput): Promise<Secret>
  updateSecret(secretId: string, input: UpdateSecretInput): Promise<Secret>
  protectSecret(secretId: string): Promise<Secret>
  restoreSecret(secretId: string): Promise<Secret>
  /** Always sends data_crc32 (IEEE CRC-32 of data). */
  createVersion(secretId: string, data: Uint8Array, description?: string): Promise<SecretVersion>
  enableVersion(secretId: string, revision: number): Promise<SecretVersion>
  disableVersion(secretId: string, revision: number): Promise<SecretVersion>
  deleteVersion(secretId: string, revision: number): Promise<void>
  restoreVersion(secretId: string, revision: number): Promise<SecretVersion>
}
