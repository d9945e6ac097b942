// Resolves the connection settings (region, project, keys, endpoint) across sources.
// Precedence: config (the location or a key) > environment > scw config file. A value
// found in a source is validated there and then: a bad SCW_DEFAULT_REGION is an error,
// never a silent fall-through to the file.
import { homedir } from 'node:os'
import type { z } from 'zod'
import type { Region } from '../core/secret-manager.js'
import { type ConfigProblem, invalidValue, issueReason, quoteValue } from './errors.js'
import { accessKeyField, apiUrlField, regionField, secretKeyField, uuidField } from './fields.js'
import { PROTOCOL } from './location.js'
import { COMMON_SHAPE, type ImporterRaw, optionInfo } from './options.js'
import type { Redacted } from './redacted.js'
import {
  DEFAULT_PROFILE,
  type FileKey,
  loadScwFile,
  type MergedProfile,
  type ScwFile,
  scwConfigPath,
  selectProfile,
  stripQuotes,
} from './scw-file.js'
import type { ParseContext, Provenance, ProvenanceKey, Source } from './types.js'

/** What resolution needs of the parsed keys: the common ones, for either connector. */
interface Parsed {
  readonly values: Partial<Pick<ImporterRaw, keyof typeof COMMON_SHAPE>>
  readonly failed: ReadonlySet<string>
}

export interface Connection {
  readonly region: Region
  readonly projectId: string
  readonly secretKey: Redacted
  readonly accessKey?: string
  readonly apiUrl?: string
  readonly profile?: string
  /** Advice for the user about this configuration; never holds a value. */
  readonly warnings: readonly string[]
  readonly provenance: Provenance
}

interface Spec<T> {
  readonly key: ProvenanceKey
  readonly envVar: `SCW_${string}`
  readonly fileKey: FileKey
  readonly field: z.ZodType<T>
  /** Required settings are reported when missing; they may sit in the location or not. */
  readonly required?: 'in location' | 'elsewhere'
  /** How "missing" names the config key(s), when not simply `key`. */
  readonly configKeys?: string
}

const spec = <T>(
  key: ProvenanceKey,
  envVar: Spec<T>['envVar'],
  fileKey: FileKey,
  field: z.ZodType<T>,
  more: Pick<Spec<T>, 'required' | 'configKeys'> = {},
): Spec<T> => ({ key, envVar, fileKey, field, ...more })

const REGION = spec('region', 'SCW_DEFAULT_REGION', 'default_region', regionField, {
  required: 'in location',
})
const PROJECT = spec('project_id', 'SCW_DEFAULT_PROJECT_ID', 'default_project_id', uuidField, {
  required: 'in location',
})
const SECRET_KEY = spec('secret_key', 'SCW_SECRET_KEY', 'secret_key', secretKeyField, {
  required: 'elsewhere',
  configKeys: 'secret_access_key (or secret_key)',
})
const ACCESS_KEY = spec('access_key', 'SCW_ACCESS_KEY', 'access_key', accessKeyField)
const API_URL = spec('api_url', 'SCW_API_URL', 'api_url', apiUrlField)

interface Found<T> {
  readonly value: T
  readonly source: Source
}

interface Sources {
  readonly env: NodeJS.ProcessEnv
  readonly file: ScwFile
  readonly merged?: MergedProfile
  /** The file or profile could not be used: "missing" reports would only mislead. */
  readonly broken: boolean
  readonly problems: ConfigProblem[]
}

/** What the config says about one setting; blocked: it failed to parse, nothing more to say. */
interface ConfigSide<T> {
  readonly key?: T
  readonly location?: T
  readonly blocked: boolean
}

/** undefined: not found, or invalid (then a problem is recorded). */
function validate<T>(spec: Spec<T>, raw: unknown, source: Source, origin: string, s: Sources) {
  const result = spec.field.safeParse(raw)
  if (result.success) return { value: result.data, source }
  const info = optionInfo.get(COMMON_SHAPE[spec.key])
  const issue = result.error.issues[0] ?? { code: 'custom', message: 'invalid' }
  s.problems.push(
    invalidValue({
      key: spec.key,
      origin,
      reason: issueReason(issue, true),
      received: { value: raw },
      secret: info?.secret,
      allowed: info?.allowed,
    }),
  )
  return undefined
}

function fromConfig<T>(spec: Spec<T>, side: ConfigSide<T>, s: Sources): Found<T> | undefined {
  const { key, location } = side
  if (key !== undefined && location !== undefined && key !== location) {
    const shown = (value: T) => quoteValue(spec.key, String(value), spec.key === 'secret_key')
    s.problems.push({
      key: spec.key,
      text:
        `${spec.key}: the config key says ${shown(key)}, which differs from ` +
        `${shown(location)} given by the location. Remove one of them or make them agree.`,
    })
    return undefined
  }
  if (location !== undefined) return { value: location, source: 'location' }
  if (key !== undefined) return { value: key, source: 'config' }
  return undefined
}

function fromEnvOrFile<T>(spec: Spec<T>, s: Sources): Found<T> | undefined {
  const text = stripQuotes(s.env[spec.envVar] ?? '')
  if (text !== '') {
    const origin = `environment variable ${spec.envVar}`
    return validate(spec, text, `env:${spec.envVar}`, origin, s)
  }
  const found = s.merged?.values.get(spec.fileKey)
  if (found === undefined) return undefined
  const origin = `${spec.fileKey} in ${s.file.path}, profile "${found.profile}"`
  return validate(spec, found.value, `file:${s.file.path}#${found.profile}`, origin, s)
}

