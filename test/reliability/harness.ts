// Shared machinery of the reliability suite: plugin processes confined to a throw-away
// home, temp dir and working directory; a leak audit of everything each process wrote
// (stdout frames, stderr, files); the seed with canary payloads; and the tally of figures
// the README's Reliability section quotes.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import type { Emulator, FaultSpec, SeedDoc, SeedSecret } from '../../emulator/index.js'
import { seededRandom } from '../../emulator/prng.js'
import { generatedSeed, SAMPLE_PROJECT_ID, sampleSecrets } from '../../emulator/sample.js'
import { GrpcPipeClient } from '../host/grpc-pipe.js'
import { BIN, collectStderr, type PluginProcess } from '../host/plugin-host.js'

export const SOURCE_PROJECT = SAMPLE_PROJECT_ID
export const SOURCE = `scw-secret://fr-par/${SOURCE_PROJECT}`

/** The secret key of every run: it must never show up in anything a plugin writes. */
export const CANARY_KEY = '9b1d4c77-3e0a-4f6b-a2c8-51e7d0f3b6a9'
/** A second key, for the run after the first one was revoked. */
export const CANARY_KEY_2 = 'e58a02c1-7b94-4d3e-8f16-c0a9b4e27d53'
const CANARY_KEYS = [CANARY_KEY, CANARY_KEY_2] as const

/** Payloads that may travel only inside gRPC DATA frames of the importer. */
export const CANARY_PAYLOADS = [
  'canary-payload-0f6e1c9a-do-not-leak',
  'canary-payload-7d2b5e83-disabled-do-not-leak',
  '{"username":"canary-user","password":"canary-password-44e9a1b7"}',
] as const

function canarySecrets(): SeedSecret[] {
  return [
    {
      name: 'leak-me',
      path: '/canary',
      tags: ['canary'],
      versions: [
        { data_utf8: CANARY_PAYLOADS[0], with_crc32: true },
        { data_utf8: CANARY_PAYLOADS[1], status: 'disabled' },
      ],
    },
    {
      name: 'leak-me-too',
      path: '/canary',
      type: 'basic_credentials',
      versions: [{ data_utf8: CANARY_PAYLOADS[2] }],
    },
  ]
}

/**
 * The sample project (every awkward shape) plus `count` generated secrets of two
 * versions each, a few of them disabled so that read_disabled has work to do, plus the
 * canary secrets.
 */
export function reliabilitySeed(count: number): SeedDoc {
  const generated = generatedSeed(SOURCE_PROJECT, count, 2).projects[0]?.secrets ?? []
  for (const [i, secret] of generated.entries()) {
    const first = secret.versions?.[0]
    if (first && i % 9 === 4) first.status = 'disabled'
  }
  return {
    projects: [
      {
        id: SOURCE_PROJECT,
        region: 'fr-par',
        secrets: [...sampleSecrets(), ...generated, ...canarySecrets()],
      },
    ],
  }
}

// ---------------------------------------------------------------------------------------
// Figures

export const tally = {
  faultsInjected: 0,
  operations: 0,
  versionsCompared: 0,
  processesAudited: 0,
  leaksFound: 0,
}

export function printTally(file: string): void {
  console.log(
    `[reliability] ${file}: faults injected ${tally.faultsInjected}, operations ${tally.operations}, ` +
      `versions compared ${tally.versionsCompared}, processes audited ${tally.processesAudited}, ` +
      `leaks found ${tally.leaksFound}`,
  )
}

const FAULT_ORDER = ['serverError', 'tooManyRequests', 'reset', 'stall', 'dropAfterWrite'] as const

/**
 * How many faults the emulator drew for its first `requests` requests. It draws once per
 * request that passes the rate limiter (a second time to pick a 5xx status) from the
 * seeded generator its `randomSeed` starts, so the draws can be replayed exactly. A
 * drop-after-write draw only takes effect on a write, so those are an upper bound.
 */
export function replayFaults(
  seed: number,
  spec: FaultSpec,
  requests: number,
  /** Requests served before `spec` was set, while no fault was configured (one draw each). */
  before = 0,
): number {
  const random = seededRandom(seed)
  for (let i = 0; i < before; i++) random()
  let faults = 0
  for (let i = before; i < requests; i++) {
    let draw = random()
    for (const kind of FAULT_ORDER) {
      const p = spec[kind] ?? 0
      if (draw < p) {
        faults += 1
        if (kind === 'serverError') random()
        break
      }
      draw -= p
    }
  }
  return faults
}

// ---------------------------------------------------------------------------------------
// Plugin processes in a sandbox

