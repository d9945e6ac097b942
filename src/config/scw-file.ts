// The scw CLI config file, read the way the Go CLI reads it (the JS configuration-loader
// ignores active_profile/SCW_PROFILE and does not merge profiles, so it is not used).
// Problems never quote the file's content: it holds secret keys.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, YAMLError } from 'yaml'
import { type ConfigProblem, fail, ok, quoteValue, type Result } from './errors.js'

type Mapping = Record<string, unknown>

/** The file as found; a missing file is an empty one, anything else that goes wrong an error. */
interface ScwFile {
  readonly path: string
  readonly exists: boolean
  readonly top: Mapping
  /** A profile with no body is null. */
  readonly profiles: ReadonlyMap<string, Mapping | null>
}

/** The file with a profile selected: its values come first, then the top level's. */
export interface ScwConfig extends ScwFile {
  /** The selected profile, undefined when only the top-level values apply. */
  readonly profile?: string
  readonly layers: readonly { readonly profile: string; readonly values: Mapping }[]
}

/** The name the scw CLI gives the top-level values. */
const DEFAULT_PROFILE = 'default'

/** Hand-edited files and `.env`-style exports often keep one layer of quotes. */
export function stripQuotes(text: string): string {
  const first = text[0]
  const quoted = text.length >= 2 && (first === '"' || first === "'") && text.endsWith(first)
  return quoted ? text.slice(1, -1) : text
}

/** A setting as the file gives it (non-strings kept, to be refused as such), and where. */
export function fileValue(file: ScwConfig, key: string) {
  for (const { profile, values } of file.layers) {
    const found = values[key]
    const value = typeof found === 'string' ? stripQuotes(found) : found
    const origin = `${key} in ${file.path}, profile "${profile}"`
    if (value !== undefined && value !== null && value !== '') return { value, origin }
  }
  return undefined
}

/** Where a setting missing from the file was looked for, for the "missing" message. */
export function fileLabel({ path, exists, profile = DEFAULT_PROFILE }: ScwConfig): string {
  if (!exists) return `${path} (which does not exist)`
  if (profile === DEFAULT_PROFILE) return `${path} (top level)`
  return `${path} (profile "${profile}" or the top level)`
}

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function loadScwFile(path: string): Result<ScwFile> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = isMapping(error) && typeof error.code === 'string' ? error.code : 'read error'
    if (code === 'ENOENT') return ok({ path, exists: false, top: {}, profiles: new Map() })
    return fail(`it cannot be read (${code})`)
  }
  let top: unknown
  try {
    top = parse(text, { logLevel: 'error' }) ?? {}
  } catch (error) {
    if (!(error instanceof YAMLError)) return fail('it is not valid YAML')
    // The error message quotes the offending line; only the position is safe to show.
    const at = error.linePos?.[0]
    const where = at === undefined ? '' : ` at line ${at.line}, column ${at.col}`
    return fail(`it is not valid YAML (${error.code}${where})`)
  }
  if (!isMapping(top)) return fail('it is not a YAML mapping')
  const listed = top.profiles ?? {}
  if (!isMapping(listed)) return fail('its `profiles` entry is not a mapping')
  const profiles = new Map<string, Mapping | null>()
  for (const [name, body] of Object.entries(listed)) {
    if (body !== null && !isMapping(body)) {
      return fail(`its profile ${quoteValue('profile', name)} is not a mapping`)
    }
    profiles.set(name, body)
  }
  return ok({ path, exists: true, top, profiles })
}

/** A profile asked for, and by whom (for messages: "the config key profile"). */
type ProfileRequest = { readonly name: string; readonly by: string }

/** The config key wins over SCW_PROFILE, which wins over the file's own active_profile. */
function profileRequest(
  file: ScwFile,
  env: NodeJS.ProcessEnv,
  key: string | undefined,
): Result<ProfileRequest | undefined> {
  if (key !== undefined) return ok({ name: key, by: 'the config key profile' })
  const byEnv = stripQuotes(env.SCW_PROFILE ?? '')
  if (byEnv !== '') return ok({ name: byEnv, by: 'the environment variable SCW_PROFILE' })
  const name = file.top.active_profile
  if (name === undefined || name === null || name === '') return ok(undefined)
  if (typeof name !== 'string') return fail('its active_profile is not a string')
  return ok({ name, by: `active_profile in ${file.path}` })
}

// Profile names are quoted like values: a secret key pasted into `profile` (or
// SCW_PROFILE) must not come back in the "no such profile" message.
function unknownProfile(file: ScwFile, request: ProfileRequest): string {
  const profile = quoteValue('profile', request.name)
  if (!file.exists) {
    return `profile ${profile} was requested by ${request.by}, but ${file.path} does not exist`
  }
  const names = [...file.profiles.keys()].map((name) => quoteValue('profile', name))
  const available = names.length === 0 ? 'it defines no profiles' : `it defines ${names.join(', ')}`
  return (
    `profile ${profile} (requested by ${request.by}) is not defined in ${file.path}; ` +
    `${available}, and "${DEFAULT_PROFILE}" selects the top-level values`
  )
}

function selectProfile(file: ScwFile, request?: ProfileRequest): Result<ScwConfig> {
  const layers = [{ profile: DEFAULT_PROFILE, values: file.top }]
  if (request !== undefined && request.name !== DEFAULT_PROFILE) {
    const own = file.profiles.get(request.name)
    if (own === undefined) return fail(unknownProfile(file, request))
    layers.unshift({ profile: request.name, values: own ?? {} })
  }
  return ok({ ...file, profile: request?.name, layers })
}

/**
 * The scw config file (SCW_CONFIG_PATH, else under XDG_CONFIG_HOME or ~/.config) for the
 * selected profile; undefined, with a problem recorded, when the file or profile is unusable.
 */
export function readScwConfig(
  env: NodeJS.ProcessEnv,
  homeDir: string,
  profileKey: string | undefined,
  problems: ConfigProblem[],
): ScwConfig | undefined {
  const path =
    env.SCW_CONFIG_PATH ||
    join(env.XDG_CONFIG_HOME || join(homeDir, '.config'), 'scw', 'config.yaml')
  const file = loadScwFile(path)
  if (!file.ok) {
    problems.push({
      key: 'scw config file',
      text: `scw config file ${path}: ${file.reason}. Fix it or point SCW_CONFIG_PATH at another file.`,
    })
    return undefined
  }
  const request = profileRequest(file.value, env, profileKey)
  const selected = request.ok ? selectProfile(file.value, request.value) : request
  if (!selected.ok) problems.push({ key: 'profile', text: `profile: ${selected.reason}.` })
  return selected.ok ? selected.value : undefined
}
