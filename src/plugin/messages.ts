// The protocol messages the code handles, under the names it uses. Their shapes come
// from the generated code (proto/generated), so they follow the .proto files.
export type { FileInfo, Record as WireRecord } from '../../proto/generated/connectors.js'
export type { ExportRequest, ExportResponse } from '../../proto/generated/exporter.js'
export type {
  ImportRequest,
  ImportResponse,
  InitRequest,
  InitResponse,
} from '../../proto/generated/importer.js'
