// The source changes while a backup runs: a secret deleted (and another created in its
// place), a version deleted, a version disabled, a version added. The snapshot must stay
// true to each secret (a payload is only ever the bytes of the revision it is filed
// under) and every change must be reported, not papered over.
import { afterAll, afterEach, expect, it } from 'vitest'
import { parsePath, payloadPath, secretDir } from '../../src/core/layout.js'
import { type Emulator, startEmulator } from '../../src/emulator/index.js'
import { auditAll, printTally, reliabilitySeed, SOURCE_PROJECT } from './harness.js'
import { backup, captureSource, checkBackup } from './ops.js'

const emulators: Emulator[] = []

afterEach(async () => {
  expect(await auditAll()).toEqual([])
})

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()))
  printTally('mutation.test.ts')
})

function secretNamed(emu: Emulator, name: string) {
  const secret = emu.store.allSecrets(SOURCE_PROJECT).find((s) => s.name === name)
  if (!secret) throw new Error(`no secret ${name}`)
  return secret
}

it('files every payload under its own revision and reports each change made meanwhile', async () => {
  const emu = await startEmulator({ seed: reliabilitySeed(12) })
  emulators.push(emu)
  const before = captureSource(emu)
  const now = () => new Date().toISOString()
  const deleted = secretNamed(emu, 'secret-00000')
  const versionDeleted = secretNamed(emu, 'secret-00001')
  const disabled = secretNamed(emu, 'secret-00002')
  const added = secretNamed(emu, 'secret-00003')
  const replaced = secretNamed(emu, 'secret-00005')
  const retagged = secretNamed(emu, 'secret-00006')

  // Each mutation happens when the host sees the record, before it opens the payload.
  const mutations = new Map<string, () => void>([
    [
      payloadPath(deleted, 1),
      () => emu.store.updateSecret(deleted.id, { deletionRequestedAt: now() }),
    ],
    [
      payloadPath(versionDeleted, 2),
      () =>
        emu.store.updateVersion(versionDeleted.id, 2, {
          status: 'scheduled_for_deletion',
          deletionRequestedAt: now(),
        }),
    ],
    [
      payloadPath(disabled, 1),
      () => emu.store.updateVersion(disabled.id, 1, { status: 'disabled' }),
    ],
    [
      payloadPath(added, 1),
      () => emu.store.addVersion(added.id, { data_utf8: 'added while the backup ran' }),
    ],
    [payloadPath(retagged, 1), () => emu.store.updateSecret(retagged.id, { tags: ['moved-on'] })],
    [
      // Deleted, and a new secret of the same name and path created with other bytes.
      payloadPath(replaced, 1),
      () => {
        emu.store.updateSecret(replaced.id, { deletionRequestedAt: now() })
        emu.store.addSecret(SOURCE_PROJECT, {
          name: replaced.name,
          path: replaced.path,
          versions: [{ data_utf8: 'impostor one' }, { data_utf8: 'impostor two' }],
        })
      },
    ],
  ])
  const run = await backup(emu, {
    config: { concurrency: '2' },
    // Each payload is read only when opened, after its hook: with read-ahead on, a
    // payload could be read before the hook that changes it, and the test would flip.
    env: { SCW_SM_READ_AHEAD: '0' },
    shouldOpen: (record) => {
      mutations.get(record.pathname)?.()
      return true
    },
  })
  expect(run.error).toBeUndefined()
  expect([...mutations.keys()].every((p) => run.entries.some((e) => e.record.pathname === p))).toBe(
    true,
  )

  // Against the source as it was when the backup started.
  const check = checkBackup(before, run.entries)
  expect(check.silentGaps).toEqual([])
  expect(check.wrong).toEqual([])
  expect(check.reported.sort()).toEqual(
    [
      `${secretDir(deleted)} r1 (enabled)`,
      `${secretDir(deleted)} r2 (enabled)`,
      `${secretDir(versionDeleted)} r2 (enabled)`,
      `${secretDir(disabled)} r1 (enabled)`,
      `${secretDir(replaced)} r1 (enabled)`,
      `${secretDir(replaced)} r2 (enabled)`,
    ].sort(),
  )
  for (const entry of run.entries) {
    if (entry.openError) expect(entry.openError).toMatch(/scheduled.for.deletion|disabled/)
  }

  // No payload in the snapshot is anything but its own revision's original bytes.
  let payloads = 0
  for (const entry of run.entries) {
    const parsed = parsePath(entry.record.pathname)
    if (parsed.kind !== 'payload' || !entry.data) continue
    const original = before.find(
      (s) => s.path === parsed.secret.path && s.name === parsed.secret.name,
    )
    const version = original?.versions.find((v) => v.revision === parsed.revision)
    expect(version?.data.equals(entry.data), entry.record.pathname).toBe(true)
    payloads += 1
  }
  expect(payloads).toBeGreaterThan(20)
  // The added version is not in this snapshot, and the log says the secret changed.
  expect(run.entries.some((e) => e.record.pathname === payloadPath(added, 3))).toBe(false)
  const stderr = run.plugin.stderr()
  expect(stderr).toMatch(/5 secret\(s\) changed while the backup ran/)
  expect(stderr).toContain(`${retagged.path}/${retagged.name} was modified`)
  expect(stderr).toContain(`${added.path}/${added.name} went from 2 to 3 versions`)
  expect(stderr).toContain(`${deleted.path}/${deleted.name} was deleted`)
  expect(stderr).toContain(`${replaced.path}/${replaced.name} was deleted`)
  expect(stderr).toContain(`${replaced.path}/${replaced.name} appeared`)
  expect(stderr).toMatch(/ 6 errors/)
})
