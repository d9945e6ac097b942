// Payload read-ahead: the logic on its own (a stub reader and a map of bytes), then
// through a real importer process driven the way plakar drives it.
import { afterEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { generatedSeed, SAMPLE_PROJECT_ID, sampleSeed } from '../../emulator/sample.js'
import type { Record as WireRecord } from '../../proto/generated/connectors.js'
import { READ_AHEAD_ENV, ReadAhead, readAheadWindow } from '../../src/importer/readahead.js'
import { init, type PluginProcess, runImport, startPlugin } from '../host/plugin-host.js'
import { accessCount, connectorConfig, emulator, writeCount } from '../support/world.js'

/** What the importer passes for a payload; the read-ahead only hands it back to `read`. */
type PayloadRef = { secretId: string; revision: number }

const KIB = 1024
// The read-ahead's policy: its window starts at 4 payloads after 2 payload Opens in a row.
const MAX_WINDOW = 32
const OPEN_STREAK = 2
const INITIAL_WINDOW = 4

/** A reader whose reads the test settles by hand, in any order. */
function manualReader() {
  const reads: Array<{
    ref: PayloadRef
    resolve: (bytes: Buffer) => void
    reject: (error: Error) => void
  }> = []
  const read = (ref: PayloadRef) =>
    new Promise<Buffer>((resolve, reject) => reads.push({ ref, resolve, reject }))
  return { reads, read }
}

/** Lets settled reads run their handlers. */
const flush = () => new Promise((resolve) => setImmediate(resolve))

/** close() waits for reads in flight: settle the manual ones so that it can return. */
async function finish(
  ahead: ReadAhead<PayloadRef>,
  reads: ReturnType<typeof manualReader>['reads'],
) {
  const closing = ahead.close()
  for (const r of reads) r.resolve(Buffer.from('late'))
  await closing
  expect(ahead.stats.heldBytes).toBe(0)
}

const path = (i: number) => `/s.secret/versions/${i}`
const ref = (i: number): PayloadRef => ({ secretId: 's', revision: i })

function listMany(ahead: ReadAhead<PayloadRef>, count: number, prefetchable = () => true) {
  for (let i = 1; i <= count; i++) ahead.listed(path(i), ref(i), prefetchable())
}

describe('read-ahead window', () => {
  it('keeps a quarter second of the request rate in flight, within the concurrency', () => {
    expect(readAheadWindow(100, 32)).toBe(25)
    expect(readAheadWindow(20, 32)).toBe(5)
    expect(readAheadWindow(1, 32)).toBe(1)
    expect(readAheadWindow(1000, 32)).toBe(32)
    expect(readAheadWindow(100, 8)).toBe(8)
    // No pacing: as many as the client lets run at once.
    expect(readAheadWindow(0, 16)).toBe(16)
  })

  it('is off with a window of 0', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, 0)
    listMany(ahead, 20)
    for (let i = 1; i <= 10; i++) expect(await ahead.take(path(i))).toBeUndefined()
    expect(reads).toHaveLength(0)
    await ahead.close()
  })
})

