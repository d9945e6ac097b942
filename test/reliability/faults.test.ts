// The fault matrix: backups and restores against an emulator that fails the way the real
// API does (5xx, bare 429s, resets mid-response, stalls past the timeout, a rate limit
// below our concurrency, a key revoked halfway, writes whose answer is lost). Each run
// either ends identical to its source or fails out loud, and then a clean run finishes
// the job; no version ever goes missing in silence, none is ever written twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, type FaultSpec, startEmulator } from '../../emulator/index.js'
import type { ExportItem } from '../host/plugin-host.js'
import { DEST_PROJECT, writeCount } from '../support/world.js'
import {
  auditAll,
  CANARY_KEY,
  CANARY_KEY_2,
  printTally,
  reliabilitySeed,
  replayFaults,
  requestsSeen,
  SOURCE_PROJECT,
  tally,
} from './harness.js'
import {
  backup,
  captureSource,
  checkBackup,
  countVersions,
  duplicates,
  exportItems,
  projectView,
  restore,
  type SourceSecret,
  sourceDiff,
} from './ops.js'

const DEST = `scw-secret://nl-ams/${DEST_PROJECT}`
const SECRETS = 30

let source: Emulator
let snapshot: ExportItem[]
let sourceView: ReturnType<typeof projectView>
const emulators: Emulator[] = []

async function emulator(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emu = await startEmulator(options)
  emulators.push(emu)
  return emu
}

beforeAll(async () => {
  source = await emulator({ seed: reliabilitySeed(SECRETS) })
  const run = await backup(source)
  expect(run.error).toBeUndefined()
  const check = checkBackup(captureSource(source), run.entries)
  expect(check).toMatchObject({ silentGaps: [], reported: [], wrong: [] })
  snapshot = exportItems(run.entries)
  sourceView = projectView(source, SOURCE_PROJECT, 'fr-par')
  expect(await auditAll()).toEqual([])
})

afterEach(async () => {
  expect(await auditAll()).toEqual([])
})

const outcomes: string[] = []

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()))
  console.log(outcomes.join('\n'))
  printTally('faults.test.ts')
})

interface Scenario {
  name: string
  faults?: FaultSpec
  rateLimit?: number
  config: Record<string, string>
  /**
   * Backups: where retries alone must absorb the faults, so that a first run that fails
   * is a bug (elsewhere a payload may fail out loud and a rerun completes). Restores
   * always complete in one run: a secret stopped for safety is settled and finished
   * before the call ends.
   */
  mustComplete: { backup: boolean }
}

// Fast backoff is not set anywhere: these runs use the plugin's real retry policy.
const SCENARIOS: Scenario[] = [
  {
    name: '5% 5xx',
    faults: { serverError: 0.05 },
    config: {},
    mustComplete: { backup: true },
  },
  {
    name: '5% bare 429',
    faults: { tooManyRequests: 0.05 },
    config: {},
    mustComplete: { backup: true },
  },
  {
    name: '1% resets mid-response',
    faults: { reset: 0.01 },
    config: {},
    mustComplete: { backup: true },
  },
  {
    name: 'stalls past the request timeout',
    // Stalled 1.5 s, past the 1 s timeout: a write lands after we gave up on it, but
    // before the restore looks again (two timeouts later).
    faults: { stall: 0.03, stallMs: 1500 },
    config: { request_timeout: '1s' },
    mustComplete: { backup: true },
  },
  {
    name: 'a 20 rps limit against concurrency 16',
    rateLimit: 20,
    config: { concurrency: '16' },
    mustComplete: { backup: false },
  },
]

/** The figure for the tally: replayed draws, or the 429s the plugin reports. */
function faultsOf(scenario: Scenario, seed: number, requests: number, stderr: string): number {
  if (scenario.faults) return replayFaults(seed, scenario.faults, requests)
  return Number(/(\d+) rate-limited/.exec(stderr)?.[1] ?? 0)
}

/**
 * A backup must leave the source as it found it. One exception cannot be helped: with
 * read_disabled, a disabled version is enabled for one read; if that enable stalls past
 * the timeout, the retry and the disable go through and the stalled enable lands after
 * them. No API call can fence off a request the server still holds, so under stalls that
 * case is counted and shown; anything else fails.
 */
function sourceUnchanged(emu: Emulator, before: SourceSecret[], stalls: boolean) {
  const diff = sourceDiff(before, captureSource(emu))
  expect(diff.other).toEqual([])
  if (!stalls) expect(diff.enabled).toEqual([])
  else if (diff.enabled.length > 0) {
    console.log(`stalled enables landed late: ${diff.enabled.join(', ')}`)
  }
}

