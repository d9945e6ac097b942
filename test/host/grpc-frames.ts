// The gRPC wire as a host sees it over a plugin's stdin/stdout: an HTTP/2 session with
// prior knowledge on the pipe pair, one POST stream per call, and the message framing
// (a 5-byte prefix: compressed flag, big-endian length). Shared by the test host and the
// bench host.
import http2 from 'node:http2'
import { Duplex, type Readable, type Writable } from 'node:stream'
import type protobuf from 'protobufjs'

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

export const DECODE_OPTIONS: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
}

export function frame(type: protobuf.Type, message: object): Buffer {
  const body = type.encode(type.fromObject(message)).finish()
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
