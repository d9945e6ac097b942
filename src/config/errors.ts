// All problems of a configuration become one ConfigError (Plakar shows its text verbatim;
// fixing one problem per attempt is a slow loop). Received values are quoted, to reveal
// stray spaces or typos, unless they may be a credential.
import { isUuid } from '../core/secret-manager.js'

/** What every parser of this module returns: the value, or a reason (never naming the key). */
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason })

export type Connector = 'importer' | 'exporter'

export interface ConfigProblem {
  /** The config key (or other source, e.g. the scw config file) the problem is about. */
  readonly key: string
  /** One complete sentence or two, starting with the key. */
  readonly text: string
}

const MAX_SHOWN = 64
const SIMPLE_KEY = /^[A-Za-z0-9_.-]{1,64}$/

/** Unknown keys can be anything (even a pasted secret); quote and cut them. */
export function showKey(key: string): string {
  return SIMPLE_KEY.test(key) ? `\`${key}\`` : quote(key)
}

function quote(text: string): string {
  const chars = Array.from(text)
  if (chars.length <= MAX_SHOWN) return JSON.stringify(text)
  return `${JSON.stringify(chars.slice(0, MAX_SHOWN).join(''))}… (${chars.length} characters)`
}

// A secret key pasted into the wrong key (access_key, region...) must not be echoed
// either; only these keys legitimately carry UUIDs, everywhere else one is suspicious.
// Nor a key that lost or gained a character in the pasting: no UUID, but as secret.
const UUID_LIKE = /[0-9a-f]{4,}(?:-[0-9a-f]+){3,}/gi
const UUID_KEYS: ReadonlySet<string> = new Set(['location', 'project_id', 'key_id'])
const CREDENTIAL_KEYS: ReadonlySet<string> = new Set(['secret_key', 'secret_access_key'])

export function mayBeCredential(text: string): boolean {
  return text.search(UUID_LIKE) !== -1
}

/** `text` with what may be a key hidden: a UUID unless `key` holds ids, any near-UUID. */
function hideKeys(key: string, text: string): string {
  const ids = UUID_KEYS.has(key)
  return text.replace(UUID_LIKE, (token) => (ids && isUuid(token) ? token : HIDDEN_VALUE))
}

const suspicious = (key: string, value: unknown): boolean =>
  typeof value === 'string' && hideKeys(key, value) !== value

const HIDDEN_VALUE = '(a value not shown: it looks like a secret key)'

/**
 * Quotes a value inside a reason or hint: outside UUID_KEYS, anything UUID-shaped is hidden.
 * Messages that name a value must go through here (or refusal), or a pasted secret is printed.
 */
export function quoteValue(key: string, value: string): string {
  return suspicious(key, value) ? HIDDEN_VALUE : quote(value)
}

function showReceived(key: string, value: unknown): string {
  if (CREDENTIAL_KEYS.has(key)) return 'a value that is never shown (it is a credential)'
  if (suspicious(key, value)) return 'a value that is not shown because it looks like a secret key'
  if (typeof value === 'string') return quote(value)
  return `a ${value === null ? 'null' : typeof value} instead of a string`
}

/**
 * The problem with a value its key's schema refused: `received` is absent when the key is
 * missing; `origin` names where a value not given as a config key came from.
 */
export function refusal(
  key: string,
  allowed: string | undefined,
  issues: readonly { code: string; message: string }[],
  received?: { value: unknown },
  origin?: string,
): ConfigProblem {
  // Zod's own wording for a wrong type is generic; every other reason is ours.
  const typeReason = received === undefined ? 'missing (required)' : 'not a string'
  const [issue] = issues
  const reason = issue?.code === 'invalid_type' ? typeReason : (issue?.message ?? 'invalid')
  const from = origin === undefined ? '' : ` (from ${origin})`
  const got = received === undefined ? '' : `; got ${showReceived(key, received.value)}`
  // Backstop: should a reason ever quote its input, what may be a key is still not printed.
  const shown = hideKeys(key, reason)
  const tail = allowed === undefined ? '' : ` Allowed: ${allowed}.`
  return { key, text: `${key}${from}: ${shown}${got}.${tail}` }
}

/**
 * What hides the secret key itself, in any case, wherever a message quotes it: a key pasted
 * where a UUID belongs (the location, key_id) is shown there like any UUID. Values under 8
 * characters are not hidden (they cannot be a key, and would blank ordinary words).
 */
export function keyHider(keys: readonly unknown[]): (text: string) => string {
  const escaped = keys
    .filter((key): key is string => typeof key === 'string' && key.length >= 8)
    .map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  if (escaped.length === 0) return (text) => text
  const pattern = new RegExp(escaped.join('|'), 'gi')
  return (text) => text.replace(pattern, '[secret key]')
}

export const PLAKAR_OBJECT: Readonly<Record<Connector, string>> = {
  importer: 'source',
  exporter: 'destination',
}

function render(connector: Connector, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`
  return [
    `The scw-secret ${connector} configuration has ${count}:`,
    ...problems.map((problem) => `  - ${problem.text}`),
    `Fix the plakar ${PLAKAR_OBJECT[connector]} configuration (or override a key with -o key=value) and try again.`,
  ].join('\n')
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly problems: readonly ConfigProblem[]

  /** `hide` takes the secret key out of every text (see keyHider). */
  constructor(connector: Connector, problems: readonly ConfigProblem[], hide = (t: string) => t) {
    const shown = problems.map((problem) => ({ ...problem, text: hide(problem.text) }))
    super(render(connector, shown))
    this.problems = shown
  }
}
