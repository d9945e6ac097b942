// The executables plakar starts are POSIX sh launchers (bin/importer, bin/exporter). They
// must find a Node.js >= 20.19 (SCW_SM_NODE first, then PATH) and exec it on the bundle
// with the package's Node flags, or say in one stderr line what is needed and what was
// found. Version logic runs against stand-in `node` scripts that answer --version; the
// exec itself against the real node.
import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, DIST } from '../host/plugin-host.js'

const work = mkdtempSync(path.join(tmpdir(), 'scw-sm-launcher-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const NEEDS = 'scw-secret-manager needs Node.js >= 20.19 ('
const ADVICE = '); install it or set SCW_SM_NODE=/path/to/node\n'

let fakes = 0
/** A directory holding a `node` that prints `version` for --version and echoes its argv otherwise. */
function fakeNode(version: string): { dir: string; node: string } {
  const dir = path.join(work, `fake-${fakes++}`)
  mkdirSync(dir)
  const node = path.join(dir, 'node')
  writeFileSync(
    node,
    `#!/bin/sh\nif [ "$1" = --version ]; then printf '%s\\n' '${version}'; exit 0; fi\n` +
      'printf "ran:"; for a in "$@"; do printf " %s" "$a"; done; printf "\\n"\n',
  )
  chmodSync(node, 0o755)
  return { dir, node }
}

/** A PATH with only what the launcher itself may use: sh, through /bin/sh in its #! line. */
const EMPTY_DIR = path.join(work, 'empty')
mkdirSync(EMPTY_DIR)

function launch(kind: 'importer' | 'exporter', env: NodeJS.ProcessEnv) {
  const result = spawnSync(path.join(BIN, kind), [], { env, encoding: 'utf8', input: '' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe.each(['importer', 'exporter'] as const)('bin/%s', (kind) => {
  const flags = kind === 'importer' ? ' --max-old-space-size=128 --max-semi-space-size=4' : ''
  const bundle = `${BIN}/../dist/${kind}.js`

  it.each(['v20.19.0', 'v20.19.5', 'v21.0.0', 'v22.12.0', 'v24.3.1', 'v100.0.0'])(
    'execs %s on the bundle with the package flags',
    (version) => {
      const { dir } = fakeNode(version)
      const run = launch(kind, { PATH: dir })
      expect(run).toEqual({ code: 0, stdout: `ran:${flags} ${bundle}\n`, stderr: '' })
    },
  )

  it.each(['v18.19.0', 'v20.18.3', 'v20.0.0', 'v16.20.2', 'v0.12.18'])(
    'refuses %s in one line naming what it found',
    (version) => {
      const { dir, node } = fakeNode(version)
      const run = launch(kind, { PATH: dir })
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `${NEEDS}found ${version} at ${node}${ADVICE}`,
      })
    },
  )

  it.each(['', 'garbage', 'v20', 'v20.x.1', 'v.19.0', '20.19.0'])(
    'refuses a node answering %j to --version',
    (version) => {
      const { dir, node } = fakeNode(version)
      const run = launch(kind, { PATH: dir })
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `${NEEDS}found ${node}, which does not report a Node.js version${ADVICE}`,
      })
    },
  )

  it('says so when PATH holds no node', () => {
    const run = launch(kind, { PATH: EMPTY_DIR })
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `${NEEDS}found no node on PATH=${EMPTY_DIR}${ADVICE}`,
    })
  })

  it('takes SCW_SM_NODE before PATH', () => {
    const old = fakeNode('v18.19.0')
    const good = fakeNode('v22.1.0')
    const run = launch(kind, { PATH: old.dir, SCW_SM_NODE: good.node })
    expect(run).toEqual({ code: 0, stdout: `ran:${flags} ${bundle}\n`, stderr: '' })
    const tooOld = launch(kind, { PATH: good.dir, SCW_SM_NODE: old.node })
    expect(tooOld.stderr).toBe(`${NEEDS}found v18.19.0 at ${old.node}${ADVICE}`)
  })

  it('names a SCW_SM_NODE that is not an executable file, even with a good node on PATH', () => {
    const good = fakeNode('v22.1.0')
    for (const bad of [path.join(work, 'missing'), work]) {
      const run = launch(kind, { PATH: good.dir, SCW_SM_NODE: bad })
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `${NEEDS}SCW_SM_NODE=${bad} is not an executable file${ADVICE}`,
      })
    }
  })
})

describe('with the real node', () => {
  it('replaces itself with node (same pid), running the bundle with the heap cap', async () => {
    expect(existsSync(path.join(DIST, 'importer.js'))).toBe(true)
    const child = spawn(path.join(BIN, 'importer'), [], {
      env: { PATH: path.dirname(process.execPath) },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    // The plugin answers the HTTP/2 connection preface with its SETTINGS frame: by then the
    // process serving stdin/stdout is node itself.
    await new Promise((resolve) => child.stdout.once('data', resolve))
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve))
    const procCmdline = `/proc/${child.pid}/cmdline`
    const argv = existsSync('/proc/self/cmdline')
      ? readFileSync(procCmdline, 'utf8').split('\0').filter(Boolean)
      : undefined
    child.stdin.end()
    expect(await exit).toBe(0)
    expect(stderr).toBe('')
    if (argv !== undefined) {
      expect(argv).toEqual([
        process.execPath,
        '--max-old-space-size=128',
        '--max-semi-space-size=4',
        `${BIN}/../dist/importer.js`,
      ])
    }
  })
})
