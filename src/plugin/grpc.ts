// gRPC for one host on this process's stdin/stdout, as plakar v1.1 talks to a plugin: Node's
// HTTP/2 (cleartext, prior knowledge) on the pipe pair, and gRPC's small part here: 5-byte
// message frames, a status in trailers. grpc-js, built for channels, interceptors and filters
// per call, cost 0.17 ms of CPU per Open against 0.10 (plakar opens every file; see README).
import http2 from 'node:http2'
import { Duplex, Readable } from 'node:stream'
import { log } from '../log.js'
import { asGrpcError, GrpcError, Status } from './grpc-errors.js'

type Stream = http2.ServerHttp2Stream
const MAX_MESSAGE = 16 * 1024 * 1024
/** A message's frame: a compressed flag (always 0 here), then its length, big-endian. */
export const PREFIX = 5
const HEADERS = { ':status': 200, 'content-type': 'application/grpc' }
const SENT: Promise<boolean> = Promise.resolve(true)
const DROPPED: Promise<boolean> = Promise.resolve(false)

/**
 * One call: the messages that come in (as a stream, for Import and Export) and the way
 * back. A call is over once it has sent its status or the host cancelled it.
 */
export class Call<Req, Res> extends Readable {
  cancelled = false
  private finished = false
  private trailers: Record<string, string> = {}

  constructor(
    private readonly stream: Stream,
    private readonly frame: (message: Res) => Uint8Array,
  ) {
    // Not destroyed at the end of the requests: the answers go on after the host half-closes.
    super({ objectMode: true, autoDestroy: false, read: () => stream.resume() })
    stream.on('drain', () => this.emit('drain'))
    // A reset before our end, whichever of its events comes first: the requests did not end.
    stream.on('aborted', () => this.cancel()).on('close', () => this.cancel())
  }

  get over(): boolean {
    return this.finished || this.cancelled
  }

  /** The requests, in order; ending the loop early leaves the call open for its answers. */
  requests(): AsyncIterable<Req> {
    return this.iterator({ destroyOnReturn: false })
  }

  /** Writes one message; false when the stream holds enough for now (or the call is over). */
  write(message: Res): boolean {
    if (this.over) return false
    // Encoded first: a message that cannot be encoded fails the call before any header.
    const frame = this.frame(message)
    if (!this.stream.headersSent) {
      this.stream.respond(HEADERS, { waitForTrailers: true })
      this.stream.once('wantTrailers', () => this.stream.sendTrailers(this.trailers))
    }
    return this.stream.write(frame)
  }

  /**
   * Writes one message and resolves once the stream can take the next: true, or false when
   * the call is over, so that a writer neither outruns the host nor waits on a call it left.
   */
  send(message: Res): Promise<boolean> {
    if (this.over) return DROPPED
    if (this.write(message)) return SENT
    return new Promise((resolve) => {
      const done = (open: boolean) => () => {
        this.off('drain', onDrain).off('over', onOver)
        resolve(open)
      }
      const onDrain = done(true)
      const onOver = done(false)
      this.on('drain', onDrain).on('over', onOver)
    })
  }

  /** Ends the call OK. */
  end(): void {
    this.finish({ 'grpc-status': String(Status.OK) })
  }

  /** Ends the call with an error; requests still to come are not waited for. */
  fail(error: GrpcError): void {
    // gRPC's escape of the message's UTF-8 (a lone surrogate becomes U+FFFD); the host undoes it.
    const message = encodeURIComponent(Buffer.from(error.message).toString())
    this.finish({ 'grpc-status': String(error.code), 'grpc-message': message })
    if (!this.readableEnded) this.destroy()
  }

  private finish(status: Record<string, string>): void {
    if (this.over || this.stream.destroyed) return
    this.finished = true
    this.emit('over')
    if (!this.stream.headersSent) {
      this.stream.respond({ ...HEADERS, ...status }, { endStream: true })
      return
    }
    this.trailers = status
    this.stream.end()
  }

  private cancel(): void {
    if (this.over) return
    this.cancelled = true
    this.emit('over')
    this.emit('cancelled')
    // A request loop must not wait for messages that will not come.
    if (!this.readableEnded) this.destroy()
  }
}

/** A unary handler resolves to its answer; a streaming one ends its call OK by resolving. */
export type UnaryHandler<Req, Res> = (request: Req) => Promise<Res>
export type ServerStreamHandler<Req, Res> = (request: Req, call: Call<Req, Res>) => Promise<void>
export type BidiHandler<Req, Res> = (call: Call<Req, Res>) => Promise<void>

/** What serving a method needs: its codecs, and its handler with the types erased. */
export interface Route {
  requestStream: boolean
  responseStream: boolean
  decode(bytes: Uint8Array): unknown
  /** The message encoded behind its 5-byte prefix, set. */
  frame(message: unknown): Uint8Array
  /** `request`: the one request of a call without a request stream. */
  handle(call: Call<unknown, unknown>, request: unknown): Promise<unknown>
}

