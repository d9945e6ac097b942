// Direct state access for tests: seeding, reading raw payloads, writes without HTTP.

import { crc32 } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { b64, call, OTHER_PROJECT, PROJECT } from './helpers.js'

let emu: Emulator | undefined

afterEach(async () => {
  await emu?.close()
  emu = undefined
})

describe('store', () => {
  it('seeds projects, secrets and versions with raw bytes', async () => {
    emu = await startEmulator({
      seed: {
        projects: [
          {
            id: PROJECT,
            secrets: [
              {
                name: 'seeded',
                path: '/s/',
                tags: ['t'],
                versions: [
                  { data_utf8: 'héllo', with_crc32: true },
                  {
                    data_base64: b64(Buffer.from([0, 255])),
                    status: 'disabled',
                    description: 'bin',
                  },
                  { data_utf8: 'old', status: 'scheduled_for_deletion' },
                ],
              },
            ],
          },
          {
            id: OTHER_PROJECT,
            region: 'pl-waw',
            secrets: [{ name: 'far', scheduled_for_deletion: true }],
          },
        ],
      },
    })
    expect(emu.store.allSecrets().map((s) => [s.projectId, s.region, s.name])).toEqual([
      [PROJECT, 'fr-par', 'seeded'],
      [OTHER_PROJECT, 'pl-waw', 'far'],
    ])
    const [seeded] = emu.store.allSecrets(PROJECT, 'fr-par')
    expect(seeded).toMatchObject({ name: 'seeded', path: '/s', tags: ['t'], versionCount: 3 })
    const versions = emu.store.versions(seeded?.id ?? '')
    expect(versions.map((v) => [v.revision, v.status, v.data.toString('hex')])).toEqual([
      [1, 'enabled', Buffer.from('héllo').toString('hex')],
      [2, 'disabled', '00ff'],
      [3, 'scheduled_for_deletion', Buffer.from('old').toString('hex')],
    ])
    expect(versions[0]?.dataCrc32).toBe(crc32(Buffer.from('héllo')))
    expect(versions[1]?.dataCrc32).toBeNull()
    expect(emu.store.allSecrets(OTHER_PROJECT)[0]?.deletionRequestedAt).not.toBeNull()
    const access = await call(emu, 'GET', `/secrets/${seeded?.id}/versions/1/access`)
    expect(Buffer.from(access.json.data, 'base64').toString()).toBe('héllo')
  })

  it('refuses a seed with a duplicate name', async () => {
    const dup = { name: 'x', path: '/' }
    await expect(
      startEmulator({ seed: { projects: [{ id: PROJECT, secrets: [dup, dup] }] } }),
    ).rejects.toThrow(/duplicate/)
  })

  it('writes without HTTP and hands out copies', async () => {
    emu = await startEmulator()
    const secret = emu.store.addSecret(PROJECT, { name: 'direct', type: 'key_value' }, 'nl-ams')
    emu.store.addVersion(secret.id, { data_utf8: '{"a":"b"}' })
    const views = emu.store.versions(secret.id)
    views[0]?.data.fill(0)
    expect(emu.store.versions(secret.id)[0]?.data.toString()).toBe('{"a":"b"}')
    emu.store.updateSecret(secret.id, { status: 'locked' })
    const res = await call(emu, 'GET', `/secrets/${secret.id}`, { region: 'nl-ams' })
    expect(res.json).toMatchObject({ status: 'locked', version_count: 1, type: 'key_value' })
    emu.store.updateVersion(secret.id, 1, { status: 'disabled' })
    expect(emu.store.versions(secret.id)[0]?.status).toBe('disabled')
    emu.store.updateVersion(secret.id, 1, { status: 'enabled', data: Buffer.from('{"c":"d"}') })
    const access = await call(emu, 'GET', `/secrets/${secret.id}/versions/1/access`, {
      region: 'nl-ams',
    })
    expect(Buffer.from(access.json.data, 'base64').toString()).toBe('{"c":"d"}')
  })
})