export interface SandboxedPlugin extends PluginProcess {
  kind: 'importer' | 'exporter'
  /** Holds home/, tmp/ and cwd/ of the process; scanned for canaries afterwards. */
  sandbox: string
  /** Set when the test killed the process on purpose: its stdout may end mid-frame. */
  killed: boolean
  kill(): void
}

const live: SandboxedPlugin[] = []
/** Every decoded message text the host got from a plugin: errors, error records. */
const decodedTexts: string[] = []

export function noteText(text: string | undefined): void {
  if (text) decodedTexts.push(text)
}

export function spawnPlugin(
  kind: 'importer' | 'exporter',
  extraEnv: Record<string, string> = {},
): SandboxedPlugin {
  const sandbox = mkdtempSync(path.join(tmpdir(), `scw-reliability-${kind}-`))
  for (const dir of ['home', 'tmp', 'cwd']) mkdirSync(path.join(sandbox, dir))
  const child: ChildProcessWithoutNullStreams = spawn(path.join(BIN, kind), [], {
    cwd: path.join(sandbox, 'cwd'),
    // Debug logging: more text written, more places a secret could slip into.
    env: {
      PATH: process.env.PATH,
      HOME: path.join(sandbox, 'home'),
      TMPDIR: path.join(sandbox, 'tmp'),
      SCW_SM_LOG_LEVEL: 'debug',
      ...extraEnv,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const { stderr, stderrMatching } = collectStderr(child)
  const stdoutChunks: Buffer[] = []
  // The host's HTTP/2 session talks to the child through these two, not its pipes
  // directly: once a killed child's pipes break, the session then sees a clean end of
  // stream (and fails its calls) instead of write errors inside Node's stream wrapper.
  const fromChild = new PassThrough()
  const toChild = new PassThrough()
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutChunks.push(chunk)
    fromChild.write(chunk)
  })
  child.stdout.on('close', () => fromChild.end())
  toChild.on('data', (chunk: Buffer) => {
    if (child.stdin.writable) child.stdin.write(chunk)
  })
  // A killed child breaks the pipe; writes then fail with EPIPE, which is expected here.
  child.stdin.on('error', () => {})
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const client = new GrpcPipeClient(fromChild, toChild)
  const plugin: SandboxedPlugin = {
    kind,
    sandbox,
    killed: false,
    child,
    client,
    stderr,
    stderrMatching,
    stdout: () => Buffer.concat(stdoutChunks),
    exit,
    kill: () => {
      plugin.killed = true
      child.kill('SIGKILL')
    },
    stop: async () => {
      client.close()
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      const code = await exit
      clearTimeout(timer)
      return code
    },
  }
  live.push(plugin)
  return plugin
}

// ---------------------------------------------------------------------------------------
// The leak audit

/** HTTP/2 frame types by number (RFC 9113, section 6). */
const FRAME_TYPES = [
  'DATA',
  'HEADERS',
  'PRIORITY',
  'RST_STREAM',
  'SETTINGS',
  'PUSH_PROMISE',
  'PING',
  'GOAWAY',
  'WINDOW_UPDATE',
  'CONTINUATION',
]

interface Frame {
  type: number
  flags: number
  stream: number
  payload: Buffer
}

/** Splits what a plugin wrote on stdout into HTTP/2 frames, or says why it cannot. */
export function parseFrames(wire: Buffer, truncatedTailAllowed: boolean): Frame[] | string {
  const frames: Frame[] = []
  let offset = 0
  while (offset < wire.length) {
    if (wire.length - offset < 9) {
      return truncatedTailAllowed ? frames : `${wire.length - offset} stray bytes at the end`
    }
    const length = wire.readUIntBE(offset, 3)
    const type = wire.readUInt8(offset + 3)
    const flags = wire.readUInt8(offset + 4)
    const stream = wire.readUInt32BE(offset + 5) & 0x7fffffff
    if (type >= FRAME_TYPES.length) return `unknown frame type ${type} at byte ${offset}`
    // Our host never raises SETTINGS_MAX_FRAME_SIZE above the 16 KiB default.
    if (length > 16384) return `frame of ${length} bytes at byte ${offset}`
    const connectionLevel = type === 4 || type === 6 || type === 7
    if (connectionLevel !== (stream === 0) && type !== 8) {
      return `${FRAME_TYPES[type]} frame on stream ${stream} at byte ${offset}`
    }
    if (offset + 9 + length > wire.length) {
      return truncatedTailAllowed ? frames : `frame at byte ${offset} runs past the end`
    }
    frames.push({ type, flags, stream, payload: wire.subarray(offset + 9, offset + 9 + length) })
    offset += 9 + length
  }
  if (frames[0] && frames[0].type !== 4) return 'the first frame is not SETTINGS'
  return frames
}

/** DATA frames of each stream, reassembled and cut into gRPC length-prefixed messages. */
function grpcMessageProblems(frames: Frame[], truncatedTailAllowed: boolean): string[] {
  const byStream = new Map<number, Buffer[]>()
  for (const frame of frames) {
    if (frame.type !== 0) continue
    let body = frame.payload
    // PADDED: the first byte says how much padding ends the frame.
    if (frame.flags & 0x8) body = body.subarray(1, body.length - (body[0] ?? 0))
    const list = byStream.get(frame.stream) ?? []
    list.push(body)
    byStream.set(frame.stream, list)
  }
  const problems: string[] = []
  for (const [stream, parts] of byStream) {
    const data = Buffer.concat(parts)
    let offset = 0
    while (offset + 5 <= data.length) {
      if (data[offset] !== 0) problems.push(`stream ${stream}: compressed or bad gRPC message flag`)
      offset += 5 + data.readUInt32BE(offset + 1)
    }
    if (offset !== data.length && !truncatedTailAllowed) {
      problems.push(`stream ${stream}: DATA does not end on a gRPC message boundary`)
    }
  }
  return problems
}

function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) yield* filesUnder(full)
    else yield full
  }
}

