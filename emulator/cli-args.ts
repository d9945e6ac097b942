// Command line of scw-sm-emulator, turned into EmulatorOptions.

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { parseFaults } from './faults.js'
import type { EmulatorOptions } from './index.js'
import { keysDocSchema } from './keys.js'
import { parseLatency } from './latency.js'
import { SAMPLE_PROJECT_ID, SAMPLE_REGION, sampleSeed } from './sample.js'
import { seedDocSchema } from './seed.js'

export const USAGE = `usage: scw-sm-emulator [options]
  --port <n>            listen port, 0 = any free port (default 0)
  --host <addr>         loopback address (default 127.0.0.1)
  --latency <mode>      off | recorded | <ms> (default off)
  --random-seed <n>     seed for latency jitter and faults
  --rate-limit <rps>    token bucket; over it, bare 429 like the real gateway
  --faults <spec>       e.g. 5xx=0.05,429=0.05,reset=0.01,stall=0.01,drop-after-write=0.01,stall-ms=30000
  --seed <file.json>    initial state (seed document)
  --sample              seed the built-in sample project (${SAMPLE_REGION}/${SAMPLE_PROJECT_ID})
  --keys <file.json>    API keys and permission sets (default: any UUID token, full access)
Prints its base URL as the first line on stdout; logs go to stderr. Stops on SIGTERM/SIGINT.`

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'))

const toNumber = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got "${text}"`)
  return n
}

export interface CliRequest {
  help: boolean
  options: EmulatorOptions
}

export const parseCli = (argv: string[]): CliRequest => {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      latency: { type: 'string' },
      'random-seed': { type: 'string' },
      'rate-limit': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      sample: { type: 'boolean' },
      keys: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const options: EmulatorOptions = {
    port: toNumber('port', values.port) ?? 0,
    host: values.host ?? '127.0.0.1',
    latency: values.latency === undefined ? 'off' : parseLatency(values.latency),
    randomSeed: toNumber('random-seed', values['random-seed']),
    rateLimit: toNumber('rate-limit', values['rate-limit']),
    faults: values.faults === undefined ? undefined : parseFaults(values.faults),
    seed:
      values.seed !== undefined
        ? seedDocSchema.parse(readJson(values.seed))
        : values.sample
          ? sampleSeed()
          : undefined,
    keys: values.keys === undefined ? undefined : keysDocSchema.parse(readJson(values.keys)),
  }
  return { help: values.help ?? false, options }
}
