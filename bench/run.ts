// Entry point of `npm run bench` (tsx bench/run.ts [options]; --help lists them).
import { main } from './main.js'

try {
  await main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
