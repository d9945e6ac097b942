// Records to JSON in the exact key order of the real API (clients and contract tests compare
// bodies key by key, and JSON.stringify keeps insertion order).

import { encodeBase64 } from './base64.js'
import type { JsonObject } from './errors.js'
import type { EphemeralPolicy, EphemeralProperties, SecretRecord, VersionRecord } from './types.js'

const policyWire = (policy: EphemeralPolicy | null): JsonObject | null =>
  policy === null
    ? null
    : {
        time_to_live: policy.timeToLive,
        expires_once_accessed: policy.expiresOnceAccessed,
        action: policy.action,
      }

const propertiesWire = (props: EphemeralProperties | null): JsonObject | null =>
  props === null
    ? null
    : {
        expires_at: props.expiresAt,
        expires_once_accessed: props.expiresOnceAccessed,
        action: props.action,
      }

export const secretWire = (s: SecretRecord): JsonObject => ({
  id: s.id,
  project_id: s.projectId,
  name: s.name,
  status: s.status,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  tags: [...s.tags],
  version_count: s.versions.length,
  description: s.description,
  managed: s.managed,
  type: s.type,
  protected: s.protected,
  path: s.path,
  ephemeral_policy: policyWire(s.ephemeralPolicy),
  used_by: [...s.usedBy],
  deletion_requested_at: s.deletionRequestedAt,
  key_id: s.keyId,
  region: s.region,
})

export const versionWire = (secret: SecretRecord, v: VersionRecord): JsonObject => ({
  revision: v.revision,
  secret_id: v.secretId,
  status: v.status,
  created_at: v.createdAt,
  updated_at: v.updatedAt,
  deleted_at: v.deletedAt,
  description: v.description,
  latest: v.revision === secret.versions.length,
  ephemeral_properties: propertiesWire(v.ephemeralProperties),
  deletion_requested_at: v.deletionRequestedAt,
  region: secret.region,
})

export const accessWire = (secret: SecretRecord, v: VersionRecord): JsonObject => ({
  secret_id: secret.id,
  revision: v.revision,
  data: encodeBase64(v.data),
  data_crc32: v.dataCrc32,
  type: secret.type,
})
