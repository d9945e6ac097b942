// `make demo`: a real backup and restore round trip on the built-in sample project,
// with the real plakar, against the emulator. Nothing outside a throwaway directory
// is touched.
import { createHash } from 'node:crypto'
import { startEmulator } from '../emulator/index.js'
import { SAMPLE_PROJECT_ID, SAMPLE_REGION, sampleSeed } from '../emulator/sample.js'
import { findPlakar, PlakarHome } from './lib/plakar-home.js'

const SECRET_KEY = '0c4a7d2e-5b1f-4e3a-9d6c-8f7e6d5c4b3a'
const DR_PROJECT = '7d0b3c2a-1e4f-4a5b-8c6d-0000000000b2'
const DR_REGION = 'nl-ams'

const say = (text: string) => process.stdout.write(`${text}\n`)
const step = (text: string) => say(`\n== ${text}`)

const plakar = findPlakar()
if (!plakar) {
  say('plakar is not installed: run ./scripts/install-plakar.sh (make demo does it for you)')
  process.exit(1)
}
const emu = await startEmulator({ seed: sampleSeed(), latency: 'off' })
const home = new PlakarHome(plakar)
try {
  step(`Secret Manager emulator with the sample project at ${emu.url}`)
  say(
    `   ${emu.store.allSecrets(SAMPLE_PROJECT_ID).length} secrets in ${SAMPLE_REGION}/${SAMPLE_PROJECT_ID}`,
  )

  step(`plakar package built and installed in a throwaway home (${home.dir})`)
  await home.install()
  say((await home.ok(['pkg', 'list'])).stdout.toString().trim())

  step('plakar backup @sample')
  const source = `scw-secret://${SAMPLE_REGION}/${SAMPLE_PROJECT_ID}`
  await home.ok([
    'source',
    'add',
    'sample',
    source,
    `secret_access_key=${SECRET_KEY}`,
    `api_url=${emu.url}`,
    'read_disabled=true',
    'environment=production',
    'data_class=critical',
  ])
  const backup = await home.at(['backup', '@sample'])
  say(
    backup.stderr
      .split('\n')
      .filter((l) => l.includes('backup of'))
      .join('\n'),
  )
  const [snap] = await home.snapshots()

  step(`plakar ls -recursive ${snap}:/`)
  say((await home.at(['ls', '-recursive', `${snap}:/`])).stdout.toString().trimEnd())

  step(`plakar cat ${snap}:/prod/api-token.secret/versions/4`)
  say((await home.at(['cat', `${snap}:/prod/api-token.secret/versions/4`])).stdout.toString())

  step(`plakar restore -to @dr ${snap}   (into ${DR_REGION}/${DR_PROJECT})`)
  await home.ok([
    'destination',
    'add',
    'dr',
    `scw-secret://${DR_REGION}/${DR_PROJECT}`,
    `secret_access_key=${SECRET_KEY}`,
    `api_url=${emu.url}`,
  ])
  const restore = await home.at(['restore', '-to', '@dr', snap ?? ''])
  say(
    restore.stderr
      .split('\n')
      .filter((l) => l.includes('restore into') || l.includes('warn'))
      .join('\n'),
  )

  step('side by side: source versus restored copy')
  const ok = compare()
  say(ok ? '\nevery secret, revision, status and payload matches' : '\nDIFFERENCES FOUND')

  step('the same against real Scaleway')
  // secret_access_key, not secret_key: plakar's `source show` masks the former only.
  say(`  plakar pkg add ./scw-secret-manager_v0.1.0_linux_amd64.ptar     # make packages
  plakar at /var/backups/kloset create
  plakar source add prod scw-secret://fr-par/<project-id> access_key=<access-key> secret_access_key=<secret-key>
  plakar at /var/backups/kloset backup @prod
  plakar destination add dr scw-secret://nl-ams/<other-project-id> access_key=<access-key> secret_access_key=<secret-key>
  plakar at /var/backups/kloset restore -to @dr <snapshot>`)
  process.exitCode = ok ? 0 : 1
} finally {
  await emu.close()
  home.cleanup()
}

function digest(data: Buffer | null): string {
  return data ? createHash('sha256').update(data).digest('hex').slice(0, 10) : '-'
}

function describeProject(projectId: string, region: 'fr-par' | 'nl-ams'): Map<string, string> {
  const out = new Map<string, string>()
  for (const s of emu.store.allSecrets(projectId, region)) {
    const versions = emu.store
      .versions(s.id)
      .map(
        (v) =>
          `${v.revision}:${v.status.replace('scheduled_for_deletion', 'deleted')}:${v.status === 'enabled' || v.status === 'disabled' ? digest(v.data) : '-'}`,
      )
    out.set(`${s.path === '/' ? '' : s.path}/${s.name}`, `${s.type} ${versions.join(' ')}`)
  }
  return out
}

function compare(): boolean {
  const left = describeProject(SAMPLE_PROJECT_ID, 'fr-par')
  const right = describeProject(DR_PROJECT, DR_REGION)
  let ok = left.size === right.size
  say(`${'secret'.padEnd(30)} ${'source (rev:status:sha256)'.padEnd(50)} restored`)
  for (const [name, description] of left) {
    const other = right.get(name) ?? '(missing)'
    const same = other === description
    ok &&= same
    say(`${name.padEnd(30)} ${description.padEnd(50)} ${same ? 'same' : other}`)
  }
  return ok
}
