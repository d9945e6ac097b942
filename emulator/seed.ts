// Seed documents: initial state written by hand or by tests, applied straight to the store
// (no HTTP, no payload-type or size checks: a seed describes what the service already holds).
//
// {
//   "projects": [ {
//     "id": "<project uuid>",
//     "region": "fr-par" | "nl-ams" | "pl-waw",            default fr-par
//     "secrets": [ {
//       "id": "<uuid>",                                     optional, generated otherwise
//       "name": "db-password",                              required
//       "path": "/prod/db",                                 default "/", trailing / stripped
//       "type": "opaque" | "key_value" | ...,               default opaque
//       "tags": ["a"], "description": "",                   default [], ""
//       "protected": false, "managed": false,               default false
//       "status": "ready" | "locked",                       default ready
//       "ephemeral_policy": { "time_to_live": "3600s" | null,
//                             "expires_once_accessed": false,
//                             "action": "delete" | "disable" } | null,
//       "key_id": "<uuid>" | null, "used_by": ["s2s_vpn"],  default null, []
//       "scheduled_for_deletion": false,                    true = soft-deleted
//       "versions": [ {                                     revision 1, 2, ... in order
//         "data_base64": "..." | "data_utf8": "...",        exactly one
//         "description": "",
//         "status": "enabled" | "disabled" | "scheduled_for_deletion" | "deleted",
//         "with_crc32": false                               store data_crc32 (IEEE) if true
//       } ]
//     } ]
//   } ]
// }

import { crc32 } from 'node:zlib'
import { z } from 'zod'
import { isUuid, storedPath, VERSION_STATUSES } from '../src/core/secret-manager.js'
import { decodeBase64 } from './base64.js'
import { formatDuration, parseDuration } from './duration.js'
import { propertiesFromPolicy } from './ephemeral.js'
import type { SecretStore } from './store.js'
import {
  PRODUCTS,
  REGIONS,
  SECRET_STATUSES,
  type SecretRecord,
  WIRE_SECRET_TYPES,
} from './types.js'

const uuid = z.string().refine(isUuid, 'must be a UUID')

const seedVersionSchema = z
  .object({
    data_base64: z.string().optional(),
    data_utf8: z.string().optional(),
    description: z.string().default(''),
    status: z.enum(VERSION_STATUSES).default('enabled'),
    with_crc32: z.boolean().default(false),
  })
  .refine((v) => (v.data_base64 === undefined) !== (v.data_utf8 === undefined), {
    message: 'a version needs exactly one of data_base64 and data_utf8',
  })

const seedPolicySchema = z.object({
  time_to_live: z
    .string()
    .nullable()
    .default(null)
    .refine((t) => t === null || parseDuration(t) !== undefined, 'must be a duration like 3600s'),
  expires_once_accessed: z.boolean().default(false),
  action: z.enum(['delete', 'disable']),
})

const seedSecretSchema = z.object({
  id: uuid.optional(),
  name: z.string().min(1),
  path: z.string().startsWith('/').default('/'),
  type: z.enum(WIRE_SECRET_TYPES).default('opaque'),
  tags: z.array(z.string()).default([]),
  description: z.string().default(''),
  protected: z.boolean().default(false),
  managed: z.boolean().default(false),
  status: z.enum(SECRET_STATUSES).default('ready'),
  ephemeral_policy: seedPolicySchema.nullable().default(null),
  key_id: uuid.nullable().default(null),
  used_by: z.array(z.enum(PRODUCTS)).default([]),
  scheduled_for_deletion: z.boolean().default(false),
  versions: z.array(seedVersionSchema).default([]),
})

const seedProjectSchema = z.object({
  id: uuid,
  region: z.enum(REGIONS).default('fr-par'),
  secrets: z.array(seedSecretSchema).default([]),
})

export const seedDocSchema = z.object({ projects: z.array(seedProjectSchema) })

/** What a seed file may contain (defaults filled in by parsing). */
export type SeedDoc = z.input<typeof seedDocSchema>
export type SeedSecret = z.input<typeof seedSecretSchema>
export type SeedVersion = z.input<typeof seedVersionSchema>

type ParsedSecret = z.output<typeof seedSecretSchema>
type ParsedVersion = z.output<typeof seedVersionSchema>

const payloadOf = (v: ParsedVersion): Buffer => {
  if (v.data_utf8 !== undefined) return Buffer.from(v.data_utf8, 'utf8')
  const data = decodeBase64(v.data_base64 ?? '')
  if (data === undefined) throw new Error('seed: data_base64 is not valid base64')
  return data
}

const addParsedVersion = (store: SecretStore, secret: SecretRecord, v: ParsedVersion) => {
  const data = payloadOf(v)
  const version = store.appendVersion(secret, {
    data,
    dataCrc32: v.with_crc32 ? crc32(data) : null,
    description: v.description,
    status: v.status,
    ephemeralProperties: null,
  })
  version.ephemeralProperties = propertiesFromPolicy(secret.ephemeralPolicy, version.createdAt)
  return version
}

export const seedVersion = (store: SecretStore, secret: SecretRecord, input: SeedVersion) =>
  addParsedVersion(store, secret, seedVersionSchema.parse(input))

const seedSecret = (
  store: SecretStore,
  project: { id: string; region: SecretRecord['region'] },
  s: ParsedSecret,
): SecretRecord => {
  const key = {
    projectId: project.id.toLowerCase(),
    region: project.region,
    path: storedPath(s.path),
    name: s.name,
  }
  if (!s.scheduled_for_deletion && store.conflicting(key)) {
    throw new Error(
      `seed: duplicate secret ${key.path} ${key.name} in ${key.projectId}/${key.region}`,
    )
  }
  const policy = s.ephemeral_policy
  const secret = store.insertSecret({
    ...key,
    ...(s.id === undefined ? {} : { id: s.id.toLowerCase() }),
    type: s.type,
    tags: s.tags,
    description: s.description,
    protected: s.protected,
    managed: s.managed,
    status: s.status,
    ephemeralPolicy: policy && {
      timeToLive:
        policy.time_to_live &&
        formatDuration(parseDuration(policy.time_to_live) ?? { seconds: 0, nanos: 0 }),
      expiresOnceAccessed: policy.expires_once_accessed,
      action: policy.action,
    },
    usedBy: s.used_by,
    keyId: s.key_id,
    deletionRequested: s.scheduled_for_deletion,
  })
  for (const v of s.versions) addParsedVersion(store, secret, v)
  return secret
}

/** Adds everything in the document; returns the created secrets in document order. */
export const applySeed = (store: SecretStore, doc: SeedDoc): SecretRecord[] => {
  const parsed = seedDocSchema.parse(doc)
  return parsed.projects.flatMap((project) =>
    project.secrets.map((s) => seedSecret(store, project, s)),
  )
}

export const seedSecretInto = (
  store: SecretStore,
  project: { id: string; region?: SecretRecord['region'] },
  secret: SeedSecret,
): SecretRecord =>
  seedSecret(
    store,
    { id: project.id, region: project.region ?? 'fr-par' },
    seedSecretSchema.parse(secret),
  )
