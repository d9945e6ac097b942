// Benchmarks lean on the emulator: 10,000 sequential GETs with latency off must take seconds.

import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulator/index.js'
import { PROJECT, TOKEN } from './helpers.js'

let emu: Emulator

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      projects: [{ id: PROJECT, secrets: [{ name: 'hot', versions: [{ data_utf8: 'x' }] }] }],
    },
  })
})

afterAll(async () => {
  await emu.close()
})

it('serves 10,000 sequential GETs in a few seconds', async () => {
  const id = emu.store.allSecrets()[0]?.id
  const url = `${emu.url}/secret-manager/v1beta1/regions/fr-par/secrets/${id}/versions/1/access`
  const t0 = performance.now()
  for (let i = 0; i < 10_000; i++) {
    const res = await fetch(url, { headers: { 'X-Auth-Token': TOKEN } })
    if (res.status !== 200) throw new Error(`status ${res.status}`)
    await res.arrayBuffer()
  }
  const ms = performance.now() - t0
  console.log(`emulator: 10,000 sequential GET access requests in ${Math.round(ms)} ms`)
  expect(emu.counts()['GET /secrets/{id}/versions/{rev}/access']).toBe(10_000)
  expect(ms).toBeLessThan(15_000)
})
