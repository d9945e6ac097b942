// Authentication (401) and IAM authorisation (403), including keys changed at runtime.

import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, type KeysDoc, startEmulator } from '../../emulator/index.js'
import { b64, call, createSecret, OTHER_PROJECT, PROJECT, TOKEN } from './helpers.js'

const READER = '9a0d6f5e-1c4b-4e8a-b3f2-7d6c5b4a3921'
const BACKUP = '2c8e4a6b-0d1f-4a3c-9e5b-7f6a8b9c0d12'
const RESTORE = '5e7f9a1b-3c5d-4e6f-8a9b-0c1d2e3f4a56'
const ADMIN = '7a1b2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d'

const keys: KeysDoc = {
  keys: [
    { secret_key: READER, projects: [PROJECT], permission_sets: ['SecretManagerReadOnly'] },
    {
      secret_key: BACKUP,
      projects: [PROJECT],
      permission_sets: ['SecretManagerReadOnly', 'SecretManagerSecretAccess'],
    },
    {
      secret_key: RESTORE,
      projects: [PROJECT],
      permission_sets: [
        'SecretManagerReadOnly',
        'SecretManagerSecretCreate',
        'SecretManagerSecretWrite',
        'SecretManagerSecretRestore',
      ],
    },
    { secret_key: ADMIN, projects: ['*'], permission_sets: ['SecretManagerFullAccess'] },
  ],
}

describe('without a keys file', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator()
  })
  afterAll(async () => {
    await emu.close()
  })

  it('accepts any UUID token and refuses a missing or malformed one', async () => {
    expect((await call(emu, 'GET', '/secrets', { token: randomUUID() })).status).toBe(200)
    for (const token of [null, 'secret', '']) {
      const res = await call(emu, 'GET', '/secrets', { token })
      expect(res.status).toBe(401)
      expect(res.json).toEqual({
        message: 'authentication is denied',
        method: 'api_key',
        reason: 'invalid_argument',
        type: 'denied_authentication',
      })
    }
  })

  it('revokes a token halfway', async () => {
    const token = randomUUID()
    expect((await call(emu, 'GET', '/secrets', { token })).status).toBe(200)
    emu.revokeKey(token)
    const res = await call(emu, 'GET', '/secrets', { token })
    expect(res.status).toBe(401)
    expect(res.json.reason).toBe('expired')
    expect((await call(emu, 'GET', '/secrets', { token: randomUUID() })).status).toBe(200)
  })
})

describe('with a keys file', () => {
  let emu: Emulator
  let secretId: string
  beforeAll(async () => {
    emu = await startEmulator({ keys })
    secretId = (await createSecret(emu, { name: 'guarded' }, { token: ADMIN })).json.id
    await call(emu, 'POST', `/secrets/${secretId}/versions`, {
      token: ADMIN,
      body: { data: b64('x') },
    })
    await createSecret(emu, { project_id: OTHER_PROJECT, name: 'elsewhere' }, { token: ADMIN })
  })
  afterAll(async () => {
    await emu.close()
  })

  it('refuses unknown keys with reason not_found', async () => {
    const res = await call(emu, 'GET', '/secrets', { token: TOKEN })
    expect(res.status).toBe(401)
    expect(res.json.reason).toBe('not_found')
  })

  it('lets a read-only key list but not read payloads', async () => {
    expect((await call(emu, 'GET', `/secrets/${secretId}`, { token: READER })).status).toBe(200)
    const res = await call(emu, 'GET', `/secrets/${secretId}/versions/1/access`, { token: READER })
    expect(res.status).toBe(403)
    expect(res.json).toEqual({
      details: [{ action: 'access', resource: 'secret_version' }],
      message: 'insufficient permissions',
      type: 'permissions_denied',
    })
  })

  it('gives the backup key payloads but no writes', async () => {
    expect(
      (await call(emu, 'GET', `/secrets/${secretId}/versions/1/access`, { token: BACKUP })).status,
    ).toBe(200)
    const create = await createSecret(emu, {}, { token: BACKUP })
    expect(create.status).toBe(403)
    expect(create.json.details).toEqual([{ action: 'create', resource: 'secret' }])
    const write = await call(emu, 'POST', `/secrets/${secretId}/versions`, {
      token: BACKUP,
      body: { data: b64('y') },
    })
    expect(write.status).toBe(403)
  })

  it('gives the restore key writes and restores but not payloads', async () => {
    expect((await createSecret(emu, {}, { token: RESTORE })).status).toBe(200)
    const version = await call(emu, 'POST', `/secrets/${secretId}/versions`, {
      token: RESTORE,
      body: { data: b64('y') },
    })
    expect(version.status).toBe(200)
    await call(emu, 'DELETE', `/secrets/${secretId}/versions/2`, { token: RESTORE })
    const restored = await call(emu, 'POST', `/secrets/${secretId}/versions/2/restore`, {
      token: RESTORE,
      body: {},
    })
    expect(restored.status).toBe(200)
    const accessed = await call(emu, 'GET', `/secrets/${secretId}/versions/2/access`, {
      token: RESTORE,
    })
    expect(accessed.status).toBe(403)
  })

  it('keeps keys inside their projects', async () => {
    const listed = await call(emu, 'GET', '/secrets', { token: BACKUP })
    expect(listed.json.secrets.map((s: { project_id: string }) => s.project_id)).not.toContain(
      OTHER_PROJECT,
    )
    const asked = await call(emu, 'GET', '/secrets', {
      token: BACKUP,
      query: { project_id: OTHER_PROJECT },
    })
    expect(asked.status).toBe(403)
    const other = (
      await call(emu, 'GET', '/secrets', { token: ADMIN, query: { name: 'elsewhere' } })
    ).json.secrets[0].id
    expect((await call(emu, 'GET', `/secrets/${other}`, { token: BACKUP })).status).toBe(403)
    const create = await createSecret(emu, { project_id: OTHER_PROJECT }, { token: RESTORE })
    expect(create.status).toBe(403)
  })

  it('applies new keys at runtime', async () => {
    emu.setKeys({
      keys: [{ secret_key: TOKEN, projects: ['*'], permission_sets: ['SecretManagerReadOnly'] }],
    })
    expect((await call(emu, 'GET', '/secrets', { token: TOKEN })).status).toBe(200)
    expect((await call(emu, 'GET', '/secrets', { token: ADMIN })).json.reason).toBe('not_found')
    emu.setKeys(keys)
  })
})
