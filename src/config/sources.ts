// Resolves the connection settings (region, project, keys, endpoint) across sources.
// Precedence: config (the location or a key) > environment > scw config file. A value
// found in a source is validated there and then: a bad SCW_DEFAULT_REGION is an error,
// never a silent fall-through to the file.
import { homedir } from 'node:os'
import { type ConfigProblem, quoteValue, refusal } from './errors.js'
import type { Stage } from './keys.js'
import { PROTOCOL } from './location.js'
import { COMMON_SHAPE, type ImporterRaw, type importerRawSchema, optionInfo } from './options.js'
import { fileLabel, fileValue, readScwConfig, type ScwConfig, stripQuotes } from './scw-file.js'

/** The environment (default process.env) and home (default os.homedir(), for ~/.config/scw). */
export type ParseContext = { readonly env?: NodeJS.ProcessEnv; readonly homeDir?: string }

/** What resolution needs of the parsed keys (the common ones, for either connector). */
type Parsed = Pick<Stage<typeof importerRawSchema>, 'values' | 'failed' | 'problems'>

type SettingKey = 'region' | 'project_id' | 'secret_key' | 'access_key' | 'api_url'
type Values = { readonly [K in SettingKey]: NonNullable<ImporterRaw[K]> }

/**
 * Each setting's key in the scw config file (as in the scw CLI, SCW_ and that key in capitals
 * names its environment variable) and, if required, the config keys to name when it is missing.
 */
const SETTINGS: Readonly<Record<SettingKey, { fileKey: string; required?: string }>> = {
  region: { fileKey: 'default_region', required: 'region' },
  project_id: { fileKey: 'default_project_id', required: 'project_id' },
  secret_key: { fileKey: 'secret_key', required: 'secret_access_key (or secret_key)' },
  access_key: { fileKey: 'access_key' },
  api_url: { fileKey: 'api_url' },
}

interface Sources {
  readonly env: NodeJS.ProcessEnv
  /** Undefined when the file or profile could not be used: "missing" would only mislead. */
  readonly file?: ScwConfig
  readonly problems: ConfigProblem[]
}

/** What the config says about one setting; blocked: it failed to parse, nothing more to say. */
type ConfigSide<T> = { readonly key?: T; readonly location?: T; readonly blocked: boolean }

/** undefined: refused (then a problem is recorded). */
function validate<K extends SettingKey>(key: K, raw: unknown, origin: string, s: Sources) {
  const field = COMMON_SHAPE[key]
  const result = field.safeParse(raw)
  if (result.success) return result.data as Values[K]
  const allowed = optionInfo.get(field)?.allowed
  s.problems.push(refusal(key, allowed, result.error.issues, { value: raw }, origin))
  return undefined
}

function missing(key: SettingKey, file: ScwConfig): ConfigProblem | undefined {
  const { fileKey, required } = SETTINGS[key]
  if (required === undefined) return undefined
  const inLocation = key === 'region' || key === 'project_id'
  const places = [
    ...(inLocation ? [`the location (${PROTOCOL}://<region>/<project_id>/<folder>)`] : []),
    `the config key ${required}`,
    `the environment variable SCW_${fileKey.toUpperCase()}`,
    `${fileKey} in the scw config file ${fileLabel(file)}`,
  ]
  const last = places.pop()
  return { key, text: `${key}: missing. Set it in ${places.join(', ')} or ${last}.` }
}

/** The setting from the first source that has it; a problem if refused, or required and absent. */
function lookup<K extends SettingKey>(
  key: K,
  { key: given, location, blocked }: ConfigSide<Values[K]>,
  s: Sources,
): Values[K] | undefined {
  if (blocked) return undefined
  if (given !== undefined && location !== undefined && given !== location) {
    s.problems.push({
      key,
      text:
        `${key}: the config key says ${quoteValue(key, String(given))}, which differs from ` +
        `${quoteValue(key, String(location))} given by the location. ` +
        'Remove one of them or make them agree.',
    })
    return undefined
  }
  const fromConfig = location ?? given
  if (fromConfig !== undefined) return fromConfig
  const { fileKey } = SETTINGS[key]
  const envVar = `SCW_${fileKey.toUpperCase()}`
  const fromEnv = stripQuotes(s.env[envVar] ?? '')
  if (fromEnv !== '') return validate(key, fromEnv, `environment variable ${envVar}`, s)
  if (s.file === undefined) return undefined
  const inFile = fileValue(s.file, fileKey)
  if (inFile !== undefined) return validate(key, inFile.value, inFile.origin, s)
  const problem = missing(key, s.file)
  if (problem !== undefined) s.problems.push(problem)
  return undefined
}