describe.each(SCENARIOS.map((s, i) => [s.name, s, 101 + i] as const))('%s', (_, scenario, seed) => {
  it('backup: identical, or an error for each missing version and a clean rerun completes', async () => {
    const emu = await emulator({
      seed: reliabilitySeed(SECRETS),
      faults: scenario.faults,
      rateLimit: scenario.rateLimit,
      randomSeed: seed,
    })
    const state = captureSource(emu)
    const run = await backup(emu, { config: scenario.config })
    const faults = faultsOf(scenario, seed, requestsSeen(emu), run.plugin.stderr())
    tally.faultsInjected += faults
    expect(faults, 'the scenario injected nothing').toBeGreaterThan(0)
    emu.setFaults(undefined)
    emu.setRateLimit(undefined)

    const stalls = (scenario.faults?.stall ?? 0) > 0
    if (stalls) await new Promise((r) => setTimeout(r, scenario.faults?.stallMs))
    const check = checkBackup(state, run.entries)
    expect(check.silentGaps).toEqual([])
    expect(check.wrong).toEqual([])
    sourceUnchanged(emu, state, stalls)
    const firstTime = run.error === undefined && check.reported.length === 0
    outcomes.push(
      `${scenario.name}, backup: ${faults} faults, ` +
        (firstTime ? 'identical' : `${check.reported.length} versions failed out loud, rerun`),
    )
    if (firstTime) return
    expect(scenario.mustComplete.backup, 'retries should have absorbed these faults').toBe(false)
    // Failed out loud: each missing version had its Open refused (checkBackup counts only
    // those as reported), and the summary counts them; a clean run completes.
    if (run.error === undefined) expect(run.plugin.stderr()).toMatch(/ [1-9]\d* errors/)
    const again = await backup(emu)
    expect(again.error).toBeUndefined()
    expect(checkBackup(captureSource(emu), again.entries)).toMatchObject({
      silentGaps: [],
      reported: [],
      wrong: [],
    })
    sourceUnchanged(emu, state, stalls)
  })

  it('restore: identical after one run, nothing duplicated, a second run writes nothing', async () => {
    // Another seed than the backup's: other requests get the faults.
    const restoreSeed = seed + 50
    const emu = await emulator({
      faults: scenario.faults,
      rateLimit: scenario.rateLimit,
      randomSeed: restoreSeed,
    })
    // A write whose answer was lost is looked at again two request timeouts later: keep
    // that short here.
    const config = { request_timeout: '2s', ...scenario.config }
    const run = await restore(emu, snapshot, DEST, { config })
    const faults = faultsOf(scenario, restoreSeed, requestsSeen(emu), run.plugin.stderr())
    tally.faultsInjected += faults
    expect(faults, 'the scenario injected nothing').toBeGreaterThan(0)
    emu.setFaults(undefined)
    emu.setRateLimit(undefined)
    // A stalled write still lands once its stall is over: wait for it before comparing,
    // so that a duplicate it would make is seen.
    if (scenario.faults?.stallMs) await new Promise((r) => setTimeout(r, scenario.faults?.stallMs))

    const dest = projectView(emu, DEST_PROJECT, 'nl-ams')
    expect(duplicates(dest, sourceView)).toEqual([])
    const retried = Number(/(\d+) retried in this run/.exec(run.plugin.stderr())?.[1] ?? -1)
    outcomes.push(
      `${scenario.name}, restore: ${faults} faults, ${retried} secrets retried, identical`,
    )
    expect(run.error).toBeUndefined()
    expect(run.failed).toEqual([])
    expect(dest).toEqual(sourceView)
    tally.versionsCompared += countVersions(sourceView)

    emu.resetCounts()
    const again = await restore(emu, snapshot, DEST)
    expect(again.error).toBeUndefined()
    expect(writeCount(emu)).toBe(0)
  })
})

