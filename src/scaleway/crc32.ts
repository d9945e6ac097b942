// Secret Manager checks `data_crc32` with the IEEE polynomial (the common zlib/PNG one),
// which Node ships natively since 20.15: no table of our own to get wrong.
import { crc32 as zlibCrc32 } from 'node:zlib'

/** IEEE CRC-32 of `bytes`, as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0
}
