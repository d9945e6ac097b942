// THE raw-map schemas: every key Plakar may pass, as strings, with its default, what it
// allows, and how its text becomes the typed value. Error texts are reasons only ("not a
// UUID"): the formatter adds the key, the value and what is allowed, so a schema never echoes
// a secret. Docs and JSON Schema files are build-time work: scripts/lib/config-docs.ts.
import { z } from 'zod'
import { REGIONS, SECRET_TYPES, UUID_TEXT } from '../core/secret-manager.js'
import { fail, ok, quoteValue, type Result } from './errors.js'
import { NameGlob } from './glob.js'
import { normaliseSecretPath, PROTOCOL, parseLocation, protocolProblem } from './location.js'
import { Redacted } from './redacted.js'

/** Labels (environment, data classes) end up in reports and tags: keep them boring. */
const SLUG_PATTERN = /^[a-z][a-z0-9-]{0,31}$/
// JSON Schema patterns carry no flags, so the published ones spell out both cases.
const UUID_PATTERN = new RegExp(`^${UUID_TEXT.replaceAll('a-f', 'a-fA-F')}$`)

/** Adapts one of this module's parsers to a zod transform. */
function via<T>(parse: (text: string) => Result<T>) {
  return (text: string, ctx: z.core.$RefinementCtx<string>): T => {
    const result = parse(text)
    if (result.ok) return result.value
    ctx.addIssue({ code: 'custom', message: result.reason })
    return z.NEVER
  }
}

const region = z.enum(REGIONS, { error: 'not a Secret Manager region' })

const uuidText = z.string().regex(UUID_PATTERN, { error: 'not a UUID' })
const uuid = uuidText.transform((text) => text.toLowerCase())
// Kept verbatim (no case folding): it is a credential, sent as-is.
const secretKey = uuidText.transform((text) => new Redacted(text))

const accessKey = z.string().regex(/^SCW[A-Z0-9]{17}$/, {
  error: 'not an access key (SCW followed by 17 capital letters or digits)',
})

function checkApiUrl(text: string): Result<string> {
  if (!URL.canParse(text)) return fail('not a valid URL')
  const url = new URL(text)
  if (url.username !== '' || url.password !== '') return fail('it must not embed credentials')
  if (url.search !== '' || url.hash !== '') return fail('it must not have a query or fragment')
  // The SDK appends '/secret-manager/...' itself; a trailing slash would double it.
  return ok(text.replace(/\/+$/, ''))
}

const apiUrl = z
  .string()
  .regex(/^https?:\/\/\S+$/, { error: 'not an http:// or https:// URL' })
  .transform(via(checkApiUrl))

const TRUE_WORDS = ['true', '1', 'yes', 'on']
const FALSE_WORDS = ['false', '0', 'no', 'off']
const BOOLEAN_WORDS = `${[...TRUE_WORDS, ...FALSE_WORDS].join(', ')} (any case)`

// Each letter both ways, for the same reason as UUID_PATTERN.
const anyCase = (word: string): string =>
  word.replace(/[a-z]/g, (char) => `[${char}${char.toUpperCase()}]`)

const boolean = z
  .string()
  .regex(new RegExp(`^(?:${[...TRUE_WORDS, ...FALSE_WORDS].map(anyCase).join('|')})$`), {
    error: 'not a boolean',
  })
  .transform((text) => TRUE_WORDS.includes(text.toLowerCase()))

/** A number read from the text, refused outside [min, max] (`range` says it in words). */
function within(read: (text: string) => number, min: number, max: number, range: string) {
  return via((text) => {
    const value = read(text)
    return value >= min && value <= max ? ok(value) : fail(`must be between ${range}`)
  })
}

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, { error: 'not a whole number' })
    .transform(within(Number, min, max, `${min} and ${max}`))

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/** Plain numbers are seconds; otherwise Go-style sums such as '1m30s' or '1500ms'. */
function durationMs(text: string): number {
  if (/^[0-9.]+$/.test(text)) return Number(text) * 1_000
  let total = 0
  for (const [, amount, unit] of text.matchAll(/([0-9.]+)(ms|s|m|h)/g)) {
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? Number.NaN)
  }
  return total
}

const duration = (minMs: number, maxMs: number, range: string) =>
  z
    .string()
    .regex(/^(?:[0-9]+(?:\.[0-9]+)?|(?:[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h))+)$/, {
      error: 'not a duration',
    })
    .transform(within((text) => Math.round(durationMs(text)), minMs, maxMs, range))

const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

const uniqueSorted = (items: readonly string[]): string[] => [...new Set(items)].sort()

// Tags are matched against Scaleway's tags verbatim, so no case folding here.
const tags = z.string().transform((text) => uniqueSorted(splitList(text)))

