// The JSON documents a snapshot holds for each secret and version: written by the
// importer, read back (and never trusted) by the exporter.
import { z } from 'zod'
import type { Secret, SecretVersion } from '../scaleway/api.js'
import { SECRET_TYPES, VERSION_STATUSES } from './secret-manager.js'

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null)

export const SecretMetadataSchema = z.object({
  id: z.string(),
  // Checked against the model's name and path rules by the exporter, which says which failed.
  name: z.string(),
  path: z.string(),
  type: z.enum(SECRET_TYPES),
  tags: z.array(z.string()),
  description: z.string(),
  protected: z.boolean(),
  managed: z.boolean(),
  used_by: z.array(z.string()),
  ephemeral_policy: z
    .object({
      time_to_live: z.string().nullable(),
      expires_once_accessed: z.boolean().nullable(),
      action: z.enum(['delete', 'disable', 'unknown_action']),
    })
    .nullable(),
  key_id: z.string().nullable(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  project_id: z.string(),
  region: z.string(),
})
export type SecretMetadata = z.infer<typeof SecretMetadataSchema>

export const VersionMetadataSchema = z.object({
  revision: z.number().int().positive(),
  status: z.enum(VERSION_STATUSES),
  description: z.string(),
  latest: z.boolean(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  deleted_at: z.string().nullable(),
  ephemeral_properties: z
    .object({
      expires_at: z.string().nullable(),
      expires_once_accessed: z.boolean().nullable(),
      action: z.string(),
    })
    .nullable(),
  deletion_requested_at: z.string().nullable(),
  /** Whether the snapshot holds this revision's payload next to this file. */
  has_payload: z.boolean(),
})
export type VersionMetadata = z.infer<typeof VersionMetadataSchema>

export function secretMetadata(secret: Secret): SecretMetadata {
  const policy = secret.ephemeralPolicy
  return {
    id: secret.id,
    name: secret.name,
    path: secret.path,
    type: secret.type === 'unknown_type' ? 'opaque' : secret.type,
    tags: [...secret.tags],
    description: secret.description ?? '',
    protected: secret.protected,
    managed: secret.managed,
    used_by: [...(secret.usedBy ?? [])],
    ephemeral_policy: policy
      ? {
          time_to_live: policy.timeToLive ?? null,
          expires_once_accessed: policy.expiresOnceAccessed ?? null,
          action: policy.action,
        }
      : null,
    key_id: secret.keyId ?? null,
    created_at: iso(secret.createdAt),
    updated_at: iso(secret.updatedAt),
    project_id: secret.projectId,
    region: secret.region,
  }
}

export function versionMetadata(version: SecretVersion, hasPayload: boolean): VersionMetadata {
  const eph = version.ephemeralProperties
  return {
    revision: version.revision,
    status: version.status,
    description: version.description ?? '',
    latest: version.latest,
    created_at: iso(version.createdAt),
    updated_at: iso(version.updatedAt),
    deleted_at: iso(version.deletedAt),
    ephemeral_properties: eph
      ? {
          expires_at: iso(eph.expiresAt),
          expires_once_accessed: eph.expiresOnceAccessed ?? null,
          action: eph.action,
        }
      : null,
    deletion_requested_at: iso(version.deletionRequestedAt),
    has_payload: hasPayload,
  }
}

export const toJsonBytes = (value: unknown): Buffer =>
  Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8')
