// Destination history: a name freed by a deletion and used again leaves a live secret
// next to soft-deleted twins. Each case is exact after one restore, and idempotent.
import { describe, expect, it } from 'vitest'
import { SAMPLE_PROJECT_ID } from '../../emulator/sample.js'
import type { SecretType } from '../../src/core/secret-manager.js'
import { chooseTarget } from '../../src/exporter/twins.js'
import type { Secret } from '../../src/scaleway/api.js'
import type { ImportedEntry } from '../host/plugin-host.js'
import { projectView } from '../support/compare.js'
import { DEST, SOURCE, sampleWorld } from '../support/sample-world.js'
import { DEST_PROJECT, writeCount } from '../support/world.js'

describe('chooseTarget', () => {
  const at = (iso: string | undefined) => (iso ? new Date(iso) : undefined)
  const secret = (id: string, deleted?: string, type: Secret['type'] = 'opaque') =>
    ({
      id,
      type,
      deletionRequestedAt: at(deleted),
      createdAt: at('2026-01-01T00:00:00Z'),
    }) as Secret
  const snap = { id: 'snap', type: 'opaque' as const }

  it('uses the live secret whatever twins sit beside it', () => {
    const live = secret('live')
    const target = chooseTarget(snap, [secret('snap', '2026-02-01T00:00:00Z'), live])
    expect(target).toEqual({ kind: 'live', secret: live })
  })

  it('without a live one, brings back the same secret in place, else the latest of its type', () => {
    const own = secret('snap', '2026-01-02T00:00:00Z')
    const later = secret('later', '2026-03-01T00:00:00Z')
    expect(chooseTarget(snap, [later, own])).toEqual({ kind: 'revive', secret: own })
    const older = secret('older', '2026-02-01T00:00:00Z')
    const otherType = secret('kv', '2026-04-01T00:00:00Z', 'key_value')
    expect(chooseTarget(snap, [older, otherType, later])).toEqual({ kind: 'revive', secret: later })
  })

  it('creates a new secret when only twins of another type or nothing are there', () => {
    expect(chooseTarget(snap, [secret('kv', '2026-04-01T00:00:00Z', 'key_value')])).toEqual({
      kind: 'new',
    })
    expect(chooseTarget(snap, [])).toEqual({ kind: 'new' })
  })
})

