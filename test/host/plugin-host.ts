// Plays plakar's part against a real plugin process: spawns the built executable,
// speaks gRPC over its stdin/stdout, and keeps everything it wrote to stderr.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import path from 'node:path'
import pLimit from 'p-limit'
import type { Record as WireRecord } from '../../proto/generated/connectors.js'
import { GrpcPipeClient, GrpcStatusError } from './grpc-pipe.js'

export const DIST = path.resolve(import.meta.dirname, '../../dist')
/** The executables plakar starts (the manifest's `executable`): launchers for dist/. */
export const BIN = path.resolve(import.meta.dirname, '../../bin')

export interface PluginProcess {
  child: ChildProcessWithoutNullStreams
  client: GrpcPipeClient
  stderr: () => string
  /** See collectStderr. */
  stderrMatching(pattern: RegExp, from?: number): Promise<void>
  /** Every byte the child wrote on stdout (the gRPC wire). */
  stdout: () => Buffer
  exit: Promise<number | null>
  stop(): Promise<number | null>
}

/**
 * Everything a child writes on stderr, and a wait for a line: stderr is a pipe apart from
 * the gRPC wire, so a line the plugin logged before it ended a call may reach us after
 * the call's end. `stderrMatching` resolves once the text matches, or once stderr closes
 * (a killed plugin) with whatever came.
 */
export function collectStderr(child: ChildProcessWithoutNullStreams) {
  let text = ''
  const waiters = new Set<() => void>()
  const wake = () => {
    for (const waiter of waiters) waiter()
  }
  child.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8')
    wake()
  })
  let closed = false
  child.stderr.on('close', () => {
    closed = true
    wake()
  })
  // Only what came from `from` on (a call's start): an earlier call's line must not answer.
  const stderrMatching = (pattern: RegExp, from = 0) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!closed && !pattern.test(text.slice(from))) return
        waiters.delete(check)
        resolve()
      }
      waiters.add(check)
      check()
    })
  return { stderr: () => text, stderrMatching }
}

