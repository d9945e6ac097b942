// The plugin's own gRPC layer, spoken to by a real HTTP/2 client in this process: messages
// cut anywhere in the byte stream, statuses and their messages, refusals, and a writer that
// neither outruns a host that stopped reading nor waits forever on a call the host left.
import http2 from 'node:http2'
import { Duplex, PassThrough } from 'node:stream'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { type Call, type Route, serve } from '../../src/plugin/grpc.js'
import { GrpcError, Status } from '../../src/plugin/grpc-errors.js'
import { connectToPlugin, Deframer, openCall } from '../host/grpc-frames.js'

const { constants } = http2
const sessions: http2.ClientHttp2Session[] = []
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy()
})

/** Bytes in, bytes out: a message is its own encoding, framed with the 5-byte prefix. */
function route(requestStream: boolean, responseStream: boolean, handle: Route['handle']): Route {
  const frame = (message: unknown) => {
    const body = message as Buffer
    const framed = Buffer.alloc(5 + body.length)
    framed.writeUInt32BE(body.length, 1)
    body.copy(framed, 5)
    return framed
  }
  return { requestStream, responseStream, decode: (bytes) => Buffer.from(bytes), frame, handle }
}

function connect(routes: Record<string, Route>): http2.ClientHttp2Session {
  const toPlugin = new PassThrough()
  const fromPlugin = new PassThrough()
  serve(new Map(Object.entries(routes)), Duplex.from({ readable: toPlugin, writable: fromPlugin }))
  const session = connectToPlugin(fromPlugin, toPlugin)
  sessions.push(session)
  return session
}

function framed(body: Buffer, compressed = 0): Buffer {
  const prefix = Buffer.alloc(5)
  prefix[0] = compressed
  prefix.writeUInt32BE(body.length, 1)
  return Buffer.concat([prefix, body])
}

/** Everything a call answered: its messages, status and status message. */
function outcome(stream: http2.ClientHttp2Stream) {
  return new Promise<{ messages: Buffer[]; status: number; message: string }>((resolve) => {
    const deframer = new Deframer()
    const messages: Buffer[] = []
    let status = -1
    let message = ''
    const read = (headers: http2.IncomingHttpHeaders) => {
      if (headers['grpc-status'] === undefined) return
      status = Number(headers['grpc-status'])
      message = decodeURIComponent(String(headers['grpc-message'] ?? ''))
    }
    stream.on('response', read).on('trailers', read)
    stream.on('data', (chunk: Buffer) => messages.push(...deframer.push(chunk)))
    stream.on('error', () => {})
    stream.on('close', () => resolve({ messages, status, message }))
  })
}

