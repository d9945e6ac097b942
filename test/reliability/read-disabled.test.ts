// read_disabled enables a disabled version for one read and disables it again. A backup
// must never leave such a version enabled without saying so: these runs put a loopback
// proxy in front of the emulator that breaks exactly the enable or the disable.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { auditAll, printTally, reliabilitySeed, tally } from './harness.js'
import { backup, captureSource, checkBackup, sourceDiff } from './ops.js'

const emulators: Emulator[] = []
const closers: Array<() => Promise<void>> = []

afterEach(async () => {
  expect(await auditAll()).toEqual([])
})

afterAll(async () => {
  await Promise.all(closers.map((close) => close()))
  await Promise.all(emulators.map((e) => e.close()))
  printTally('read-disabled.test.ts')
})

type Verdict = 'forward' | 'refuse' | 'lose-answer'

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Forwards to `target`, except what `decide` refuses (401) or forwards and then drops. */
async function proxy(target: string, decide: (method: string, url: string) => Verdict) {
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET'
    const verdict = decide(method, req.url ?? '/')
    const data = await body(req)
    if (verdict === 'refuse') {
      res.writeHead(401, { 'Content-Type': 'application/json' })
      res.end(
        JSON.stringify({ type: 'denied_authentication', method: 'api_key', reason: 'expired' }),
      )
      return
    }
    const headers: Record<string, string> = {}
    for (const name of ['x-auth-token', 'content-type']) {
      const value = req.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const answer = await fetch(`${target}${req.url ?? '/'}`, {
      method,
      headers,
      body: method === 'GET' || method === 'DELETE' ? undefined : data,
    })
    const bytes = Buffer.from(await answer.arrayBuffer())
    if (verdict === 'lose-answer') return void res.socket?.destroy()
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? '' })
    res.end(bytes)
  }
  const server = createServer((req, res) => {
    serve(req, res).catch(() => res.socket?.destroy())
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  closers.push(
    () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function world() {
  const emu = await startEmulator({ seed: reliabilitySeed(10) })
  emulators.push(emu)
  const state = captureSource(emu)
  const disabled = state.flatMap((s) =>
    s.versions.filter((v) => v.status === 'disabled').map((v) => `${s.name} r${v.revision}`),
  )
  expect(disabled.length).toBeGreaterThan(2)
  return { emu, state, disabled }
}

it('a disable refused after the read is reported as leaving the version ENABLED', async () => {
  const { emu, state, disabled } = await world()
  const url = await proxy(emu.url, (method, path) =>
    method === 'POST' && path.endsWith('/disable') ? 'refuse' : 'forward',
  )
  const run = await backup(emu, { config: { api_url: url } })
  tally.faultsInjected += disabled.length
  expect(run.error).toBeUndefined()
  const diff = sourceDiff(state, captureSource(emu))
  expect(diff.other).toEqual([])
  expect(diff.enabled.length).toBe(disabled.length)
  for (const label of diff.enabled) {
    const [dir, revision] = label.split(' r')
    const entry = run.entries.find((e) => e.record.pathname === `${dir}/versions/${revision}`)
    expect(entry?.openError).toMatch(/could NOT be disabled again, so it is ENABLED now/)
    expect(entry?.data).toBeUndefined()
  }
  const alarms = run.plugin.stderr().match(/error: version \d+ of secret .* disable it by hand/g)
  expect(alarms?.length).toBe(disabled.length)
})

it('an enable applied but whose answer was lost is undone, not left behind', async () => {
  const { emu, state, disabled } = await world()
  const url = await proxy(emu.url, (method, path) =>
    method === 'POST' && path.endsWith('/enable') ? 'lose-answer' : 'forward',
  )
  // No retries: the lost enable is a failure the importer must clean up after itself.
  const run = await backup(emu, { config: { api_url: url, max_retries: '0' } })
  tally.faultsInjected += disabled.length
  expect(run.error).toBeUndefined()
  expect(sourceDiff(state, captureSource(emu))).toEqual({ enabled: [], other: [] })
  const check = checkBackup(state, run.entries)
  expect(check).toMatchObject({ silentGaps: [], wrong: [] })
  expect(check.reported.length).toBe(disabled.length)

  const again = await backup(emu)
  expect(checkBackup(state, again.entries)).toMatchObject({
    silentGaps: [],
    reported: [],
    wrong: [],
  })
  expect(sourceDiff(state, captureSource(emu))).toEqual({ enabled: [], other: [] })
})
