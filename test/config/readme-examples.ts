// The `plakar source add` / `plakar destination add` lines of the README, parsed into the
// key=value map plakar hands the plugin, so that tests can hold them to the JSON Schemas
// and run them against the real plakar exactly as written.
import { readFileSync } from 'node:fs'

export const README = new URL('../../README.md', import.meta.url)

export interface ReadmeExample {
  /** The line as the README writes it (comment and surrounding text cut). */
  readonly line: string
  readonly kind: 'source' | 'destination'
  readonly name: string
  /** Every word after `plakar <kind> add <name>`: the location, then key=value pairs. */
  readonly words: readonly string[]
}

const ADD = /plakar (source|destination) add (\S+) ([^#`\n]+)/g

export function readmeExamples(text = readFileSync(README, 'utf8')): ReadmeExample[] {
  return [...text.matchAll(ADD)].map((match) => ({
    line: match[0].trimEnd(),
    kind: match[1] === 'source' ? 'source' : 'destination',
    name: match[2] ?? '',
    words: (match[3] ?? '').trim().split(/\s+/),
  }))
}

/** Replaces each `<placeholder>` from `values`; any placeholder left over is an error. */
export function fillPlaceholders(word: string, values: Readonly<Record<string, string>>): string {
  const filled = word.replace(/<([a-z-]+)>/g, (whole, name: string) => values[name] ?? whole)
  const left = filled.match(/<[^>]*>/)
  if (left) throw new Error(`README placeholder ${left[0]} has no test value (in ${word})`)
  return filled
}

/** The config map plakar passes the plugin for this example: location plus the pairs. */
export function configOf(
  example: ReadmeExample,
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  const [location = '', ...pairs] = example.words.map((word) => fillPlaceholders(word, values))
  const config: Record<string, string> = { location }
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new Error(`README example word ${pair} is not key=value: ${example.line}`)
    config[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return config
}

/**
 * Whether `plakar source show` / `destination show` (v1.1.4, subcommands/config) masks a
 * key: equal to, or ending in `_` plus, one of these names, ignoring case for equality.
 */
const PLAKAR_MASKED = [
  'access_key',
  'secret_access_key',
  'passphrase',
  'password',
  'pass',
  'private_key',
  'token',
  'client_id',
  'client_secret',
  'auth_token',
]

export function plakarMasks(key: string): boolean {
  return PLAKAR_MASKED.some((name) => key.toLowerCase() === name || key.endsWith(`_${name}`))
}
