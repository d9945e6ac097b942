// THE raw-map schemas: every key Plakar may pass, as strings, with its default and what it
// allows. Parsing runs these schemas; resolution (env, scw config file, cross-key checks)
// comes after. Descriptions, the README table and the JSON Schema files are build-time
// work: scripts/lib/config-docs.ts.
import { z } from 'zod'
import { REGIONS, SECRET_TYPES } from '../core/secret-manager.js'
import {
  accessKeyField,
  apiUrlField,
  BOOLEAN_WORDS,
  booleanField,
  CONFLICT_POLICIES,
  dataClassField,
  durationField,
  environmentField,
  integerField,
  locationField,
  nameGlobField,
  onConflictField,
  profileField,
  regionField,
  secretKeyField,
  secretPathField,
  secretTypeField,
  tagsField,
  uuidField,
} from './fields.js'

/** What error messages (and the docs table) say about a key beyond its schema. */
interface OptionInfo {
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
    locationField,
    'scw-secret://<region>/<project_id>[/<folder>], scw-secret://<region> or ' +
      'scw-secret:///<folder>',
  ),
  region: option(regionField.optional(), `one of ${REGIONS.join(', ')}`),
  project_id: option(uuidField.optional(), UUID),
  access_key: option(accessKeyField.optional(), 'SCW followed by 17 capital letters or digits'),
  secret_access_key: option(secretKeyField.optional(), SECRET_KEY, true),
  secret_key: option(secretKeyField.optional(), SECRET_KEY, true),
  api_url: option(
    apiUrlField.optional(),
    'an http:// or https:// URL without credentials, query or fragment',
  ),
  profile: option(profileField.optional(), 'the name of a profile of the scw config file'),
  environment: option(
    environmentField.optional(),
    'production, staging, development or another slug ([a-z][a-z0-9-]{0,31})',
  ),
  data_class: option(
    dataClassField.prefault(''),
    'a comma-separated list of slugs ([a-z][a-z0-9-]{0,31}, any case)',
  ),
  concurrency: option(integerField(1, 64).prefault('32'), 'an integer from 1 to 64'),
  rate_limit: option(
    integerField(0, 10_000).prefault('100'),
    'an integer from 0 (no pacing) to 10000',
  ),
  request_timeout: option(
    durationField(1_000, 600_000, '1s and 10m').prefault('30s'),
    'seconds or a duration (ms, s, m, h; e.g. 1m30s) from 1s to 10m',
  ),
  max_retries: option(integerField(0, 20).prefault('6'), 'an integer from 0 to 20'),
}

export const IMPORTER_SHAPE = {
  tags: option(tagsField.prefault(''), 'a comma-separated list of tags'),
  name: option(nameGlobField.optional(), 'a non-empty glob using *, ?, [...] and \\ escapes'),
  type: option(secretTypeField.optional(), `one of ${SECRET_TYPES.join(', ')}`),
  include_managed: option(booleanField.prefault('true'), BOOLEAN_WORDS),
  include_deleted_metadata: option(booleanField.prefault('true'), BOOLEAN_WORDS),
  read_disabled: option(booleanField.prefault('false'), BOOLEAN_WORDS),
}

export const EXPORTER_SHAPE = {
  on_conflict: option(onConflictField.prefault('sync'), `one of ${CONFLICT_POLICIES.join(', ')}`),
  dry_run: option(booleanField.prefault('false'), BOOLEAN_WORDS),
  update_metadata: option(booleanField.prefault('false'), BOOLEAN_WORDS),
  preserve_revisions: option(booleanField.prefault('true'), BOOLEAN_WORDS),
  path: option(
    secretPathField.optional(),
    'a Secret Manager path such as /restored/prod (no . or .. segments)',
  ),
  key_id: option(uuidField.optional(), UUID),
}

export const importerRawSchema = z.strictObject({ ...COMMON_SHAPE, ...IMPORTER_SHAPE })
export const exporterRawSchema = z.strictObject({ ...COMMON_SHAPE, ...EXPORTER_SHAPE })

export type ImporterRaw = z.output<typeof importerRawSchema>
