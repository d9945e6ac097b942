// Contract: every recorded exchange with the real API, replayed in order against a fresh
// emulator, must get the same status and a body of the same shape and values.

import { afterEach, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { loadCassettes, replay } from './cassettes.js'

const cassettes = loadCassettes()

describe('recorded Scaleway traffic', () => {
  let emu: Emulator | undefined

  afterEach(async () => {
    await emu?.close()
    emu = undefined
  })

  it('has all twelve cassettes', () => {
    expect(cassettes).toHaveLength(12)
  })

  it.each(cassettes.map((c) => [c.name, c] as const))('replays %s', async (_name, cassette) => {
    emu = await startEmulator()
    const problems = await replay(emu, cassette)
    expect(problems).toEqual([])
  })
})
