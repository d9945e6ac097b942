// The scw CLI config file, read the way the Go CLI reads it (the JS configuration-loader
// ignores active_profile/SCW_PROFILE and does not merge profiles, so it is not used).
// Problems never quote the file's content: it holds secret keys.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { type ConfigProblem, fail, ok, quoteValue, type Result } from './errors.js'

/**
 * Each connection setting's key in the file; as in the scw CLI, SCW_ and the same key in
 * capitals names its environment variable.
 */
export const FILE_KEY = {
  region: 'default_region',
  project_id: 'default_project_id',
  secret_key: 'secret_key',
  access_key: 'access_key',
  api_url: 'api_url',
} as const
type FileKey = (typeof FILE_KEY)[keyof typeof FILE_KEY]
const FILE_KEYS = Object.values(FILE_KEY)

/** Values as found; non-strings are kept so validation can say "not a string". */
type FileValues = Partial<Record<FileKey, unknown>>

interface ScwFile {
  readonly path: string
  readonly exists: boolean
  readonly top: FileValues
  readonly profiles: ReadonlyMap<string, FileValues>
  readonly activeProfile?: unknown
}

/** What the file says for the selected profile, merged over its top-level values. */
export interface ScwConfig {
  readonly path: string
  readonly exists: boolean
  /** The selected profile, undefined when only the top-level values apply. */
  readonly profile?: string
  /** Each value with the profile it was found in (DEFAULT_PROFILE for the top level). */
  readonly values: ReadonlyMap<FileKey, { readonly value: unknown; readonly profile: string }>
}

/** The name the scw CLI gives the top-level values. */
export const DEFAULT_PROFILE = 'default'

function scwConfigPath(env: NodeJS.ProcessEnv, homeDir: string): string {
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

/** A missing file is an empty one; anything else that goes wrong is an error. */
function loadScwFile(path: string): Result<ScwFile> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = isMapping(error) && typeof error.code === 'string' ? error.code : 'read error'
    if (code === 'ENOENT') return ok({ path, exists: false, top: {}, profiles: new Map() })
    return fail(`it cannot be read (${code})`)
  }
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  const data = parsed.value ?? {}
  if (!isMapping(data)) return fail('it is not a YAML mapping')
  const profiles = readProfiles(data.profiles)
  if (!profiles.ok) return profiles
  const activeProfile = data.active_profile
  return ok({ path, exists: true, top: pickValues(data), profiles: profiles.value, activeProfile })
}

interface ProfileRequest {
  readonly name: string
  /** Who asked for it, for error messages: "the config key profile". */
  readonly by: string
}

/** The config key wins over SCW_PROFILE, which wins over the file's own active_profile. */
function profileRequest(
  file: ScwFile,
  env: NodeJS.ProcessEnv,
  key: string | undefined,
): Result<ProfileRequest | undefined> {
  if (key !== undefined) return ok({ name: key, by: 'the config key profile' })
  const byEnv = stripQuotes(env.SCW_PROFILE ?? '')
  if (byEnv !== '') return ok({ name: byEnv, by: 'the environment variable SCW_PROFILE' })
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

function selectProfile(file: ScwFile, request?: ProfileRequest): Result<ScwConfig> {
  const layers: [profile: string, values: FileValues][] = [[DEFAULT_PROFILE, file.top]]
  if (request !== undefined && request.name !== DEFAULT_PROFILE) {
    const own = file.profiles.get(request.name)
    if (own === undefined) return fail(unknownProfile(file, request))
    layers.unshift([request.name, own])
  }
  const values = new Map<FileKey, { value: unknown; profile: string }>()
  for (const key of FILE_KEYS) {
    const [profile, found] = layers.find(([, layer]) => layer[key] !== undefined) ?? []
    if (profile !== undefined) values.set(key, { value: found?.[key], profile })
  }
  return ok({ path: file.path, exists: file.exists, profile: request?.name, values })
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
  const path = scwConfigPath(env, homeDir)
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
