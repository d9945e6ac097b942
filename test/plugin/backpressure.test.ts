// The one write helper of both services: waits for room, and never waits forever on a
// call that the host closed or cancelled.
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { type OutgoingStream, send } from '../../src/plugin/backpressure.js'

/** A real object-mode stream that takes one message and holds it until `release()`. */
function slowCall() {
  let release: (() => void) | undefined
  const written: string[] = []
  const stream = new Writable({
    objectMode: true,
    highWaterMark: 1,
    write(message: string, _encoding, callback) {
      written.push(message)
      release = () => callback()
    },
  })
  const call = Object.assign(stream, { cancelled: false }) as Writable & { cancelled: boolean }
  return { call: call as OutgoingStream<string> & typeof call, written, release: () => release?.() }
}

const settledWithin = <T>(promise: Promise<T>) =>
  Promise.race([promise, new Promise<'pending'>((r) => setImmediate(() => r('pending')))])

describe('send', () => {
  it('resolves at once while the stream takes more, then waits for drain', async () => {
    const { call, written, release } = slowCall()
    const first = send(call, 'a')
    // highWaterMark 1: the first message fills the buffer, so the writer must wait.
    expect(await settledWithin(first)).toBe('pending')
    release()
    expect(await first).toBe(true)
    const second = send(call, 'b')
    release()
    expect(await second).toBe(true)
    expect(written).toEqual(['a', 'b'])
  })

  it('stops waiting when the call is cancelled or closed, and sends nothing after', async () => {
    const cancelled = slowCall()
    const waiting = send(cancelled.call, 'a')
    cancelled.call.cancelled = true
    cancelled.call.emit('cancelled')
    expect(await waiting).toBe(false)
    expect(await send(cancelled.call, 'b')).toBe(false)
    expect(cancelled.written).toEqual(['a'])

    const closed = slowCall()
    const pending = send(closed.call, 'a')
    closed.call.destroy()
    expect(await pending).toBe(false)
    expect(await send(closed.call, 'b')).toBe(false)
    expect(closed.written).toEqual(['a'])
  })

  it('leaves no listener behind', async () => {
    const { call, release } = slowCall()
    const first = send(call, 'a')
    release()
    await first
    expect(call.listenerCount('cancelled')).toBe(0)
    expect(call.listenerCount('drain')).toBe(0)
  })
})
