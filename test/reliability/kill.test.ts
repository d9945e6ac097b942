// plakar may kill a plugin at any moment (SIGKILL when its context ends). The next run
// must still complete, with nothing written twice.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { payloadPath } from '../../src/core/layout.js'
import type { ExportItem } from '../host/plugin-host.js'
import { DEST_PROJECT } from '../support/world.js'
import {
  auditAll,
  printTally,
  reliabilitySeed,
  type SandboxedPlugin,
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
} from './ops.js'

const DEST = `scw-secret://nl-ams/${DEST_PROJECT}`
const emulators: Emulator[] = []
let source: Emulator
let snapshot: ExportItem[]
let sourceView: ReturnType<typeof projectView>

async function emulator(options: Parameters<typeof startEmulator>[0] = {}) {
  const emu = await startEmulator(options)
  emulators.push(emu)
  return emu
}

beforeAll(async () => {
  source = await emulator({ seed: reliabilitySeed(30) })
  const run = await backup(source)
  expect(run.error).toBeUndefined()
  snapshot = exportItems(run.entries)
  sourceView = projectView(source, SOURCE_PROJECT, 'fr-par')
  expect(await auditAll()).toEqual([])
})

afterEach(async () => {
  expect(await auditAll()).toEqual([])
})

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()))
  printTally('kill.test.ts')
})

function writes(emu: Emulator): number {
  return Object.entries(emu.counts())
    .filter(([route]) => /^(POST|PATCH|DELETE) /.test(route))
    .reduce((n, [, count]) => n + count, 0)
}

it('a backup killed mid-stream fails visibly, and the next one is complete', async () => {
  const emu = await emulator({ seed: reliabilitySeed(30) })
  const state = captureSource(emu)
  const before = projectView(emu, SOURCE_PROJECT, 'fr-par')
  // A kill between read_disabled's enable and disable would leave that version enabled:
  // no client can prevent that, so this run leaves disabled payloads to the next one.
  const disabled = new Set(
    state.flatMap((s) =>
      s.versions.filter((v) => v.status === 'disabled').map((v) => payloadPath(s, v.revision)),
    ),
  )
  let plugin: SandboxedPlugin | undefined
  let seen = 0
  const killed = await backup(emu, {
    started: (p) => {
      plugin = p
    },
    shouldOpen: (record) => {
      seen += 1
      if (seen === 60) plugin?.kill()
      return seen < 60 && !disabled.has(record.pathname)
    },
  })
  expect(seen).toBeGreaterThanOrEqual(60)
  tally.faultsInjected += 1
  expect(killed.error).toMatch(/closed|status/)
  expect(await killed.plugin.exit).toBeNull()

  const again = await backup(emu)
  expect(again.error).toBeUndefined()
  expect(checkBackup(state, again.entries)).toMatchObject({
    silentGaps: [],
    reported: [],
    wrong: [],
  })
  expect(projectView(emu, SOURCE_PROJECT, 'fr-par')).toEqual(before)
})

it.each([
  ['early', 6],
  ['midway', 70],
  ['late', 110],
])('a restore killed %s (after %i writes) resumes with nothing duplicated', async (_, after) => {
  const emu = await emulator()
  let watch: NodeJS.Timeout | undefined
  const first = await restore(emu, snapshot, DEST, {
    started: (plugin) => {
      watch = setInterval(() => {
        if (writes(emu) >= after) plugin.kill()
      }, 1)
    },
  }).finally(() => clearInterval(watch))
  tally.faultsInjected += 1
  expect(first.error).toBeDefined()
  expect(first.plugin.killed).toBe(true)
  const partial = projectView(emu, DEST_PROJECT, 'nl-ams')
  expect(duplicates(partial, sourceView)).toEqual([])
  expect(countVersions(partial)).toBeLessThan(countVersions(sourceView))

  const again = await restore(emu, snapshot, DEST)
  expect(again.error).toBeUndefined()
  expect(again.failed).toEqual([])
  const dest = projectView(emu, DEST_PROJECT, 'nl-ams')
  expect(duplicates(dest, sourceView)).toEqual([])
  expect(dest).toEqual(sourceView)
  tally.versionsCompared += countVersions(sourceView)
})

it('a restore cut off just before protecting a secret protects it on the rerun', async () => {
  const emu = await emulator()
  const first = await restore(emu, snapshot, DEST)
  expect(first.failed).toEqual([])
  const db = emu.store.allSecrets(DEST_PROJECT).find((s) => s.name === 'db')
  if (!db) throw new Error('db was not restored')
  expect(db.protected).toBe(true)
  // Protection is the last write: this is the state a kill right before it leaves.
  emu.store.updateSecret(db.id, { protected: false })
  const again = await restore(emu, snapshot, DEST)
  expect(again.failed).toEqual([])
  expect(projectView(emu, DEST_PROJECT, 'nl-ams')).toEqual(sourceView)
  tally.versionsCompared += countVersions(sourceView)

  // Metadata the user changed since is another matter: reported, left to update_metadata.
  emu.store.updateSecret(db.id, { protected: false, tags: ['changed-by-hand'] })
  const third = await restore(emu, snapshot, DEST)
  expect(third.failed).toEqual([])
  expect(emu.store.secret(db.id)?.protected).toBe(false)
  expect(third.plugin.stderr()).toMatch(/\/prod\/db: metadata differs \(tags .*; protection\)/)
})
