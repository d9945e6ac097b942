// The emulator driven by the real Scaleway JS SDK, as the integration will use it.

import { randomUUID } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { createClient, Errors } from '@scaleway/sdk-client'
import { Secretv1beta1 } from '@scaleway/sdk-secret'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { PROJECT } from './helpers.js'

let emu: Emulator
let api: Secretv1beta1.API

beforeAll(async () => {
  emu = await startEmulator()
  const client = createClient({
    accessKey: 'SCWXXXXXXXXXXXXXXXXX',
    secretKey: randomUUID(),
    apiURL: emu.url,
    defaultRegion: 'fr-par',
    defaultProjectId: PROJECT,
  })
  api = new Secretv1beta1.API(client)
})

afterAll(async () => {
  await emu.close()
})

const newSecret = (name: string, extra: Partial<Secretv1beta1.CreateSecretRequest> = {}) =>
  api.createSecret({ name, protected: false, path: '/sdk', ...extra })

describe('through @scaleway/sdk-secret', () => {
  it('creates and lists secrets page by page', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `page-${i}`)
    for (const name of names) await newSecret(name, { tags: ['paged'] })
    const pages: string[][] = []
    const listing = api.listSecrets({
      scheduledForDeletion: false,
      tags: ['paged'],
      pageSize: 3,
      orderBy: 'name_asc',
    })
    for await (const page of listing) pages.push(page.map((s) => s.name))
    expect(pages).toEqual([names.slice(0, 3), names.slice(3, 6), names.slice(6)])
    const all = await api
      .listSecrets({ scheduledForDeletion: false, tags: ['paged'], pageSize: 2 })
      .all()
    expect(all).toHaveLength(7)
    expect((await listing).totalCount).toBe(7)
  })

  it('round-trips payload bytes with a checksum', async () => {
    const secret = await newSecret('bytes')
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13, 0x80])
    const version = await api.createSecretVersion({
      secretId: secret.id,
      data: bytes.toString('base64'),
      dataCrc32: crc32(bytes),
      description: 'binary',
    })
    expect(version).toMatchObject({ revision: 1, status: 'enabled', latest: true })
    expect(version.createdAt).toBeInstanceOf(Date)
    const access = await api.accessSecretVersion({ secretId: secret.id, revision: 'latest' })
    expect(Buffer.from(access.data, 'base64')).toEqual(bytes)
    expect(access.dataCrc32).toBe(crc32(bytes))
    expect(access.type).toBe('opaque')
    expect((await api.getSecret({ secretId: secret.id })).versionCount).toBe(1)
  })

  it('disables and deletes versions', async () => {
    const secret = await newSecret('states')
    await api.createSecretVersion({ secretId: secret.id, data: 'b25l' })
    await api.createSecretVersion({ secretId: secret.id, data: 'dHdv' })
    const disabled = await api.disableSecretVersion({ secretId: secret.id, revision: '1' })
    expect(disabled.status).toBe('disabled')
    await expect(
      api.accessSecretVersion({ secretId: secret.id, revision: '1' }),
    ).rejects.toBeInstanceOf(Errors.PreconditionFailedError)
    await api.deleteSecretVersion({ secretId: secret.id, revision: '2' })
    const deleted = await api.getSecretVersion({ secretId: secret.id, revision: '2' })
    expect(deleted.status).toBe('scheduled_for_deletion')
    expect(deleted.deletionRequestedAt).toBeInstanceOf(Date)
    const versions = await api.listSecretVersions({ secretId: secret.id })
    expect(versions.versions.map((v) => [v.revision, v.status, v.latest])).toEqual([
      [2, 'scheduled_for_deletion', true],
      [1, 'disabled', false],
    ])
  })

  it('refuses to delete a protected secret with a PreconditionFailedError', async () => {
    const secret = await newSecret('guarded', { protected: true })
    const error = await api.deleteSecret({ secretId: secret.id }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Errors.PreconditionFailedError)
    expect((error as Errors.PreconditionFailedError).precondition).toBe('protected_resource')
    await api.unprotectSecret({ secretId: secret.id })
    await api.deleteSecret({ secretId: secret.id })
    expect((await api.getSecret({ secretId: secret.id })).deletionRequestedAt).toBeInstanceOf(Date)
    const restored = await api.restoreSecret({ secretId: secret.id })
    expect(restored.deletionRequestedAt).toBeUndefined()
  })

  it('maps duplicates and unknown ids to the SDK error classes', async () => {
    await newSecret('twice')
    const duplicate = await newSecret('twice').catch((e: unknown) => e)
    expect(duplicate).toBeInstanceOf(Errors.InvalidArgumentsError)
    expect((duplicate as Errors.InvalidArgumentsError).details[0]).toMatchObject({
      argumentName: 'name',
      reason: 'format',
      helpMessage: 'cannot have same secret name in same path',
    })
    await expect(api.getSecret({ secretId: randomUUID() })).rejects.toBeInstanceOf(
      Errors.ResourceNotFoundError,
    )
  })

  it('surfaces the bare gateway 429 as a plain ScalewayError', async () => {
    emu.setRateLimit(2)
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => api.listSecrets({ scheduledForDeletion: false })),
    )
    emu.setRateLimit(undefined)
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown)
    expect(rejected.length).toBeGreaterThanOrEqual(8)
    for (const error of rejected) {
      expect(error).toBeInstanceOf(Errors.ScalewayError)
      expect(error).not.toBeInstanceOf(Errors.TooManyRequestsError)
      expect((error as Errors.ScalewayError).status).toBe(429)
    }
  })

  it('creates and reads typed secrets, and filters by type', async () => {
    const kv = await api.createSecret({
      name: 'kv',
      path: '/typed/deep',
      type: 'key_value',
      protected: false,
      tags: ['typed'],
    })
    await api.createSecretVersion({
      secretId: kv.id,
      data: Buffer.from('{"a":"b"}').toString('base64'),
    })
    const latest = await api.accessSecretVersion({ secretId: kv.id, revision: 'latest_enabled' })
    expect(latest.type).toBe('key_value')
    const typed = await api.listSecrets({
      scheduledForDeletion: false,
      type: 'key_value',
      path: '/typed/deep/',
    })
    expect(typed.secrets.map((s) => [s.name, s.path, s.tags])).toEqual([
      ['kv', '/typed/deep', ['typed']],
    ])
  })
})
