// Drives the real plakar binary with a throwaway HOME, our package built from the frozen
// copy and installed in it, and samples the plugin process plakar starts.
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { findPlakar, plakarEnv } from '../scripts/lib/plakar-home.js'
import { pluginEnv } from './host.js'
import { DescendantSampler, type ProcUsage } from './proc.js'

export { findPlakar }

export interface PlakarRun {
  code: number
  stdout: string
  stderr: string
  wallS: number
  /** The plugin process plakar started for this command, if one was seen. */
  plugin: ProcUsage | undefined
  /** plakar's own figures, last sampled before it exited (up to 25 ms of CPU missed). */
  plakar: ProcUsage | undefined
  /**
   * Seconds from the start to the plugin's summary line on stderr (its work done), if it
   * wrote one: what comes after is plakar's own (closing the snapshot, the store).
   */
  pluginDoneS: number | undefined
}

/** The line a connector writes when its backup or restore is over. */
const PLUGIN_SUMMARY = /scw-secret-manager: info: (dry run of )?(backup of|restore into) /

export class PlakarHome {
  readonly store: string

  constructor(
    private readonly bin: string,
    readonly dir: string,
  ) {
    this.store = path.join(dir, 'store')
  }

  private env(): NodeJS.ProcessEnv {
    // plakar hands its environment down to the plugins it starts.
    return { ...plakarEnv(this.dir), ...pluginEnv }
  }

  /** Runs one plakar command; `pluginNeedle` names the plugin executable to sample. */
  run(args: string[], pluginNeedle?: string): Promise<PlakarRun> {
    const started = performance.now()
    const child = spawn(this.bin, args, { cwd: this.dir, env: this.env() })
    const sampler =
      pluginNeedle && child.pid !== undefined
        ? new DescendantSampler(child.pid, pluginNeedle).start()
        : undefined
    let stdout = ''
    let stderr = ''
    let pluginDoneS: number | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      // The new text and the line it may finish: not all of stderr again on every chunk.
      const recent = stderr.slice(stderr.lastIndexOf('\n') + 1) + text
      stderr += text
      if (pluginDoneS === undefined && PLUGIN_SUMMARY.test(recent)) {
        pluginDoneS = (performance.now() - started) / 1000
      }
    })
    return new Promise((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (code) => {
        const seen = sampler?.stop() ?? []
        const wallS = (performance.now() - started) / 1000
        const plakar = sampler?.rootUsage
        resolve({
          code: code ?? -1,
          stdout,
          stderr,
          wallS,
          plugin: seen.at(-1),
          plakar,
          pluginDoneS,
        })
      })
    })
  }

  async ok(args: string[], pluginNeedle?: string): Promise<PlakarRun> {
    const result = await this.run(args, pluginNeedle)
    if (result.code !== 0) {
      throw new Error(
        `plakar ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`,
      )
    }
    return result
  }

  /** Packs the frozen package with plakar itself and installs it into this home. */
  async install(packageDir: string): Promise<void> {
    mkdirSync(this.dir, { recursive: true })
    await this.run(['-disable-security-check'])
    // `pkg create` writes the .ptar into the working directory: this home, not the repo.
    await this.ok(['pkg', 'create', path.join(packageDir, 'manifest.yaml'), 'v0.1.0'])
    const ptar = readdirSync(this.dir).find((f) => f.endsWith('.ptar'))
    if (!ptar) throw new Error('plakar pkg create made no .ptar')
    await this.ok(['pkg', 'add', path.join(this.dir, ptar)])
    await this.ok(['at', this.store, 'create', '-plaintext'])
  }

  /** Snapshot ids as `plakar ls` prints them, newest first. */
  async snapshots(): Promise<string[]> {
    const { stdout } = await this.ok(['at', this.store, 'ls'])
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/)[1] ?? '')
  }
}
