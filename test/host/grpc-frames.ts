// The gRPC wire as a host sees it over a plugin's stdin/stdout: an HTTP/2 session with
// prior knowledge on the pipe pair, one POST stream per call, and the message framing
// (a 5-byte prefix: compressed flag, big-endian length). Shared by the test host and the
// bench host.
import http2 from 'node:http2'
import { Duplex, type Readable, type Writable } from 'node:stream'
import type { BinaryWriter } from '@bufbuild/protobuf/wire'
import * as connectors from '../../proto/generated/connectors.js'
import * as exporter from '../../proto/generated/exporter.js'
import * as importer from '../../proto/generated/importer.js'

export function connectToPlugin(stdout: Readable, stdin: Writable): http2.ClientHttp2Session {
  const pipe = Duplex.from({ readable: stdout, writable: stdin })
  const session = http2.connect('http://plugin', { createConnection: () => pipe })
  // Errors surface on the streams; a dying plugin must not crash the host.
  session.on('error', () => {})
  return session
}

export function openCall(session: http2.ClientHttp2Session, path: string): http2.ClientHttp2Stream {
  return session.request({
    ':method': 'POST',
    ':path': path,
    'content-type': 'application/grpc',
    te: 'trailers',
  })
}

/** A generated message codec, whatever its message. */
export interface MessageCodec {
  encode(message: never): BinaryWriter
  /** Every field present, absent ones at their default (int64 as numbers, bytes as Buffer). */
  decode(input: Uint8Array): unknown
  fromPartial(object: never): unknown
}

const PACKAGES: Record<string, Record<string, unknown>> = {
  'plakar.connectors': connectors,
  importer,
  'plakar.exporter': exporter,
}

/** The codec of a fully qualified message name, e.g. `importer.ImportRequest`. */
export function codecOf(name: string): MessageCodec {
  const cut = name.lastIndexOf('.')
  const codec = PACKAGES[name.slice(0, cut)]?.[name.slice(cut + 1)]
  if (typeof codec !== 'object' || codec === null || !('fromPartial' in codec)) {
    throw new Error(`no generated message type ${name}`)
  }
  return codec as MessageCodec
}

/**
 * One gRPC message: the 5-byte prefix and the encoding of `message`, a partial one unless
 * `complete` says every field is there (a decoded message echoed back), which spares a copy.
 */
export function frame(codec: MessageCodec, message: object, complete = false): Buffer {
  const full = complete ? message : codec.fromPartial(message as never)
  const body = codec.encode(full as never).finish()
  const header = Buffer.alloc(5)
  header.writeUInt32BE(body.length, 1)
  return Buffer.concat([header, body])
}

/** Cuts a byte stream into gRPC message bodies. */
export class Deframer {
  private pending: Buffer[] = []
  private size = 0

  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk)
    this.size += chunk.length
    const out: Buffer[] = []
    let buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.size)
    while (buffer.length >= 5) {
      const length = buffer.readUInt32BE(1)
      if (buffer.length < 5 + length) break
      out.push(buffer.subarray(5, 5 + length))
      buffer = buffer.subarray(5 + length)
    }
    this.pending = buffer.length > 0 ? [buffer] : []
    this.size = buffer.length
    return out
  }
}