/**
 * Every representation of a secret we look for: as written, upper-cased (a UUID is
 * still the same key in capitals), and base64 of the bytes.
 */
function forms(text: string): string[] {
  return [text, text.toUpperCase(), Buffer.from(text).toString('base64')]
}

/** Files a plugin left in its sandbox (home, temp dir, working directory). */
export function sandboxFiles(plugin: SandboxedPlugin): string[] {
  return [...filesUnder(plugin.sandbox)]
}

/** What the audit found wrong with one process; empty when it is clean. */
export function auditPlugin(plugin: SandboxedPlugin): string[] {
  const leaks: string[] = []
  const name = `${plugin.kind} pid ${plugin.child.pid}`
  const wire = plugin.stdout()
  const stderr = plugin.stderr()
  const frames = parseFrames(wire, plugin.killed)
  if (typeof frames === 'string') leaks.push(`${name}: stdout is not HTTP/2 frames: ${frames}`)
  else {
    for (const p of grpcMessageProblems(frames, plugin.killed)) leaks.push(`${name}: ${p}`)
    for (const frame of frames) {
      // HEADERS may be Huffman-coded; their only free text (grpc-message) is audited
      // decoded, through noteText. Everything else but DATA must hold no payload.
      if (frame.type === 0 || frame.type === 1 || frame.type === 9) continue
      for (const canary of CANARY_PAYLOADS.flatMap(forms)) {
        if (frame.payload.includes(canary)) leaks.push(`${name}: payload in a control frame`)
      }
    }
  }
  for (const key of CANARY_KEYS) {
    for (const form of forms(key)) {
      if (wire.includes(form)) leaks.push(`${name}: secret key on stdout`)
      if (stderr.includes(form)) leaks.push(`${name}: secret key on stderr`)
    }
  }
  for (const canary of CANARY_PAYLOADS.flatMap(forms)) {
    if (stderr.includes(canary)) leaks.push(`${name}: payload on stderr`)
    // The exporter only echoes record headers: no payload ever goes back to the host.
    if (plugin.kind === 'exporter' && wire.includes(canary)) {
      leaks.push(`${name}: payload on the exporter's stdout`)
    }
  }
  for (const file of filesUnder(plugin.sandbox)) {
    const content = readFileSync(file)
    const secret = [...CANARY_KEYS, ...CANARY_PAYLOADS]
      .flatMap(forms)
      .some((c) => content.includes(c))
    // The plugins keep nothing on disk, so any file at all is worth a look.
    leaks.push(`${name}: ${secret ? 'secret written to' : 'wrote'} ${file}`)
  }
  return leaks
}

/** Stops every plugin of the test, audits it and the decoded texts; returns the leaks. */
export async function auditAll(): Promise<string[]> {
  const plugins = live.splice(0)
  await Promise.all(plugins.map((p) => p.stop()))
  const leaks = plugins.flatMap(auditPlugin)
  for (const text of decodedTexts.splice(0)) {
    for (const canary of [...CANARY_KEYS, ...CANARY_PAYLOADS].flatMap(forms)) {
      if (text.includes(canary)) leaks.push(`a message the host received quotes a secret: ${text}`)
    }
  }
  for (const plugin of plugins) rmSync(plugin.sandbox, { recursive: true, force: true })
  tally.processesAudited += plugins.length
  tally.leaksFound += leaks.length
  return leaks
}

/** Requests the emulator has seen, for fault accounting. */
export function requestsSeen(emu: Emulator): number {
  return emu.counts().total ?? 0
}
