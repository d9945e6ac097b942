// How fast the emulator answers: 10,000 sequential payload reads with latency off.
// Benchmarks and fault tests lean on it, so it must take seconds, not minutes.
// Run: npx tsx bench/emulator-throughput.ts
import { startEmulator } from '../emulator/index.js'

const PROJECT = '6c0d5e4f-3a2b-4c1d-8e9f-000000000e01'
const TOKEN = '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091'
const REQUESTS = 10_000

const emu = await startEmulator({
  seed: { projects: [{ id: PROJECT, secrets: [{ name: 'hot', versions: [{ data_utf8: 'x' }] }] }] },
})
const id = emu.store.allSecrets()[0]?.id
const url = `${emu.url}/secret-manager/v1beta1/regions/fr-par/secrets/${id}/versions/1/access`
const started = performance.now()
for (let i = 0; i < REQUESTS; i++) {
  const res = await fetch(url, { headers: { 'X-Auth-Token': TOKEN } })
  if (res.status !== 200) throw new Error(`status ${res.status}`)
  await res.arrayBuffer()
}
const ms = performance.now() - started
const served = emu.counts()['GET /secrets/{id}/versions/{rev}/access']
console.log(
  `emulator: ${served} sequential GET access requests in ${(ms / 1000).toFixed(2)} s ` +
    `(${Math.round((REQUESTS / ms) * 1000)} req/s)`,
)
await emu.close()
