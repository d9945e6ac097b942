// A stand-in for Scaleway Secret Manager v1beta1 on loopback, faithful to the recorded wire
// format, for tests and benchmarks. Point the SDK's apiURL at `url`.

import { checkFaults, type FaultSpec, parseFaults } from './faults.js'
import { KeyRing, type KeysDoc } from './keys.js'
import type { LatencyMode } from './latency.js'
import { randomSeed, seededRandom } from './prng.js'
import { TokenBucket } from './rate-limit.js'
import type { SeedDoc } from './seed.js'
import { EmulatorServer } from './server.js'
import { SecretStore } from './store.js'
import { createStoreApi, type EmulatorStore } from './store-api.js'

export type { FaultSpec } from './faults.js'
export { parseFaults } from './faults.js'
export type { KeysDoc, PermissionSet } from './keys.js'
export type { LatencyMode } from './latency.js'
export type { SeedDoc, SeedSecret } from './seed.js'
export type { Region } from './types.js'

/** Page size used when a list request has none; the real default is at least 37. */
const DEFAULT_PAGE_SIZE = 50

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Loopback only: 127.0.0.1 (default), another 127.x address, localhost or ::1. */
  host?: string
  latency?: LatencyMode
  /** Requests per second before bare 429s; undefined = unlimited. */
  rateLimit?: number
  faults?: FaultSpec | string
  seed?: SeedDoc
  /** Without keys, any UUID token may do anything in any project. */
  keys?: KeysDoc
  /** Makes faults and latency jitter reproducible. */
  randomSeed?: number
  defaultPageSize?: number
  /** Diagnostics sink (the CLI passes stderr); silent by default. */
  log?: (line: string) => void
}

export interface Emulator {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234. */
  readonly url: string
  readonly port: number
  readonly store: EmulatorStore
  /** Requests received per route template (e.g. `GET /secrets/{id}`) plus `total`. */
  counts(): Record<string, number>
  resetCounts(): void
  setFaults(spec: FaultSpec | string | undefined): void
  setLatency(mode: LatencyMode): void
  setRateLimit(requestsPerSecond: number | undefined): void
  setKeys(doc: KeysDoc | undefined): void
  /** From now on this key gets 401 reason `expired`. */
  revokeKey(secretKey: string): void
  close(): Promise<void>
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|::1)$/

const normalizeFaults = (spec: FaultSpec | string | undefined): FaultSpec =>
  spec === undefined ? {} : typeof spec === 'string' ? parseFaults(spec) : checkFaults(spec)

const bucketFor = (rps: number | undefined): TokenBucket | undefined => {
  if (rps === undefined) return undefined
  if (!(rps > 0)) throw new Error(`rate limit must be a positive number, got ${rps}`)
  return new TokenBucket(rps)
}

const hostInUrl = (host: string): string => (host.includes(':') ? `[${host}]` : host)

export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const host = options.host ?? '127.0.0.1'
  if (!LOOPBACK.test(host)) throw new Error(`the emulator only listens on loopback, not ${host}`)
  const store = new SecretStore()
  const storeApi = createStoreApi(store)
  if (options.seed) storeApi.seed(options.seed)
  const keys = new KeyRing(options.keys)
  const server = new EmulatorServer(
    {
      store,
      keys,
      random: seededRandom(options.randomSeed ?? randomSeed()),
      defaultPageSize: options.defaultPageSize ?? DEFAULT_PAGE_SIZE,
      log: options.log ?? (() => {}),
    },
    {
      faults: normalizeFaults(options.faults),
      latency: options.latency ?? 'off',
      bucket: bucketFor(options.rateLimit),
    },
  )
  const address = await server.listen(options.port ?? 0, host)
  return {
    url: `http://${hostInUrl(host)}:${address.port}`,
    port: address.port,
    store: storeApi,
    counts: () => Object.fromEntries([['total', 0], ...server.counts]),
    resetCounts: () => server.counts.clear(),
    setFaults: (spec) => {
      server.controls.faults = normalizeFaults(spec)
    },
    setLatency: (mode) => {
      server.controls.latency = mode
    },
    setRateLimit: (rps) => {
      server.controls.bucket = bucketFor(rps)
    },
    setKeys: (doc) => keys.set(doc),
    revokeKey: (secretKey) => keys.revoke(secretKey),
    close: () => server.close(),
  }
}