/**
 * secret_key (Plakar Control Plane's name) and secret_access_key (the name plakar masks in
 * `source show`) are one setting. Two different values are an error, named without them.
 */
function secretKeySide({ values, failed }: Parsed, s: Sources): ConfigSide<Values['secret_key']> {
  const { secret_key: plain, secret_access_key: masked } = values
  if (plain !== undefined && masked !== undefined && plain.reveal() !== masked.reveal()) {
    s.problems.push({
      key: 'secret_key',
      text:
        'secret_key and secret_access_key: both are given and their values differ (neither ' +
        'is shown). They name the same setting, the API secret key: keep only ' +
        'secret_access_key, which plakar masks.',
    })
    return { blocked: true }
  }
  const blocked = failed.has('secret_key') || failed.has('secret_access_key')
  return { key: masked ?? plain, blocked }
}

/** The warning when the secret key sits under the name plakar shows. */
const SHOWN_SECRET_KEY =
  'secret_key: plakar shows this key in clear (plakar source show, destination show). ' +
  'Store the secret key as secret_access_key instead, which plakar masks, or leave it out ' +
  'of the plakar configuration and set SCW_SECRET_KEY in the environment.'

const PROJECT_IS_KEY =
  'project_id: the project id given (location, config, environment or scw file) is the ' +
  'secret key itself (secret_key or secret_access_key; neither is shown). Give the id of the ' +
  'project that holds the secrets (Scaleway console, Project settings).'

/**
 * Problems join `parsed.problems`; no settings when a required one could not be resolved.
 * Also the secret key as the environment or the scw file gives it, for messages to hide.
 */
export function resolveConnection(parsed: Parsed, context: ParseContext) {
  const { values, failed, problems } = parsed
  const env = context.env ?? process.env
  const file = readScwConfig(env, context.homeDir ?? homedir(), values.profile, problems)
  const s: Sources = { env, file, problems }
  const { location } = values
  // A location that failed to parse may have held the region and project.
  const inLocation = <K extends 'region' | 'project_id'>(key: K, fromLocation?: Values[K]) => ({
    key: values[key],
    location: fromLocation,
    blocked: failed.has(key) || failed.has('location'),
  })
  const region = lookup('region', inLocation('region', location?.region), s)
  const projectId = lookup('project_id', inLocation('project_id', location?.projectId), s)
  const secretKey = lookup('secret_key', secretKeySide(parsed, s), s)
  const own = (key: 'access_key' | 'api_url') => ({ key: values[key], blocked: failed.has(key) })
  const accessKey = lookup('access_key', own('access_key'), s)
  const apiUrl = lookup('api_url', own('api_url'), s)
  const inFile = file && fileValue(file, SETTINGS.secret_key.fileKey)?.value
  // The secret key as given outside the config (valid or not), never to be printed.
  const secretKeys = [stripQuotes(env.SCW_SECRET_KEY ?? ''), typeof inFile === 'string' && inFile]
  if (region === undefined || projectId === undefined || secretKey === undefined) {
    return { secretKeys }
  }
  if (projectId === secretKey.reveal().toLowerCase()) {
    // Both are UUIDs: taken as the project, the key would go into the snapshot's origin.
    problems.push({ key: 'project_id', text: PROJECT_IS_KEY })
    return { secretKeys }
  }
  const settings = {
    region,
    projectId,
    secretKey,
    /** Validated when given; the API itself only needs the secret key. */
    accessKey,
    /** Without trailing slash; undefined means the SDK's default endpoint. */
    apiUrl,
    /** The scw config file profile the file values were taken from, if any. */
    profile: file?.profile,
    /** Advice to log once; never holds a value. */
    warnings: values.secret_key === undefined ? [] : [SHOWN_SECRET_KEY],
  }
  return { settings, secretKeys }
}
