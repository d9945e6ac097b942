// Drives the real plakar binary: a throwaway HOME per test, our package installed in it.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')
const VERSION = 'v0.1.0'

/** The plakar binary to test against, or undefined (then the e2e suite is skipped, loudly). */
export function findPlakar(): string | undefined {
  const candidates = [process.env.PLAKAR_BIN, path.join(ROOT, '.cache/bin/plakar')]
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c))
}

export function recordSkip(reason: string): void {
  mkdirSync(path.join(ROOT, '.cache'), { recursive: true })
  writeFileSync(path.join(ROOT, '.cache/e2e-skipped'), `${reason}\n`)
  process.stderr.write(
    `\n${'!'.repeat(72)}\nEND-TO-END TESTS WITH THE REAL PLAKAR SKIPPED: ${reason}\n` +
      `Run ./scripts/install-plakar.sh (needs Go) or set PLAKAR_BIN.\n${'!'.repeat(72)}\n\n`,
  )
}

/** A plakar environment confined to `dir`: its HOME and XDG dirs, nothing of the user's. */
export function plakarEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, '.config'),
    XDG_CACHE_HOME: path.join(dir, '.cache'),
    XDG_DATA_HOME: path.join(dir, '.local/share'),
    SCW_SM_LOG_LEVEL: 'info',
  }
}

export interface Run {
  code: number
  stdout: Buffer
  stderr: string
}

export class PlakarHome {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'scw-sm-e2e-'))
  readonly store = path.join(this.dir, 'store')

  /** Added to (or overriding) plakarEnv for every command, e.g. SCW_API_URL or PATH. */
  env: NodeJS.ProcessEnv = {}

  constructor(readonly bin: string) {}

  run(args: string[], timeoutMs = 60_000): Promise<Run> {
    const env = { ...plakarEnv(this.dir), ...this.env }
    return new Promise((resolve) => {
      execFile(
        this.bin,
        args,
        { env, cwd: this.dir, encoding: 'buffer', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
          resolve({ code, stdout, stderr: stderr.toString('utf8') })
        },
      )
    })
  }

  async ok(args: string[]): Promise<Run> {
    const result = await this.run(args)
    if (result.code !== 0) {
      throw new Error(
        `plakar ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`,
      )
    }
    return result
  }

  at(args: string[]): Promise<Run> {
    return this.ok(['at', this.store, ...args])
  }

  /** Builds the package with plakar itself and installs it into this home. */
  async install(): Promise<void> {
    await this.run(['-disable-security-check'])
    // plakar names it <name>_<version>_<os>_<arch>.ptar in the working directory.
    await this.ok(['pkg', 'create', path.join(ROOT, 'manifest.yaml'), VERSION])
    const ptar = readdirSync(this.dir).find((f) => f.endsWith('.ptar'))
    if (!ptar) throw new Error('plakar pkg create made no .ptar')
    await this.ok(['pkg', 'add', path.join(this.dir, ptar)])
    await this.ok(['at', this.store, 'create', '-plaintext'])
  }

  /** Snapshot ids, newest first. */
  async snapshots(): Promise<string[]> {
    const { stdout } = await this.at(['ls'])
    return stdout
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/)[1] ?? '')
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
