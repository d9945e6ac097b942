// Reads a V8 .cpuprofile (from `npm run bench -- --profile`) and prints where the time
// went by self time: per module of the bundle (esbuild marks each one with a
// `// path` comment line), per Node built-in, and the top functions.
//   npx tsx bench/profile-top.ts <file.cpuprofile> [--bundle dist/importer.js] [--top 25]
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Start line (0-based) and path of each module in a bundle, in order. */
function moduleStarts(bundle: string | undefined): Array<{ line: number; path: string }> {
  if (!bundle) return []
  const starts: Array<{ line: number; path: string }> = []
  readFileSync(bundle, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const m = /^\/\/ ((?:node_modules|src|emulator)\/\S+)$/.exec(text)
      if (m?.[1]) starts.push({ line, path: m[1] })
    })
  return starts
}

function moduleOf(starts: Array<{ line: number; path: string }>, line: number): string {
  let found = '(bundle prologue)'
  for (const start of starts) {
    if (start.line > line) break
    found = start.path
  }
  return found.replace(/^node_modules\//, '').replace(/\/(build|dist|src|lib)\/.*$/, '')
}

/** A short name for where a frame's code lives. */
function placeOf(frame: CallFrame, starts: Array<{ line: number; path: string }>, bundle = '') {
  const { url, functionName } = frame
  if (url === '') return functionName.startsWith('(') ? functionName : '(eval/native)'
  if (url.startsWith('node:')) return url
  if (bundle && url.endsWith(bundle.replace(/^.*\//, ''))) {
    const mod = moduleOf(starts, frame.lineNumber)
    return mod.startsWith('src/') ? mod : `npm:${mod}`
  }
  return url.replace(/^.*\//, '')
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value)
}

function table(title: string, map: Map<string, number>, total: number, top: number): string {
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
  const lines = rows.map(
    ([k, v]) => `| ${((100 * v) / total).toFixed(1)} % | ${(v / 1e6).toFixed(2)} s | ${k} |`,
  )
  return [`### ${title}`, '', '| share | self | what |', '| --- | --- | --- |', ...lines].join('\n')
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { bundle: { type: 'string' }, top: { type: 'string' } },
  })
  const file = positionals[0]
  if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [--bundle f] [--top n]')
  const top = Number(values.top ?? 25)
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const starts = moduleStarts(values.bundle)
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
  const byPlace = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)
    const dt = profile.timeDeltas[i] ?? 0
    if (!frame) return
    total += dt
    const place = placeOf(frame, starts, values.bundle)
    add(byPlace, place, dt)
    add(byFunction, `${frame.functionName || '(anonymous)'} (${place}:${frame.lineNumber + 1})`, dt)
  })
  process.stdout.write(
    `${(total / 1e6).toFixed(2)} s sampled in ${file}\n\n` +
      `${table('by module', byPlace, total, top)}\n\n${table('by function', byFunction, total, top)}\n`,
  )
}

main()
