// From the Export stream to whole secrets: records and their chunks reassembled, records
// grouped by secret directory, and each secret's content checked before anything is
// written (hostile or broken content fails that secret only).

import type { Record as WireRecord } from '../../proto/generated/connectors.js'
import type { ExportRequest } from '../../proto/generated/exporter.js'
import { BACKUP_INFO, SECRET_META, VERSIONS_DIR } from '../core/layout.js'
import {
  type SecretMetadata,
  SecretMetadataSchema,
  type VersionMetadata,
  VersionMetadataSchema,
} from '../core/metadata.js'
import {
  MAX_PAYLOAD_BYTES,
  MAX_PORT,
  nameRefusal,
  type PayloadProblem,
  parseJson,
  parseRevision,
  pathRefusal,
  payloadProblems,
  type SecretType,
} from '../core/secret-manager.js'
import { invalidArgument } from '../plugin/grpc-errors.js'

export type Received = { record: WireRecord; data?: Buffer }

type Role =
  | { kind: 'ack' }
  | { kind: 'stray'; reason: string }
  | { kind: 'secret-meta'; dir: string }
  | { kind: 'version-meta'; dir: string; revision: number }
  | { kind: 'payload'; dir: string; revision: number }

function split(pathname: string): { parent: string; base: string } {
  const cut = pathname.lastIndexOf('/')
  return { parent: cut <= 0 ? '/' : pathname.slice(0, cut), base: pathname.slice(cut + 1) }
}

/**
 * What a record is, from its pathname relative to the restored subtree (a one-secret restore
 * sees its directory as `/`). Directories carry nothing: folders exist through secrets' paths.
 */
function roleOf(record: WireRecord): Role {
  const mode = record.fileInfo?.mode ?? 0
  if (mode & 0x80000000) return { kind: 'ack' }
  const { parent, base } = split(record.pathname)
  if (base === BACKUP_INFO && parent === '/') return { kind: 'ack' }
  if (base === SECRET_META) return { kind: 'secret-meta', dir: parent }
  const up = split(parent)
  if (up.base === VERSIONS_DIR) {
    const meta = base.endsWith('.json')
    const revision = parseRevision(meta ? base.slice(0, -'.json'.length) : base)
    if (revision !== undefined) {
      return { kind: meta ? 'version-meta' : 'payload', dir: up.parent, revision }
    }
  }
  return { kind: 'stray', reason: `${record.pathname} is not part of a scw-secret snapshot layout` }
}

export type BackedUpVersion = { revision: number; meta: VersionMetadata; payload?: Buffer }

/** A secret's snapshot content, checked; its versions ascending by revision. */
export type BackedUpSecret = { meta: SecretMetadata; versions: BackedUpVersion[] }

/** All records of one secret directory, as they arrived. */
export interface SecretGroup {
  dir: string
  members: Array<{ received: Received; role: Exclude<Role, { kind: 'ack' | 'stray' }> }>
}

export type Validated = { ok: true; secret: BackedUpSecret } | { ok: false; error: string }

type Describe<K> = (problem: Extract<PayloadProblem, { kind: K }>, type: SecretType) => string
const where = (p: { index: number; count: number }) => `(field ${p.index + 1} of ${p.count})`

/** The API's refusal in words; key names are the user's data, so say where, not what. */
const PAYLOAD_PROBLEMS: { [K in PayloadProblem['kind']]: Describe<K> } = {
  empty: () => 'payload is empty; Secret Manager refuses empty payloads',
  'too-large': (p) =>
    `payload is ${p.size} bytes; Secret Manager accepts at most ${MAX_PAYLOAD_BYTES}`,
  'not-json': (_, type) => `a ${type} payload is not JSON`,
  'not-object': (_, type) => `a ${type} payload is not a JSON object`,
  'missing-field': (p, type) => `a ${type} payload lacks "${p.field}"`,
  'extra-field': (p, type) => `a ${type} payload has a field the API does not allow ${where(p)}`,
  'not-a-string': (p, type) => `a ${type} payload has a ${p.given} value, not a string ${where(p)}`,
  'port-not-digits': () => 'a database_credentials port must be digits only',
  'port-too-high': () => `a database_credentials port must be at most ${MAX_PORT}`,
  'not-pem': () => 'a certificate payload is not a list of PEM blocks',
}

const jsonOf = (received: Received): unknown => received.data && parseJson(received.data)

/**
 * Checks a secret's snapshot content as a whole; nothing is written for a bad one. The error
 * says what is wrong, not where (the caller names the secret's directory).
 */
