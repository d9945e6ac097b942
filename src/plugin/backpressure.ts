// Writing to a gRPC response stream without outrunning the host. grpc-js buffers what
// it cannot send yet; a writer that ignores write()'s false holds a whole backup (or a
// whole restore's results) in memory once plakar stops reading. And a call that the
// host closes or cancels never drains: a writer waiting only for 'drain' would hang.
import type { EventEmitter } from 'node:events'

/** The part of a grpc-js server stream that writing needs. */
export interface OutgoingStream<T> extends EventEmitter {
  write(message: T): boolean
  readonly cancelled: boolean
  readonly destroyed: boolean
  readonly writableEnded: boolean
}

function isOver(call: OutgoingStream<unknown>): boolean {
  return call.cancelled || call.destroyed || call.writableEnded
}

/** Resolves true on 'drain', false if the call closes or is cancelled first. */
function drained(call: OutgoingStream<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => done(true)
    const onClose = () => done(false)
    const done = (open: boolean) => {
      call.off('drain', onDrain).off('close', onClose).off('cancelled', onClose)
      resolve(open)
    }
    call.on('drain', onDrain).on('close', onClose).on('cancelled', onClose)
  })
}

const SENT: Promise<boolean> = Promise.resolve(true)
const DROPPED: Promise<boolean> = Promise.resolve(false)

/**
 * Writes one message and resolves once the stream can take the next: true, or false when the
 * call is over (closed, cancelled or ended): the message was not sent, nor will any later one.
 */
export function send<T>(call: OutgoingStream<T>, message: T): Promise<boolean> {
  if (isOver(call)) return DROPPED
  return call.write(message) ? SENT : drained(call)
}
