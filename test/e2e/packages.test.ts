// `make packages` (scripts/packages.sh) with the real plakar: six packages, one per
// platform, holding the same launchers and bundles; the host's one installs with
// `plakar pkg add` and works, the others are refused by name, as on a user's machine.
import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPlakar, PlakarHome, plakarEnv, recordSkip } from '../../scripts/lib/plakar-home.js'

const plakar = findPlakar()
if (!plakar) recordSkip('no plakar binary (PLAKAR_BIN unset and .cache/bin/plakar missing)')

const ROOT = path.resolve(import.meta.dirname, '../..')
const VERSION = 'v0.0.2'
const PLATFORMS = [
  'linux_amd64',
  'linux_arm64',
  'darwin_amd64',
  'darwin_arm64',
  'freebsd_amd64',
  'openbsd_amd64',
]
const fileOf = (platform: string) => `scw-secret-manager_${VERSION}_${platform}.ptar`
const ARCH: Readonly<Record<string, string>> = { x64: 'amd64', arm64: 'arm64' }
const HOST = `${process.platform}_${ARCH[process.arch] ?? process.arch}`

function sh(file: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, { env, cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

describe.skipIf(!plakar)('packages for every platform', () => {
  let home: PlakarHome
  let out: string
  let made: { code: number; stdout: string; stderr: string }

  beforeAll(async () => {
    home = new PlakarHome(plakar ?? '')
    await home.run(['-disable-security-check'])
    out = path.join(home.dir, 'out')
    mkdirSync(out)
    const env = { ...plakarEnv(home.dir), PLAKAR: plakar }
    made = await sh(path.join(ROOT, 'scripts/packages.sh'), [VERSION, out], env)
  })

  afterAll(() => home.cleanup())

  it('writes exactly the six platform files', () => {
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout.trim().split('\n')).toEqual(PLATFORMS.map((p) => path.join(out, fileOf(p))))
    expect(readdirSync(out).sort()).toEqual(PLATFORMS.map(fileOf).sort())
  })

  it('is what `make packages` runs, into the repository root', async () => {
    const dry = await sh('make', ['-n', 'packages', `VERSION=${VERSION}`], process.env)
    expect(dry.stdout).toContain(`./scripts/packages.sh ${VERSION} ${ROOT}`)
  })

  it.each(PLATFORMS)('%s holds the launchers and bundles of this checkout', async (platform) => {
    const ptar = path.join(out, fileOf(platform))
    const [snapshot] = (await home.ok(['at', ptar, 'ls'])).stdout
      .toString()
      .trim()
      .split(/\s+/)
      .slice(1)
    const listing = (
      await home.ok(['at', ptar, 'ls', '-recursive', `${snapshot}:/`])
    ).stdout.toString()
    for (const file of [
      '/manifest.yaml',
      '/bin/importer',
      '/bin/exporter',
      '/bin/launch.sh',
      '/dist/importer.js',
      '/dist/exporter.js',
      '/schema/importer.schema.json',
      '/schema/exporter.schema.json',
    ]) {
      expect(listing).toContain(` ${file}\n`)
    }
    expect(listing).toMatch(/-rwxr-xr-x .* \/bin\/importer\n/)
    const launcher = await home.ok(['at', ptar, 'cat', `${snapshot}:/bin/importer`])
    expect(launcher.stdout.toString()).toBe(readFileSync(path.join(ROOT, 'bin/importer'), 'utf8'))
  })

  it.skipIf(!PLATFORMS.includes(HOST))(
    `installs the host's one (${HOST}) and refuses the others`,
    async () => {
      await home.ok(['pkg', 'add', path.join(out, fileOf(HOST))])
      expect((await home.ok(['pkg', 'list'])).stdout.toString()).toContain(
        `scw-secret-manager@${VERSION}`,
      )
      const other = PLATFORMS.find((p) => p !== HOST) ?? ''
      const refused = await home.run(['pkg', 'add', path.join(out, fileOf(other))])
      expect(refused.code).not.toBe(0)
      // plakar v1.1.4 prints this error on stdout.
      const said = refused.stderr + refused.stdout.toString()
      expect(said).toContain("OS or architecture don't match")
    },
  )
})
