// Entry point of `npm run bench` (tsx bench/run.ts [options]; --help lists them).
// The .proto hook must be in place before anything imports src/plugin/protocol.ts, hence
// the dynamic import of the rest.
import { register } from 'node:module'

register('./proto-text.ts', import.meta.url)

const { main } = await import('./main.js')
try {
  await main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