export function startPlugin(
  kind: 'importer' | 'exporter',
  env: NodeJS.ProcessEnv = {},
): PluginProcess {
  // Started as plakar starts it: the manifest's executable, the launcher that checks
  // Node.js and runs the bundle with the Node flags the package ships with.
  const child = spawn(path.join(BIN, kind), [], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const { stderr, stderrMatching } = collectStderr(child)
  const stdoutChunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const client = new GrpcPipeClient(child.stdout, child.stdin)
  return {
    child,
    client,
    stderr,
    stderrMatching,
    stdout: () => Buffer.concat(stdoutChunks),
    exit,
    stop: async () => {
      client.close()
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      const code = await exit
      clearTimeout(timer)
      return code
    },
  }
}

export interface InitResult {
  origin: string
  type: string
  root: string
  flags: number
}

const OPTIONS = { hostname: 'test', os: 'linux', arch: 'amd64', cwd: '/', maxconcurrency: 4 }

export function init(
  plugin: PluginProcess,
  kind: 'importer' | 'exporter',
  config: Record<string, string>,
): Promise<InitResult> {
  const pkg = kind === 'importer' ? 'importer' : 'plakar.exporter'
  return plugin.client.unary<InitResult>(
    `/${kind === 'importer' ? 'importer.Importer' : 'plakar.exporter.Exporter'}/Init`,
    `${pkg}.InitRequest`,
    `${pkg}.InitResponse`,
    { options: OPTIONS, proto: 'scw-secret', config },
  )
}

export function ping(plugin: PluginProcess, kind: 'importer' | 'exporter'): Promise<unknown> {
  const pkg = kind === 'importer' ? 'importer' : 'plakar.exporter'
  const service = kind === 'importer' ? 'importer.Importer' : 'plakar.exporter.Exporter'
  return plugin.client.unary(`/${service}/Ping`, `${pkg}.PingRequest`, `${pkg}.PingResponse`, {})
}

export function close(plugin: PluginProcess, kind: 'importer' | 'exporter'): Promise<unknown> {
  const pkg = kind === 'importer' ? 'importer' : 'plakar.exporter'
  const service = kind === 'importer' ? 'importer.Importer' : 'plakar.exporter.Exporter'
  return plugin.client.unary(`/${service}/Close`, `${pkg}.CloseRequest`, `${pkg}.CloseResponse`, {})
}

export interface ImportedEntry {
  record: WireRecord
  /** Bytes read through Open, if the host chose to open it. */
  data?: Buffer
  openError?: string
}

export interface ImportOptions {
  /** Which files to Open; default all files with a reader. */
  shouldOpen?: (record: WireRecord) => boolean
  /** Records being processed at once, as plakar bounds it (default 8). */
  concurrency?: number
}

/** One full Import: records, Opens for the chosen files, an ack per record, half-close. */
export async function runImport(
  plugin: PluginProcess,
  options: ImportOptions = {},
): Promise<ImportedEntry[]> {
  const from = plugin.stderr().length
  const call = plugin.client.call<{ record: WireRecord | null; finished: boolean }>(
    '/importer.Importer/Import',
    'importer.ImportRequest',
    'importer.ImportResponse',
  )
  const entries: ImportedEntry[] = []
  const work: Promise<void>[] = []
  const limit = pLimit(options.concurrency ?? 8)
  for (;;) {
    const message = await call.next()
    if (message === undefined) throw new Error('Import ended before finished')
    if (message.finished) break
    const record = message.record
    if (!record) throw new Error('Import sent neither record nor finished')
    const entry: ImportedEntry = { record }
    entries.push(entry)
    const wanted = record.hasReader && (options.shouldOpen?.(record) ?? true)
    work.push(
      limit(async () => {
        if (wanted) {
          try {
            entry.data = await openFile(plugin, record.pathname)
          } catch (error) {
            entry.openError = error instanceof Error ? error.message : String(error)
          }
        }
        call.send({ result: { header: record, error: '' } })
      }),
    )
  }
  await Promise.all(work)
  call.end()
  const tail = await call.next()
  if (tail !== undefined) throw new Error('Import sent a message after finished')
  await call.done
  await plugin.stderrMatching(/backup of /, from)
  return entries
}

export async function openFile(plugin: PluginProcess, pathname: string): Promise<Buffer> {
  const chunks = await plugin.client.serverStream<{ chunk: Buffer }>(
    '/importer.Importer/Open',
    'importer.OpenRequest',
    'importer.OpenResponse',
    { record: { pathname } },
  )
  return Buffer.concat(chunks.map((c) => c.chunk))
}

export interface ExportItem {
  record: Partial<WireRecord> & { pathname: string }
  data?: Buffer
}

export interface ExportResult {
  header: WireRecord
  error: string
}

/** One full Export: records and chunks in order, all results collected. */
/** An Export call's results, and the status it ended with when that was not OK. */
export interface ExportOutcome {
  results: ExportResult[]
  failure?: GrpcStatusError
}

export async function exportAll(
  plugin: PluginProcess,
  items: ExportItem[],
): Promise<ExportOutcome> {
  const from = plugin.stderr().length
  const call = plugin.client.call<{ result: ExportResult }>(
    '/plakar.exporter.Exporter/Export',
    'plakar.exporter.ExportRequest',
    'plakar.exporter.ExportResponse',
  )
  const results: ExportResult[] = []
  const reading = (async () => {
    for (;;) {
      const message = await call.next()
      if (message === undefined) return
      results.push(message.result)
    }
  })()
  for (const item of items) {
    call.send({ record: item.record })
    if (item.record.hasReader) {
      const data = item.data ?? Buffer.alloc(0)
      for (let offset = 0; offset < data.length; offset += 1024 * 1024) {
        call.send({ chunk: data.subarray(offset, offset + 1024 * 1024) })
      }
      call.send({ chunk: Buffer.alloc(0) })
    }
  }
  call.end()
  // The summary is logged before the call ends, failed or not.
  const summary = plugin.stderrMatching(/restore into |restore failed: /, from)
  try {
    await reading
    await call.done
  } catch (error) {
    if (!(error instanceof GrpcStatusError)) throw error
    await summary
    return { results, failure: error }
  }
  await summary
  return { results }
}

/** An Export that must end OK: its results. */
export async function runExport(
  plugin: PluginProcess,
  items: ExportItem[],
): Promise<ExportResult[]> {
  const { results, failure } = await exportAll(plugin, items)
  if (failure) throw failure
  return results
}

/** Turns an import's entries into the export stream plakar would send for `subtree`. */
export function snapshotToExport(entries: ImportedEntry[], subtree = '/'): ExportItem[] {
  const strip = subtree === '/' ? '' : subtree
  return entries
    .filter((e) => !e.record.error)
    .filter((e) => e.record.pathname === subtree || e.record.pathname.startsWith(`${strip}/`))
    .sort((a, b) => walkOrder(a.record.pathname, b.record.pathname))
    .map((e) => ({
      record: { ...e.record, pathname: e.record.pathname.slice(strip.length) || '/' },
      data: e.record.hasReader ? (e.data ?? Buffer.alloc(0)) : undefined,
    }))
}

/** Depth-first, children in byte order: the order plakar's restore walks a snapshot. */
function walkOrder(a: string, b: string): number {
  const as = a.split('/').filter((s) => s !== '')
  const bs = b.split('/').filter((s) => s !== '')
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = Buffer.compare(Buffer.from(as[i] ?? ''), Buffer.from(bs[i] ?? ''))
    if (c !== 0) return c
  }
  return as.length - bs.length
}
