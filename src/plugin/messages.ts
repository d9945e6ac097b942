// The protocol messages the code handles, under the names it uses. Their shapes come
// from the generated code (proto/generated), so they follow the .proto files.
import type { Timestamp } from '../../proto/generated/google/protobuf/timestamp.js'

export type { FileInfo, Record as WireRecord } from '../../proto/generated/connectors.js'
export type { ExportRequest, ExportResponse } from '../../proto/generated/exporter.js'
export type {
  ImportRequest,
  ImportResponse,
  InitRequest,
  InitResponse,
} from '../../proto/generated/importer.js'

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
