// Resolves the connection settings (region, project, keys, endpoint) across sources.
// Precedence: config (the location or a key) > environment > scw config file. A value
// found in a source is validated there and then: a bad SCW_DEFAULT_REGION is an error,
// never a silent fall-through to the file.
import { homedir } from 'node:os'
import type { z } from 'zod'
import type { Region } from '../scaleway/api.js'
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
  type ProfileRequest,
  type ScwFile,
  scwConfigPath,
  selectProfile,
  stripQuotes,
} from './scw-file.js'
import type { ParseContext, Provenance, ProvenanceKey, Source } from './types.js'

type CommonValues = Partial<Pick<ImporterRaw, keyof typeof COMMON_SHAPE>>

/** The raw parse stage's result: typed values of the keys that passed, and those that failed. */
export interface RawStage {
  readonly values: CommonValues
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
  readonly secret?: boolean
  /** How "missing" names the config key(s), when not simply `key`. */
  readonly configKeys?: string
  /** The location can carry it, so "missing" should mention the location. */
  readonly inLocation?: boolean
}

const REGION: Spec<Region> = {
  key: 'region',
  envVar: 'SCW_DEFAULT_REGION',
  fileKey: 'default_region',
  field: regionField,
  inLocation: true,
}
const PROJECT: Spec<string> = {
  key: 'project_id',
  envVar: 'SCW_DEFAULT_PROJECT_ID',
  fileKey: 'default_project_id',
  field: uuidField,
  inLocation: true,
}
const SECRET_KEY: Spec<Redacted> = {
  key: 'secret_key',
  envVar: 'SCW_SECRET_KEY',
  fileKey: 'secret_key',
  field: secretKeyField,
  secret: true,
  configKeys: 'secret_access_key (or secret_key)',
}
const ACCESS_KEY: Spec<string> = {
  key: 'access_key',
  envVar: 'SCW_ACCESS_KEY',
  fileKey: 'access_key',
  field: accessKeyField,
}
const API_URL: Spec<string> = {
  key: 'api_url',
  envVar: 'SCW_API_URL',
  fileKey: 'api_url',
  field: apiUrlField,
}

interface Found<T> {
  readonly value: T
  readonly source: Source
}

/** 'blocked': the value exists but is invalid (already reported); do not report it missing. */
type Lookup<T> = Found<T> | 'blocked' | undefined

interface Sources {
  readonly env: NodeJS.ProcessEnv
  readonly file: ScwFile
  readonly merged?: MergedProfile
  readonly problems: ConfigProblem[]
}

function validate<T>(
  spec: Spec<T>,
  raw: unknown,
  source: Source,
  origin: string,
  sources: Sources,
) {
  const result = spec.field.safeParse(raw)
  if (result.success) return { value: result.data, source }
  const issue = result.error.issues[0] ?? { code: 'custom', message: 'invalid' }
  sources.problems.push(
    invalidValue({
      key: spec.key,
      origin,
      reason: issueReason(issue, true),
      received: { value: raw },
      secret: spec.secret ?? false,
      allowed: optionInfo.get(COMMON_SHAPE[spec.key])?.allowed,
    }),
  )
  return 'blocked' as const
}

function fromEnv<T>(spec: Spec<T>, sources: Sources): Lookup<T> {
  const text = stripQuotes(sources.env[spec.envVar] ?? '')
  if (text === '') return undefined
  const origin = `environment variable ${spec.envVar}`
  return validate(spec, text, `env:${spec.envVar}`, origin, sources)
}

function fromFile<T>(spec: Spec<T>, sources: Sources): Lookup<T> {
  const found = sources.merged?.values.get(spec.fileKey)
  if (found === undefined) return undefined
  const { path } = sources.file
  const origin = `${spec.fileKey} in ${path}, profile "${found.profile}"`
  return validate(spec, found.value, `file:${path}#${found.profile}`, origin, sources)
}

function fromConfig<T>(
  spec: Spec<T>,
  fromKey: T | undefined,
  fromLocation: T | undefined,
  sources: Sources,
): Lookup<T> {
  const shown = (value: T) => quoteValue(spec.key, String(value), spec.secret)
  if (fromKey !== undefined && fromLocation !== undefined && fromKey !== fromLocation) {
    sources.problems.push({
      key: spec.key,
      text:
        `${spec.key}: the config key says ${shown(fromKey)}, which differs from ` +
        `${shown(fromLocation)} given by the location. Remove one of them or make them agree.`,
    })
    return 'blocked'
  }
  if (fromLocation !== undefined) return { value: fromLocation, source: 'location' }
  if (fromKey !== undefined) return { value: fromKey, source: 'config' }
  return undefined
}

function fileLabel(sources: Sources): string {
  const { file, merged } = sources
  if (!file.exists) return `${file.path} (which does not exist)`
  const profile = merged?.profile
  if (profile === undefined || profile === DEFAULT_PROFILE) return `${file.path} (top level)`
  return `${file.path} (profile "${profile}" or the top level)`
}

function missing(spec: Spec<unknown>, sources: Sources): ConfigProblem {
  const places = [
    ...(spec.inLocation ? [`the location (${PROTOCOL}://<region>/<project_id>/<folder>)`] : []),
    `the config key ${spec.configKeys ?? spec.key}`,
    `the environment variable ${spec.envVar}`,
    `${spec.fileKey} in the scw config file ${fileLabel(sources)}`,
  ]
  const last = places.pop()
  return {
    key: spec.key,
    text: `${spec.key}: missing. Set it in ${places.join(', ')} or ${last}.`,
  }
}

