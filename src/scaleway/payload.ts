// Payload encoding on the wire: standard padded base64, checked with node:zlib's crc32 (the
// IEEE CRC-32 Secret Manager checks data_crc32 with). Decoding is strict because Buffer's
// base64 decoder silently skips junk, which would turn a mangled answer into wrong bytes
// instead of an error: the bytes must encode back to exactly the text received (a native
// round trip, far cheaper than a RegExp).
import { crc32 } from 'node:zlib'

const UINT32_MAX = 0xffff_ffff
const MISMATCH = 'the payload does not match its CRC32 checksum'

export function encodePayload(bytes: Uint8Array): { data: string; dataCrc32: number } {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
  return { data, dataCrc32: crc32(bytes) }
}

/** The bytes, or why a payload from the API cannot be trusted (in words). */
export type DecodedPayload =
  | { ok: true; data: Uint8Array; dataCrc32?: number }
  | { ok: false; problem: string }

/** The API sends data_crc32 as a number; a digit string is accepted too. null means "none". */
function parseCrc32(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return undefined
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > UINT32_MAX) return null
  return n
}

export function decodePayload(data: unknown, dataCrc32: unknown): DecodedPayload {
  const decoded = typeof data === 'string' ? Buffer.from(data, 'base64') : undefined
  if (decoded === undefined || decoded.toString('base64') !== data) {
    return { ok: false, problem: 'the payload is not valid base64' }
  }
  const expected = parseCrc32(dataCrc32)
  if (expected === null) return { ok: false, problem: 'the payload checksum field is malformed' }
  // A copy, so callers never hold a view into Buffer's shared allocation pool.
  const bytes = new Uint8Array(decoded)
  if (expected === undefined) return { ok: true, data: bytes }
  if (crc32(bytes) !== expected) return { ok: false, problem: MISMATCH }
  return { ok: true, data: bytes, dataCrc32: expected }
}
