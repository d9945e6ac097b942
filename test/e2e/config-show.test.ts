// With the real plakar: the README's source and destination lines, added as written, keep
// the secret key out of `plakar source show` / `destination show` in every output format,
// and work (ping). The name plakar does not mask, secret_key, is shown by plakar, which is
// why the plugin warns, once, without the value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { SAMPLE_PROJECT_ID, sampleSeed } from '../../emulator/sample.js'
import { findPlakar, PlakarHome, recordSkip } from '../../scripts/lib/plakar-home.js'
import type { ReadmeExample } from '../config/readme-examples.js'
import { emulator, SECRET_KEY } from '../support/world.js'
import { addReadmeEntries } from './readme-entries.js'

const plakar = findPlakar()
if (!plakar) recordSkip('no plakar binary (PLAKAR_BIN unset and .cache/bin/plakar missing)')

const WARNING = 'warn: secret_key: plakar shows this key in clear'

describe.skipIf(!plakar)('the README lines with the real plakar', () => {
  let emu: Emulator
  let home: PlakarHome
  let examples: ReadmeExample[]

  beforeAll(async () => {
    emu = await emulator({ seed: sampleSeed() })
    home = new PlakarHome(plakar ?? '')
    await home.install()
    examples = await addReadmeEntries(home, emu)
  })

  afterAll(async () => {
    await emu.close()
    home.cleanup()
  })

  it('adds a source and a destination', () => {
    expect(examples.map((e) => e.kind).sort()).toEqual(['destination', 'source'])
  })

  it.each([
    ['by default', []],
    ['-json', ['-json']],
    ['-ini', ['-ini']],
    ['-yaml', ['-yaml']],
  ])('show %s never prints the secret key', async (_, format) => {
    for (const kind of ['source', 'destination']) {
      for (const names of [[], examples.filter((e) => e.kind === kind).map((e) => e.name)]) {
        const shown = await home.ok([kind, 'show', ...format, ...names])
        const text = shown.stdout.toString() + shown.stderr
        expect(text).toContain('secret_access_key')
        expect(text).toContain('********')
        expect(text).not.toContain(SECRET_KEY)
      }
    }
  })

  it('stores the key all the same (show -secrets prints it), so the masking is what hides it', async () => {
    const shown = await home.ok(['source', 'show', '-secrets'])
    expect(shown.stdout.toString()).toContain(SECRET_KEY)
  })

  it('pings with the README source, without a warning', async () => {
    const source = examples.find((e) => e.kind === 'source')
    const ping = await home.ok(['source', 'ping', source?.name ?? ''])
    expect(ping.stderr).not.toContain('warn:')
    expect(ping.stderr).not.toContain(SECRET_KEY)
  })

  it('with secret_key instead: plakar shows it, and the plugin warns once without the value', async () => {
    const location = `scw-secret://fr-par/${SAMPLE_PROJECT_ID}`
    await home.ok(['source', 'add', 'legacy', location, `secret_key=${SECRET_KEY}`])
    expect((await home.ok(['source', 'show', 'legacy'])).stdout.toString()).toContain(SECRET_KEY)
    const backup = await home.at(['backup', '@legacy'])
    const warnings = backup.stderr.split('\n').filter((line) => line.includes(WARNING))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('secret_access_key')
    expect(warnings[0]).toContain('SCW_SECRET_KEY')
    expect(backup.stderr + backup.stdout.toString()).not.toContain(SECRET_KEY)
  })
})
