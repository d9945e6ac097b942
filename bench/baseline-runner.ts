// Runs the bundled baseline script as a child process, timed from spawn to exit like the
// plugins are, and reads the figures it prints.
import { execFile } from 'node:child_process'
import type { BaselineArgs, BaselineResult } from './baseline.js'

export interface BaselineRun extends BaselineResult {
  /** From spawn to exit, process start-up included (the plugins are timed the same way). */
  processWallS: number
}

export function runBaseline(script: string, args: BaselineArgs): Promise<BaselineRun> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, JSON.stringify(args)],
      { maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env.PATH } },
      (error, stdout, stderr) => {
        if (error)
          return reject(new Error(`baseline ${args.mode} failed: ${stderr || error.message}`))
        const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as BaselineResult
        resolve({ ...result, processWallS: (performance.now() - started) / 1000 })
      },
    )
  })
}
