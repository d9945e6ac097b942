// Drives a plugin process the way plakar does and measures it: wall time from spawn to
// the end of the call, then peak RSS and CPU time read from /proc once the work is done,
// just before the process is told to exit. Speaks gRPC through pipe-client.ts, which,
// unlike the test host, applies flow control as plakar does.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import pLimit from 'p-limit'
import type { Record as WireRecord } from '../proto/generated/connectors.js'
import type { InitResponse } from '../proto/generated/importer.js'
import type { ExportItem, ImportedEntry } from '../test/host/plugin-host.js'
import { type PipeCall, PipeClient } from './pipe-client.js'
import { type ProcUsage, readUsage } from './proc.js'

type Kind = 'importer' | 'exporter'

const SERVICE = { importer: 'importer.Importer', exporter: 'plakar.exporter.Exporter' }
const PACKAGE = { importer: 'importer', exporter: 'plakar.exporter' }
const OPTIONS = { hostname: 'bench', os: 'linux', arch: 'amd64', cwd: '/', maxconcurrency: 17 }
const CHUNK = 1024 * 1024

/** Node options for the plugin process, e.g. `--cpu-prof` (see --profile in run.ts). */
export const pluginNodeArgs: string[] = []
/** Extra environment for the plugin process (experiments with patched builds). */
export const pluginEnv: Record<string, string> = {}

interface Plugin {
  child: ChildProcessWithoutNullStreams
  client: PipeClient
  stderr: () => string
}

function spawnPlugin(file: string): Plugin {
  // Without extra Node options, start the launcher (bin/<kind>) as plakar does: it checks
  // Node.js and carries the Node flags the package ships with. Node refuses --cpu-prof in
  // NODE_OPTIONS, so profiling runs the bundle next to it directly.
  const bundle = path.join(path.dirname(file), '..', 'dist', `${path.basename(file)}.js`)
  const [command, args] =
    pluginNodeArgs.length > 0 ? [process.execPath, [...pluginNodeArgs, bundle]] : [file, []]
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SCW_SM_LOG_LEVEL: 'info', ...pluginEnv },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  return { child, client: new PipeClient(child.stdout, child.stdin), stderr: () => stderr }
}

async function stopPlugin({ child, client }: Plugin): Promise<void> {
  client.close()
  child.stdin.end()
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit')
  clearTimeout(timer)
}

function initPlugin(plugin: Plugin, kind: Kind, config: Record<string, string>) {
  return plugin.client.unary<InitResponse>(
    `/${SERVICE[kind]}/Init`,
    `${PACKAGE[kind]}.InitRequest`,
    `${PACKAGE[kind]}.InitResponse`,
    { options: OPTIONS, proto: 'scw-secret', config },
  )
}

export interface PluginRun<T> {
  result: T
  wallS: number
  usage: ProcUsage | undefined
  /** The plugin's summary line (`backup of ...` or `restore into ...`). */
  summary: string
}