describe('ReadAhead (logic)', () => {
  it('reads nothing ahead until payloads are opened in a row, then a small window', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, MAX_WINDOW)
    listMany(ahead, 50)
    expect(reads).toHaveLength(0)
    expect(await ahead.take(path(1))).toBeUndefined()
    // One Open alone is what an incremental backup with one new version looks like.
    expect(reads).toHaveLength(0)
    void ahead.take(path(2))
    expect(reads.map((r) => r.ref.revision)).toEqual([3, 4, 5, 6])
    await finish(ahead, reads)
  })

  it('serves Opens from memory, in flight or held, and releases the bytes', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, MAX_WINDOW)
    listMany(ahead, 20)
    await ahead.take(path(1))
    await ahead.take(path(2))
    ahead.acknowledged(path(1))
    ahead.acknowledged(path(2))
    // Held: settled before the Open.
    reads[0]?.resolve(Buffer.from('three'))
    await flush()
    expect(ahead.stats.heldBytes).toBeGreaterThanOrEqual(Buffer.byteLength('three'))
    expect((await ahead.take(path(3)))?.toString()).toBe('three')
    // In flight: the Open waits for the same read instead of starting another.
    const four = ahead.take(path(4))
    reads[1]?.resolve(Buffer.from('four'))
    expect((await four)?.toString()).toBe('four')
    expect(reads.filter((r) => r.ref.revision === 4)).toHaveLength(1)
    expect(ahead.stats.served).toBe(2)
    await finish(ahead, reads)
  })

  it('reads every payload exactly once when Opens come one at a time', async () => {
    // Only bytes matter here: a map stands in for the API.
    const stored = new Map<string, Buffer>()
    const payloads: Array<{ pathname: string; ref: PayloadRef; data: Buffer }> = []
    for (let s = 0; s < 30; s++) {
      for (let v = 1; v <= 3; v++) {
        const data = Buffer.from(`payload ${s}/${v}`)
        stored.set(`s${s}/${v}`, data)
        payloads.push({
          pathname: `/s${s}.secret/versions/${v}`,
          ref: { secretId: `s${s}`, revision: v },
          data,
        })
      }
    }
    let accesses = 0
    const readNow = async (r: PayloadRef) => {
      accesses += 1
      await Promise.resolve()
      return stored.get(`${r.secretId}/${r.revision}`) ?? Buffer.alloc(0)
    }
    const ahead = new ReadAhead(readNow, MAX_WINDOW)
    for (const p of payloads) ahead.listed(p.pathname, p.ref, true)
    for (const p of payloads) {
      const bytes = (await ahead.take(p.pathname)) ?? (await readNow(p.ref))
      expect(bytes.equals(p.data)).toBe(true)
      expect(ahead.acknowledged(p.pathname)).toBe(false)
    }
    await ahead.close()
    expect(accesses).toBe(payloads.length)
    expect(ahead.stats.served).toBe(payloads.length - OPEN_STREAK)
    expect(ahead.stats.unused).toBe(0)
    expect(ahead.stats.heldBytes).toBe(0)
  })

  it('a window of 0 turns it off: no read before its Open, however many Opens in a row', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, 0)
    listMany(ahead, 50)
    for (let i = 1; i <= 50; i++) expect(await ahead.take(path(i))).toBeUndefined()
    expect(reads).toEqual([])
    await ahead.close()
  })

  it('grows the window to its maximum and no further, within the byte budget', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, 6)
    listMany(ahead, 100)
    const settled = new Set<number>()
    const inFlight = () => reads.filter((r) => !settled.has(r.ref.revision)).length
    // Opens arrive faster than reads settle: the window caps what is in flight.
    for (let i = 1; i <= 10; i++) void ahead.take(path(i))
    expect(reads.map((r) => r.ref.revision)).toEqual([3, 4, 5, 6, 7, 8])
    // Then sequential Opens, each settling what is in flight: never more than 6 at once.
    for (let i = 11; i <= 60; i++) {
      for (const r of reads) {
        settled.add(r.ref.revision)
        r.resolve(Buffer.alloc(100))
      }
      await flush()
      expect(inFlight()).toBeLessThanOrEqual(6)
      expect(ahead.stats.heldBytes).toBeLessThanOrEqual(6 * 64 * KIB)
      void ahead.take(path(i))
      ahead.acknowledged(path(i))
    }
    expect(reads.length).toBeGreaterThan(50)
    await finish(ahead, reads)

    const small = manualReader()
    const tight = new ReadAhead(small.read, MAX_WINDOW, 3 * 64 * KIB)
    listMany(tight, 100)
    void tight.take(path(1))
    void tight.take(path(2))
    void tight.take(path(3))
    expect(small.reads).toHaveLength(3)
    expect(tight.stats.heldBytes).toBeLessThanOrEqual(3 * 64 * KIB)
    await finish(tight, small.reads)
  })

  it('stops at the first payload acknowledged unopened and drops its bytes', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, MAX_WINDOW)
    listMany(ahead, 40)
    await ahead.take(path(1))
    await ahead.take(path(2))
    expect(reads).toHaveLength(4)
    reads[0]?.resolve(Buffer.alloc(1000))
    await flush()
    // Plakar's change detection skips revision 3: its prefetched bytes go, nothing more starts.
    expect(ahead.acknowledged(path(3))).toBe(true)
    await flush()
    expect(ahead.stats.unused).toBe(1)
    expect(ahead.stats.heldBytes).toBe(3 * 64 * KIB)
    for (let i = 4; i <= 20; i++) ahead.acknowledged(path(i))
    for (const r of reads) r.resolve(Buffer.alloc(10))
    await flush()
    expect(reads).toHaveLength(4)
    expect(ahead.stats.unused).toBe(4)
    expect(ahead.stats.heldBytes).toBe(0)
    // A new run of payload Opens later starts it again, after the last one opened.
    await ahead.take(path(25))
    expect(reads).toHaveLength(4)
    void ahead.take(path(26))
    expect(reads.slice(4).map((r) => r.ref.revision)).toEqual([27, 28, 29, 30])
    await finish(ahead, reads)
  })

  it('never reads a disabled version ahead', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, MAX_WINDOW)
    for (let i = 1; i <= 30; i++) ahead.listed(path(i), ref(i), i % 2 === 0)
    for (let i = 1; i <= 30; i++) {
      void ahead.take(path(i))
      for (const r of reads) r.resolve(Buffer.from('x'))
      await flush()
    }
    expect(reads.length).toBeGreaterThan(5)
    expect(reads.every((r) => r.ref.revision % 2 === 0)).toBe(true)
    await finish(ahead, reads)
  })

  it('keeps a failed prefetch silent until its Open, which then reads for itself', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, MAX_WINDOW)
    listMany(ahead, 40)
    await ahead.take(path(1))
    await ahead.take(path(2))
    reads[0]?.reject(new Error('CRC32 mismatch'))
    await flush()
    expect(ahead.stats.failed).toBe(1)
    // Its Open gets no bytes, so the service reads again and reports what it gets ...
    expect(await ahead.take(path(3))).toBeUndefined()
    // ... and the failure stopped read-ahead for now: that Open starts no read.
    expect(reads).toHaveLength(4)
    // Prefetches that worked are still served, and show read-ahead works again.
    for (let i = 4; i <= 6; i++) {
      reads.find((r) => r.ref.revision === i)?.resolve(Buffer.from(`ok ${i}`))
      await flush()
      expect((await ahead.take(path(i)))?.toString()).toBe(`ok ${i}`)
    }
    expect(reads.length).toBeGreaterThan(4)
    await finish(ahead, reads)
  })

  it('backs off when every read fails, as with a key that may list but not access', async () => {
    const reads: number[] = []
    const ahead = new ReadAhead(async (r: PayloadRef) => {
      reads.push(r.revision)
      throw new Error('permission denied')
    }, MAX_WINDOW)
    const opens = 200
    listMany(ahead, opens)
    for (let i = 1; i <= opens; i++) {
      expect(await ahead.take(path(i))).toBeUndefined()
      ahead.acknowledged(path(i))
      await flush()
    }
    // Each failure doubles the run of Opens needed before the next try (2, 4, 8, ... 64),
    // so at most one small window is wasted per 64 Opens once backed off.
    const wasted = reads.length
    expect(wasted).toBeGreaterThan(0)
    expect(wasted).toBeLessThanOrEqual(8 * INITIAL_WINDOW)
    expect(ahead.stats.failed).toBe(wasted)
    await ahead.close()
  })

  it('takes nothing for an unknown path and lets close() wait for reads in flight', async () => {
    const { reads, read } = manualReader()
    const ahead = new ReadAhead(read, MAX_WINDOW)
    listMany(ahead, 10)
    expect(await ahead.take('/not/listed')).toBeUndefined()
    expect(ahead.acknowledged('/not/listed')).toBe(false)
    await ahead.take(path(1))
    await ahead.take(path(2))
    let closed = false
    const closing = ahead.close().then(() => {
      closed = true
    })
    await flush()
    expect(closed).toBe(false)
    for (const r of reads) r.resolve(Buffer.from('done'))
    await closing
    expect(ahead.stats.unused).toBe(reads.length)
    expect(ahead.stats.heldBytes).toBe(0)
  })
})

