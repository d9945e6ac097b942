// Markdown tables for stdout, and the JSON written to bench/results/latest.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Row } from './row.js'

const num = (n: number | null | undefined, digits = 2): string =>
  n === null || n === undefined ? '-' : n.toFixed(digits)

function checks(row: Row): string {
  const entries = Object.entries(row.checks)
  if (entries.length === 0) return ''
  const failed = entries.filter(([, ok]) => !ok).map(([name]) => name)
  return failed.length === 0 ? `ok (${entries.length})` : `FAIL: ${failed.join(', ')}`
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

export function mainTable(rows: Row[]): string {
  const header = [
    'scenario',
    'driver',
    'config',
    'wall s',
    'plugin done s',
    'plakar alone s',
    'bound s',
    'efficiency',
    'calls read/access/write',
    '429s',
    'retries',
    'peak RSS MB',
    'CPU s',
    'plakar or host CPU s',
    'emulator CPU s',
    'baseline s',
    'speed-up',
    'checks',
  ]
  const body = rows.map((r) => [
    r.scenario,
    r.driver,
    r.config,
    num(r.wall_s),
    num(r.plugin_done_s),
    num(r.plakar_alone_s),
    num(r.bound_s),
    num(r.efficiency),
    `${r.calls.read}/${r.calls.access}/${r.calls.write}`,
    String(r.rate_limited),
    String(r.retries),
    num(r.peak_rss_mb, 0),
    num(r.cpu_s),
    num(r.plakar_cpu_s ?? r.host_cpu_s),
    num(r.emulator_cpu_s),
    r.baseline_wall_s === undefined
      ? '-'
      : `${num(r.baseline_wall_s, 1)}${r.baseline_extrapolated_from ? '*' : ''}`,
    r.speedup === undefined ? '-' : `${num(r.speedup, 1)}x`,
    checks(r),
  ])
  return table(header, body)
}

export function scalingTable(rows: Row[]): string {
  const header = [
    'secrets',
    'records',
    'wall s',
    'peak RSS MB',
    'CPU s',
    'CPU ms / API call',
    'CPU s / 10k records',
    'emulator CPU s',
    'host CPU s',
    'baseline s',
    'baseline CPU ms / call',
    'baseline RSS MB',
    'speed-up',
  ]
  const body = rows.map((r) => [
    String(r.secrets),
    String(r.records ?? '-'),
    num(r.wall_s),
    num(r.peak_rss_mb, 0),
    num(r.cpu_s),
    num(r.cpu_ms_per_call, 3),
    num(r.cpu_s_per_10k_records),
    num(r.emulator_cpu_s),
    num(r.host_cpu_s),
    num(r.baseline_wall_s),
    num(r.baseline_cpu_ms_per_call, 3),
    num(r.baseline_peak_rss_mb, 0),
    r.speedup === undefined ? '-' : `${num(r.speedup, 1)}x`,
  ])
  return table(header, body)
}

/** Written through a .tmp file (ignored by git), so a reader never sees half a file. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}