/** The summary is logged when the call ends, which may come a moment after the host sees it. */
async function summaryLine(stderr: () => string): Promise<string> {
  for (let waited = 0; waited < 3000; waited += 20) {
    const line = stderr()
      .split('\n')
      .find((l) => /(backup of|restore into) /.test(l))
    if (line) return line
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return ''
}

async function measured<T>(
  file: string,
  kind: Kind,
  config: Record<string, string>,
  work: (plugin: Plugin) => Promise<T>,
): Promise<PluginRun<T>> {
  const started = performance.now()
  const plugin = spawnPlugin(file)
  try {
    await initPlugin(plugin, kind, config)
    const result = await work(plugin)
    const summary = await summaryLine(plugin.stderr)
    const wallS = (performance.now() - started) / 1000
    const usage = plugin.child.pid === undefined ? undefined : readUsage(plugin.child.pid)
    return { result, wallS, usage, summary }
  } catch (error) {
    const tail = plugin.stderr().split('\n').slice(-15).join('\n')
    throw new Error(`${kind} failed: ${String(error)}\n--- plugin stderr ---\n${tail}`)
  } finally {
    await stopPlugin(plugin)
  }
}

export interface ImportOptions {
  /** Opens in flight at once; plakar's default is 8 x CPUs + 1. */
  openConcurrency: number
  /** Records received and not yet acknowledged before the host stops reading. */
  window: number
  /** Keep records and payloads (to restore them later); off for scale runs. */
  keep: boolean
}

export interface ImportOutcome {
  records: number
  opened: number
  openErrors: number
  entries: ImportedEntry[]
}

interface ImportMessage {
  record: WireRecord | null
  finished: boolean
}

async function openPayload(client: PipeClient, pathname: string): Promise<Buffer> {
  const call = client.call<{ chunk: Buffer }>(
    '/importer.Importer/Open',
    'importer.OpenRequest',
    'importer.OpenResponse',
  )
  await call.send({ record: { pathname } })
  call.end()
  const chunks: Buffer[] = []
  for (let m = await call.next(); m !== undefined; m = await call.next()) chunks.push(m.chunk)
  return Buffer.concat(chunks)
}

/** One Import: records in, a bounded number of Opens, one ack per record after its Open. */
async function importAll({ client }: Plugin, options: ImportOptions): Promise<ImportOutcome> {
  const call = client.call<ImportMessage>(
    '/importer.Importer/Import',
    'importer.ImportRequest',
    'importer.ImportResponse',
  )
  const limit = pLimit(options.openConcurrency)
  const outcome: ImportOutcome = { records: 0, opened: 0, openErrors: 0, entries: [] }
  const unacked = new Set<Promise<void>>()
  // One waiter woken when any task ends: racing the whole window instead would attach a
  // reaction to every unacknowledged record each time, the host's largest CPU cost.
  let wake: (() => void) | undefined
  const slotFreed = () =>
    new Promise<void>((resolve) => {
      wake = resolve
    })
  // The record as decoded, every field set: echoed without a copy.
  const ack = (record: WireRecord) => call.send({ result: { header: record, error: '' } }, true)
  for (;;) {
    // Not asking for the next record is what holds the importer back (see pipe-client.ts).
    while (unacked.size >= options.window) await slotFreed()
    const message = await call.next()
    if (message === undefined) throw new Error('Import ended before finished')
    if (message.finished) break
    const record = message.record
    if (!record) throw new Error('Import sent neither record nor finished')
    outcome.records += 1
    const entry: ImportedEntry = { record }
    if (options.keep) outcome.entries.push(entry)
    if (!record.hasReader) {
      await ack(record)
      continue
    }
    const task = limit(async () => {
      try {
        const data = await openPayload(client, record.pathname)
        outcome.opened += 1
        if (options.keep) entry.data = data
      } catch (error) {
        outcome.openErrors += 1
        entry.openError = String(error)
      }
      await ack(record)
    }).finally(() => {
      unacked.delete(task)
      wake?.()
    })
    unacked.add(task)
  }
  await Promise.all(unacked)
  call.end()
  if ((await call.next()) !== undefined) throw new Error('Import sent a message after finished')
  return outcome
}

export function importerRun(
  file: string,
  config: Record<string, string>,
  options: ImportOptions,
): Promise<PluginRun<ImportOutcome>> {
  return measured(file, 'importer', config, (plugin) => importAll(plugin, options))
}

export interface ExportOutcome {
  results: number
  errors: string[]
}

interface ExportResult {
  result: { error: string } | null
}

async function drainResults(call: PipeCall<ExportResult>, outcome: ExportOutcome) {
  for (let m = await call.next(); m !== undefined; m = await call.next()) {
    outcome.results += 1
    if (m.result?.error) outcome.errors.push(m.result.error)
  }
}

/** One Export: records and chunks in walk order, one result per record back. */
async function exportAll({ client }: Plugin, items: ExportItem[]): Promise<ExportOutcome> {
  const call = client.call<ExportResult>(
    '/plakar.exporter.Exporter/Export',
    'plakar.exporter.ExportRequest',
    'plakar.exporter.ExportResponse',
  )
  const outcome: ExportOutcome = { results: 0, errors: [] }
  const reading = drainResults(call, outcome)
  for (const item of items) {
    await call.send({ record: item.record })
    if (!item.record.hasReader) continue
    const data = item.data ?? Buffer.alloc(0)
    for (let offset = 0; offset < data.length; offset += CHUNK) {
      await call.send({ chunk: data.subarray(offset, offset + CHUNK) })
    }
    // The zero-length chunk that marks the end of a file.
    await call.send({ chunk: Buffer.alloc(0) })
  }
  call.end()
  await reading
  return outcome
}

export function exporterRun(
  file: string,
  config: Record<string, string>,
  items: ExportItem[],
): Promise<PluginRun<ExportOutcome>> {
  return measured(file, 'exporter', config, (plugin) => exportAll(plugin, items))
}
