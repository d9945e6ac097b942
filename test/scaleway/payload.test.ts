import { crc32 } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodePayload, encodePayload } from '../../src/scaleway/payload.js'

const text = (s: string) => new TextEncoder().encode(s)
const NOT_BASE64 = 'the payload is not valid base64'

describe('crc32', () => {
  it('is the IEEE CRC-32', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array())).toBe(0)
    expect(crc32(text('my_super_secret'))).toBe(crc32(Buffer.from('my_super_secret')))
  })

  it('is an unsigned 32-bit integer, and honours views into larger buffers', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.nat(8), (bytes, pad) => {
        const c = crc32(bytes)
        expect(Number.isInteger(c) && c >= 0 && c <= 0xffffffff).toBe(true)
        const padded = new Uint8Array(bytes.length + 2 * pad)
        padded.set(bytes, pad)
        expect(crc32(padded.subarray(pad, pad + bytes.length))).toBe(c)
      }),
    )
  })
})

describe('payload encoding', () => {
  it('round-trips any bytes, checksum included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const { data, dataCrc32 } = encodePayload(bytes)
        expect(data).toBe(Buffer.from(bytes).toString('base64'))
        const decoded = decodePayload(data, dataCrc32)
        expect(decoded).toEqual({ ok: true, data: bytes, dataCrc32: crc32(bytes) })
      }),
    )
  })

  it('encodes only the viewed bytes of a subarray', () => {
    const backing = text('xxSECRETxx')
    expect(encodePayload(backing.subarray(2, 8)).data).toBe(
      Buffer.from('SECRET').toString('base64'),
    )
  })

  it('accepts a missing checksum, or one sent as a digit string', () => {
    const data = Buffer.from('abc').toString('base64')
    expect(decodePayload(data, null)).toEqual({ ok: true, data: text('abc') })
    expect(decodePayload(data, undefined)).toEqual({ ok: true, data: text('abc') })
    expect(decodePayload(data, String(crc32(text('abc'))))).toMatchObject({ ok: true })
  })

  it('rejects a checksum mismatch instead of returning the bytes', () => {
    const data = Buffer.from('abc').toString('base64')
    expect(decodePayload(data, (crc32(text('abc')) + 1) >>> 0)).toEqual({
      ok: false,
      problem: 'the payload does not match its CRC32 checksum',
    })
  })

  it('rejects malformed base64 that a lenient decoder would silently mangle', () => {
    for (const bad of ['YWJj!', 'YWJ', 'YW=j', 'Y W J j', 'YWJj\n', 'YWJj====', '-_8=', 'YR==']) {
      expect(decodePayload(bad, null)).toEqual({ ok: false, problem: NOT_BASE64 })
    }
    expect(decodePayload(42, null)).toEqual({ ok: false, problem: NOT_BASE64 })
    expect(decodePayload('', null)).toEqual({ ok: true, data: new Uint8Array() })
  })

  it('rejects a checksum field that is not a uint32', () => {
    for (const bad of [-1, 2 ** 32, 1.5, 'x12', true, {}]) {
      expect(decodePayload('YWJj', bad)).toEqual({
        ok: false,
        problem: 'the payload checksum field is malformed',
      })
    }
  })
})
