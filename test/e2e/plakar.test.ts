// End to end with the real plakar v1.1.4: package, source/destination, backup, ls,
// cat, check, incremental backup, restore, subtree restore, faults.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { SAMPLE_PROJECT_ID, sampleSeed } from '../../emulator/sample.js'
import { findPlakar, PlakarHome, recordSkip } from '../../scripts/lib/plakar-home.js'
import { projectView } from '../support/compare.js'
import { accessCount, emulator, faultCount, SECRET_KEY, writeCount } from '../support/world.js'

const plakar = findPlakar()
if (!plakar) recordSkip('no plakar binary (PLAKAR_BIN unset and .cache/bin/plakar missing)')

const SOURCE = `scw-secret://fr-par/${SAMPLE_PROJECT_ID}`
const DR_PROJECT = '3f1e2d3c-4b5a-4968-8776-000000000dr1'.replace('dr1', 'd01')
const SUBTREE_PROJECT = '3f1e2d3c-4b5a-4968-8776-000000000d02'

describe.skipIf(!plakar)('the real plakar', () => {
  let emu: Emulator
  let home: PlakarHome

  beforeEach(async () => {
    emu = await emulator({ seed: sampleSeed(), randomSeed: 42 })
    home = new PlakarHome(plakar ?? '')
    await home.install()
    await home.ok([
      'source',
      'add',
      'sm',
      SOURCE,
      `secret_key=${SECRET_KEY}`,
      `api_url=${emu.url}`,
      'read_disabled=true',
    ])
  })

  afterEach(async () => {
    await emu.close()
    home.cleanup()
  })

  const destination = (name: string, location: string) =>
    home.ok([
      'destination',
      'add',
      name,
      location,
      `secret_key=${SECRET_KEY}`,
      `api_url=${emu.url}`,
    ])

  it('installs, pings, and refuses a wrong secret key with our message', async () => {
    expect((await home.ok(['pkg', 'list'])).stdout.toString()).toContain(
      'scw-secret-manager@v0.1.0',
    )
    emu.setKeys({
      keys: [
        { secret_key: SECRET_KEY, projects: ['*'], permission_sets: ['SecretManagerFullAccess'] },
      ],
    })
    await home.ok(['source', 'ping', 'sm'])
    const wrong = '99999999-8888-4777-8666-555555555555'
    await home.ok(['source', 'add', 'bad', SOURCE, `secret_key=${wrong}`, `api_url=${emu.url}`])
    const refused = await home.run(['source', 'ping', 'bad'])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr + refused.stdout.toString()).toMatch(/secret key/i)
    expect(refused.stderr + refused.stdout.toString()).not.toContain(wrong)
  })

  it('backs up the documented tree, cats exact bytes, checks, and skips unchanged payloads', async () => {
    await home.at(['backup', '@sm'])
    const [snap] = await home.snapshots()
    const tree = (await home.at(['ls', '-recursive', `${snap}:/`])).stdout.toString()
    for (const path of [
      '/.backup.json',
      '/prod/db.secret/secret.json',
      '/prod/db.secret/versions/2',
      '/prod/db/replica.secret/versions/1.json',
      '/prod/api-token.secret/versions/3.json',
      '/odd names/secret.json.secret/versions/1',
    ]) {
      expect(tree).toContain(path)
    }
    expect(tree).not.toContain('/prod/api-token.secret/versions/3\n')
    const blob = emu.store.allSecrets(SAMPLE_PROJECT_ID).find((s) => s.name === 'blob')
    const bytes = emu.store.versions(blob?.id ?? '')[0]?.data
    const cat = await home.at(['cat', `${snap}:/binary/blob.secret/versions/1`])
    expect(cat.stdout.equals(bytes ?? Buffer.alloc(1))).toBe(true)
    await home.at(['check', snap ?? ''])

    emu.resetCounts()
    await home.at(['backup', '@sm'])
    expect(accessCount(emu)).toBe(0)
    const token = emu.store.allSecrets(SAMPLE_PROJECT_ID).find((s) => s.name === 'api-token')
    emu.store.addVersion(token?.id ?? '', { data_utf8: 'token-five' })
    emu.resetCounts()
    await home.at(['backup', '@sm'])
    expect(accessCount(emu)).toBe(1)
  })

  it('restores into another project and region, idempotently, and a subtree', async () => {
    await home.at(['backup', '@sm'])
    const [snap] = await home.snapshots()
    await destination('dr', `scw-secret://nl-ams/${DR_PROJECT}`)
    await home.at(['restore', '-to', '@dr', snap ?? ''])
    expect(projectView(emu, DR_PROJECT, 'nl-ams')).toEqual(
      projectView(emu, SAMPLE_PROJECT_ID, 'fr-par'),
    )
    emu.resetCounts()
    await home.at(['restore', '-to', '@dr', snap ?? ''])
    expect(writeCount(emu)).toBe(0)

    await destination('sub', `scw-secret://pl-waw/${SUBTREE_PROJECT}`)
    await home.at(['restore', '-to', '@sub', `${snap}:/prod/db`])
    const restored = emu.store
      .allSecrets(SUBTREE_PROJECT, 'pl-waw')
      .map((s) => `${s.path}/${s.name}`)
    expect(restored).toEqual(['/prod/db/replica'])
  })

  it('completes a backup under 5xx, bare 429 and connection resets', async () => {
    emu.setFaults({ serverError: 0.08, tooManyRequests: 0.08, reset: 0.04 })
    await home.at(['backup', '@sm'])
    emu.setFaults(undefined)
    expect(faultCount(emu)).toBeGreaterThan(0)
    const [snap] = await home.snapshots()
    await destination('dr', `scw-secret://nl-ams/${DR_PROJECT}`)
    await home.at(['restore', '-to', '@dr', snap ?? ''])
    expect(projectView(emu, DR_PROJECT, 'nl-ams')).toEqual(
      projectView(emu, SAMPLE_PROJECT_ID, 'fr-par'),
    )
  })
})
