// Secret resources: validation, uniqueness, soft delete, protection, ephemeral policies,
// regions, and the wire details every answer must have.

import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { call, createSecret, PROJECT } from './helpers.js'

let emu: Emulator

beforeAll(async () => {
  emu = await startEmulator()
})

afterAll(async () => {
  await emu.close()
})

const SECRET_KEYS = [
  'id',
  'project_id',
  'name',
  'status',
  'created_at',
  'updated_at',
  'tags',
  'version_count',
  'description',
  'managed',
  'type',
  'protected',
  'path',
  'ephemeral_policy',
  'used_by',
  'deletion_requested_at',
  'key_id',
  'region',
]

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/

describe('creating secrets', () => {
  it('answers the full Secret in wire order with defaults filled in', async () => {
    const res = await createSecret(emu, { name: 'defaults', tags: null })
    expect(res.status).toBe(200)
    expect(Object.keys(res.json)).toEqual(SECRET_KEYS)
    expect(res.json).toMatchObject({
      project_id: PROJECT,
      status: 'ready',
      tags: [],
      version_count: 0,
      description: '',
      managed: false,
      type: 'opaque',
      protected: false,
      path: '/',
      ephemeral_policy: null,
      used_by: [],
      deletion_requested_at: null,
      key_id: null,
      region: 'fr-par',
    })
    expect(res.json.created_at).toMatch(TIMESTAMP)
    expect(res.json.updated_at).toBe(res.json.created_at)
  })

  it('sends exactly application/json and a request id, even on 204 and errors', async () => {
    const created = await createSecret(emu)
    const deleted = await call(emu, 'DELETE', `/secrets/${created.json.id}`)
    const missing = await call(emu, 'GET', `/secrets/${randomUUID()}`)
    for (const res of [created, deleted, missing]) {
      expect(res.headers.get('content-type')).toBe('application/json')
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(deleted.status).toBe(204)
    expect(deleted.text).toBe('')
  })

  it('hands out strictly increasing timestamps', async () => {
    const times: string[] = []
    for (let i = 0; i < 20; i++) times.push((await createSecret(emu)).json.created_at)
    expect([...times].sort()).toEqual(times)
    expect(new Set(times).size).toBe(times.length)
  })

  it('normalises a trailing slash and requires a leading one', async () => {
    const ok = await createSecret(emu, { name: 'slashed', path: '/a/b/' })
    expect(ok.json.path).toBe('/a/b')
    const bad = await createSecret(emu, { path: 'a/b' })
    expect(bad.status).toBe(400)
    expect(bad.json.details[0]).toMatchObject({ argument_name: 'path', reason: 'format' })
  })

  it('refuses a duplicate name in the same path with the recorded 400', async () => {
    await createSecret(emu, { name: 'dup', path: '/dup' })
    const again = await createSecret(emu, { name: 'dup', path: '/dup/' })
    expect(again.status).toBe(400)
    expect(again.json).toEqual({
      details: [
        {
          argument_name: 'name',
          help_message: 'cannot have same secret name in same path',
          reason: 'format',
        },
      ],
      message: 'invalid argument(s)',
      type: 'invalid_arguments',
    })
    expect((await createSecret(emu, { name: 'dup', path: '/other' })).status).toBe(200)
    const otherRegion = await createSecret(emu, { name: 'dup', path: '/dup' }, { region: 'pl-waw' })
    expect(otherRegion.status).toBe(200)
    const otherProject = await call(emu, 'POST', '/secrets', {
      body: { project_id: randomUUID(), name: 'dup', path: '/dup' },
    })
    expect(otherProject.status).toBe(200)
  })

  it('validates fields', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: '' }, 'name', 'required'],
      [{ project_id: 'nope' }, 'project_id', 'format'],
      [{ type: 'bogus' }, 'type', 'format'],
      [{ tags: 'x' }, 'tags', 'format'],
      [{ key_id: 'nope' }, 'key_id', 'format'],
      [
        { ephemeral_policy: { time_to_live: '10m', action: 'delete' } },
        'ephemeral_policy.time_to_live',
        'format',
      ],
      [
        { ephemeral_policy: { time_to_live: '0s', action: 'delete' } },
        'ephemeral_policy.time_to_live',
        'constraint',
      ],
      [
        { ephemeral_policy: { time_to_live: '31536001s', action: 'delete' } },
        'ephemeral_policy.time_to_live',
        'constraint',
      ],
      [{ ephemeral_policy: { time_to_live: '60s' } }, 'ephemeral_policy.action', 'required'],
    ]
    for (const [fields, argument, reason] of cases) {
      const res = await createSecret(emu, fields)
      expect(res.status, JSON.stringify(fields)).toBe(400)
      expect(res.json.details[0]).toMatchObject({ argument_name: argument, reason })
    }
  })

  it('rejects a body that is not JSON', async () => {
    const res = await call(emu, 'POST', '/secrets', { rawBody: '{"name":' })
    expect(res.status).toBe(400)
    expect(res.json.type).toBe('invalid_arguments')
  })

  it('normalises an ephemeral policy duration', async () => {
    const res = await createSecret(emu, {
      ephemeral_policy: {
        time_to_live: '1800.000000000s',
        expires_once_accessed: false,
        action: 'disable',
      },
    })
    expect(res.json.ephemeral_policy).toEqual({
      time_to_live: '1800s',
      expires_once_accessed: false,
      action: 'disable',
    })
  })
})

