// Module loader hooks: a `.proto` import yields the file's text, as tsup's text loader
// does for the bundled plugins. The test host reaches src/plugin/protocol.ts, which
// imports its .proto files that way, and tsx alone does not know them.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

interface LoadResult {
  format: string
  source: string
  shortCircuit: boolean
}

type NextLoad = (url: string, context: unknown) => Promise<unknown>

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<unknown> {
  if (!url.endsWith('.proto')) return nextLoad(url, context)
  const text = await readFile(fileURLToPath(url), 'utf8')
  const result: LoadResult = {
    format: 'module',
    source: `export default ${JSON.stringify(text)}`,
    shortCircuit: true,
  }
  return result
}
