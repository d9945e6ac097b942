// THE raw-map schemas: every key Plakar may pass, as strings, with its default and what it
// allows. Parsing runs these schemas; resolution (env, scw config file, cross-key checks)
// comes after. Descriptions, the README table and the JSON Schema files are build-time
// work: scripts/lib/config-docs.ts.
import { z } from 'zod'
import { REGIONS, SECRET_TYPES } from '../core/secret-manager.js'
import * as field from './fields.js'

/** What error messages (and the docs table) say about a key beyond its schema. */
export interface OptionInfo {
  /** What the value may be, as a phrase: "an integer from 1 to 64". */
  readonly allowed: string
  /** Never echo the received value. */
  readonly secret?: boolean
}

export const optionInfo = z.registry<OptionInfo>()

function option<T extends z.ZodType>(schema: T, allowed: string, secret = false): T {
  optionInfo.add(schema, secret ? { allowed, secret } : { allowed })
  return schema
}

const UUID = 'a UUID such as 0b9c6e1e-2f6c-4a5e-9d7a-3c1f2e4d5a6b'
const SECRET_KEY = 'the UUID secret part of a Scaleway API key'

export const COMMON_SHAPE = {
  location: option(
    field.location,
    'scw-secret://<region>/<project_id>[/<folder>], scw-secret://<region> or ' +
      'scw-secret:///<folder>',
  ),
  region: option(field.region.optional(), `one of ${REGIONS.join(', ')}`),
  project_id: option(field.uuid.optional(), UUID),
  access_key: option(field.accessKey.optional(), 'SCW followed by 17 capital letters or digits'),
  secret_access_key: option(field.secretKey.optional(), SECRET_KEY, true),
  secret_key: option(field.secretKey.optional(), SECRET_KEY, true),
  api_url: option(
    field.apiUrl.optional(),
    'an http:// or https:// URL without credentials, query or fragment',
  ),
  profile: option(field.profile.optional(), 'the name of a profile of the scw config file'),
  environment: option(
    field.environment.optional(),
    'production, staging, development or another slug ([a-z][a-z0-9-]{0,31})',
  ),
  data_class: option(
    field.dataClass.prefault(''),
    'a comma-separated list of slugs ([a-z][a-z0-9-]{0,31}, any case)',
  ),
  concurrency: option(field.integer(1, 64).prefault('32'), 'an integer from 1 to 64'),
  rate_limit: option(
    field.integer(0, 10_000).prefault('100'),
    'an integer from 0 (no pacing) to 10000',
  ),
  request_timeout: option(
    field.duration(1_000, 600_000, '1s and 10m').prefault('30s'),
    'seconds or a duration (ms, s, m, h; e.g. 1m30s) from 1s to 10m',
  ),
  max_retries: option(field.integer(0, 20).prefault('6'), 'an integer from 0 to 20'),
}

export const IMPORTER_SHAPE = {
  tags: option(field.tags.prefault(''), 'a comma-separated list of tags'),
  name: option(field.nameGlob.optional(), 'a non-empty glob using *, ?, [...] and \\ escapes'),
  type: option(field.secretType.optional(), `one of ${SECRET_TYPES.join(', ')}`),
  include_managed: option(field.boolean.prefault('true'), field.BOOLEAN_WORDS),
  include_deleted_metadata: option(field.boolean.prefault('true'), field.BOOLEAN_WORDS),
  read_disabled: option(field.boolean.prefault('false'), field.BOOLEAN_WORDS),
}

export const EXPORTER_SHAPE = {
  on_conflict: option(
    field.onConflict.prefault('sync'),
    `one of ${field.CONFLICT_POLICIES.join(', ')}`,
  ),
  dry_run: option(field.boolean.prefault('false'), field.BOOLEAN_WORDS),
  update_metadata: option(field.boolean.prefault('false'), field.BOOLEAN_WORDS),
  preserve_revisions: option(field.boolean.prefault('true'), field.BOOLEAN_WORDS),
  path: option(
    field.secretPath.optional(),
    'a Secret Manager path such as /restored/prod (no . or .. segments)',
  ),
  key_id: option(field.uuid.optional(), UUID),
}

export const importerRawSchema = z.strictObject({ ...COMMON_SHAPE, ...IMPORTER_SHAPE })
export const exporterRawSchema = z.strictObject({ ...COMMON_SHAPE, ...EXPORTER_SHAPE })

export type ImporterRaw = z.output<typeof importerRawSchema>
