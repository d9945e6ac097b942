// With the real plakar and a PATH holding no `node` (plakar is a Go binary and needs
// nothing there), a backup stops with the plugin's one-line explanation instead of a
// broken gRPC connection; SCW_SM_NODE then makes the same backup work.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { sampleSeed } from '../../emulator/sample.js'
import { findPlakar, PlakarHome, recordSkip } from '../../scripts/lib/plakar-home.js'
import { emulator } from '../support/world.js'
import { addReadmeEntries } from './readme-entries.js'

const plakar = findPlakar()
if (!plakar) recordSkip('no plakar binary (PLAKAR_BIN unset and .cache/bin/plakar missing)')

describe.skipIf(!plakar)('plakar on a host without Node.js', () => {
  let emu: Emulator
  let home: PlakarHome
  let emptyPath: string
  let source: string

  beforeAll(async () => {
    emu = await emulator({ seed: sampleSeed() })
    home = new PlakarHome(plakar ?? '')
    await home.install()
    const examples = await addReadmeEntries(home, emu)
    source = examples.find((e) => e.kind === 'source')?.name ?? ''
    emptyPath = path.join(home.dir, 'empty-bin')
    mkdirSync(emptyPath)
  })

  afterAll(async () => {
    await emu.close()
    home.cleanup()
  })

  it('fails the backup with one line naming Node.js >= 20.19 and what was found', async () => {
    home.env = { ...home.env, PATH: emptyPath }
    const backup = await home.run(['at', home.store, 'backup', `@${source}`])
    expect(backup.code).not.toBe(0)
    const lines = backup.stderr.split('\n').filter((line) => line.includes('scw-secret-manager'))
    expect(lines).toEqual([
      `scw-secret-manager needs Node.js >= 20.19 (found no node on PATH=${emptyPath}); ` +
        'install it or set SCW_SM_NODE=/path/to/node',
    ])
    expect(await home.snapshots()).toEqual([])
  })

  it('backs up with SCW_SM_NODE naming node, on the same PATH', async () => {
    home.env = { ...home.env, PATH: emptyPath, SCW_SM_NODE: process.execPath }
    await home.at(['backup', `@${source}`])
    expect(await home.snapshots()).toHaveLength(1)
  })
})
