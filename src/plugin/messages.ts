// TypeScript shapes of the protocol messages as proto-loader hands them to us
// (keepCase, longs as numbers, defaults filled in). See src/plugin/proto/*.proto.

export interface Timestamp {
  seconds: number
  nanos: number
}

export interface FileInfo {
  name: string
  size: number
  mode: number
  mod_time: Timestamp | null
  dev: number
  ino: number
  uid: number
  gid: number
  nlink: number
  username: string
  groupname: string
  flags: number
}

export interface WireRecord {
  hasReader: boolean
  pathname: string
  error: string
  isXattr: boolean
  xattrName: string
  xattrType: string
  target: string
  fileInfo: FileInfo | null
  extendedAttributes: string[]
  fileAttributes: number
}

export interface WireResult {
  header: WireRecord | null
  error: string
}

export interface InitRequest {
  options: { hostname: string; os: string; arch: string; cwd: string; maxconcurrency: number }
  proto: string
  config: Record<string, string>
}

export interface InitResponse {
  origin: string
  type: string
  root: string
  flags: number
}

export interface ImportRequest {
  result: WireResult | null
}

export type ImportResponse = { record: Partial<WireRecord> } | { finished: true }

export interface OpenRequest {
  record: WireRecord | null
}

export interface OpenResponse {
  chunk: Uint8Array
}

/** proto-loader with `oneofs: true` names the set case in `packet`. */
export interface ExportRequest {
  packet?: 'record' | 'chunk'
  record?: WireRecord | null
  chunk?: Uint8Array
}

export interface ExportResponse {
  result: { header: Partial<WireRecord>; error: string }
}

/** Go's fs.FileMode bits we use. */
export const GoFileMode = {
  DIR: 0x80000000,
  SYMLINK: 1 << 27,
} as const

export function timestampFromDate(date: Date): Timestamp {
  const ms = date.getTime()
  const seconds = Math.floor(ms / 1000)
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 }
}
