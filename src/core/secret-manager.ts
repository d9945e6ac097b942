// What Scaleway Secret Manager (v1beta1) accepts and how it behaves, written once for the
// exporter's checks before any write and for the emulator that stands in for the API in
// tests. Sources: the API notes and test/fixtures/scaleway-recorded/. Pure, no I/O.

export const REGIONS = ['fr-par', 'nl-ams', 'pl-waw'] as const
export type Region = (typeof REGIONS)[number]

/** The secret types a user can create (the API's `unknown_type` is not one). */
export const SECRET_TYPES = [
  'opaque',
  'certificate',
  'key_value',
  'basic_credentials',
  'database_credentials',
  'ssh_key',
] as const
export type SecretType = 'unknown_type' | (typeof SECRET_TYPES)[number]

export const VERSION_STATUSES = [
  'unknown_status',
  'enabled',
  'disabled',
  'deleted',
  'scheduled_for_deletion',
] as const
export type VersionStatus = (typeof VERSION_STATUSES)[number]

/** Secret, project and key ids, and secret keys, are UUIDs (any case). */
export const UUID_TEXT = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const UUID = new RegExp(`^${UUID_TEXT}$`, 'i')

export const isUuid = (value: string): boolean => UUID.test(value)

/** Revisions start at 1, grow by one, cannot be chosen, and are uint32 on the wire. */
const REVISION = /^[1-9][0-9]{0,9}$/
const MAX_REVISION = 0xffff_ffff

export function parseRevision(text: string): number | undefined {
  if (!REVISION.test(text)) return undefined
  const revision = Number(text)
  return revision <= MAX_REVISION ? revision : undefined
}

/** A revision, or one of the API's aliases for the highest (enabled) one. */
export type RevisionRef = number | 'latest' | 'latest_enabled'

const MAX_NAME_LENGTH = 255

/** Why a name or path is refused; `problem` completes "<what> ...", e.g. `contains "/"`. */
export type Refusal = { reason: 'required' | 'format' | 'constraint'; problem: string }

// The real limits are not documented; refusing `/` keeps names and paths unambiguous, and
// 255 characters is the cap both the emulator and the snapshot metadata always applied.
export function nameRefusal(name: string): Refusal | undefined {
  if (name === '') return { reason: 'required', problem: 'is empty' }
  if (name.includes('/')) return { reason: 'format', problem: 'contains "/"' }
  const tooLong = `is longer than ${MAX_NAME_LENGTH} characters`
  return name.length > MAX_NAME_LENGTH ? { reason: 'constraint', problem: tooLong } : undefined
}

/** `/a/b/` is stored as `/a/b`: the API strips one trailing slash. */
export const storedPath = (raw: string): string =>
  raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw

/** Why a path is not one the API holds (in its stored form, see storedPath), or undefined. */
export function pathRefusal(path: string): Refusal | undefined {
  const format = (problem: string): Refusal => ({ reason: 'format', problem })
  if (!path.startsWith('/')) return format('does not start with /')
  if (storedPath(path) !== path) return format('ends with /')
  if (path.includes('//')) return format('contains an empty folder name')
  // Not documented; a folder named . or .. is refused, as any path-shaped API would.
  if (path.split('/').some((s) => s === '.' || s === '..')) return format('contains "." or ".."')
  return undefined
}

/** How the API refuses a second secret with the same (project, region, path, name). */
export const DUPLICATE_NAME_HELP = 'cannot have same secret name in same path'

// A name is unique per (project, region, path) among secrets not scheduled for deletion:
// deleting frees it (recorded: CI re-creates a name deleted minutes before).
export const holdsName = (secret: { deletionRequestedAt?: unknown }): boolean =>
  secret.deletionRequestedAt === null || secret.deletionRequestedAt === undefined

/** Deleted versions keep their revision number and metadata but serve no payload. */
export const isDeletedVersion = (status: VersionStatus): boolean =>
  status === 'deleted' || status === 'scheduled_for_deletion'

export const MAX_PAYLOAD_BYTES = 64 * 1024

export const MAX_PORT = 65_535
export const PORT_PATTERN = /^[0-9]+$/

type JsonKind = 'null' | 'array' | 'integer' | 'number' | 'string' | 'boolean' | 'object'

