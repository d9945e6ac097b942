// Serves one gRPC service on this process's stdin/stdout, the way plakar v1.1
// talks to a plugin: HTTP/2 cleartext with prior knowledge over the pipe pair.
import { Duplex } from 'node:stream'
import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js'
import { log } from '../log.js'

const MAX_MESSAGE = 16 * 1024 * 1024

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

export function serveOnStdio(
  service: ServiceDefinition,
  implementation: UntypedServiceImplementation,
): void {
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.max_send_message_length': MAX_MESSAGE,
    // Channelz keeps per-call and per-message statistics for an admin service that a
    // plugin never serves: work on every record for nothing.
    'grpc.enable_channelz': 0,
  })
  server.addService(service, implementation)
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure())
  const pipe = joinedPipes(process.stdin, process.stdout)
  injector.injectConnection(pipe)

  let exiting = false
  const exit = (code: number) => {
    if (exiting) return
    exiting = true
    injector.destroy()
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
