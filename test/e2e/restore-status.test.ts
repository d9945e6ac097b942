// Restores through the real plakar that users schedule: under faults one run is enough and
// exits 0; when a secret cannot be restored, plakar exits non-zero and says how many.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findPlakar, PlakarHome, recordSkip } from '../../scripts/lib/plakar-home.js'
import type { Emulator } from '../../src/emulator/index.js'
import { generatedSeed, SAMPLE_PROJECT_ID, sampleSecrets } from '../../src/emulator/sample.js'
import { projectView } from '../support/compare.js'
import { emulator, faultCount, SECRET_KEY, writeCount } from '../support/world.js'

const plakar = findPlakar()
if (!plakar) recordSkip('no plakar binary (PLAKAR_BIN unset and .cache/bin/plakar missing)')

const SOURCE = `scw-secret://fr-par/${SAMPLE_PROJECT_ID}`
const DR_PROJECT = '3f1e2d3c-4b5a-4968-8776-000000000d11'
const GENERATED = 50

describe.skipIf(!plakar)('plakar restore: one run, and an exit status that tells the truth', () => {
  let emu: Emulator
  let home: PlakarHome
  let snapshot: string

  beforeEach(async () => {
    const generated = generatedSeed(SAMPLE_PROJECT_ID, GENERATED, 2).projects[0]?.secrets ?? []
    emu = await emulator({
      seed: {
        projects: [
          { id: SAMPLE_PROJECT_ID, region: 'fr-par', secrets: [...sampleSecrets(), ...generated] },
        ],
      },
      randomSeed: 11,
    })
    home = new PlakarHome(plakar ?? '')
    await home.install()
    const common = [`secret_key=${SECRET_KEY}`, `api_url=${emu.url}`]
    await home.ok(['source', 'add', 'sm', SOURCE, ...common, 'read_disabled=true'])
    // A lost write is looked at again two request timeouts later: 1 s keeps this short.
    const dr = `scw-secret://nl-ams/${DR_PROJECT}`
    await home.ok(['destination', 'add', 'dr', dr, ...common, 'request_timeout=1s'])
    await home.at(['backup', '@sm'])
    snapshot = (await home.snapshots())[0] ?? ''
  })

  afterEach(async () => {
    await emu.close()
    home.cleanup()
  })

  const restore = () => home.run(['at', home.store, 'restore', '-to', '@dr', snapshot], 300_000)
  const source = () => projectView(emu, SAMPLE_PROJECT_ID, 'fr-par')
  const dr = () => projectView(emu, DR_PROJECT, 'nl-ams')

  it('under 10% faults (503, bare 429, lost answers) is exact after one restore, exit 0', async () => {
    const third = 0.1 / 3
    emu.setFaults({ serverError: third, tooManyRequests: third, dropAfterWrite: third })
    const run = await restore()
    emu.setFaults(undefined)
    expect(faultCount(emu)).toBeGreaterThan(5)
    expect(run.code, run.stderr).toBe(0)
    expect(dr()).toEqual(source())
    expect(run.stderr).toMatch(/61 created, 0 updated, 0 unchanged, 0 skipped, 0 failed/)

    emu.resetCounts()
    const again = await restore()
    expect(again.code, again.stderr).toBe(0)
    expect(writeCount(emu)).toBe(0)
  })

  it('exits non-zero naming how many secrets were not restored; every other one is', async () => {
    // Someone else's /prod/db already lives in the destination, with other bytes.
    const db = sampleSecrets().find((s) => s.name === 'db')
    emu.store.addSecret(
      DR_PROJECT,
      {
        ...db,
        name: 'db',
        versions: [
          {
            data_utf8: JSON.stringify({
              engine: 'pg',
              username: 'u',
              password: 'other',
              host: 'h',
              dbname: 'd',
              port: '1',
            }),
          },
        ],
      },
      'nl-ams',
    )
    const run = await restore()
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(
      /1 of 61 secrets not restored: \/prod\/db \(not restored, the destination differs: revision 1 holds a different payload/,
    )
    const others = (view: ReturnType<typeof dr>) =>
      view.filter((s) => !(s.path === '/prod' && s.name === 'db'))
    expect(others(dr())).toEqual(others(source()))
    expect(others(dr())).toHaveLength(60)
  })
})