/**
 * One reason the API refuses a payload for a secret type. `key` and `index` locate a
 * field of the user's JSON (0-based, among `count`): the user's data, for messages that may
 * quote it. `field` is a name from the API's schema.
 */
export type PayloadProblem =
  | { kind: 'empty' }
  | { kind: 'too-large'; size: number }
  | { kind: 'not-json' }
  | { kind: 'not-object'; given: JsonKind }
  | { kind: 'missing-field'; field: string }
  | { kind: 'extra-field'; key: string; index: number; count: number }
  | { kind: 'not-a-string'; key: string; index: number; count: number; given: JsonKind }
  | { kind: 'port-not-digits' }
  | { kind: 'port-too-high' }
  | { kind: 'not-pem' }

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/** Typed payloads with a fixed set of fields; key_value takes any (string) fields. */
const FIELDS: Partial<Record<SecretType, readonly string[]>> = {
  basic_credentials: ['username', 'password'],
  database_credentials: ['engine', 'username', 'password', 'host', 'dbname', 'port'],
  ssh_key: ['ssh_private_key'],
}

const kindOf = (value: Json): JsonKind => {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value as JsonKind
}

/** The JSON value, or undefined if `data` is not JSON (strict: bytes not UTF-8 are not). */
export const parseJson = (data: Uint8Array): Json | undefined => {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)) as Json
  } catch {
    return undefined
  }
}

const portProblems = (port: Json | undefined): PayloadProblem[] => {
  if (typeof port !== 'string') return []
  if (!PORT_PATTERN.test(port)) return [{ kind: 'port-not-digits' }]
  return Number(port) > MAX_PORT ? [{ kind: 'port-too-high' }] : []
}

const jsonProblems = (type: SecretType, data: Uint8Array): PayloadProblem[] => {
  const value = parseJson(data)
  if (value === undefined) return [{ kind: 'not-json' }]
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ kind: 'not-object', given: kindOf(value) }]
  }
  const fields = FIELDS[type]
  const entries = Object.entries(value)
  const at = (index: number) => ({ index, count: entries.length })
  const missing = fields?.filter((field) => !Object.hasOwn(value, field)) ?? []
  return [
    ...missing.map((field): PayloadProblem => ({ kind: 'missing-field', field })),
    ...entries.flatMap(([key], i): PayloadProblem[] =>
      !fields || fields.includes(key) ? [] : [{ kind: 'extra-field', key, ...at(i) }],
    ),
    // The recorded refusal of a nested value reads "Invalid type. Expected: string, given:
    // object": the API's schema wants strings, so numbers and booleans are refused too.
    ...entries.flatMap(([key, v], i): PayloadProblem[] =>
      typeof v === 'string' ? [] : [{ kind: 'not-a-string', key, given: kindOf(v), ...at(i) }],
    ),
    ...(type === 'database_credentials' ? portProblems(value.port) : []),
  ]
}

const PEM_BLOCK =
  /-----BEGIN ([A-Z0-9 ]+)-----\r?\n((?:[A-Za-z0-9+/=]+\r?\n|[A-Za-z-]+: [^\r\n]*\r?\n|\r?\n)*)-----END \1-----/g

/** One or more concatenated PEM blocks, nothing else but white space. */
const certificateProblems = (data: Uint8Array): PayloadProblem[] => {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')
  const blocks = text.match(PEM_BLOCK) ?? []
  const rest = text.replace(PEM_BLOCK, '').trim()
  return blocks.length > 0 && rest === '' ? [] : [{ kind: 'not-pem' }]
}

/** Every reason the API would refuse `data` as a version of a secret of `type`; [] if none. */
export function payloadProblems(type: SecretType, data: Uint8Array): PayloadProblem[] {
  // An empty payload reads as a missing `data` field on the wire: refused for every type.
  if (data.byteLength === 0) return [{ kind: 'empty' }]
  if (data.byteLength > MAX_PAYLOAD_BYTES) return [{ kind: 'too-large', size: data.byteLength }]
  if (type === 'certificate') return certificateProblems(data)
  return type === 'opaque' || type === 'unknown_type' ? [] : jsonProblems(type, data)
}