describe('restoring over a destination with history', () => {
  const world = sampleWorld()
  const backup = () => world.backup()

  /** One restore; it must end OK with no record failed. */
  async function restore(snapshot: ImportedEntry[], location = DEST) {
    const outcome = await world.restore(snapshot, location)
    expect(outcome.failure).toBeUndefined()
    expect(outcome.results.filter((r) => r.error !== '')).toEqual([])
    return outcome.plugin
  }

  const now = () => new Date().toISOString()
  const deleteSecret = (id: string, when = now()) =>
    world.emu.store.updateSecret(id, { deletionRequestedAt: when })
  const dbTwins = (project: string, region: 'fr-par' | 'nl-ams') =>
    world.emu.store.allSecrets(project, region).filter((s) => s.path === '/prod' && s.name === 'db')

  /** /prod/db as the source has it, without versions: what an interrupted restore leaves. */
  const likeSourceDb = () => {
    const [db] = dbTwins(SAMPLE_PROJECT_ID, 'fr-par')
    return {
      name: 'db',
      path: '/prod',
      type: db?.type ?? 'opaque',
      tags: db?.tags ?? [],
      description: db?.description ?? '',
    }
  }

  async function exactAndIdempotent(snapshot: ImportedEntry[], location = DEST) {
    const [, region, project] = /^scw-secret:\/\/([^/]+)\/(.+)$/.exec(location) ?? []
    const view = () => projectView(world.emu, project ?? '', region as 'nl-ams')
    expect(view()).toEqual(projectView(world.emu, SAMPLE_PROJECT_ID, 'fr-par'))
    world.emu.resetCounts()
    await restore(snapshot, location)
    expect(writeCount(world.emu)).toBe(0)
  }

  it('uses the live secret, never reviving an older twin over it', async () => {
    const snapshot = await backup()
    const old = world.emu.store.addSecret(
      DEST_PROJECT,
      { name: 'db', path: '/prod', versions: [{ data_utf8: 'old one' }] },
      'nl-ams',
    )
    deleteSecret(old.id)
    const live = world.emu.store.addSecret(
      DEST_PROJECT,
      { ...likeSourceDb(), versions: [] },
      'nl-ams',
    )
    await restore(snapshot)
    await exactAndIdempotent(snapshot)
    const twins = dbTwins(DEST_PROJECT, 'nl-ams')
    expect(twins.find((s) => s.id === live.id)?.deletionRequestedAt).toBeNull()
    expect(twins.find((s) => s.id === old.id)?.deletionRequestedAt).not.toBeNull()
    expect(world.emu.counts()['POST /secrets/{id}/restore'] ?? 0).toBe(0)
  })

  it('in place: brings back the snapshot own secret among several deleted twins', async () => {
    const snapshot = await backup()
    const [own] = dbTwins(SAMPLE_PROJECT_ID, 'fr-par')
    deleteSecret(own?.id ?? '', '2026-01-01T00:00:00.000000Z')
    for (const data of ['newer one', 'newest one']) {
      const twin = world.emu.store.addSecret(SAMPLE_PROJECT_ID, {
        name: 'db',
        path: '/prod',
        versions: [
          {
            data_utf8: JSON.stringify({
              engine: 'pg',
              username: data,
              password: 'p',
              host: 'h',
              dbname: 'd',
              port: '1',
            }),
          },
        ],
      })
      deleteSecret(twin.id)
    }
    world.emu.resetCounts()
    await restore(snapshot, SOURCE)
    expect(world.emu.counts()['POST /secrets'] ?? 0).toBe(0)
    const live = dbTwins(SAMPLE_PROJECT_ID, 'fr-par').filter((s) => s.deletionRequestedAt === null)
    expect(live.map((s) => s.id)).toEqual([own?.id])
    world.emu.resetCounts()
    await restore(snapshot, SOURCE)
    expect(writeCount(world.emu)).toBe(0)
  })

  it('elsewhere: brings back the most recently deleted twin of the same type', async () => {
    const snapshot = await backup()
    const make = (type: SecretType, when: string) => {
      const twin = world.emu.store.addSecret(
        DEST_PROJECT,
        { ...likeSourceDb(), type, versions: [] },
        'nl-ams',
      )
      deleteSecret(twin.id, when)
      return twin
    }
    const sourceType = likeSourceDb().type
    const otherType = sourceType === 'key_value' ? 'opaque' : 'key_value'
    make(sourceType, '2026-01-01T00:00:00.000000Z')
    const latest = make(sourceType, '2026-02-01T00:00:00.000000Z')
    make(otherType, '2026-03-01T00:00:00.000000Z')
    await restore(snapshot)
    await exactAndIdempotent(snapshot)
    const live = dbTwins(DEST_PROJECT, 'nl-ams').filter((s) => s.deletionRequestedAt === null)
    expect(live.map((s) => s.id)).toEqual([latest.id])
  })

  it('creates a new secret beside a deleted twin of another type', async () => {
    const snapshot = await backup()
    const sourceType = dbTwins(SAMPLE_PROJECT_ID, 'fr-par')[0]?.type
    const kv = world.emu.store.addSecret(
      DEST_PROJECT,
      {
        name: 'db',
        path: '/prod',
        type: sourceType === 'key_value' ? 'opaque' : 'key_value',
        versions: [],
      },
      'nl-ams',
    )
    deleteSecret(kv.id)
    await restore(snapshot)
    await exactAndIdempotent(snapshot)
    expect(world.emu.store.secret(kv.id)?.deletionRequestedAt).not.toBeNull()
    expect(world.emu.store.secret(kv.id)?.type).not.toBe(sourceType)
  })
})
