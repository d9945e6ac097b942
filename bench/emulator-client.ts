// The bench's side of an emulator worker: starts the child and turns IPC messages into
// typed calls.
import { type ChildProcess, fork } from 'node:child_process'
import path from 'node:path'
import type {
  Limits,
  OperationName,
  Operations,
  ProjectDigest,
  Region,
  WorkerReply,
} from './emulator-protocol.js'
import { readUsage } from './proc.js'

const WORKER = path.join(import.meta.dirname, 'emulator-worker.ts')

export class EmulatorWorker {
  private nextId = 1
  private readonly waiting = new Map<number, (reply: WorkerReply) => void>()

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(limits: Limits, randomSeed: number): Promise<EmulatorWorker> {
    // tsx runs the TypeScript worker; stdout and stderr are the bench's own.
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
    const worker = new EmulatorWorker(child, '')
    child.on('message', (reply: WorkerReply) => {
      worker.waiting.get(reply.id)?.(reply)
      worker.waiting.delete(reply.id)
    })
    child.on('exit', () => {
      for (const resolve of worker.waiting.values())
        resolve({ id: 0, ok: false, error: 'emulator worker exited' })
      worker.waiting.clear()
    })
    const { url } = await worker.call('start', { ...limits, randomSeed })
    return Object.assign(worker, { url })
  }

  call<K extends OperationName>(
    op: K,
    args: Operations[K]['args'],
  ): Promise<Operations[K]['result']> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) => {
        if (reply.ok) resolve(reply.result as Operations[K]['result'])
        else reject(new Error(`emulator worker, ${op}: ${reply.error}`))
      })
      this.child.send({ id, op, args })
    })
  }

  seed(projectId: string, region: Region, secrets: number, versions: number) {
    return this.call('seed', { projectId, region, secrets, versions })
  }

  setLimits(limits: Limits): Promise<null> {
    return this.call('limits', limits)
  }

  counts(): Promise<Record<string, number>> {
    return this.call('counts', null)
  }

  reset(): Promise<null> {
    return this.call('reset', null)
  }

  digest(projectId: string, region: Region): Promise<ProjectDigest> {
    return this.call('digest', { projectId, region })
  }

  /** CPU time the emulator process has used so far (its HTTP serving, mostly). */
  cpuS(): number {
    return this.child.pid === undefined ? 0 : (readUsage(this.child.pid)?.cpuS ?? 0)
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    await this.call('close', null).catch(() => null)
    await exited
  }
}
