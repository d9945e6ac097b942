// Versions: payload rules, checksums, statuses, aliases, ephemeral expiry.

import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { MAX_PAYLOAD_BYTES } from '../../src/core/secret-manager.js'
import { addVersion, b64, call, createSecret } from './helpers.js'

let emu: Emulator

beforeAll(async () => {
  emu = await startEmulator()
})

afterAll(async () => {
  await emu.close()
})

const VERSION_KEYS = [
  'revision',
  'secret_id',
  'status',
  'created_at',
  'updated_at',
  'deleted_at',
  'description',
  'latest',
  'ephemeral_properties',
  'deletion_requested_at',
  'region',
]

const newSecretId = async (fields: Record<string, unknown> = {}): Promise<string> =>
  (await createSecret(emu, fields)).json.id

const access = (id: string, rev: string | number) =>
  call(emu, 'GET', `/secrets/${id}/versions/${rev}/access`)

describe('creating versions', () => {
  it('numbers revisions, marks only the newest latest, and counts them', async () => {
    const id = await newSecretId()
    const first = await addVersion(emu, id, { data: b64('one'), description: 'v1' })
    expect(Object.keys(first.json)).toEqual(VERSION_KEYS)
    expect(first.json).toMatchObject({
      revision: 1,
      status: 'enabled',
      latest: true,
      description: 'v1',
    })
    await addVersion(emu, id, { data: b64('two') })
    const list = await call(emu, 'GET', `/secrets/${id}/versions`)
    expect(
      list.json.versions.map((v: { revision: number; latest: boolean }) => [v.revision, v.latest]),
    ).toEqual([
      [2, true],
      [1, false],
    ])
    expect((await call(emu, 'GET', `/secrets/${id}`)).json.version_count).toBe(2)
  })

  it('accepts exactly 64 KiB and refuses one byte more', async () => {
    const id = await newSecretId()
    expect(
      (await addVersion(emu, id, { data: b64(Buffer.alloc(MAX_PAYLOAD_BYTES, 7)) })).status,
    ).toBe(200)
    const over = await addVersion(emu, id, { data: b64(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 7)) })
    expect(over.status).toBe(400)
    expect(over.json.details[0]).toMatchObject({ argument_name: 'data', reason: 'constraint' })
  })

  it('checks data_crc32 and returns it (or null) on access', async () => {
    const id = await newSecretId()
    const data = Buffer.from('checksummed')
    const wrong = await addVersion(emu, id, {
      data: b64(data),
      data_crc32: (crc32(data) + 1) >>> 0,
    })
    expect(wrong.status).toBe(400)
    expect(wrong.json.details[0].argument_name).toBe('data_crc32')
    await addVersion(emu, id, { data: b64(data), data_crc32: crc32(data) })
    await addVersion(emu, id, { data: b64('plain') })
    expect((await access(id, 1)).json).toEqual({
      secret_id: id,
      revision: 1,
      data: b64(data),
      data_crc32: crc32(data),
      type: 'opaque',
    })
    expect((await access(id, 2)).json.data_crc32).toBeNull()
  })

  it('refuses bad base64 and missing data', async () => {
    const id = await newSecretId()
    expect((await addVersion(emu, id, { data: 'not base64!' })).json.details[0].reason).toBe(
      'format',
    )
    expect((await addVersion(emu, id, {})).json.details[0].reason).toBe('required')
  })

  it('disables the previous version on request', async () => {
    const id = await newSecretId()
    await addVersion(emu, id, { data: b64('a') })
    await addVersion(emu, id, { data: b64('b'), disable_previous: true })
    const v1 = await call(emu, 'GET', `/secrets/${id}/versions/1`)
    expect(v1.json.status).toBe('disabled')
    expect(v1.json.updated_at > v1.json.created_at).toBe(true)
  })
})

describe('typed payloads', () => {
  const attempt = async (type: string, payload: string) => {
    const id = await newSecretId({ type })
    return addVersion(emu, id, { data: b64(payload) })
  }

  it('refuses a nested key_value exactly as recorded', async () => {
    const res = await attempt('key_value', '{"key": "value", "invalid": {}}')
    expect(res.status).toBe(400)
    expect(res.json).toEqual({
      details: [
        {
          argument_name: 'data',
          help_message: '- invalid: Invalid type. Expected: string, given: object\n',
          reason: 'format',
        },
      ],
      message: 'invalid argument(s)',
      type: 'invalid_arguments',
    })
  })

  it('applies each type rule', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n'
    const cases: Array<[string, string, number]> = [
      ['key_value', '{"a":"1","b":"2"}', 200],
      ['key_value', '[1,2]', 400],
      ['key_value', 'not json', 400],
      ['basic_credentials', '{"username":"u","password":"p"}', 200],
      ['basic_credentials', '{"username":"u"}', 400],
      [
        'database_credentials',
        '{"engine":"postgres","username":"u","password":"p","host":"h","dbname":"d","port":"5432"}',
        200,
      ],
      [
        'database_credentials',
        '{"engine":"postgres","username":"u","password":"p","host":"h","dbname":"d","port":"54x"}',
        400,
      ],
      ['ssh_key', '{"ssh_private_key":"k"}', 200],
      ['ssh_key', '{"ssh_private_key":{"k":1}}', 400],
      ['certificate', pem + pem, 200],
      ['certificate', 'hello', 400],
      ['opaque', '{"nested":{"is":"fine"}}', 200],
    ]
    for (const [type, payload, status] of cases) {
      const res = await attempt(type, payload)
      expect(res.status, `${type} ${payload}`).toBe(status)
      if (status === 400)
        expect(res.json.details[0]).toMatchObject({ argument_name: 'data', reason: 'format' })
    }
  })
})

