// Makes sure dist/ is current, then freezes a copy of what the bench runs into its own
// temp dir: other people rebuild dist/ in the same checkout, and a plugin vanishing
// mid-run (tsup cleans dist/ first) must not turn into a bench failure. The baseline
// script is bundled too, so that its memory and CPU figures are not those of a
// TypeScript loader.
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { build } from 'tsup'

export const ROOT = path.resolve(import.meta.dirname, '..')
const OUTPUTS = ['importer.js', 'exporter.js', 'emulator.js']
const INPUTS = ['src', 'emulator', 'tsup.config.ts', 'package-lock.json']

function newestMtime(entry: string): number {
  const stat = statSync(entry)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const name of readdirSync(entry))
    newest = Math.max(newest, newestMtime(path.join(entry, name)))
  return newest
}

function distIsStale(): boolean {
  const outputs = OUTPUTS.map((f) => path.join(ROOT, 'dist', f))
  if (!outputs.every((f) => existsSync(f))) return true
  const oldestOutput = Math.min(...outputs.map((f) => statSync(f).mtimeMs))
  const newestInput = Math.max(...INPUTS.map((i) => newestMtime(path.join(ROOT, i))))
  return newestInput > oldestOutput
}

export interface Frozen {
  importer: string
  exporter: string
  baseline: string
  /** A plakar package folder: manifest, schemas, launchers and bundles. */
  packageDir: string
}

/** `dist` names another build to measure (e.g. a patched copy); it is not rebuilt. */
export async function prepare(
  workDir: string,
  log: (line: string) => void,
  dist?: string,
): Promise<Frozen> {
  if (dist === undefined && distIsStale()) {
    log('dist/ is missing or older than src/: building (npx tsup --silent)')
    execFileSync('npx', ['tsup', '--silent'], { cwd: ROOT, stdio: 'inherit' })
  }
  const from = dist ?? path.join(ROOT, 'dist')
  const packageDir = path.join(workDir, 'package')
  mkdirSync(path.join(packageDir, 'dist'), { recursive: true })
  for (const file of ['importer.js', 'exporter.js']) {
    copyFileSync(path.join(from, file), path.join(packageDir, 'dist', file))
  }
  // The launchers are what plakar starts; they run ../dist/<kind>.js next to them.
  cpSync(path.join(ROOT, 'bin'), path.join(packageDir, 'bin'), { recursive: true })
  copyFileSync(path.join(ROOT, 'manifest.yaml'), path.join(packageDir, 'manifest.yaml'))
  cpSync(path.join(ROOT, 'schema'), path.join(packageDir, 'schema'), { recursive: true })
  const baselineDir = path.join(workDir, 'baseline')
  await build({
    config: false,
    entry: { baseline: path.join(ROOT, 'bench/baseline.ts') },
    outDir: baselineDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    silent: true,
  })
  return {
    importer: path.join(packageDir, 'bin/importer'),
    exporter: path.join(packageDir, 'bin/exporter'),
    baseline: path.join(baselineDir, 'baseline.js'),
    packageDir,
  }
}

/** The commit measured, and whether src/ had uncommitted changes (others work here too). */
export function sourceState(): string {
  try {
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim()
    const changed = git(['status', '--porcelain', '--', 'src']).split('\n').filter(Boolean)
    const head = git(['rev-parse', '--short', 'HEAD'])
    return changed.length === 0 ? head : `${head} + ${changed.length} uncommitted file(s) in src/`
  } catch {
    return 'unknown (not a git checkout)'
  }
}
