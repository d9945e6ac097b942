// Command line of `npm run bench -- [options]`.
import { parseArgs } from 'node:util'

export const USAGE = `usage: npm run bench -- [options]
  --secrets <n>              secrets in the main data set (default 300)
  --versions <n>             versions per secret, 1..100 (default 4)
  --rate-limit <rps>         emulator rate limit for the main scenarios, 0 = none (default 100)
  --tuned-concurrency <n>    plugin concurrency of the tuned runs (default 32)
  --scale <list>             secret counts of the scaling runs (default 100,1000,10000,100000)
  --scale-baseline-max <n>   largest scaling run the baseline also does (default 10000)
  --baseline-sample <n>      secrets the baseline restores, extrapolated to all (default 40)
  --no-main                  skip the main scenarios (only the scaling runs)
  --no-plakar                skip the runs through the real plakar
  --no-baseline              skip the baseline script
  --profile                  write V8 CPU profiles of the plugin processes (test host runs)
  --dist <dir>               bench the importer.js and exporter.js of another build (no rebuild)
  --plugin-env <KEY=VALUE>   extra environment for the plugin processes (repeatable)
  --quick                    smoke run: 40 secrets x 2 versions, small scaling runs
  --out <dir>                where latest.json and scaling.svg go (default bench/results)`

export interface BenchOptions {
  secrets: number
  versions: number
  rateLimit: number | undefined
  tunedConcurrency: number
  scale: number[]
  scaleBaselineMax: number
  baselineSample: number
  main: boolean
  plakar: boolean
  baseline: boolean
  profile: boolean
  /** Folder holding importer.js and exporter.js; undefined = this checkout's dist/. */
  dist: string | undefined
  pluginEnv: Record<string, string>
  quick: boolean
  out: string
}

function integer(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name} expects an integer from ${min} to ${max}, got "${text}"`)
  }
  return n
}

function keyValue(text: string): [string, string] {
  const cut = text.indexOf('=')
  if (cut <= 0) throw new Error(`--plugin-env expects KEY=VALUE, got "${text}"`)
  return [text.slice(0, cut), text.slice(cut + 1)]
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      secrets: { type: 'string' },
      versions: { type: 'string' },
      'rate-limit': { type: 'string' },
      'tuned-concurrency': { type: 'string' },
      scale: { type: 'string' },
      'scale-baseline-max': { type: 'string' },
      'baseline-sample': { type: 'string' },
      'no-main': { type: 'boolean' },
      'no-plakar': { type: 'boolean' },
      'no-baseline': { type: 'boolean' },
      profile: { type: 'boolean' },
      dist: { type: 'string' },
      'plugin-env': { type: 'string', multiple: true },
      quick: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help'
  const quick = values.quick ?? false
  // Quick mode only changes defaults: explicit options still win.
  const rate = integer('rate-limit', values['rate-limit'] ?? '100', 0)
  return {
    secrets: integer('secrets', values.secrets ?? (quick ? '40' : '300'), 1),
    versions: integer('versions', values.versions ?? (quick ? '2' : '4'), 1, 100),
    rateLimit: rate === 0 ? undefined : rate,
    tunedConcurrency: integer('tuned-concurrency', values['tuned-concurrency'] ?? '32', 1, 64),
    scale: (values.scale ?? (quick ? '50,200,1000' : '100,1000,10000,100000'))
      .split(',')
      .map((n) => integer('scale', n.trim(), 1)),
    scaleBaselineMax: integer(
      'scale-baseline-max',
      values['scale-baseline-max'] ?? (quick ? '1000' : '10000'),
      0,
    ),
    baselineSample: integer(
      'baseline-sample',
      values['baseline-sample'] ?? (quick ? '10' : '40'),
      1,
    ),
    main: !(values['no-main'] ?? false),
    plakar: !(values['no-plakar'] ?? false),
    baseline: !(values['no-baseline'] ?? false),
    profile: values.profile ?? false,
    dist: values.dist,
    pluginEnv: Object.fromEntries((values['plugin-env'] ?? []).map(keyValue)),
    quick,
    out: values.out ?? 'bench/results',
  }
}
