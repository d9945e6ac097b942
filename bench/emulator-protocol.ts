// Messages between the bench and its emulator worker process. The emulator runs in a child
// of its own so that its request handling and latency timers never wait on the bench's
// event loop (the test host decodes every record), and the reverse.
import type { LatencyMode } from '../emulator/index.js'

export type Region = 'fr-par' | 'nl-ams' | 'pl-waw'

export interface Limits {
  latency: LatencyMode
  /** Requests per second; undefined = no limit. */
  rateLimit: number | undefined
}

/** What a project holds, reduced to what a faithful restore must reproduce. */
export interface SecretDigest {
  type: string
  tags: string[]
  description: string
  protected: boolean
  /** By ascending revision; `sha256` is null for versions whose payload is gone. */
  versions: Array<{ revision: number; status: string; sha256: string | null }>
}

/** Keyed by `path` + NUL + `name`. */
export type ProjectDigest = Record<string, SecretDigest>

export interface Operations {
  start: { args: Limits & { randomSeed: number }; result: { url: string } }
  seed: {
    args: { projectId: string; region: Region; secrets: number; versions: number }
    result: { secrets: number; versions: number }
  }
  limits: { args: Limits; result: null }
  counts: { args: null; result: Record<string, number> }
  /** Zeroes the counters and refills the rate limiter's bucket. */
  reset: { args: null; result: null }
  digest: { args: { projectId: string; region: Region }; result: ProjectDigest }
  close: { args: null; result: null }
}

export type OperationName = keyof Operations

export interface WorkerRequest<K extends OperationName = OperationName> {
  id: number
  op: K
  args: Operations[K]['args']
}

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string }
