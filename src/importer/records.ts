// What the importer emits for one secret: pure planning from listed metadata to
// snapshot records. Payload bytes are not here; they are fetched only on Open.
import { hash } from 'node:crypto'
import type { FileInfo, Record as WireRecord } from '../../proto/generated/connectors.js'
import { ExtendedAttributeType } from '../../proto/generated/connectors.js'
import type { ImporterConfig } from '../config/parse.js'
import {
  payloadPath,
  secretDir,
  secretMetaPath,
  versionMetaPath,
  versionsDir,
} from '../core/layout.js'
import { secretMetadata, toJsonBytes, versionMetadata } from '../core/metadata.js'
import { isDeletedVersion } from '../core/secret-manager.js'
import type { Secret, SecretVersion } from '../scaleway/api.js'

const EPOCH = new Date(0)

/** What reading one payload takes. */
export interface PayloadSource {
  secretId: string
  revision: number
  /** Reading it means enabling it for the time of one access. */
  disabled: boolean
}

export type PlannedRecord =
  | { kind: 'dir'; pathname: string; mtime: Date }
  | { kind: 'content'; pathname: string; mtime: Date; bytes: Buffer }
  | (PayloadSource & {
      kind: 'payload'
      pathname: string
      mtime: Date
      /** Its ephemeral policy acts on the first access: read it only if plakar asks. */
      expiresOnceAccessed: boolean
    })

/** read_disabled: a disabled version is read by enabling it first (a write). */
export type RecordOptions = Pick<ImporterConfig, 'includeDeletedMetadata' | 'readDisabled'>

export function isReadable(version: SecretVersion, options: RecordOptions): boolean {
  return version.status === 'enabled' || (version.status === 'disabled' && options.readDisabled)
}

/** Metadata changes whenever any version's metadata changes, so take the newest. */
function newest(...dates: Array<Date | undefined>): Date {
  let best = EPOCH
  for (const d of dates) if (d && d.getTime() > best.getTime()) best = d
  return best
}

export function secretRecords(
  secret: Secret,
  versions: SecretVersion[],
  options: RecordOptions,
): PlannedRecord[] {
  const kept = versions
    .filter((v) => options.includeDeletedMetadata || !isDeletedVersion(v.status))
    .sort((a, b) => a.revision - b.revision)
  const created = secret.createdAt ?? EPOCH
  const out: PlannedRecord[] = [
    { kind: 'dir', pathname: secretDir(secret), mtime: created },
    {
      kind: 'content',
      pathname: secretMetaPath(secret),
      mtime: newest(secret.updatedAt),
      bytes: toJsonBytes(secretMetadata(secret)),
    },
    { kind: 'dir', pathname: versionsDir(secret), mtime: created },
  ]
  for (const version of kept) {
    const readable = isReadable(version, options)
    out.push({
      kind: 'content',
      pathname: versionMetaPath(secret, version.revision),
      mtime: newest(version.updatedAt, version.createdAt),
      bytes: toJsonBytes(versionMetadata(version, readable)),
    })
    if (readable) {
      out.push({
        kind: 'payload',
        pathname: payloadPath(secret, version.revision),
        // A version's payload never changes after creation.
        mtime: version.createdAt ?? EPOCH,
        secretId: secret.id,
        revision: version.revision,
        disabled: version.status === 'disabled',
        expiresOnceAccessed: version.ephemeralProperties?.expiresOnceAccessed === true,
      })
    }
  }
  return out
}

/**
 * A 48-bit inode derived from `parts`: plakar's change detection compares inodes, so it
 * re-reads a metadata file whenever its bytes change, even within the same second and size.
 */
function stableIno(parts: string | Buffer): number {
  return hash('sha256', parts, 'buffer').readUIntBE(0, 6)
}

const CONTENT_TAG = Buffer.from('content\u0000')
const NUL = Buffer.from('\u0000')

function inoOf(record: PlannedRecord): number {
  switch (record.kind) {
    case 'dir':
      return stableIno(`dir\u0000${record.pathname}\u0000`)
    case 'content':
      return stableIno(Buffer.concat([CONTENT_TAG, record.bytes, NUL]))
    case 'payload':
      return stableIno(`payload\u0000${record.secretId}\u0000${record.revision}\u0000`)
  }
}

/** Go's fs.FileMode: directories carry its ModeDir bit. */
const MODE = { dir: (0x80000000 | 0o750) >>> 0, content: 0o640, payload: 0o600 } as const

/** Size -1 for a payload: unknown until read, and it tells plakar not to compare it. */
function sizeOf(record: PlannedRecord): number {
  if (record.kind === 'content') return record.bytes.length
  return record.kind === 'dir' ? 0 : -1
}

function fileInfoOf(record: PlannedRecord): FileInfo {
  const ms = record.mtime.getTime()
  const seconds = Math.floor(ms / 1000)
  return {
    name: record.pathname.slice(record.pathname.lastIndexOf('/') + 1) || '/',
    size: sizeOf(record),
    mode: MODE[record.kind],
    mod_time: { seconds, nanos: (ms - seconds * 1000) * 1_000_000 },
    dev: 0,
    ino: inoOf(record),
    uid: 0,
    gid: 0,
    nlink: 1,
    username: '',
    groupname: '',
    flags: 0,
  }
}

/** Shared by every record: the encoder only reads it. */
const NO_ATTRIBUTES: string[] = []

function wireRecord(pathname: string, hasReader: boolean, fileInfo?: FileInfo, error = '') {
  return {
    hasReader,
    pathname,
    error,
    isXattr: false,
    xattrName: '',
    xattrType: ExtendedAttributeType.EXTENDED_ATTRIBUTE_TYPE_UNSPECIFIED,
    target: '',
    fileInfo,
    extendedAttributes: NO_ATTRIBUTES,
    fileAttributes: 0,
  }
}

export function toWireRecord(record: PlannedRecord): WireRecord {
  return wireRecord(record.pathname, record.kind !== 'dir', fileInfoOf(record))
}

export function errorRecord(pathname: string, message: string): WireRecord {
  return wireRecord(pathname, false, undefined, message)
}
