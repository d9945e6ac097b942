// Lists: pagination, filters and ordering.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { call, OTHER_PROJECT, PROJECT } from './helpers.js'

let emu: Emulator

const names = (res: { json: { secrets: Array<{ name: string }> } }): string[] =>
  res.json.secrets.map((s) => s.name)

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      projects: [
        {
          id: PROJECT,
          secrets: [
            { name: 'delta', path: '/app', tags: ['prod', 'db'], type: 'key_value' },
            { name: 'alpha', path: '/app', tags: ['prod'] },
            { name: 'charlie', path: '/app/sub', tags: ['dev'] },
            { name: 'bravo', path: '/', tags: ['prod', 'db'] },
            {
              name: 'echo',
              path: '/app',
              ephemeral_policy: { time_to_live: '60s', action: 'delete' },
            },
            { name: 'gone', path: '/app', scheduled_for_deletion: true },
            { name: 'foxtrot', path: '/app/sub/deeper', type: 'ssh_key' },
          ],
        },
        { id: OTHER_PROJECT, secrets: [{ name: 'other', path: '/app' }] },
        { id: PROJECT, region: 'nl-ams', secrets: [{ name: 'amsterdam', path: '/app' }] },
      ],
    },
  })
})

afterAll(async () => {
  await emu.close()
})

const list = (query: Record<string, string | number | boolean | string[]>) =>
  call(emu, 'GET', '/secrets', { query })

describe('listing secrets', () => {
  it('pages from 1 with the full total_count', async () => {
    const pages = []
    for (const page of [1, 2, 3, 4])
      pages.push(await list({ project_id: PROJECT, page, page_size: 2 }))
    expect(pages.map(names)).toEqual([
      ['alpha', 'bravo'],
      ['charlie', 'delta'],
      ['echo', 'foxtrot'],
      [],
    ])
    for (const page of pages) expect(page.json.total_count).toBe(6)
  })

  it('caps page_size at 100', async () => {
    expect((await list({ page_size: 100 })).status).toBe(200)
    const res = await list({ page_size: 101 })
    expect(res.status).toBe(400)
    expect(res.json.details[0]).toMatchObject({ argument_name: 'page_size', reason: 'constraint' })
    expect((await list({ page: 0 })).status).toBe(400)
  })

  it('lists every allowed project when project_id is absent, one region only', async () => {
    expect(names(await list({}))).toEqual([
      'alpha',
      'bravo',
      'charlie',
      'delta',
      'echo',
      'foxtrot',
      'other',
    ])
    const ams = await call(emu, 'GET', '/secrets', { region: 'nl-ams' })
    expect(names(ams)).toEqual(['amsterdam'])
  })

  it('filters by name, exact path, all tags, type and deletion', async () => {
    const p = { project_id: PROJECT }
    expect(names(await list({ ...p, name: 'charlie' }))).toEqual(['charlie'])
    expect(names(await list({ ...p, path: '/app/' }))).toEqual(['alpha', 'delta', 'echo'])
    expect(names(await list({ ...p, tags: ['prod', 'db'] }))).toEqual(['bravo', 'delta'])
    expect(names(await list({ ...p, tags: ['prod'] }))).toEqual(['alpha', 'bravo', 'delta'])
    expect(names(await list({ ...p, type: 'key_value' }))).toEqual(['delta'])
    expect(names(await list({ ...p, type: 'unknown_type' }))).toHaveLength(6)
    expect(names(await list({ ...p, scheduled_for_deletion: true }))).toEqual(['gone'])
  })

  it('orders by name or time in both directions', async () => {
    const p = { project_id: PROJECT }
    expect(names(await list({ ...p, order_by: 'name_desc' }))).toEqual([
      'foxtrot',
      'echo',
      'delta',
      'charlie',
      'bravo',
      'alpha',
    ])
    const created = names(await list({ ...p, order_by: 'created_at_asc' }))
    expect(created).toEqual(['delta', 'alpha', 'charlie', 'bravo', 'echo', 'foxtrot'])
    expect(names(await list({ ...p, order_by: 'created_at_desc' }))).toEqual([...created].reverse())
    expect((await list({ order_by: 'size_asc' })).status).toBe(400)
  })
})
