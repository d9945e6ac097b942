// The plakar v1.1 plugin protocol as grpc.ts serves it, built from the service
// descriptions and codecs that ts-proto generates from proto/*.proto (see
// scripts/gen-proto.sh): precompiled, no .proto parsing at run time, and message and
// handler types that follow the .proto files.
import { BinaryWriter } from '@bufbuild/protobuf/wire'
import { ExporterDefinition } from '../../proto/generated/exporter.js'
import { ImporterDefinition } from '../../proto/generated/importer.js'
import {
  type BidiHandler,
  PREFIX,
  type Route,
  type ServerStreamHandler,
  type UnaryHandler,
} from './grpc.js'

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
    ? BidiHandler<Req, Res>
    : ServerStreams extends true
      ? ServerStreamHandler<Req, Res>
      : UnaryHandler<Req, Res>
  : never

type Erased = (...args: unknown[]) => Promise<unknown>

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

const ROOM = new Uint8Array(PREFIX)

/** A message as it goes on the wire: encoded behind room for its prefix, which is then set. */
function framer(codec: Codec<unknown>) {
  return (value: unknown): Uint8Array => {
    try {
      const frame = codec.encode(value, writer.raw(ROOM)).finish()
      new DataView(frame.buffer, frame.byteOffset).setUint32(1, frame.length - PREFIX)
      return frame
    } catch (error) {
      writer = new BinaryWriter() // a half-written message must not prefix the next one
      throw error
    }
  }
}

/** The routes of a service, keyed by method path, each with its handler in `implementation`. */
function routesOf<S extends typeof ImporterDefinition | typeof ExporterDefinition>(
  service: S,
  implementation: Implementation<S>,
): ReadonlyMap<string, Route> {
  // Erased: a bidi handler takes the call; the others the request, and the call to stream on.
  const handlers = implementation as unknown as Record<string, Erased>
  return new Map(
    Object.values(service.methods).map((method) => {
      const request = method.requestType as Codec<unknown>
      const handler = handlers[method.name] as Erased
      const route: Route = {
        requestStream: method.requestStream,
        responseStream: method.responseStream,
        decode: (bytes) => request.decode(bytes),
        frame: framer(method.responseType as Codec<unknown>),
        handle: method.requestStream
          ? (call) => handler(call)
          : (call, request) => handler(request, call),
      }
      return [`/${service.fullName}/${method.name}`, route]
    }),
  )
}

export const importerRoutes = (importer: Importer) => routesOf(ImporterDefinition, importer)
export const exporterRoutes = (exporter: Exporter) => routesOf(ExporterDefinition, exporter)
