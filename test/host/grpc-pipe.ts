// A minimal gRPC client over a child process's stdio, playing plakar's side of the
// pipe: HTTP/2 with prior knowledge, length-prefixed protobuf frames, status in
// trailers. It shares no code with the plugin's gRPC layer (src/plugin/grpc.ts), so the
// plugin is checked against the wire format, not against itself; test/e2e checks it
// against the real plakar.
import http2 from 'node:http2'
import type { Readable, Writable } from 'node:stream'
import { codecOf, connectToPlugin, Deframer, frame, openCall } from './grpc-frames.js'

export class GrpcStatusError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`gRPC status ${code}: ${details}`)
  }
}

export interface Call<Res> {
  send(message: object): void
  end(): void
  /** Resolves with the next message, or undefined once the server ended the call OK. */
  next(): Promise<Res | undefined>
  /** Resolves once the call ended; rejects with GrpcStatusError on a non-OK status. */
  done: Promise<void>
  cancel(): void
}

export class GrpcPipeClient {
  private session: http2.ClientHttp2Session

  constructor(stdout: Readable, stdin: Writable) {
    this.session = connectToPlugin(stdout, stdin)
  }

  close(): void {
    this.session.close()
  }

  call<Res>(path: string, requestType: string, responseType: string): Call<Res> {
    const reqType = codecOf(requestType)
    const resType = codecOf(responseType)
    const stream = openCall(this.session, path)
    const queue: Res[] = []
    const waiters: Array<(value: Res | undefined) => void> = []
    let ended = false
    let failure: Error | undefined
    const reader = new Deframer()
    let status: number | undefined
    let details = ''

    const flush = () => {
      while (waiters.length > 0 && (queue.length > 0 || ended)) {
        const waiter = waiters.shift()
        if (!waiter) break
        waiter(queue.shift())
      }
    }
    stream.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) {
        status = Number(headers['grpc-status'])
        details = decodeURIComponent(String(headers['grpc-message'] ?? ''))
      }
    })
    stream.on('trailers', (trailers) => {
      status = Number(trailers['grpc-status'])
      details = decodeURIComponent(String(trailers['grpc-message'] ?? ''))
      // The server ended the call (maybe early, with an error): stop our side too, or
      // the stream never closes while we still hold it half-open.
      setImmediate(() => stream.closed || stream.close())
    })
    stream.on('data', (chunk: Buffer) => {
      for (const body of reader.push(chunk)) {
        queue.push(resType.decode(body) as Res)
      }
      flush()
    })
    const done = new Promise<void>((resolve, reject) => {
      stream.on('close', () => {
        ended = true
        if (status !== 0) {
          failure = new GrpcStatusError(status ?? -1, details || 'stream closed without status')
          reject(failure)
        } else resolve()
        flush()
      })
    })
    done.catch(() => {})

    return {
      send: (message) => stream.write(frame(reqType, message)),
      end: () => stream.end(),
      next: () =>
        new Promise<Res | undefined>((resolve, reject) => {
          if (queue.length > 0) return resolve(queue.shift())
          if (ended) return failure ? reject(failure) : resolve(undefined)
          waiters.push((value) => {
            if (value === undefined && failure) reject(failure)
            else resolve(value)
          })
        }),
      done,
      cancel: () => stream.close(http2.constants.NGHTTP2_CANCEL),
    }
  }

  async unary<Res>(path: string, reqType: string, resType: string, message: object): Promise<Res> {
    const call = this.call<Res>(path, reqType, resType)
    call.send(message)
    call.end()
    const response = await call.next()
    await call.done
    if (response === undefined) throw new Error(`${path}: no response`)
    return response
  }

  async serverStream<Res>(
    path: string,
    reqType: string,
    resType: string,
    message: object,
  ): Promise<Res[]> {
    const call = this.call<Res>(path, reqType, resType)
    call.send(message)
    call.end()
    const out: Res[] = []
    for (;;) {
      const next = await call.next()
      if (next === undefined) break
      out.push(next)
    }
    await call.done
    return out
  }
}
