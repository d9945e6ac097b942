// A lean gRPC client over a plugin's stdin/stdout (HTTP/2 with prior knowledge,
// length-prefixed protobuf frames, status in trailers), like test/host/grpc-pipe.ts but
// with flow control on what the plugin sends: a call stops reading once `highWater`
// messages wait unconsumed, so HTTP/2's window fills and the plugin's writes block, as
// they do under plakar. The test host reads eagerly, which lets an importer run ahead
// of its acknowledgements and hold the whole project in memory. grpc-js could do this
// too, but its client costs the bench more CPU than the plugin under test uses.
import type http2 from 'node:http2'
import type { Readable, Writable } from 'node:stream'
import { codecOf, connectToPlugin, Deframer, frame, openCall } from '../test/host/grpc-frames.js'

export interface PipeCall<Res> {
  /**
   * Resolves once the stream can take more (waiting for 'drain' if it asks). `complete`:
   * every field of the message is set, as in an echo of a decoded one.
   */
  send(message: object, complete?: boolean): Promise<void>
  end(): void
  /** The next message, or undefined once the call ended OK; rejects on a non-OK status. */
  next(): Promise<Res | undefined>
}

export class PipeClient {
  private readonly session: http2.ClientHttp2Session

  constructor(
    stdout: Readable,
    stdin: Writable,
    private readonly highWater = 64,
  ) {
    this.session = connectToPlugin(stdout, stdin)
  }

  close(): void {
    this.session.close()
  }

  call<Res>(path: string, requestType: string, responseType: string): PipeCall<Res> {
    const reqType = codecOf(requestType)
    const resType = codecOf(responseType)
    const stream = openCall(this.session, path)
    const queue: Res[] = []
    let wake: (() => void) | undefined
    let status: number | undefined
    let details = ''
    let closed = false
    const deframer = new Deframer()
    const notify = () => {
      wake?.()
      wake = undefined
    }
    const readStatus = (headers: http2.IncomingHttpHeaders) => {
      if (headers['grpc-status'] === undefined) return
      status = Number(headers['grpc-status'])
      details = decodeURIComponent(String(headers['grpc-message'] ?? ''))
    }
    stream.on('response', readStatus)
    stream.on('trailers', readStatus)
    stream.on('data', (chunk: Buffer) => {
      for (const body of deframer.push(chunk)) {
        queue.push(resType.decode(body) as Res)
      }
      if (queue.length >= this.highWater) stream.pause()
      notify()
    })
    stream.on('error', () => {})
    stream.on('close', () => {
      closed = true
      notify()
    })

    const next = async (): Promise<Res | undefined> => {
      for (;;) {
        const message = queue.shift()
        if (message !== undefined) {
          if (queue.length < this.highWater / 2 && stream.isPaused()) stream.resume()
          return message
        }
        if (closed) {
          if (status === 0) return undefined
          throw new Error(`gRPC status ${status ?? 'none'}: ${details || 'stream closed'}`)
        }
        await new Promise<void>((resolve) => {
          wake = resolve
        })
      }
    }
    return {
      send: async (message, complete) => {
        if (!stream.write(frame(reqType, message, complete)))
          await new Promise((resolve) => stream.once('drain', resolve))
      },
      end: () => stream.end(),
      next,
    }
  }

  async unary<Res>(path: string, reqType: string, resType: string, message: object): Promise<Res> {
    const call = this.call<Res>(path, reqType, resType)
    await call.send(message)
    call.end()
    const response = await call.next()
    if (response === undefined) throw new Error(`${path}: no response`)
    await call.next()
    return response
  }
}
