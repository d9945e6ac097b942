// The scw CLI config file, read the way the Go CLI reads it (the JS configuration-loader
// ignores active_profile/SCW_PROFILE and does not merge profiles, so it is not used).
// Problems never quote the file's content: it holds secret keys.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { fail, ok, quoteValue, type Result } from './errors.js'

const FILE_KEYS = [
  'access_key',
  'secret_key',
  'default_region',
  'default_project_id',
  'api_url',
] as const
export type FileKey = (typeof FILE_KEYS)[number]

/** Values as found; non-strings are kept so validation can say "not a string". */
type FileValues = Partial<Record<FileKey, unknown>>

export interface ScwFile {
  readonly path: string
  readonly exists: boolean
  readonly defaults: FileValues
  readonly profiles: ReadonlyMap<string, FileValues>
  readonly activeProfile?: unknown
}

/** The name the scw CLI gives the top-level values. */
export const DEFAULT_PROFILE = 'default'

export function scwConfigPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  if (env.SCW_CONFIG_PATH) return env.SCW_CONFIG_PATH
  return join(env.XDG_CONFIG_HOME || join(homeDir, '.config'), 'scw', 'config.yaml')
}

/** Hand-edited files and `.env`-style exports often keep one layer of quotes. */
export function stripQuotes(text: string): string {
  const first = text[0]
  const quoted = text.length >= 2 && (first === '"' || first === "'") && text.endsWith(first)
  return quoted ? text.slice(1, -1) : text
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function pickValues(node: Record<string, unknown>): FileValues {
  const values: FileValues = {}
  for (const key of FILE_KEYS) {
    const value = node[key]
    if (value === undefined || value === null) continue
    const text = typeof value === 'string' ? stripQuotes(value) : value
    if (text !== '') values[key] = text
  }
  return values
}

function parseYaml(text: string): Result<unknown> {
  const document = parseDocument(text)
  const error = document.errors[0]
  if (error !== undefined) {
    // The error message quotes the offending line; only the position is safe to show.
    const at = error.linePos?.[0]
    const where = at === undefined ? '' : ` at line ${at.line}, column ${at.col}`
    return fail(`it is not valid YAML (${error.code}${where})`)
  }
  try {
    return ok(document.toJS())
  } catch {
    return fail('it is not valid YAML')
  }
}

function readProfiles(node: unknown): Result<Map<string, FileValues>> {
  const profiles = new Map<string, FileValues>()
  if (node === undefined || node === null) return ok(profiles)
  if (!isMapping(node)) return fail('its `profiles` entry is not a mapping')
  for (const [name, body] of Object.entries(node)) {
    if (body === null) profiles.set(name, {})
    else if (isMapping(body)) profiles.set(name, pickValues(body))
    else return fail(`its profile ${quoteValue('profile', name)} is not a mapping`)
  }
  return ok(profiles)
}

function fromData(path: string, data: unknown): Result<ScwFile> {
  if (data === undefined || data === null) data = {}
  if (!isMapping(data)) return fail('it is not a YAML mapping')
  const profiles = readProfiles(data.profiles)
  if (!profiles.ok) return profiles
  return ok({
    path,
    exists: true,
    defaults: pickValues(data),
    profiles: profiles.value,
    activeProfile: data.active_profile,
  })
}

function errorCode(error: unknown): string {
  return isMapping(error) && typeof error.code === 'string' ? error.code : 'read error'
}

/** A missing file is an empty one; anything else that goes wrong is an error. */
export function loadScwFile(path: string): Result<ScwFile> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOENT') {
      return ok({ path, exists: false, defaults: {}, profiles: new Map() })
    }
    return fail(`it cannot be read (${code})`)
  }
  const data = parseYaml(text)
  return data.ok ? fromData(path, data.value) : data
}

export interface ProfileRequest {
  readonly name: string
  /** Who asked for it, for error messages: "the config key profile". */
  readonly by: string
}

interface FileValue {
  readonly value: unknown
  /** The profile the value was found in; DEFAULT_PROFILE for top-level values. */
  readonly profile: string
}

export interface MergedProfile {
  /** The selected profile, undefined when only the top-level values apply. */
  readonly profile?: string
  readonly values: ReadonlyMap<FileKey, FileValue>
}

function activeProfile(file: ScwFile): Result<ProfileRequest | undefined> {
  const name = file.activeProfile
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

function merge(file: ScwFile, name: string | undefined, own: FileValues): MergedProfile {
  const values = new Map<FileKey, FileValue>()
  for (const key of FILE_KEYS) {
    const mine = own[key]
    const fallback = file.defaults[key]
    if (mine !== undefined && name !== undefined) values.set(key, { value: mine, profile: name })
    else if (fallback !== undefined) values.set(key, { value: fallback, profile: DEFAULT_PROFILE })
  }
  return { profile: name, values }
}

/** The explicit request wins; otherwise the file's own active_profile applies. */
export function selectProfile(file: ScwFile, explicit?: ProfileRequest): Result<MergedProfile> {
  const active = explicit === undefined ? activeProfile(file) : ok(explicit)
  if (!active.ok) return active
  const request = active.value
  if (request === undefined) return ok(merge(file, undefined, {}))
  if (request.name === DEFAULT_PROFILE) return ok(merge(file, DEFAULT_PROFILE, {}))
  const own = file.profiles.get(request.name)
  if (own === undefined) return fail(unknownProfile(file, request))
  return ok(merge(file, request.name, own))
}
