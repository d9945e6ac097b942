// Builds the plugin executables once before any test spawns them.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export default function setup(): void {
  if (process.env.SCW_SM_SKIP_BUILD === '1') return
  if (!existsSync('src/importer/main.ts') || !existsSync('src/exporter/main.ts')) return
  execFileSync('npx', ['tsup', '--silent'], { stdio: 'inherit' })
}
