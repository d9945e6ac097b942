// Secrets never leak. Every plugin process of this suite runs with a canary secret key,
// in a sandbox (home, temp dir, working directory of its own), and is audited after its
// test: stdout must be nothing but well-formed HTTP/2 frames, the key must appear nowhere
// (stdout, stderr, files, any message the host decodes), payloads only inside the
// importer's DATA frames. This file drives the error paths, where a leak is likeliest,
// and checks that the audit itself catches what it claims to catch.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, type FaultSpec, startEmulator } from '../../src/emulator/index.js'
import { init, ping } from '../host/plugin-host.js'
import { DEST_PROJECT } from '../support/world.js'
import {
  auditAll,
  auditPlugin,
  CANARY_KEY,
  CANARY_PAYLOADS,
  noteText,
  parseFrames,
  printTally,
  reliabilitySeed,
  replayFaults,
  SOURCE,
  SOURCE_PROJECT,
  sandboxFiles,
  spawnPlugin,
  tally,
} from './harness.js'
import { backup, config, exportItems, restore } from './ops.js'

const DEST = `scw-secret://nl-ams/${DEST_PROJECT}`
const SEED = 5
let emu: Emulator
let snapshot: ReturnType<typeof exportItems>

beforeAll(async () => {
  emu = await startEmulator({ seed: reliabilitySeed(6), randomSeed: SEED })
  const run = await backup(emu)
  expect(run.error).toBeUndefined()
  snapshot = exportItems(run.entries)
  expect(await auditAll()).toEqual([])
})

afterEach(async () => {
  emu.setKeys(undefined)
  emu.setFaults(undefined)
  expect(await auditAll()).toEqual([])
})

afterAll(async () => {
  await emu.close()
  printTally('leaks.test.ts')
})

