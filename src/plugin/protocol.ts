// The plakar v1.1 plugin protocol as grpc-js serves it, built from the service
// descriptions and codecs that ts-proto generates from proto/*.proto (see
// scripts/gen-proto.sh): precompiled, no .proto parsing at run time, and message and
// handler types that follow the .proto files.
import { BinaryWriter } from '@bufbuild/protobuf/wire'
import type {
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  MethodDefinition,
  ServiceDefinition,
} from '@grpc/grpc-js'
import { ExporterDefinition } from '../../proto/generated/exporter.js'
import { ImporterDefinition } from '../../proto/generated/importer.js'

interface Codec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter
  decode(input: Uint8Array): T
}

type Handler<M> = M extends {
  requestType: Codec<infer Req>
  responseType: Codec<infer Res>
  requestStream: infer ClientStreams
  responseStream: infer ServerStreams
}
  ? ClientStreams extends true
    ? ServerStreams extends true
      ? handleBidiStreamingCall<Req, Res>
      : handleClientStreamingCall<Req, Res>
    : ServerStreams extends true
      ? handleServerStreamingCall<Req, Res>
      : handleUnaryCall<Req, Res>
  : never

/** The handlers a service needs, under plakar's method names (Init, Import, ...). */
type Implementation<S extends { methods: object }> = {
  [K in keyof S['methods'] as S['methods'][K] extends { name: infer N extends string }
    ? N
    : never]: Handler<S['methods'][K]>
}

/** What the importer executable implements: Init, Ping, Import, Open, Close. */
export type Importer = Implementation<typeof ImporterDefinition>

/** What the exporter executable implements: Init, Ping, Export, Close. */
export type Exporter = Implementation<typeof ExporterDefinition>

/**
 * One writer for every message: encoding is synchronous and finish() hands out a copy and
 * resets it, so its buffer, grown once, serves every later message.
 */
let writer = new BinaryWriter()

/** A view of the encoder's bytes, not a copy: grpc-js frames it and lets it go. */
function encoder(codec: Codec<unknown>) {
  return (value: unknown) => {
    try {
      const bytes = codec.encode(value, writer).finish()
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    } catch (error) {
      writer = new BinaryWriter() // a half-written message must not prefix the next one
      throw error
    }
  }
}

/** A grpc-js service definition keyed by plakar's method names. */
function serviceOf(
  service: typeof ImporterDefinition | typeof ExporterDefinition,
): ServiceDefinition {
  const methods = Object.values(service.methods).map((method) => {
    const request = method.requestType as Codec<unknown>
    const response = method.responseType as Codec<unknown>
    const definition: MethodDefinition<unknown, unknown> = {
      path: `/${service.fullName}/${method.name}`,
      requestStream: method.requestStream,
      responseStream: method.responseStream,
      requestSerialize: encoder(request),
      requestDeserialize: (bytes) => request.decode(bytes),
      responseSerialize: encoder(response),
      responseDeserialize: (bytes) => response.decode(bytes),
    }
    return [method.name, definition]
  })
  return Object.fromEntries(methods)
}

export const importerService = serviceOf(ImporterDefinition)
export const exporterService = serviceOf(ExporterDefinition)