describe('the gRPC layer', () => {
  it('delivers every message whole and in order, however the bytes are cut', async () => {
    const echo = route(true, true, async (call) => {
      for await (const message of call.requests()) await call.send(message)
    })
    const session = connect({ '/t/Echo': echo })
    const messages = fc.array(fc.uint8Array({ maxLength: 70_000 }), { maxLength: 6 })
    const cuts = fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 8 })
    await fc.assert(
      fc.asyncProperty(messages, cuts, async (bodies, sizes) => {
        const stream = openCall(session, '/t/Echo')
        const done = outcome(stream)
        const bytes = Buffer.concat(bodies.map((body) => framed(Buffer.from(body))))
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const size = sizes[i % sizes.length] as number
          stream.write(bytes.subarray(at, at + size))
          at += size
        }
        stream.end()
        const { messages: answered, status } = await done
        expect(status).toBe(Status.OK)
        expect(answered.map((m) => [...m])).toEqual(bodies.map((b) => [...b]))
      }),
      { numRuns: 25 },
    )
  })

  it('answers a unary call, and sends a failure with its message intact', async () => {
    const session = connect({
      '/t/Upper': route(false, false, async (_call, request) =>
        Buffer.from(String(request).toUpperCase()),
      ),
      '/t/Refuse': route(false, false, async () => {
        throw new GrpcError(Status.INVALID_ARGUMENT, 'région "x" inconnue: 100%\nfix it')
      }),
    })
    const upper = openCall(session, '/t/Upper')
    const answered = outcome(upper)
    upper.end(framed(Buffer.from('abc')))
    expect(await answered).toEqual({ messages: [Buffer.from('ABC')], status: 0, message: '' })

    const refuse = openCall(session, '/t/Refuse')
    const refused = outcome(refuse)
    refuse.end(framed(Buffer.alloc(0)))
    expect(await refused).toEqual({
      messages: [],
      status: Status.INVALID_ARGUMENT,
      message: 'région "x" inconnue: 100%\nfix it',
    })
  })

  it('refuses unknown methods, compressed messages and handlers that throw, and goes on', async () => {
    const session = connect({
      // Thrown before the handler's first await, as a synchronous function would.
      '/t/Throw': route(false, false, () => {
        throw new Error('handler broke')
      }),
      '/t/Ok': route(false, false, async () => Buffer.from('ok')),
    })
    const call = async (path: string, body: Buffer) => {
      const stream = openCall(session, path)
      const done = outcome(stream)
      stream.end(body)
      const { status, message } = await done
      return { status, message }
    }
    expect(await call('/t/Nope', framed(Buffer.alloc(0)))).toEqual({
      status: Status.UNIMPLEMENTED,
      message: 'no method /t/Nope',
    })
    expect((await call('/t/Ok', framed(Buffer.from('x'), 1))).status).toBe(Status.UNIMPLEMENTED)
    expect(await call('/t/Throw', framed(Buffer.alloc(0)))).toEqual({
      status: Status.INTERNAL,
      message: 'handler broke',
    })
    expect(await call('/t/Ok', framed(Buffer.alloc(0)))).toEqual({ status: 0, message: '' })
  })

  it('holds a writer while the host reads nothing, and frees it when the host cancels', async () => {
    let served: Call<unknown, unknown> | undefined
    let sent: Promise<boolean> | undefined
    let started: () => void = () => {}
    const handlerRan = new Promise<void>((resolve) => {
      started = resolve
    })
    const flood = route(false, true, async (call) => {
      served = call
      // Four times the host's 64 KiB flow-control window: it cannot leave until the host
      // reads, and this host never does.
      sent = call.send(Buffer.alloc(256 * 1024))
      started()
      await sent
    })
    const stream = openCall(connect({ '/t/Flood': flood }), '/t/Flood')
    stream.pause()
    stream.on('error', () => {})
    stream.end(framed(Buffer.alloc(0)))
    await handlerRan
    stream.close(constants.NGHTTP2_CANCEL)
    expect(await sent).toBe(false)
    expect(served?.cancelled).toBe(true)
    expect(await served?.send(Buffer.from('late'))).toBe(false)
    expect(served?.listenerCount('drain')).toBe(0)
    expect(served?.listenerCount('over')).toBe(0)
  })

  it('ends a request loop when the host cancels the call half-way', async () => {
    let loop: Promise<string> | undefined
    let started: () => void = () => {}
    const first = new Promise<void>((resolve) => {
      started = resolve
    })
    const listen = route(true, true, async (call) => {
      const read = async () => {
        for await (const _ of call.requests()) started()
        return 'ended'
      }
      loop = read().catch(() => 'broken')
      await loop
    })
    const stream = openCall(connect({ '/t/Listen': listen }), '/t/Listen')
    stream.on('error', () => {})
    stream.write(framed(Buffer.from('one')))
    await first
    // A reset with no half-close before it, as a Go host sends when its context ends.
    stream.destroy()
    expect(await loop).toBe('broken')
  })

  it('answers what it cannot encode or escape with a status, never a crash', async () => {
    const session = connect({
      '/t/Unencodable': route(false, false, async () => 'not bytes'),
      '/t/Surrogate': route(false, false, async () => {
        throw new GrpcError(Status.NOT_FOUND, 'cut at \ud83d here')
      }),
    })
    const call = async (path: string) => {
      const stream = openCall(session, path)
      const done = outcome(stream)
      stream.end(framed(Buffer.alloc(0)))
      return done
    }
    const unencodable = await call('/t/Unencodable')
    expect(unencodable.status).toBe(Status.INTERNAL)
    expect(unencodable.messages).toEqual([])
    expect(await call('/t/Surrogate')).toEqual({
      messages: [],
      status: Status.NOT_FOUND,
      message: 'cut at \ufffd here',
    })
  })

  it('stops at the first bad message: no handler for a refused request, no clean end', async () => {
    let unaryRuns = 0
    let loop: Promise<string> | undefined
    const session = connect({
      '/t/Unary': route(false, false, async () => {
        unaryRuns += 1
        return Buffer.from('ran')
      }),
      '/t/Loop': route(true, true, async (call) => {
        const read = async () => {
          for await (const _ of call.requests());
          return 'ended'
        }
        loop = read().catch(() => 'broken')
        await loop
      }),
    })
    const bad = Buffer.concat([framed(Buffer.from('ok')), framed(Buffer.from('zip'), 1)])
    for (const path of ['/t/Unary', '/t/Loop']) {
      const stream = openCall(session, path)
      const done = outcome(stream)
      stream.write(bad)
      stream.end(framed(Buffer.from('more')))
      expect((await done).status).toBe(Status.UNIMPLEMENTED)
    }
    expect(unaryRuns).toBe(0)
    expect(await loop).toBe('broken')
  })
})
