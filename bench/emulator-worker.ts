// Child process hosting one Secret Manager emulator for the bench, driven over the IPC
// channel (see emulator-protocol.ts). Started by emulator-client.ts, never by hand.
import { createHash } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { type Emulator, startEmulator } from '../emulator/index.js'
import { generatedSeed } from '../emulator/sample.js'
import type {
  Limits,
  OperationName,
  Operations,
  ProjectDigest,
  Region,
  WorkerReply,
  WorkerRequest,
} from './emulator-protocol.js'

// Every request waiting out its latency listens on the emulator's one shutdown signal;
// past ten at once Node warns of a leak that is not one.
setMaxListeners(100_000)

let emulator: Emulator | undefined
let limits: Limits = { latency: 'off', rateLimit: undefined }

const running = (): Emulator => {
  if (!emulator) throw new Error('emulator not started')
  return emulator
}

const GONE = new Set(['deleted', 'scheduled_for_deletion'])

function digest(projectId: string, region: Region): ProjectDigest {
  const emu = running()
  const out: ProjectDigest = {}
  for (const secret of emu.store.allSecrets(projectId, region)) {
    if (secret.deletionRequestedAt !== null) continue
    out[`${secret.path}\u0000${secret.name}`] = {
      type: secret.type,
      tags: [...secret.tags].sort(),
      description: secret.description,
      protected: secret.protected,
      versions: emu.store.versions(secret.id).map((v) => ({
        revision: v.revision,
        status: v.status,
        sha256: GONE.has(v.status) ? null : createHash('sha256').update(v.data).digest('hex'),
      })),
    }
  }
  return out
}

function applyLimits(next: Limits): null {
  limits = next
  running().setLatency(next.latency)
  running().setRateLimit(next.rateLimit)
  return null
}

type Handlers = { [K in OperationName]: (args: Operations[K]['args']) => unknown }

const handlers: Handlers = {
  start: async ({ latency, rateLimit, randomSeed }) => {
    limits = { latency, rateLimit }
    emulator = await startEmulator({ latency, rateLimit, randomSeed })
    return { url: emulator.url }
  },
  seed: ({ projectId, region, secrets, versions }) => {
    running().store.seed(generatedSeed(projectId, secrets, versions, region))
    return { secrets, versions: secrets * versions }
  },
  limits: applyLimits,
  counts: () => running().counts(),
  // A new bucket starts full: every scenario gets the same burst allowance.
  reset: () => {
    running().resetCounts()
    return applyLimits(limits)
  },
  digest: ({ projectId, region }) => digest(projectId, region),
  close: async () => {
    await emulator?.close()
    emulator = undefined
    setImmediate(() => process.exit(0))
    return null
  },
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const handler = handlers[request.op] as (args: unknown) => unknown
    return { id: request.id, ok: true, result: (await handler(request.args)) ?? null }
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    }
  }
}

process.on('message', (message: WorkerRequest) => {
  handle(message).then((reply) => process.send?.(reply))
})
// The bench going away must not leave an emulator behind.
process.on('disconnect', () => process.exit(0))