// Through the importer process: the test host opens files one at a time, as plakar does
// with its default flags.

const PROJECT = '5a3a1f0e-7c1b-4d2e-9f00-0000000000c3'
const SECRETS = 40
const VERSIONS = 3
const isPayload = (record: WireRecord) => /\/versions\/\d+$/.test(record.pathname)

let emu: Emulator | undefined
let plugin: PluginProcess | undefined

afterEach(async () => {
  await plugin?.stop()
  await emu?.close()
  plugin = undefined
  emu = undefined
})

async function started(
  seed = generatedSeed(PROJECT, SECRETS, VERSIONS),
  project = PROJECT,
  env: NodeJS.ProcessEnv = {},
) {
  emu = await emulator({ seed, latency: 5 })
  plugin = startPlugin('importer', env)
  return { emu, plugin, location: `scw-secret://fr-par/${project}` }
}

function summaryLine(p: PluginProcess): string {
  return (
    p
      .stderr()
      .split('\n')
      .find((line) => line.includes('backup of ')) ?? ''
  )
}

describe('read-ahead in the importer process', () => {
  it('reads every payload exactly once when the host opens one file at a time', async () => {
    const { emu, plugin, location } = await started()
    await init(plugin, 'importer', connectorConfig(emu, location))
    emu.resetCounts()
    const entries = await runImport(plugin, { concurrency: 1 })
    const payloads = entries.filter((e) => isPayload(e.record))
    expect(payloads).toHaveLength(SECRETS * VERSIONS)
    for (const entry of payloads) {
      const [secret] = entry.record.pathname.split('/').slice(-3)
      const stored = emu.store.allSecrets(PROJECT).find((s) => `${s.name}.secret` === secret)
      const revision = Number(entry.record.pathname.split('/').at(-1))
      const version = emu.store.versions(stored?.id ?? '')[revision - 1]
      expect(entry.data?.equals(version?.data ?? Buffer.alloc(1)), entry.record.pathname).toBe(true)
    }
    expect(accessCount(emu)).toBe(SECRETS * VERSIONS)
    const line = summaryLine(plugin)
    expect(line).toContain(`${SECRETS * VERSIONS} payloads read, 0 unchanged payloads skipped`)
    expect(line).not.toContain('prefetched but unused')
  })

  it(`reads nothing ahead with ${READ_AHEAD_ENV}=0, and refuses a bad value at Init`, async () => {
    const env = { [READ_AHEAD_ENV]: '0', SCW_SM_LOG_LEVEL: 'debug' }
    const { emu, plugin, location } = await started(undefined, undefined, env)
    await init(plugin, 'importer', connectorConfig(emu, location))
    emu.resetCounts()
    const entries = await runImport(plugin, { concurrency: 1 })
    expect(entries.filter((e) => isPayload(e.record) && e.data)).toHaveLength(SECRETS * VERSIONS)
    expect(accessCount(emu)).toBe(SECRETS * VERSIONS)
    await plugin.stop()
    expect(plugin.stderr()).toContain('read-ahead: 0 started, 0 served')

    const bad = startPlugin('importer', { [READ_AHEAD_ENV]: 'lots' })
    try {
      await expect(init(bad, 'importer', connectorConfig(emu, location))).rejects.toMatchObject({
        code: 3,
        details: expect.stringContaining(`${READ_AHEAD_ENV} must be an integer`),
      })
    } finally {
      await bad.stop()
    }
  })

  it('never reads disabled versions ahead: read_disabled toggles each once', async () => {
    const { emu, plugin, location } = await started(sampleSeed(), SAMPLE_PROJECT_ID)
    await init(plugin, 'importer', connectorConfig(emu, location, { read_disabled: 'true' }))
    const versions = emu.store
      .allSecrets(SAMPLE_PROJECT_ID)
      .flatMap((s) => emu.store.versions(s.id))
    const enabled = versions.filter((v) => v.status === 'enabled').length
    const disabled = versions.filter((v) => v.status === 'disabled').length
    expect(disabled).toBeGreaterThan(0)
    emu.resetCounts()
    const entries = await runImport(plugin, { concurrency: 1 })
    expect(entries.filter((e) => e.openError)).toEqual([])
    // A disabled version read ahead would fail (not enabled) and be read again on Open.
    expect(accessCount(emu)).toBe(enabled + disabled)
    expect(writeCount(emu)).toBe(2 * disabled)
  })

  it('never reads ahead a version that its first access would expire', async () => {
    const seed = generatedSeed(PROJECT, SECRETS, VERSIONS)
    for (const [i, secret] of (seed.projects?.[0]?.secrets ?? []).entries()) {
      if (i % 2 === 1) secret.ephemeral_policy = { expires_once_accessed: true, action: 'disable' }
    }
    const { emu, plugin, location } = await started(seed)
    await init(plugin, 'importer', connectorConfig(emu, location))
    // The host reads the first secrets' payloads (read-ahead well under way), then none.
    const opened = new Set(['secret-00000', 'secret-00001', 'secret-00002', 'secret-00003'])
    const nameOf = (pathname: string) =>
      pathname
        .split('/')
        .at(-3)
        ?.replace(/\.secret$/, '')
    await runImport(plugin, {
      concurrency: 1,
      shouldOpen: (record) => !isPayload(record) || opened.has(nameOf(record.pathname) ?? ''),
    })
    for (const secret of emu.store.allSecrets(PROJECT)) {
      const statuses = emu.store.versions(secret.id).map((v) => v.status)
      const readOnce = secret.ephemeralPolicy?.expiresOnceAccessed === true
      const expected = readOnce && opened.has(secret.name) ? 'disabled' : 'enabled'
      expect(statuses, secret.name).toEqual(Array(VERSIONS).fill(expected))
    }
  })

  it('makes no access when the host opens no payload, metadata opened or not', async () => {
    const { emu, plugin, location } = await started()
    await init(plugin, 'importer', connectorConfig(emu, location))
    emu.resetCounts()
    const entries = await runImport(plugin, {
      concurrency: 1,
      shouldOpen: (record) => !isPayload(record),
    })
    expect(entries.filter((e) => e.record.pathname.endsWith('.json') && e.data)).not.toEqual([])
    expect(accessCount(emu)).toBe(0)
    expect(summaryLine(plugin)).toContain(
      `0 payloads read, ${SECRETS * VERSIONS} unchanged payloads skipped`,
    )

    const again = startPlugin('importer')
    try {
      await init(again, 'importer', connectorConfig(emu, location))
      emu.resetCounts()
      await runImport(again, { concurrency: 1, shouldOpen: () => false })
      expect(accessCount(emu)).toBe(0)
    } finally {
      await again.stop()
    }
  })

  it('reads nothing ahead for isolated Opens (new versions among unchanged ones)', async () => {
    const { emu, plugin, location } = await started()
    await init(plugin, 'importer', connectorConfig(emu, location))
    emu.resetCounts()
    const wanted = new Set(['secret-00005.secret/versions/3', 'secret-00020.secret/versions/3'])
    const entries = await runImport(plugin, {
      concurrency: 1,
      shouldOpen: (record) =>
        !isPayload(record) || [...wanted].some((w) => record.pathname.endsWith(w)),
    })
    expect(entries.filter((e) => isPayload(e.record) && e.data)).toHaveLength(2)
    expect(accessCount(emu)).toBe(2)
  })

  it('stops reading ahead soon after the host starts acknowledging payloads unopened', async () => {
    const { emu, plugin, location } = await started()
    await init(plugin, 'importer', connectorConfig(emu, location))
    emu.resetCounts()
    const opened = 30
    let seen = 0
    const entries = await runImport(plugin, {
      concurrency: 1,
      shouldOpen: (record) => {
        if (!isPayload(record)) return true
        seen += 1
        return seen <= opened
      },
    })
    expect(entries.filter((e) => isPayload(e.record) && e.data)).toHaveLength(opened)
    const wasted = accessCount(emu) - opened
    expect(wasted).toBeGreaterThanOrEqual(0)
    // The default concurrency, 32, caps the window.
    expect(wasted).toBeLessThanOrEqual(32)
    const line = summaryLine(plugin)
    expect(line).toContain(`${accessCount(emu)} payloads read`)
    expect(line).toContain(`${SECRETS * VERSIONS - opened} unchanged payloads skipped`)
    if (wasted > 0) expect(line).toContain(`(${wasted} prefetched but unused)`)
  })
})