function fileLabel({ file, merged }: Sources): string {
  if (!file.exists) return `${file.path} (which does not exist)`
  const profile = merged?.profile
  if (profile === undefined || profile === DEFAULT_PROFILE) return `${file.path} (top level)`
  return `${file.path} (profile "${profile}" or the top level)`
}

function missing(spec: Spec<unknown>, s: Sources): ConfigProblem {
  const places = [
    ...(spec.required === 'in location'
      ? [`the location (${PROTOCOL}://<region>/<project_id>/<folder>)`]
      : []),
    `the config key ${spec.configKeys ?? spec.key}`,
    `the environment variable ${spec.envVar}`,
    `${spec.fileKey} in the scw config file ${fileLabel(s)}`,
  ]
  const last = places.pop()
  return { key: spec.key, text: `${spec.key}: missing. Set it in ${places.join(', ')} or ${last}.` }
}

/** The setting from the first source that has it; a problem when required and nowhere. */
function lookup<T>(spec: Spec<T>, side: ConfigSide<T>, s: Sources): Found<T> | undefined {
  if (side.blocked) return undefined
  const before = s.problems.length
  const reported = () => s.problems.length > before
  // A value found but refused (conflicting or invalid) stops the search: no fall-through.
  const found = fromConfig(spec, side, s) ?? (reported() ? undefined : fromEnvOrFile(spec, s))
  if (found === undefined && !reported() && spec.required && !s.broken) {
    s.problems.push(missing(spec, s))
  }
  return found
}

function readSources(parsed: Parsed, context: ParseContext, problems: ConfigProblem[]): Sources {
  const env = context.env ?? process.env
  const path = scwConfigPath(env, context.homeDir ?? homedir())
  const loaded = loadScwFile(path)
  if (!loaded.ok) {
    problems.push({
      key: 'scw config file',
      text: `scw config file ${path}: ${loaded.reason}. Fix it or point SCW_CONFIG_PATH at another file.`,
    })
    const file = { path, exists: false, defaults: {}, profiles: new Map() }
    return { env, file, broken: true, problems }
  }
  const byEnv = stripQuotes(env.SCW_PROFILE ?? '')
  const request =
    parsed.values.profile !== undefined
      ? { name: parsed.values.profile, by: 'the config key profile' }
      : byEnv !== ''
        ? { name: byEnv, by: 'the environment variable SCW_PROFILE' }
        : undefined
  const selected = selectProfile(loaded.value, request)
  if (!selected.ok) problems.push({ key: 'profile', text: `profile: ${selected.reason}.` })
  const merged = selected.ok ? selected.value : undefined
  return { env, file: loaded.value, merged, broken: !selected.ok, problems }
}

/**
 * secret_key (Plakar Control Plane's name) and secret_access_key (the name plakar masks in
 * `source show`) are one setting. Two different values are an error, named without them.
 */
function secretKeySide({ values, failed }: Parsed, s: Sources): ConfigSide<Redacted> {
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
  return {
    key: masked ?? plain,
    blocked: failed.has('secret_key') || failed.has('secret_access_key'),
  }
}

/** The warning when the secret key sits under the name plakar shows. */
const SHOWN_SECRET_KEY =
  'secret_key: plakar shows this key in clear (plakar source show, destination show). ' +
  'Store the secret key as secret_access_key instead, which plakar masks, or leave it out ' +
  'of the plakar configuration and set SCW_SECRET_KEY in the environment.'

export function resolveConnection(
  parsed: Parsed,
  context: ParseContext,
  problems: ConfigProblem[],
): Connection | undefined {
  const s = readSources(parsed, context, problems)
  const { values, failed } = parsed
  const location = values.location
  const blocked = (key: ProvenanceKey, inLocation = false): boolean =>
    failed.has(key) || (inLocation && failed.has('location'))
  const region = lookup(
    REGION,
    { key: values.region, location: location?.region, blocked: blocked('region', true) },
    s,
  )
  const project = lookup(
    PROJECT,
    { key: values.project_id, location: location?.projectId, blocked: blocked('project_id', true) },
    s,
  )
  const secretKey = lookup(SECRET_KEY, secretKeySide(parsed, s), s)
  const accessKey = lookup(
    ACCESS_KEY,
    { key: values.access_key, blocked: blocked('access_key') },
    s,
  )
  const apiUrl = lookup(API_URL, { key: values.api_url, blocked: blocked('api_url') }, s)
  if (region === undefined || project === undefined || secretKey === undefined) return undefined
  return {
    region: region.value,
    projectId: project.value,
    secretKey: secretKey.value,
    accessKey: accessKey?.value,
    apiUrl: apiUrl?.value,
    profile: s.merged?.profile,
    warnings: values.secret_key === undefined ? [] : [SHOWN_SECRET_KEY],
    provenance: {
      region: region.source,
      project_id: project.source,
      secret_key: secretKey.source,
      api_url: apiUrl?.source ?? 'default',
      ...(accessKey === undefined ? {} : { access_key: accessKey.source }),
    },
  }
}