function dataClasses(text: string): Result<string[]> {
  const items = splitList(text).map((item) => item.toLowerCase())
  const bad = items.filter((item) => !SLUG_PATTERN.test(item))
  if (bad.length === 0) return ok(uniqueSorted(items))
  const list = bad.map((item) => quoteValue('data_class', item)).join(', ')
  return fail(`${list} ${bad.length === 1 ? 'is not a slug' : 'are not slugs'}`)
}

const dataClass = z.string().transform(via(dataClasses))

const ALIASES: Record<string, string> = { prod: 'production', stg: 'staging', dev: 'development' }

const environment = z.string().transform(
  via((text) => {
    const lowered = text.trim().toLowerCase()
    const value = Object.hasOwn(ALIASES, lowered) ? (ALIASES[lowered] as string) : lowered
    return SLUG_PATTERN.test(value) ? ok(value) : fail('not a slug')
  }),
)

const secretType = z.enum(SECRET_TYPES, { error: 'not a secret type' })
const CONFLICT_POLICIES = ['sync', 'skip', 'fail'] as const
const onConflict = z.enum(CONFLICT_POLICIES, { error: 'not a conflict policy' })
const secretPath = z.string().transform(via(normaliseSecretPath))
const nameGlob = z.string().transform(via(NameGlob.parse))
const profile = z.string().min(1, { error: 'empty' })

const location = z
  .string()
  .regex(new RegExp(`^${PROTOCOL}://`), { error: (issue) => protocolProblem(String(issue.input)) })
  .transform(via(parseLocation))

/** What a key's value may be, as a phrase ("an integer from 1 to 64"), for errors and docs. */
export const optionInfo = z.registry<{ readonly allowed: string }>()

function option<T extends z.ZodType>(schema: T, allowed: string): T {
  optionInfo.add(schema, { allowed })
  return schema
}

const UUID = 'a UUID such as 0b9c6e1e-2f6c-4a5e-9d7a-3c1f2e4d5a6b'
const SECRET_KEY = 'the UUID secret part of a Scaleway API key'

export const COMMON_SHAPE = {
  location: option(
    location,
    'scw-secret://<region>/<project_id>[/<folder>], scw-secret://<region> or ' +
      'scw-secret:///<folder>',
  ),
  region: option(region.optional(), `one of ${REGIONS.join(', ')}`),
  project_id: option(uuid.optional(), UUID),
  access_key: option(accessKey.optional(), 'SCW followed by 17 capital letters or digits'),
  secret_access_key: option(secretKey.optional(), SECRET_KEY),
  secret_key: option(secretKey.optional(), SECRET_KEY),
  api_url: option(
    apiUrl.optional(),
    'an http:// or https:// URL without credentials, query or fragment',
  ),
  profile: option(profile.optional(), 'the name of a profile of the scw config file'),
  environment: option(
    environment.optional(),
    'production, staging, development or another slug ([a-z][a-z0-9-]{0,31})',
  ),
  data_class: option(
    dataClass.prefault(''),
    'a comma-separated list of slugs ([a-z][a-z0-9-]{0,31}, any case)',
  ),
  concurrency: option(integer(1, 64).prefault('32'), 'an integer from 1 to 64'),
  rate_limit: option(integer(0, 10_000).prefault('100'), 'an integer from 0 (no pacing) to 10000'),
  request_timeout: option(
    duration(1_000, 600_000, '1s and 10m').prefault('30s'),
    'seconds or a duration (ms, s, m, h; e.g. 1m30s) from 1s to 10m',
  ),
  max_retries: option(integer(0, 20).prefault('6'), 'an integer from 0 to 20'),
}

export const IMPORTER_SHAPE = {
  tags: option(tags.prefault(''), 'a comma-separated list of tags'),
  name: option(nameGlob.optional(), 'a non-empty glob using *, ?, [...] and \\ escapes'),
  type: option(secretType.optional(), `one of ${SECRET_TYPES.join(', ')}`),
  include_managed: option(boolean.prefault('true'), BOOLEAN_WORDS),
  include_deleted_metadata: option(boolean.prefault('true'), BOOLEAN_WORDS),
  read_disabled: option(boolean.prefault('false'), BOOLEAN_WORDS),
}

export const EXPORTER_SHAPE = {
  on_conflict: option(onConflict.prefault('sync'), `one of ${CONFLICT_POLICIES.join(', ')}`),
  dry_run: option(boolean.prefault('false'), BOOLEAN_WORDS),
  update_metadata: option(boolean.prefault('false'), BOOLEAN_WORDS),
  preserve_revisions: option(boolean.prefault('true'), BOOLEAN_WORDS),
  path: option(
    secretPath.optional(),
    'a Secret Manager path such as /restored/prod (no . or .. segments)',
  ),
  key_id: option(uuid.optional(), UUID),
}

export const importerRawSchema = z.strictObject({ ...COMMON_SHAPE, ...IMPORTER_SHAPE })
export const exporterRawSchema = z.strictObject({ ...COMMON_SHAPE, ...EXPORTER_SHAPE })

export type ImporterRaw = z.output<typeof importerRawSchema>