interface ConfigSide<T> {
  readonly key?: T
  readonly location?: T
  /** The key or the location failed to parse: nothing more to say about this setting. */
  readonly blocked: boolean
}

function lookup<T>(spec: Spec<T>, side: ConfigSide<T>, sources: Sources): Lookup<T> {
  const configured = fromConfig(spec, side.key, side.location, sources)
  if (configured !== undefined) return configured
  if (side.blocked) return 'blocked'
  return fromEnv(spec, sources) ?? fromFile(spec, sources)
}

function required<T>(
  spec: Spec<T>,
  side: ConfigSide<T>,
  sources: Sources,
  quiet: boolean,
): Found<T> | undefined {
  const found = lookup(spec, side, sources)
  if (found === 'blocked') return undefined
  if (found === undefined && !quiet) {
    sources.problems.push(missing(spec, sources))
  }
  return found
}

function optional<T>(spec: Spec<T>, side: ConfigSide<T>, sources: Sources): Found<T> | undefined {
  const found = lookup(spec, side, sources)
  return found === 'blocked' ? undefined : found
}

function profileRequest(stage: RawStage, env: NodeJS.ProcessEnv): ProfileRequest | undefined {
  if (stage.values.profile !== undefined) {
    return { name: stage.values.profile, by: 'the config key profile' }
  }
  const fromEnv = stripQuotes(env.SCW_PROFILE ?? '')
  if (fromEnv !== '') return { name: fromEnv, by: 'the environment variable SCW_PROFILE' }
  return undefined
}

interface FileState {
  readonly file: ScwFile
  readonly merged?: MergedProfile
  /** The file or profile could not be used: "missing" reports would only mislead. */
  readonly broken: boolean
}

function readFileState(
  stage: RawStage,
  env: NodeJS.ProcessEnv,
  homeDir: string,
  problems: ConfigProblem[],
): FileState {
  const path = scwConfigPath(env, homeDir)
  const loaded = loadScwFile(path)
  if (!loaded.ok) {
    problems.push({
      key: 'scw config file',
      text: `scw config file ${path}: ${loaded.reason}. Fix it or point SCW_CONFIG_PATH at another file.`,
    })
    return { file: { path, exists: false, defaults: {}, profiles: new Map() }, broken: true }
  }
  const selected = selectProfile(loaded.value, profileRequest(stage, env))
  if (!selected.ok) {
    problems.push({ key: 'profile', text: `profile: ${selected.reason}.` })
    return { file: loaded.value, broken: true }
  }
  return { file: loaded.value, merged: selected.value, broken: false }
}

/**
 * secret_key (Plakar Control Plane's name) and secret_access_key (the name plakar masks in
 * `source show`) are one setting. Two different values are an error, named without them.
 */
function secretKeySide(stage: RawStage, problems: ConfigProblem[]): ConfigSide<Redacted> {
  const { secret_key: plain, secret_access_key: masked } = stage.values
  const blocked = stage.failed.has('secret_key') || stage.failed.has('secret_access_key')
  if (plain !== undefined && masked !== undefined && plain.reveal() !== masked.reveal()) {
    problems.push({
      key: 'secret_key',
      text:
        'secret_key and secret_access_key: both are given and their values differ (neither ' +
        'is shown). They name the same setting, the API secret key: keep only ' +
        'secret_access_key, which plakar masks.',
    })
    return { blocked: true }
  }
  return { key: masked ?? plain, blocked }
}

/** The once-per-process warning when the secret key sits under the name plakar shows. */
export const SHOWN_SECRET_KEY =
  'secret_key: plakar shows this key in clear (plakar source show, destination show). ' +
  'Store the secret key as secret_access_key instead, which plakar masks, or leave it out ' +
  'of the plakar configuration and set SCW_SECRET_KEY in the environment.'

export function resolveConnection(
  stage: RawStage,
  context: ParseContext,
  problems: ConfigProblem[],
): Connection | undefined {
  const env = context.env ?? process.env
  const state = readFileState(stage, env, context.homeDir ?? homedir(), problems)
  const sources: Sources = { env, file: state.file, merged: state.merged, problems }
  const { values, failed } = stage
  const locationFailed = failed.has('location')
  const side = <T>(key: ProvenanceKey, value: T | undefined, location?: T): ConfigSide<T> => ({
    key: value,
    location,
    blocked: failed.has(key) || (locationFailed && (key === 'region' || key === 'project_id')),
  })
  const quiet = state.broken
  const region = required(
    REGION,
    side('region', values.region, values.location?.region),
    sources,
    quiet,
  )
  const project = required(
    PROJECT,
    side('project_id', values.project_id, values.location?.projectId),
    sources,
    quiet,
  )
  const secretKey = required(SECRET_KEY, secretKeySide(stage, problems), sources, quiet)
  const accessKey = optional(ACCESS_KEY, side('access_key', values.access_key), sources)
  const apiUrl = optional(API_URL, side('api_url', values.api_url), sources)
  if (region === undefined || project === undefined || secretKey === undefined) return undefined
  return {
    region: region.value,
    projectId: project.value,
    secretKey: secretKey.value,
    accessKey: accessKey?.value,
    apiUrl: apiUrl?.value,
    profile: state.merged?.profile,
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
