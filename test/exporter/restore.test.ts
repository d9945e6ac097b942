import { describe, expect, it } from 'vitest'
import { SAMPLE_PROJECT_ID } from '../../emulator/sample.js'
import { type ImportedEntry, snapshotToExport } from '../host/plugin-host.js'
import { projectView } from '../support/compare.js'
import { DEST, SOURCE, sampleWorld } from '../support/sample-world.js'
import { DEST_PROJECT, writeCount } from '../support/world.js'

const world = sampleWorld()
const backup = (extra: Record<string, string> = {}) => world.backup(extra)

/** A restore that must end OK: its results and stderr. */
async function restore(
  entries: ImportedEntry[],
  location = DEST,
  extra: Record<string, string> = {},
  subtree = '/',
) {
  const outcome = await world.restore(entries, location, extra, subtree)
  if (outcome.failure) throw outcome.failure
  return { results: outcome.results, stderr: outcome.plugin.stderr, plugin: outcome.plugin }
}

describe('restore through the exporter process', () => {
  it('recreates every secret, version, status and byte in another project and region', async () => {
    const snapshot = await backup()
    world.emu.resetCounts()
    const { results, stderr } = await restore(snapshot)
    expect(results.filter((r) => r.error !== '')).toEqual([])
    expect(results.length).toBe(snapshotToExport(snapshot).length)
    expect(projectView(world.emu, DEST_PROJECT, 'nl-ams')).toEqual(
      projectView(world.emu, SAMPLE_PROJECT_ID, 'fr-par'),
    )
    expect(stderr()).toMatch(/11 created/)
    const writes = writeCount(world.emu)
    world.emu.resetCounts()
    const again = await restore(snapshot)
    expect(again.results.filter((r) => r.error !== '')).toEqual([])
    expect(writeCount(world.emu)).toBe(0)
    expect(writes).toBeGreaterThan(0)
  })
})

describe('restore options', () => {
  it('dry_run plans every secret and writes nothing', async () => {
    const snapshot = await backup()
    world.emu.resetCounts()
    const { results, stderr } = await restore(snapshot, DEST, { dry_run: 'true' })
    expect(results.filter((r) => r.error !== '')).toEqual([])
    expect(writeCount(world.emu)).toBe(0)
    expect(world.emu.store.allSecrets(DEST_PROJECT, 'nl-ams')).toEqual([])
    expect(stderr()).toMatch(/dry run: \/prod\/db: create[\s\S]*write revision 2/)
    expect(stderr()).toMatch(/dry run of restore into .*11 created/)
  })

  it('on_conflict=skip leaves existing secrets alone; fail writes nothing at all', async () => {
    const snapshot = await backup()
    const existing = world.emu.store.addSecret(
      DEST_PROJECT,
      { name: 'db', path: '/prod', versions: [{ data_utf8: 'mine' }] },
      'nl-ams',
    )
    const skipped = await restore(snapshot, DEST, { on_conflict: 'skip' })
    expect(skipped.stderr()).toMatch(/10 created, 0 updated, 0 unchanged, 1 skipped/)
    expect(world.emu.store.versions(existing.id).map((v) => v.data.toString())).toEqual(['mine'])

    const other = '0e1d2c3b-4a59-4867-9786-a5b4c3d2e1f0'
    world.emu.store.addSecret(
      other,
      { name: 'tls', path: '/staging/web', type: 'certificate', versions: [] },
      'nl-ams',
    )
    world.emu.resetCounts()
    const failed = await world.restore(snapshot, `scw-secret://nl-ams/${other}`, {
      on_conflict: 'fail',
    })
    expect(writeCount(world.emu)).toBe(0)
    const refusal =
      /on_conflict=fail: nothing restored, 1 secret\(s\) already exist: \/staging\/web\/tls/
    expect(
      failed.results.find((r) => r.header.pathname === '/prod/db.secret/secret.json')?.error,
    ).toMatch(refusal)
    // The call itself fails, so plakar exits non-zero, with one line saying why.
    expect(failed.failure?.details).toMatch(/^11 of 11 secrets not restored: on_conflict=fail/)
  })

  it('on_conflict=skip reads nothing of a live secret, and brings a soft-deleted one back', async () => {
    const snapshot = await backup()
    const byName = (name: string) =>
      world.emu.store.allSecrets(SAMPLE_PROJECT_ID).find((s) => s.name === name)?.id ?? ''
    const token = byName('api-token')
    world.emu.store.updateSecret(token, { deletionRequestedAt: new Date().toISOString() })
    world.emu.resetCounts()
    const { stderr } = await restore(snapshot, SOURCE, { on_conflict: 'skip' })
    expect(stderr()).toMatch(/0 created, 1 updated, 0 unchanged, 10 skipped, 0 failed/)
    expect(world.emu.store.secret(token)?.deletionRequestedAt).toBeNull()
    // Only the revived secret was read (before and after its revival): a skipped one costs
    // no version listing and no access.
    expect(world.emu.counts()['GET /secrets/{id}/versions']).toBe(2)
    const enabled = world.emu.store.versions(token).filter((v) => v.status === 'enabled')
    expect(world.emu.counts()['GET /secrets/{id}/versions/{rev}/access']).toBe(enabled.length)
    expect(world.emu.counts()['POST /secrets/{id}/restore']).toBe(1)
  })

  it('restores a subtree at its original path, and re-roots on purpose', async () => {
    const snapshot = await backup()
    await restore(snapshot, DEST, {}, '/prod/db')
    expect(
      world.emu.store.allSecrets(DEST_PROJECT, 'nl-ams').map((s) => `${s.path}/${s.name}`),
    ).toEqual(['/prod/db/replica'])

    const rerooted = '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b'
    await restore(snapshot, `scw-secret://pl-waw/${rerooted}/restored`)
    expect(projectView(world.emu, rerooted, 'pl-waw')).toEqual(
      projectView(world.emu, SAMPLE_PROJECT_ID, 'fr-par', '/restored'),
    )
  })

  it('brings a soft-deleted secret back in place instead of copying it', async () => {
    const snapshot = await backup()
    const db = world.emu.store.allSecrets(SAMPLE_PROJECT_ID).find((s) => s.name === 'api-token')
    world.emu.store.updateSecret(db?.id ?? '', { deletionRequestedAt: new Date().toISOString() })
    world.emu.resetCounts()
    const { stderr } = await restore(snapshot, SOURCE)
    expect(world.emu.counts()['POST /secrets/{id}/restore']).toBe(1)
    expect(world.emu.counts()['POST /secrets'] ?? 0).toBe(0)
    expect(stderr()).toMatch(/1 updated, 10 unchanged/)
    expect(world.emu.store.secret(db?.id ?? '')?.deletionRequestedAt).toBeNull()
  })
})