/** Splits a byte stream into message bodies; a message may span any number of chunks. */
function deframer(onMessage: (body: Buffer) => void): (chunk: Buffer) => void {
  let chunks: Buffer[] = []
  let size = 0
  return (chunk) => {
    chunks.push(chunk)
    size += chunk.length
    while (size >= PREFIX) {
      // A prefix cut across chunks is joined once, not again for every chunk that follows.
      if ((chunks[0] as Buffer).length < PREFIX) chunks = [Buffer.concat(chunks, size)]
      const head = chunks[0] as Buffer
      if (head[0] !== 0) throw new GrpcError(Status.UNIMPLEMENTED, 'compressed messages')
      const length = head.readUInt32BE(1)
      if (length > MAX_MESSAGE)
        throw new GrpcError(Status.RESOURCE_EXHAUSTED, `a ${length}-byte message`)
      if (size < PREFIX + length) return
      const all = chunks.length === 1 ? head : Buffer.concat(chunks, size)
      onMessage(all.subarray(PREFIX, PREFIX + length))
      const rest = all.subarray(PREFIX + length)
      chunks = rest.length > 0 ? [rest] : []
      size = rest.length
    }
  }
}

/** A handler's result answers a unary call and its end ends a stream; what it throws fails it. */
function run(route: Route, call: Call<unknown, unknown>, request?: unknown): void {
  // Async, so that a synchronous throw is a rejection too; what answering throws (an answer
  // that cannot be encoded) fails the call as well.
  const handled = (async () => route.handle(call, request))()
  handled
    .then((value) => {
      // A unary call's answer is its one message.
      if (!route.responseStream) call.write(value)
      call.end()
    })
    .catch((error: unknown) => call.fail(asGrpcError(error)))
}

/** Starts the call a new HTTP/2 stream asks for, once its request (if one) has come. */
function onStream(routes: ReadonlyMap<string, Route>, stream: Stream, path: string): void {
  // A reset stream closes, and its call learns it from 'aborted' and 'close'.
  stream.on('error', () => {})
  const route = routes.get(path)
  // A unary call gets its Call once its one request has come, or to answer a refusal.
  let call = route?.requestStream ? new Call(stream, route.frame) : undefined
  const fail = (error: unknown) => {
    call ??= new Call(stream, route?.frame ?? (() => new Uint8Array()))
    call.fail(asGrpcError(error))
  }
  if (!route) return void fail(new GrpcError(Status.UNIMPLEMENTED, `no method ${path}`))
  const bodies: Buffer[] = []
  const take = deframer((body) => {
    if (!call) bodies.push(body)
    else if (!call.push(route.decode(body))) stream.pause()
  })
  stream.on('data', (chunk: Buffer) => {
    try {
      if (!call?.over) take(chunk)
    } catch (error) {
      fail(error)
    }
  })
  stream.on('end', () => {
    if (call?.over) return
    // Node ends a stream's requests on a reset too: only a half-close ends them.
    if (call) return void (stream.aborted || stream.rstCode || call.push(null))
    if (bodies.length !== 1) return fail(new GrpcError(Status.INTERNAL, 'expected one request'))
    try {
      const request = route.decode(bodies[0] as Buffer)
      call = new Call(stream, route.frame)
      run(route, call, request)
    } catch (error) {
      fail(error)
    }
  })
  if (call) run(route, call)
}

/** Serves the routes, keyed by method path, to the one host at the other end of `wire`. */
export function serve(routes: ReadonlyMap<string, Route>, wire: Duplex): void {
  const server = http2.createServer({
    // Past 10 MB of session memory Node refuses new streams; the host's flow control
    // already bounds what is in flight (grpc-js lifts this limit the same way).
    maxSessionMemory: Number.MAX_SAFE_INTEGER,
  })
  server.on('stream', (stream, headers) => onStream(routes, stream, String(headers[':path'])))
  server.on('sessionError', (error: Error) => log.error(`gRPC session error: ${error.message}`))
  server.emit('connection', wire)
}

/**
 * stdin and stdout as the one duplex stream an HTTP/2 session needs. Node's HTTP/2 hands a JS
 * stream one flush's frames as a batch of small buffers: they leave in one write (one syscall).
 */
function joinedPipes(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Duplex {
  const pipe = new Duplex({
    read() {
      input.resume()
    },
    write(chunk: Buffer, _encoding, callback) {
      output.write(chunk, callback)
    },
    writev(chunks, callback) {
      output.write(Buffer.concat(chunks.map((c) => c.chunk as Buffer)), callback)
    },
    final(callback) {
      output.end(callback)
    },
  })
  input.on('data', (chunk: Buffer) => {
    if (!pipe.push(chunk)) input.pause()
  })
  input.on('end', () => pipe.push(null))
  input.on('error', (error: Error) => pipe.destroy(error))
  output.on('error', (error: Error) => pipe.destroy(error))
  return pipe
}

export function serveOnStdio(routes: ReadonlyMap<string, Route>): void {
  const pipe = joinedPipes(process.stdin, process.stdout)
  serve(routes, pipe)

  let exiting = false
  const exit = (code: number) => {
    if (exiting) return
    exiting = true
    process.exitCode = code
    // stdout may still hold buffered frames for a host that has gone; do not wait on it.
    setImmediate(() => process.exit(code))
  }
  // plakar never sends a shutdown call: closing our stdin is the signal.
  process.stdin.on('end', () => exit(0))
  process.stdin.on('close', () => exit(0))
  pipe.on('error', (err: Error) => {
    log.error(`plugin pipe error: ${err.message}`)
    exit(1)
  })
}