describe('the audit catches what it claims to', () => {
  it('sees payloads where they legitimately are, and nothing written to disk', async () => {
    const run = await backup(emu)
    expect(run.error).toBeUndefined()
    // The canary payloads did travel, inside DATA frames of the importer's stdout.
    const wire = run.plugin.stdout()
    for (const canary of CANARY_PAYLOADS) expect(wire.includes(canary)).toBe(true)
    expect(auditPlugin(run.plugin)).toEqual([])
    // No file at all: no cache, no temp file, no log; for a restore neither.
    expect(sandboxFiles(run.plugin)).toEqual([])
    const restored = await restore(emu, snapshot, DEST)
    expect(restored.failed).toEqual([])
    expect(sandboxFiles(restored.plugin)).toEqual([])
    expect(restored.plugin.stdout().includes(CANARY_PAYLOADS[0])).toBe(false)
  })

  it('flags a key on stderr, a payload on stderr, a secret on disk, and stray stdout bytes', async () => {
    const run = await backup(emu)
    const plugin = run.plugin
    const stderrLeak = { ...plugin, stderr: () => `oops ${CANARY_KEY.toUpperCase()}` }
    expect(auditPlugin(stderrLeak).join()).toMatch(/secret key on stderr/)
    const payloadLeak = { ...plugin, stderr: () => `oops ${CANARY_PAYLOADS[1]}` }
    expect(auditPlugin(payloadLeak).join()).toMatch(/payload on stderr/)
    const stray = Buffer.concat([Buffer.from('debug: hello\n'), plugin.stdout()])
    expect(auditPlugin({ ...plugin, stdout: () => stray }).join()).toMatch(/not HTTP\/2 frames/)
    expect(parseFrames(plugin.stdout().subarray(0, plugin.stdout().length - 3), false)).toMatch(
      /runs past the end|stray bytes/,
    )
    const exporterEcho = { ...plugin, kind: 'exporter' as const }
    expect(auditPlugin(exporterEcho).join()).toMatch(/payload on the exporter's stdout/)
    const cache = path.join(plugin.sandbox, 'home', '.cache')
    mkdirSync(cache)
    writeFileSync(path.join(cache, 'blob'), Buffer.from(CANARY_PAYLOADS[0]).toString('base64'))
    expect(auditPlugin(plugin).join()).toMatch(/secret written to .*blob/)
    writeFileSync(path.join(cache, 'blob'), 'harmless')
    expect(auditPlugin(plugin).join()).toMatch(/wrote .*blob/)
    // Remove the planted file so the after-test audit sees the real process only.
    rmSync(cache, { recursive: true })
  })
})

describe('error paths with the canary key', () => {
  it('401: an unknown key, at Ping, in a backup and in a restore', async () => {
    emu.setKeys({ keys: [] })
    const plugin = spawnPlugin('importer')
    await init(plugin, 'importer', config(emu, SOURCE))
    const error = await ping(plugin, 'importer').catch((e: unknown) => e)
    noteText(String(error))
    expect(String(error)).toMatch(/no API key matches/)
    const run = await backup(emu)
    expect(run.error).toMatch(/no API key matches/)
    const restored = await restore(emu, snapshot, DEST)
    expect(restored.error ?? restored.failed[0]?.error).toMatch(/no API key matches/)
  })

  it('401: a key revoked halfway through a backup', async () => {
    let opened = 0
    const run = await backup(emu, {
      shouldOpen: () => {
        opened += 1
        if (opened === 10) {
          emu.revokeKey(CANARY_KEY)
          tally.faultsInjected += 1
        }
        return true
      },
    })
    expect(run.entries.some((e) => /expired/.test(e.openError ?? ''))).toBe(true)
    // The revoked key stays revoked for this emulator: restart clean for the next tests.
    await emu.close()
    emu = await startEmulator({ seed: reliabilitySeed(6), randomSeed: SEED })
  })

  it('403: permission denied on payloads and on writes', async () => {
    emu.setKeys({
      keys: [
        { secret_key: CANARY_KEY, projects: ['*'], permission_sets: ['SecretManagerReadOnly'] },
      ],
    })
    const run = await backup(emu)
    expect(run.entries.some((e) => /SecretManagerSecretAccess/.test(e.openError ?? ''))).toBe(true)
    const restored = await restore(emu, snapshot, DEST)
    expect(restored.failed[0]?.error).toMatch(/SecretManagerSecretCreate/)
  })

  it('a malformed key, a key pasted into other keys, credentials in the URL', async () => {
    const cases: Array<Record<string, string>> = [
      { secret_key: `${CANARY_KEY}x` },
      { secret_key: `x${CANARY_KEY}` },
      { secret_key: ` ${CANARY_KEY}` },
      { access_key: CANARY_KEY },
      { region: CANARY_KEY },
      { tags: CANARY_KEY, [`${CANARY_KEY}`]: '1' },
      { api_url: `http://${CANARY_KEY}@127.0.0.1:1` },
      { api_url: `http://127.0.0.1:1/?token=${CANARY_KEY}` },
    ]
    for (const extra of cases) {
      const plugin = spawnPlugin('importer')
      tally.operations += 1
      const error = await init(plugin, 'importer', config(emu, SOURCE, extra)).catch(
        (e: unknown) => e,
      )
      expect(error, JSON.stringify(extra)).toBeInstanceOf(Error)
      noteText(String(error))
    }
  })

  it('no server at all, and faults on every kind of request', async () => {
    const nowhere = { ...config(emu, SOURCE), api_url: 'http://127.0.0.1:9', max_retries: '1' }
    const plugin = spawnPlugin('importer')
    await init(plugin, 'importer', nowhere)
    const error = await ping(plugin, 'importer').catch((e: unknown) => e)
    noteText(String(error))
    expect(String(error)).toMatch(/ECONNREFUSED|network/)

    const spec: FaultSpec = {
      serverError: 0.1,
      tooManyRequests: 0.1,
      reset: 0.05,
      dropAfterWrite: 0.1,
    }
    const before = emu.counts().total ?? 0
    emu.setFaults(spec)
    const run = await backup(emu, { config: { max_retries: '1' } })
    // Secrets stopped by the faults are retried in the same run, two request timeouts
    // after each failure: keep that wait short.
    const restored = await restore(emu, snapshot, DEST, {
      config: { max_retries: '1', request_timeout: '1s' },
    })
    expect(run.entries.length + restored.results.length).toBeGreaterThan(0)
    const faults = replayFaults(SEED, spec, emu.counts().total ?? 0, before)
    expect(faults).toBeGreaterThan(5)
    tally.faultsInjected += faults
  }, 180_000)
})

it('every process of this file was audited', () => {
  expect(tally.processesAudited).toBeGreaterThan(10)
  expect(SOURCE_PROJECT).toBeTruthy()
})
