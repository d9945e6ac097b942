// scw-sm-emulator: runs the Secret Manager emulator until SIGTERM/SIGINT. Stdout carries one
// line, the base URL, so a parent process can read it; everything else goes to stderr.

import { parseCli, USAGE } from './cli-args.js'
import { startEmulator } from './index.js'

const log = (line: string): void => {
  process.stderr.write(`scw-sm-emulator: ${line}\n`)
}

const main = async (): Promise<void> => {
  const { help, options } = parseCli(process.argv.slice(2))
  if (help) {
    process.stderr.write(`${USAGE}\n`)
    return
  }
  const emulator = await startEmulator({ ...options, log })
  process.stdout.write(`${emulator.url}\n`)
  log(`listening on ${emulator.url} (${emulator.store.allSecrets().length} secrets loaded)`)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping`)
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`close failed: ${String(error)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error))
  process.exit(2)
})