export function validateGroup(group: SecretGroup): Validated {
  const fail = (error: string): Validated => ({ ok: false, error })
  const metaMember = group.members.find((m) => m.role.kind === 'secret-meta')
  if (!metaMember) return fail(`${SECRET_META} is missing: cannot restore this secret`)
  const parsed = SecretMetadataSchema.safeParse(jsonOf(metaMember.received))
  if (!parsed.success) return fail(`${SECRET_META} is corrupt or not from this tool`)
  const meta = parsed.data
  const name = nameRefusal(meta.name)
  if (name) return fail(`secret name ${name.problem}`)
  const path = pathRefusal(meta.path)
  if (path) return fail(`secret path ${path.problem}`)

  const metas = new Map<number, VersionMetadata>()
  const payloads = new Map<number, Buffer>()
  for (const { role, received } of group.members) {
    if (role.kind === 'version-meta') {
      const v = VersionMetadataSchema.safeParse(jsonOf(received))
      if (!v.success) return fail(`metadata of revision ${role.revision} is corrupt`)
      if (v.data.revision !== role.revision) {
        return fail(`revision ${role.revision} metadata says revision ${v.data.revision}`)
      }
      metas.set(role.revision, v.data)
    }
    if (role.kind === 'payload') payloads.set(role.revision, received.data ?? Buffer.alloc(0))
  }
  for (const [revision, payload] of payloads) {
    if (!metas.has(revision)) return fail(`payload of revision ${revision} has no metadata`)
    const [problem] = payloadProblems(meta.type, payload)
    const describe = problem && (PAYLOAD_PROBLEMS[problem.kind] as Describe<PayloadProblem['kind']>)
    if (describe) return fail(`revision ${revision}: ${describe(problem, meta.type)}`)
  }
  const versions = [...metas]
    .sort((a, b) => a[0] - b[0])
    .map(([revision, m]) => ({ revision, meta: m, payload: payloads.get(revision) }))
  const lost = versions.find((v) => v.meta.has_payload && v.payload === undefined)
  if (lost) return fail(`payload of revision ${lost.revision} is missing from the restored records`)
  return { ok: true, secret: { meta, versions } }
}

/** What the stream holds, in order: a record that needs only its answer, or a whole secret. */
export type Item = { record: WireRecord; refusal?: string } | { group: SecretGroup }

/**
 * Groups records into secrets. Plakar walks depth-first, so a secret's records are
 * contiguous: one of a directory already handed on would start a partial secret.
 */
export async function* secretsOf(
  stream: AsyncIterable<Received> | Iterable<Received>,
): AsyncGenerator<Item> {
  let current: SecretGroup | undefined
  const done = new Set<string>()
  for await (const received of stream) {
    const { record } = received
    const role = roleOf(record)
    if (role.kind === 'ack') yield { record }
    else if (role.kind === 'stray') yield { record, refusal: role.reason }
    else if (current?.dir === role.dir) current.members.push({ received, role })
    else if (done.has(role.dir)) {
      yield { record, refusal: `${record.pathname} arrived apart from its secret's records` }
    } else {
      if (current) yield { group: current }
      done.add(role.dir)
      current = { dir: role.dir, members: [{ received, role }] }
    }
  }
  if (current) yield { group: current }
}

/** Files bigger than this are refused without being held in memory. */
const MAX_FILE_BYTES = 1024 * 1024

export async function* receive(call: AsyncIterable<ExportRequest>): AsyncGenerator<Received> {
  let file: { record: WireRecord; chunks: Buffer[]; size: number } | undefined
  for await (const message of call) {
    if (message.record) {
      if (file)
        throw invalidArgument(
          `record ${message.record.pathname} arrived before the end of ${file.record.pathname}`,
        )
      if (message.record.hasReader) file = { record: message.record, chunks: [], size: 0 }
      else yield { record: message.record }
    } else if (message.chunk !== undefined) {
      if (!file) throw invalidArgument('file data arrived without a record')
      const chunk = Buffer.from(message.chunk)
      if (chunk.length === 0) {
        // An oversize file is not kept: it is passed on as MAX_FILE_BYTES + 1 zero bytes,
        // which validation refuses as too large.
        const data =
          file.size > MAX_FILE_BYTES ? Buffer.alloc(MAX_FILE_BYTES + 1) : Buffer.concat(file.chunks)
        yield { record: file.record, data }
        file = undefined
      } else {
        file.size += chunk.length
        if (file.size <= MAX_FILE_BYTES) file.chunks.push(chunk)
      }
    } else {
      throw invalidArgument('empty ExportRequest')
    }
  }
  if (file) throw invalidArgument(`stream ended inside the data of ${file.record.pathname}`)
}
