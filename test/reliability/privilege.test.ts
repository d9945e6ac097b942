// Least privilege: the permission sets the README documents are enough, and a missing
// one fails clearly, naming the set to add, before anything is written.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, type PermissionSet, startEmulator } from '../../src/emulator/index.js'
import { init, ping } from '../host/plugin-host.js'
import { DEST_PROJECT } from '../support/world.js'
import {
  auditAll,
  CANARY_KEY,
  printTally,
  reliabilitySeed,
  SOURCE,
  SOURCE_PROJECT,
  spawnPlugin,
  tally,
} from './harness.js'
import {
  backup,
  captureSource,
  checkBackup,
  config,
  countVersions,
  exportItems,
  projectView,
  restore,
} from './ops.js'

const DEST = `scw-secret://nl-ams/${DEST_PROJECT}`
let emu: Emulator

function grant(...sets: PermissionSet[]) {
  emu.setKeys({
    keys: [
      { secret_key: CANARY_KEY, projects: [SOURCE_PROJECT, DEST_PROJECT], permission_sets: sets },
    ],
  })
}

beforeAll(async () => {
  emu = await startEmulator({ seed: reliabilitySeed(20) })
})

afterEach(async () => {
  expect(await auditAll()).toEqual([])
})

afterAll(async () => {
  await emu.close()
  printTally('privilege.test.ts')
})

describe('backup', () => {
  it('works fully with exactly SecretManagerReadOnly + SecretManagerSecretAccess', async () => {
    grant('SecretManagerReadOnly', 'SecretManagerSecretAccess')
    const plugin = spawnPlugin('importer')
    await init(plugin, 'importer', config(emu, SOURCE))
    await ping(plugin, 'importer')
    const before = projectView(emu, SOURCE_PROJECT, 'fr-par')
    const run = await backup(emu, { config: { read_disabled: 'false' } })
    expect(run.error).toBeUndefined()
    const check = checkBackup(captureSource(emu), run.entries, false)
    expect(check).toMatchObject({ silentGaps: [], reported: [], wrong: [] })
    expect(check.compared).toBeGreaterThan(50)
    expect(run.entries.filter((e) => e.record.error !== '' || e.openError)).toEqual([])
    expect(projectView(emu, SOURCE_PROJECT, 'fr-par')).toEqual(before)
  })

  it('with read_disabled, disabled payloads fail naming SecretManagerSecretWrite, the rest is whole', async () => {
    grant('SecretManagerReadOnly', 'SecretManagerSecretAccess')
    const state = captureSource(emu)
    const run = await backup(emu)
    expect(run.error).toBeUndefined()
    const check = checkBackup(state, run.entries)
    expect(check).toMatchObject({ silentGaps: [], wrong: [] })
    const disabled = state.flatMap((s) => s.versions.filter((v) => v.status === 'disabled'))
    expect(check.reported.length).toBe(disabled.length)
    const errors = run.entries.flatMap((e) => (e.openError ? [e.openError] : []))
    expect(errors.length).toBe(disabled.length)
    for (const error of errors) expect(error).toMatch(/SecretManagerSecretWrite/)
  })
})

describe('restore', () => {
  it('without SecretManagerSecretCreate fails every secret naming it, writing nothing', async () => {
    emu.setKeys(undefined)
    const snapshot = exportItems((await backup(emu)).entries)
    grant(
      'SecretManagerReadOnly',
      'SecretManagerSecretAccess',
      'SecretManagerSecretWrite',
      'SecretManagerSecretRestore',
    )
    emu.resetCounts()
    const run = await restore(emu, snapshot, DEST)
    // One reason shared by every secret: said once, with the permission set to add.
    expect(run.error).toMatch(
      /^(\d+) of \1 secrets not restored: Could not create a secret .*SecretManagerSecretCreate/,
    )
    const secretRecords = run.results.filter((r) =>
      /\.secret\/secret\.json$/.test(r.header.pathname),
    )
    expect(secretRecords.length).toBeGreaterThan(20)
    for (const result of secretRecords) {
      expect(result.error).toMatch(/permission denied.*SecretManagerSecretCreate/)
    }
    // Nothing at all in the destination, not even a soft-deleted attempt; the only writes
    // tried are the refused creations.
    expect(emu.store.allSecrets(DEST_PROJECT)).toEqual([])
    const writes = Object.entries(emu.counts()).filter(([route]) =>
      /^(POST|PATCH|DELETE) /.test(route),
    )
    expect(writes.map(([route]) => route)).toEqual(['POST /secrets'])
    expect(run.plugin.stderr()).toMatch(/0 created, 0 updated, 0 unchanged, 0 skipped, \d+ failed/)
  })

  it('with exactly the documented sets (no FullAccess) restores everything', async () => {
    emu.setKeys(undefined)
    const snapshot = exportItems((await backup(emu)).entries)
    grant(
      'SecretManagerReadOnly',
      'SecretManagerSecretAccess',
      'SecretManagerSecretCreate',
      'SecretManagerSecretWrite',
      'SecretManagerSecretRestore',
    )
    const run = await restore(emu, snapshot, DEST)
    expect(run.failed).toEqual([])
    const source = projectView(emu, SOURCE_PROJECT, 'fr-par')
    expect(projectView(emu, DEST_PROJECT, 'nl-ams')).toEqual(source)
    tally.versionsCompared += countVersions(source)
  })
})