describe('version states and access', () => {
  it('resolves latest and latest_enabled', async () => {
    const id = await newSecretId()
    await addVersion(emu, id, { data: b64('one') })
    await addVersion(emu, id, { data: b64('two') })
    await call(emu, 'POST', `/secrets/${id}/versions/2/disable`, { body: {} })
    expect((await access(id, 'latest_enabled')).json.revision).toBe(1)
    const latest = await access(id, 'latest')
    expect(latest.status).toBe(412)
    expect(latest.json.type).toBe('precondition_failed')
    expect((await call(emu, 'GET', `/secrets/${id}/versions/latest`)).json.revision).toBe(2)
    expect((await access(id, 3)).json).toMatchObject({
      resource: 'secret_version',
      type: 'not_found',
    })
    expect((await access(id, 'newest')).status).toBe(400)
  })

  it('schedules deletion, refuses access, and restores the previous status', async () => {
    const id = await newSecretId()
    await addVersion(emu, id, { data: b64('one') })
    await call(emu, 'POST', `/secrets/${id}/versions/1/disable`, { body: {} })
    expect((await call(emu, 'DELETE', `/secrets/${id}/versions/1`)).status).toBe(204)
    const deleted = await call(emu, 'GET', `/secrets/${id}/versions/1`)
    expect(deleted.json.status).toBe('scheduled_for_deletion')
    expect(deleted.json.deletion_requested_at).toBe(deleted.json.updated_at)
    expect((await access(id, 1)).status).toBe(412)
    expect((await call(emu, 'POST', `/secrets/${id}/versions/1/enable`, { body: {} })).status).toBe(
      412,
    )
    const restored = await call(emu, 'POST', `/secrets/${id}/versions/1/restore`, { body: {} })
    expect(restored.json).toMatchObject({ status: 'disabled', deletion_requested_at: null })
    const enabled = await call(emu, 'POST', `/secrets/${id}/versions/1/enable`, { body: {} })
    expect(enabled.json.status).toBe('enabled')
    expect((await access(id, 1)).json.data).toBe(b64('one'))
  })

  it('filters versions by repeated status', async () => {
    const id = await newSecretId()
    for (const d of ['a', 'b', 'c']) await addVersion(emu, id, { data: b64(d) })
    await call(emu, 'POST', `/secrets/${id}/versions/1/disable`, { body: {} })
    await call(emu, 'DELETE', `/secrets/${id}/versions/2`)
    const revisions = async (status: string[]) =>
      (await call(emu, 'GET', `/secrets/${id}/versions`, { query: { status } })).json.versions.map(
        (v: { revision: number }) => v.revision,
      )
    expect(await revisions([])).toEqual([3, 2, 1])
    expect(await revisions(['enabled'])).toEqual([3])
    expect(await revisions(['disabled', 'scheduled_for_deletion'])).toEqual([2, 1])
  })

  it('updates a version description', async () => {
    const id = await newSecretId()
    await addVersion(emu, id, { data: b64('x') })
    const res = await call(emu, 'PATCH', `/secrets/${id}/versions/1`, {
      body: { description: 'new' },
    })
    expect(res.json.description).toBe('new')
  })

  it('burns a version read once when the policy says so', async () => {
    const id = await newSecretId({
      ephemeral_policy: { time_to_live: '3600s', expires_once_accessed: true, action: 'disable' },
    })
    const v = await addVersion(emu, id, { data: b64('once') })
    expect(v.json.ephemeral_properties).toMatchObject({
      expires_once_accessed: true,
      action: 'disable',
    })
    expect(Date.parse(v.json.ephemeral_properties.expires_at) - Date.parse(v.json.created_at)).toBe(
      3_600_000,
    )
    expect((await access(id, 1)).status).toBe(200)
    expect((await access(id, 1)).status).toBe(412)
    expect((await call(emu, 'GET', `/secrets/${id}/versions/1`)).json.status).toBe('disabled')
  })
})
