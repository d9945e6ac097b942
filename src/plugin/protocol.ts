// Loads our .proto definitions of the plakar v1.1 plugin protocol into grpc-js
// service definitions. The .proto text is embedded at build time, so the bundled
// executables need no files beside them.
import type { GrpcObject, ServiceClientConstructor } from '@grpc/grpc-js'
import { loadPackageDefinition } from '@grpc/grpc-js'
import { fromJSON } from '@grpc/proto-loader'
import protobuf from 'protobufjs'
import connectorsProto from './proto/connectors.proto'
import exporterProto from './proto/exporter.proto'
import importerProto from './proto/importer.proto'

/** Location flag bits of plakar's InitResponse.flags. */
export const LocationFlags = {
  LOCALFS: 1,
  FILE: 2,
  STREAM: 4,
  NEEDACK: 8,
  NOMERGE: 16,
  EXPORTXATTR: 32,
} as const

let root: protobuf.Root | undefined

/** The parsed protocol, for hosts that encode messages themselves (the test host). */
export function protoRoot(): protobuf.Root {
  if (root) return root
  root = new protobuf.Root()
  const timestamp = protobuf.common.get('google/protobuf/timestamp.proto')
  if (timestamp) root.addJSON(timestamp.nested ?? {})
  for (const text of [connectorsProto, importerProto, exporterProto]) {
    protobuf.parse(text, root, { keepCase: true })
  }
  root.resolveAll()
  return root
}

function buildPackage(): GrpcObject {
  // Numbers, not Longs: sizes here never exceed 2^53. Defaults make absent proto3
  // fields read as their zero value, as Go's generated code does.
  const definition = fromJSON(protoRoot().toJSON(), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  })
  return loadPackageDefinition(definition)
}

let cached: GrpcObject | undefined
function pkg(): GrpcObject {
  cached ??= buildPackage()
  return cached
}

function service(path: string[]): ServiceClientConstructor {
  let node: unknown = pkg()
  for (const part of path) node = (node as Record<string, unknown>)[part]
  return node as ServiceClientConstructor
}

export const importerService = () => service(['importer', 'Importer'])
export const exporterService = () => service(['plakar', 'exporter', 'Exporter'])