describe('a key that starts failing with 401 halfway', () => {
  it('backup: the rest fails naming the credentials, a run with a valid key completes', async () => {
    const emu = await emulator({ seed: reliabilitySeed(SECRETS) })
    const state = captureSource(emu)
    let opened = 0
    const run = await backup(emu, {
      shouldOpen: () => {
        opened += 1
        if (opened === 40) emu.revokeKey(CANARY_KEY)
        return true
      },
    })
    tally.faultsInjected += 1
    const check = checkBackup(state, run.entries)
    expect(check.silentGaps).toEqual([])
    expect(check.wrong).toEqual([])
    expect(check.reported.length).toBeGreaterThan(0)
    const openErrors = run.entries.flatMap((e) => (e.openError ? [e.openError] : []))
    expect(openErrors.length).toBeGreaterThan(0)
    for (const error of openErrors) expect(error).toMatch(/expired|secret key|credentials/i)
    // read_disabled may have enabled a version just before the key died: then it could not
    // be disabled again, and that read must say so, plainly.
    const diff = sourceDiff(state, captureSource(emu))
    expect(diff.other).toEqual([])
    for (const label of diff.enabled) {
      const [dir, revision] = label.split(' r')
      const entry = run.entries.find((e) => e.record.pathname === `${dir}/versions/${revision}`)
      expect(entry?.openError).toMatch(/could NOT be disabled again, so it is ENABLED now/)
      expect(run.plugin.stderr()).toContain('disable it by hand')
    }

    const again = await backup(emu, { config: { secret_key: CANARY_KEY_2 } })
    expect(again.error).toBeUndefined()
    expect(checkBackup(captureSource(emu), again.entries)).toMatchObject({
      silentGaps: [],
      reported: [],
      wrong: [],
    })
  })

  it('restore: the rest fails naming the credentials, nothing duplicated, a rerun completes', async () => {
    const emu = await emulator({})
    const watch = setInterval(() => {
      if ((emu.counts()['POST /secrets/{id}/versions'] ?? 0) >= 30) emu.revokeKey(CANARY_KEY)
    }, 2)
    const run = await restore(emu, snapshot, DEST).finally(() => clearInterval(watch))
    tally.faultsInjected += 1
    expect(run.failed.length).toBeGreaterThan(0)
    // Not a transient failure: no retry fixes a dead key, and the call ends in error.
    expect(run.error).toMatch(/^\d+ of \d+ secrets not restored: /)
    expect(run.error).toMatch(/expired|secret key|credentials/i)
    for (const failed of run.failed) expect(failed.error).toMatch(/expired|secret key|credentials/i)
    expect(duplicates(projectView(emu, DEST_PROJECT, 'nl-ams'), sourceView)).toEqual([])

    const again = await restore(emu, snapshot, DEST, { config: { secret_key: CANARY_KEY_2 } })
    expect(again.failed).toEqual([])
    expect(projectView(emu, DEST_PROJECT, 'nl-ams')).toEqual(sourceView)
    tally.versionsCompared += countVersions(sourceView)
  })
})

describe('writes whose answer is lost (drop-after-write)', () => {
  it('never create a second secret or a duplicate version, and finish in one run', async () => {
    const spec: FaultSpec = { dropAfterWrite: 0.2 }
    const emu = await emulator({ faults: spec, randomSeed: 7 })
    const first = await restore(emu, snapshot, DEST, { config: { request_timeout: '1s' } })
    const firstFaults = replayFaults(7, spec, requestsSeen(emu))
    tally.faultsInjected += firstFaults
    expect(firstFaults).toBeGreaterThan(10)
    expect(first.error).toBeUndefined()
    expect(first.failed).toEqual([])
    expect(projectView(emu, DEST_PROJECT, 'nl-ams')).toEqual(sourceView)
    // A version write whose answer was lost is looked for by its revision, one call.
    expect(emu.counts()['GET /secrets/{id}/versions/{rev}']).toBeGreaterThan(0)

    emu.setFaults(undefined)
    emu.resetCounts()
    const clean = await restore(emu, snapshot, DEST)
    expect(clean.failed).toEqual([])
    expect(writeCount(emu)).toBe(0)
    tally.versionsCompared += countVersions(sourceView)
  })

  it('in a backup (read_disabled toggles versions) leave the source as it was', async () => {
    const spec: FaultSpec = { dropAfterWrite: 0.3 }
    const emu = await emulator({ seed: reliabilitySeed(SECRETS), faults: spec, randomSeed: 9 })
    const state = captureSource(emu)
    const run = await backup(emu)
    emu.setFaults(undefined)
    tally.faultsInjected += replayFaults(9, spec, requestsSeen(emu))
    expect(run.error).toBeUndefined()
    const check = checkBackup(state, run.entries)
    expect(check).toMatchObject({ silentGaps: [], wrong: [] })
    sourceUnchanged(emu, state, false)
  })
})
