// Serves one plugin's gRPC methods on this process's stdin/stdout, and exits when the host
// closes them.
import { Duplex } from 'node:stream'
import { log } from '../log.js'
import { type Route, serve } from './grpc.js'

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