describe('reading and updating', () => {
  it('keeps a secret in its region', async () => {
    const { json } = await createSecret(emu)
    expect((await call(emu, 'GET', `/secrets/${json.id}`)).status).toBe(200)
    const elsewhere = await call(emu, 'GET', `/secrets/${json.id}`, { region: 'nl-ams' })
    expect(elsewhere.status).toBe(404)
    expect(elsewhere.json).toEqual({
      message: 'resource is not found',
      resource: 'secret',
      resource_id: json.id,
      type: 'not_found',
    })
  })

  it('answers 400 for a malformed id, an unknown region and 404 for unknown routes', async () => {
    expect((await call(emu, 'GET', '/secrets/not-a-uuid')).json.details[0].argument_name).toBe(
      'secret_id',
    )
    expect((await call(emu, 'GET', '/secrets', { region: 'it-mil' })).status).toBe(400)
    expect((await call(emu, 'GET', '/nothing-here')).status).toBe(404)
    expect((await call(emu, 'PUT', '/secrets')).status).toBe(404)
  })

  it('patches fields, replaces tags and bumps updated_at', async () => {
    const { json } = await createSecret(emu, { tags: ['a', 'b'], description: 'd' })
    const res = await call(emu, 'PATCH', `/secrets/${json.id}`, {
      body: { name: 'renamed', tags: [], description: '', path: '/moved/' },
    })
    expect(res.json).toMatchObject({ name: 'renamed', tags: [], description: '', path: '/moved' })
    expect(res.json.updated_at > json.updated_at).toBe(true)
    expect(res.json.created_at).toBe(json.created_at)
    expect((await createSecret(emu, { name: json.name })).status).toBe(200)
    expect((await createSecret(emu, { name: 'renamed', path: '/moved' })).status).toBe(400)
  })

  it('refuses a rename onto an existing name', async () => {
    await createSecret(emu, { name: 'taken', path: '/r' })
    const { json } = await createSecret(emu, { name: 'free', path: '/r' })
    const res = await call(emu, 'PATCH', `/secrets/${json.id}`, { body: { name: 'taken' } })
    expect(res.status).toBe(400)
    expect(res.json.details[0].help_message).toBe('cannot have same secret name in same path')
  })
})

describe('deleting', () => {
  it('soft-deletes, hides from lists, and restores', async () => {
    const { json } = await createSecret(emu, { name: 'soft', path: '/soft' })
    expect((await call(emu, 'DELETE', `/secrets/${json.id}`)).status).toBe(204)
    const after = await call(emu, 'GET', `/secrets/${json.id}`)
    expect(after.status).toBe(200)
    expect(after.json.deletion_requested_at).toMatch(TIMESTAMP)
    expect(after.json.updated_at).toBe(after.json.deletion_requested_at)
    const listed = await call(emu, 'GET', '/secrets', { query: { path: '/soft' } })
    expect(listed.json.total_count).toBe(0)
    const scheduled = await call(emu, 'GET', '/secrets', {
      query: { path: '/soft', scheduled_for_deletion: true },
    })
    expect(scheduled.json.secrets.map((s: { id: string }) => s.id)).toEqual([json.id])
    const restored = await call(emu, 'POST', `/secrets/${json.id}/restore`, { body: {} })
    expect(restored.json.deletion_requested_at).toBeNull()
    expect(
      (await call(emu, 'GET', '/secrets', { query: { path: '/soft' } })).json.total_count,
    ).toBe(1)
  })

  it('lets a deleted name be reused, and then refuses to restore the old one', async () => {
    const old = await createSecret(emu, { name: 'reuse', path: '/reuse' })
    await call(emu, 'DELETE', `/secrets/${old.json.id}`)
    expect((await createSecret(emu, { name: 'reuse', path: '/reuse' })).status).toBe(200)
    const restore = await call(emu, 'POST', `/secrets/${old.json.id}/restore`, { body: {} })
    expect(restore.status).toBe(400)
  })

  it('refuses writes to a secret scheduled for deletion', async () => {
    const { json } = await createSecret(emu)
    await call(emu, 'DELETE', `/secrets/${json.id}`)
    const write = await call(emu, 'POST', `/secrets/${json.id}/versions`, {
      body: { data: 'eA==' },
    })
    expect(write.status).toBe(412)
    expect(write.json.type).toBe('precondition_failed')
  })

  it('refuses to delete a protected secret with the recorded 412', async () => {
    const { json } = await createSecret(emu, { protected: true })
    const res = await call(emu, 'DELETE', `/secrets/${json.id}`)
    expect(res.status).toBe(412)
    expect(res.text).toBe(
      '{"help_message":"cannot delete a protected secret","message":"precondition is not respected","precondition":"protected_resource","type":"precondition_failed"}',
    )
    const unprotected = await call(emu, 'POST', `/secrets/${json.id}/unprotect`, { body: {} })
    expect(unprotected.json.protected).toBe(false)
    expect(unprotected.json.updated_at).toBe(json.updated_at)
    expect((await call(emu, 'DELETE', `/secrets/${json.id}`)).status).toBe(204)
  })

  it('forgets a secret with an ephemeral policy at once, as recorded', async () => {
    const { json } = await createSecret(emu, {
      ephemeral_policy: { time_to_live: '60s', action: 'delete' },
    })
    expect((await call(emu, 'DELETE', `/secrets/${json.id}`)).status).toBe(204)
    expect((await call(emu, 'GET', `/secrets/${json.id}`)).status).toBe(404)
  })
})
