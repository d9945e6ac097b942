// Domain vocabulary of the emulated Secret Manager v1beta1, in the API's own enum spellings.
// Records use camelCase; the wire module turns them into the snake_case JSON Scaleway sends.
// What the API accepts (types, statuses, ids, names, payloads) is the model's, in src/core.

import {
  REGIONS,
  type Region,
  SECRET_TYPES,
  type SecretType,
  type VersionStatus,
} from '../src/core/secret-manager.js'

export { REGIONS, type Region, type SecretType, type VersionStatus }

/** Every type the wire may carry: a request may say unknown_type (meaning "any"/default). */
export const WIRE_SECRET_TYPES = ['unknown_type', ...SECRET_TYPES] as const

export const SECRET_STATUSES = ['unknown_status', 'ready', 'locked'] as const
export type SecretStatus = (typeof SECRET_STATUSES)[number]

export const PRODUCTS = ['unknown_product', 'edge_services', 's2s_vpn'] as const
export type Product = (typeof PRODUCTS)[number]

export const EPHEMERAL_ACTIONS = ['unknown_action', 'delete', 'disable'] as const
type EphemeralAction = (typeof EPHEMERAL_ACTIONS)[number]

export const ORDER_BYS = [
  'name_asc',
  'name_desc',
  'created_at_asc',
  'created_at_desc',
  'updated_at_asc',
  'updated_at_desc',
] as const

export interface EphemeralPolicy {
  /** Protobuf duration string such as `1800s`, or null when only the access rule is set. */
  timeToLive: string | null
  expiresOnceAccessed: boolean
  action: EphemeralAction
}

export interface EphemeralProperties {
  expiresAt: string | null
  expiresOnceAccessed: boolean
  action: EphemeralAction
}

/** One version as held by the store, payload included. */
export interface VersionRecord {
  secretId: string
  revision: number
  status: VersionStatus
  createdAt: string
  updatedAt: string
  deletedAt: string | null
  description: string
  ephemeralProperties: EphemeralProperties | null
  deletionRequestedAt: string | null
  data: Buffer
  /** Only set when the creator sent data_crc32. */
  dataCrc32: number | null
  /** Status to return to when a scheduled deletion is cancelled. */
  statusBeforeDeletion: VersionStatus | null
}

/** One secret as held by the store. */
export interface SecretRecord {
  id: string
  projectId: string
  region: Region
  name: string
  path: string
  type: SecretType
  status: SecretStatus
  tags: string[]
  description: string
  protected: boolean
  managed: boolean
  ephemeralPolicy: EphemeralPolicy | null
  usedBy: Product[]
  keyId: string | null
  createdAt: string
  updatedAt: string
  deletionRequestedAt: string | null
  /** Index i holds revision i + 1. */
  versions: VersionRecord[]
}

export const isRegion = (value: string): value is Region =>
  (REGIONS as readonly string[]).includes(value)
