import { describe, expect, it } from 'vitest'
import type { CreateSecretInput } from '../../src/scaleway/api.js'
import { crc32 } from '../../src/scaleway/crc32.js'
import { ApiError } from '../../src/scaleway/errors.js'
import { FakeSecretApi } from '../../src/scaleway/fake.js'

const bytes = (s: string) => new TextEncoder().encode(s)

function input(overrides: Partial<CreateSecretInput> = {}): CreateSecretInput {
  return { name: 'db', path: '/app', type: 'opaque', tags: [], protected: false, ...overrides }
}

async function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e as { kind?: string; message: string },
  )
}

describe('FakeSecretApi', () => {
  it('creates secrets shaped like the real ones', async () => {
    const api = new FakeSecretApi({ now: () => new Date('2026-01-01T00:00:00Z') })
    const secret = await api.createSecret(input({ path: '/app/', tags: ['t'] }))
    expect(secret).toMatchObject({
      projectId: api.projectId,
      name: 'db',
      path: '/app',
      status: 'ready',
      versionCount: 0,
      description: '',
      tags: ['t'],
      region: 'fr-par',
      createdAt: new Date('2026-01-01T00:00:00Z'),
    })
    expect(secret.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(secret.deletionRequestedAt).toBeUndefined()
  })

  it('numbers revisions from 1, keeps `latest` on the highest, lists newest first', async () => {
    const api = new FakeSecretApi()
    const { id } = await api.createSecret(input())
    for (const v of ['a', 'b', 'c']) await api.createVersion(id, bytes(v), `v-${v}`)
    const page = await api.listVersions(id, 1, 10)
    expect(page.totalCount).toBe(3)
    expect(page.items.map((v) => [v.revision, v.latest, v.status])).toEqual([
      [3, true, 'enabled'],
      [2, false, 'enabled'],
      [1, false, 'enabled'],
    ])
    expect((await api.getSecret(id)).versionCount).toBe(3)
    expect((await api.listVersions(id, 2, 2)).items.map((v) => v.revision)).toEqual([1])
  })

  it('serves payloads with their checksum, by number or alias', async () => {
    const api = new FakeSecretApi()
    const { id } = await api.createSecret(input({ type: 'key_value' }))
    await api.createVersion(id, bytes('{"a":"1"}'))
    await api.createVersion(id, bytes('{"a":"2"}'))
    await api.disableVersion(id, 2)
    const first = await api.accessVersion(id, 1)
    expect(first).toEqual({
      revision: 1,
      data: bytes('{"a":"1"}'),
      dataCrc32: crc32(bytes('{"a":"1"}')),
      type: 'key_value',
    })
    expect((await api.accessVersion(id, 'latest_enabled')).revision).toBe(1)
    expect((await api.getVersion(id, 'latest')).revision).toBe(2)
    expect((await rejection(api.accessVersion(id, 2))).kind).toBe('precondition')
    expect((await rejection(api.accessVersion(id, 9))).kind).toBe('not_found')
  })

  it('refuses a duplicate (name, path) like the API: 400 invalid', async () => {
    const api = new FakeSecretApi()
    await api.createSecret(input())
    const error = await rejection(api.createSecret(input({ path: '/app/' })))
    expect(error.kind).toBe('invalid')
    expect(error.message).toMatch(/already exists at this path/)
    await expect(api.createSecret(input({ path: '/other' }))).resolves.toBeDefined()
  })

  it('soft-deletes: hidden from lists, still readable, restorable', async () => {
    const api = new FakeSecretApi()
    const { id } = await api.createSecret(input())
    await api.createSecret(input({ name: 'other' }))
    api.deleteSecret(id)
    expect((await api.listSecrets({}, 1, 10)).items.map((s) => s.name)).toEqual(['other'])
    const deleted = await api.listSecrets({ scheduledForDeletion: true }, 1, 10)
    expect(deleted.items.map((s) => s.id)).toEqual([id])
    expect((await api.getSecret(id)).deletionRequestedAt).toBeInstanceOf(Date)
    expect((await rejection(api.createVersion(id, bytes('x')))).kind).toBe('precondition')
    await api.restoreSecret(id)
    expect((await api.listSecrets({}, 1, 10)).totalCount).toBe(2)
  })

  it('filters lists by exact path, name, tags and type, and pages them', async () => {
    const api = new FakeSecretApi()
    await api.createSecret(input({ name: 'a', path: '/', tags: ['x', 'y'] }))
    await api.createSecret(input({ name: 'b', path: '/app', tags: ['x'] }))
    await api.createSecret(input({ name: 'c', path: '/app/sub', type: 'ssh_key' }))
    const names = async (q: Parameters<FakeSecretApi['listSecrets']>[0]) =>
      (await api.listSecrets(q, 1, 10)).items.map((s) => s.name)
    expect(await names({ path: '/app' })).toEqual(['b'])
    expect(await names({ path: '/app/' })).toEqual(['b'])
    expect(await names({ tags: ['x'] })).toEqual(['a', 'b'])
    expect(await names({ tags: ['x', 'y'] })).toEqual(['a'])
    expect(await names({ type: 'ssh_key' })).toEqual(['c'])
    expect(await names({ name: 'a' })).toEqual(['a'])
    const second = await api.listSecrets({}, 2, 2)
    expect(second).toMatchObject({ totalCount: 3, items: [{ name: 'c' }] })
  })

  it('moves versions through their statuses', async () => {
    const api = new FakeSecretApi()
    const { id } = await api.createSecret(input())
    await api.createVersion(id, bytes('a'))
    expect((await api.disableVersion(id, 1)).status).toBe('disabled')
    expect((await api.enableVersion(id, 1)).status).toBe('enabled')
    await api.deleteVersion(id, 1)
    const deleted = await api.getVersion(id, 1)
    expect(deleted.status).toBe('scheduled_for_deletion')
    expect(deleted.deletionRequestedAt).toBeInstanceOf(Date)
    expect((await rejection(api.enableVersion(id, 1))).kind).toBe('precondition')
    expect((await api.restoreVersion(id, 1)).status).toBe('enabled')
    expect((await rejection(api.restoreVersion(id, 1))).kind).toBe('precondition')
  })

  it('updates and protects', async () => {
    const api = new FakeSecretApi()
    const { id } = await api.createSecret(input())
    expect(await api.updateSecret(id, { tags: ['n'], description: 'd' })).toMatchObject({
      tags: ['n'],
      description: 'd',
    })
    expect((await api.protectSecret(id)).protected).toBe(true)
  })

  it('answers unknown secrets with not_found and the real message', async () => {
    const api = new FakeSecretApi()
    const error = await rejection(api.getSecret('nope'))
    expect(error.kind).toBe('not_found')
    expect(error.message).toMatch(/^Secret nope no longer exists/)
  })

  it('refuses payloads over 64 KiB', async () => {
    const api = new FakeSecretApi()
    const { id } = await api.createSecret(input())
    const error = await rejection(api.createVersion(id, new Uint8Array(64 * 1024 + 1)))
    expect(error.kind).toBe('invalid')
    await expect(api.createVersion(id, new Uint8Array(64 * 1024))).resolves.toBeDefined()
  })

  it('hands out copies, never its own state', async () => {
    const api = new FakeSecretApi()
    const secret = await api.createSecret(input())
    secret.tags.push('mutated')
    const data = bytes('abc')
    await api.createVersion(secret.id, data)
    data[0] = 0
    ;(await api.accessVersion(secret.id, 1)).data[1] = 0
    expect((await api.getSecret(secret.id)).tags).toEqual([])
    expect(api.payloadOf(secret.id, 1)).toEqual(bytes('abc'))
  })

  it('counts calls, failed ones included', async () => {
    const api = new FakeSecretApi()
    const { id } = await api.createSecret(input())
    await api.getSecret(id)
    await api.getSecret('missing').catch(() => undefined)
    expect(api.calls.getSecret).toBe(2)
    expect(api.calls.createSecret).toBe(1)
    expect(api.calls.accessVersion).toBe(0)
    expect(api.totalCalls).toBe(3)
  })

  it('stages faults, including a write that landed but whose answer was lost', async () => {
    const api = new FakeSecretApi()
    const { id } = await api.createSecret(input())
    api.failNext('createVersion', new ApiError('ambiguous_write', 'lost'), { afterApplying: true })
    await expect(api.createVersion(id, bytes('a'))).rejects.toMatchObject({
      kind: 'ambiguous_write',
    })
    expect((await api.listVersions(id, 1, 10)).totalCount).toBe(1)
    api.failNext('createVersion', new ApiError('ambiguous_write', 'lost'))
    await expect(api.createVersion(id, bytes('b'))).rejects.toMatchObject({
      kind: 'ambiguous_write',
    })
    expect((await api.listVersions(id, 1, 10)).totalCount).toBe(1)
    await api.createVersion(id, bytes('c'))
    expect((await api.getVersion(id, 'latest')).revision).toBe(2)
  })
})
