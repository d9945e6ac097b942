// The scw-sm-emulator command: URL on the first stdout line, clean exit on SIGTERM, and its
// options.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import type { KeysDoc, SeedDoc } from '../../emulator/index.js'
import { PROJECT, TOKEN } from './helpers.js'

interface Running {
  child: ChildProcessWithoutNullStreams
  url: string
  stdoutLines: string[]
}

const running: Running[] = []

const launch = async (args: string[]): Promise<Running> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', ...args], {
    cwd: join(import.meta.dirname, '../..'),
  })
  const stdoutLines: string[] = []
  const lines = createInterface({ input: child.stdout })
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      stdoutLines.push(line)
      if (stdoutLines.length === 1) resolve(line)
    })
    child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)))
  })
  const proc = { child, url, stdoutLines }
  running.push(proc)
  return proc
}

const stop = (proc: Running): Promise<number | null> =>
  new Promise((resolve) => {
    proc.child.once('exit', (code) => resolve(code))
    proc.child.kill('SIGTERM')
  })

afterEach(() => {
  for (const proc of running.splice(0)) if (proc.child.exitCode === null) proc.child.kill('SIGKILL')
})

const api = (url: string, path: string, init: RequestInit = {}, token = TOKEN) =>
  fetch(`${url}/secret-manager/v1beta1/regions/fr-par${path}`, {
    ...init,
    headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
  })

const tmp = (): string => mkdtempSync(join(tmpdir(), 'scw-sm-emulator-'))

describe('scw-sm-emulator CLI', () => {
  it('prints its URL first, serves the seed, and exits 0 on SIGTERM', async () => {
    const seedFile = join(tmp(), 'seed.json')
    const seed: SeedDoc = { projects: [{ id: PROJECT, secrets: [{ name: 'from-seed' }] }] }
    writeFileSync(seedFile, JSON.stringify(seed))
    const proc = await launch(['--port', '0', '--seed', seedFile])
    expect(proc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const list = (await (await api(proc.url, '/secrets')).json()) as {
      secrets: Array<{ name: string }>
    }
    expect(list.secrets.map((s) => s.name)).toEqual(['from-seed'])
    expect(await stop(proc)).toBe(0)
    expect(proc.stdoutLines).toEqual([proc.url])
  })

  it('applies --keys, --rate-limit, --latency and --faults', async () => {
    const keysFile = join(tmp(), 'keys.json')
    const keys: KeysDoc = {
      keys: [{ secret_key: TOKEN, projects: ['*'], permission_sets: ['SecretManagerReadOnly'] }],
    }
    writeFileSync(keysFile, JSON.stringify(keys))
    const proc = await launch([
      '--keys',
      keysFile,
      '--rate-limit',
      '1000',
      '--latency',
      'recorded',
      '--random-seed',
      '7',
      '--faults',
      '5xx=0,stall-ms=10',
    ])
    expect((await api(proc.url, '/secrets')).status).toBe(200)
    expect(
      (await api(proc.url, '/secrets', {}, '8d1c7b2a-3e4f-4a5b-9c6d-7e8f9a0b1c2d')).status,
    ).toBe(401)
    expect(await stop(proc)).toBe(0)
  })
})
