// THE raw-map schemas: every key Plakar may pass, as strings, with descriptions and
// defaults. Parsing runs these schemas; the JSON Schema files and the README table are
// generated from them; resolution (env, scw config file, cross-key checks) comes after.
import { z } from 'zod'
import { DEFAULT_RETRY_POLICY } from '../scaleway/retry.js'
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
  SECRET_TYPES,
  secretKeyField,
  secretPathField,
  secretTypeField,
  tagsField,
  uuidField,
} from './fields.js'
import { REGION_LIST } from './formats.js'

/** What error messages and the docs table need beyond the JSON Schema keywords. */
export interface OptionInfo {
  /** What the value may be, as a phrase: "an integer from 1 to 64". */
  allowed: string
  /** Never echo the received value. */
  secret?: boolean
}

export const optionInfo = z.registry<OptionInfo>()

function option<T extends z.ZodType>(
  schema: T,
  description: string,
  info: OptionInfo,
  examples?: readonly string[],
): T {
  const described = schema.meta(
    examples ? { description, examples: [...examples] } : { description },
  )
  optionInfo.add(described, info)
  return described
}

const UUID = 'a UUID such as 0b9c6e1e-2f6c-4a5e-9d7a-3c1f2e4d5a6b'
const BOOLEAN = BOOLEAN_WORDS

export const COMMON_SHAPE = {
  location: option(
    locationField,
    'Where the secrets are: scw-secret://<region>/<project_id>[/<folder>], ' +
      'scw-secret://<region>, or scw-secret:///<folder> (region and project then come from ' +
      'the keys below, the environment or the scw config file). Plakar always passes it.',
    {
      allowed:
        'scw-secret://<region>/<project_id>[/<folder>], scw-secret://<region> or ' +
        'scw-secret:///<folder>',
    },
    ['scw-secret://fr-par/0b9c6e1e-2f6c-4a5e-9d7a-3c1f2e4d5a6b/prod/db', 'scw-secret:///prod'],
  ),
  region: option(
    regionField.optional(),
    'Secret Manager region, when the location does not give it. Otherwise from ' +
      'SCW_DEFAULT_REGION or default_region in the scw config file.',
    { allowed: `one of ${REGION_LIST}` },
  ),
  project_id: option(
    uuidField.optional(),
    'Project holding the secrets, when the location does not give it. Otherwise from ' +
      'SCW_DEFAULT_PROJECT_ID or default_project_id in the scw config file.',
    { allowed: UUID },
  ),
  access_key: option(
    accessKeyField.optional(),
    'API access key (only checked, the API authenticates with the secret key). ' +
      'Otherwise from SCW_ACCESS_KEY or access_key in the scw config file.',
    { allowed: 'SCW followed by 17 capital letters or digits' },
  ),
  secret_access_key: option(
    secretKeyField.optional(),
    'API secret key under the name plakar masks in source show and destination show (the ' +
      'same setting as secret_key; if both are given they must agree). Otherwise from ' +
      'SCW_SECRET_KEY or secret_key in the scw config file. Never printed.',
    { allowed: 'the UUID secret part of a Scaleway API key', secret: true },
  ),
  secret_key: option(
    secretKeyField.optional(),
    "API secret key, under Plakar Control Plane's name for it. plakar source show and " +
      'destination show print this key in clear: in plakar configurations use ' +
      'secret_access_key (masked) or SCW_SECRET_KEY. Never printed by this plugin.',
    { allowed: 'the UUID secret part of a Scaleway API key', secret: true },
  ),
  api_url: option(
    apiUrlField.optional(),
    'API endpoint override, e.g. for a local emulator. Otherwise from SCW_API_URL or api_url ' +
      'in the scw config file; default https://api.scaleway.com.',
    { allowed: 'an http:// or https:// URL without credentials, query or fragment' },
  ),
  profile: option(
    profileField.optional(),
    'Profile of the scw config file (~/.config/scw/config.yaml or SCW_CONFIG_PATH) merged ' +
      'over its top-level values. Otherwise SCW_PROFILE, then active_profile; "default" ' +
      'means the top-level values only.',
    { allowed: 'the name of a profile of the scw config file' },
  ),
  environment: option(
    environmentField.optional(),
    'SLA environment label. Case and surrounding spaces are ignored; prod, stg and dev ' +
      'are read as production, staging and development.',
    { allowed: 'production, staging, development or another slug ([a-z][a-z0-9-]{0,31})' },
    ['production', 'staging'],
  ),
  data_class: option(
    dataClassField.prefault(''),
    'Comma-separated data classification labels, e.g. "critical, pii" (lower-cased, ' +
      'deduplicated, sorted).',
    { allowed: 'a comma-separated list of slugs ([a-z][a-z0-9-]{0,31}, any case)' },
    ['critical,pii'],
  ),
  concurrency: option(
    integerField(1, 64).prefault('32'),
    'Maximum number of Secret Manager requests in flight; rate_limit paces them. A ' +
      'version create takes ~0.3 s, so keeping up with 100 requests per second takes ' +
      'about 30 in flight.',
    { allowed: 'an integer from 1 to 64' },
  ),
  rate_limit: option(
    integerField(0, 10_000).prefault('100'),
    'Requests per second sent to Secret Manager by the whole plugin process, retries ' +
      "included, so that it stays under the API gateway's limit (100 per second) instead " +
      'of being refused with 429s; 0 turns pacing off.',
    { allowed: 'an integer from 0 (no pacing) to 10000' },
  ),
  request_timeout: option(
    durationField(1_000, 600_000, '1s and 10m').prefault('30s'),
    'Timeout of one API request: a number of seconds or a duration such as 1500ms, 45s, 2m.',
    { allowed: 'seconds or a duration (ms, s, m, h; e.g. 1m30s) from 1s to 10m' },
    ['30s', '1500ms', '90'],
  ),
  max_retries: option(
    integerField(0, 20).prefault('6'),
    'Retries of a failed, retryable API request (5xx, network errors, timeouts). A bare ' +
      '429 (rate limited, nothing done) does not use one up: those are retried until the ' +
      `retry time budget (${DEFAULT_RETRY_POLICY.maxTotalMs / 1_000} s) runs out.`,
    { allowed: 'an integer from 0 to 20' },
  ),
}

export const IMPORTER_SHAPE = {
  tags: option(
    tagsField.prefault(''),
    'Back up only secrets carrying all of these comma-separated tags.',
    { allowed: 'a comma-separated list of tags' },
    ['env:prod,team:payments'],
  ),
  name: option(
    nameGlobField.optional(),
    'Back up only secrets whose name matches this glob: * (any run), ? (one character), ' +
      '[abc], [a-z], [!abc]; \\ escapes the next character.',
    { allowed: 'a non-empty glob using *, ?, [...] and \\ escapes' },
    ['db-*'],
  ),
  type: option(secretTypeField.optional(), 'Back up only secrets of this type.', {
    allowed: `one of ${SECRET_TYPES.join(', ')}`,
  }),
  include_managed: option(
    booleanField.prefault('true'),
    'Also back up secrets managed by other Scaleway products (managed: true).',
    { allowed: BOOLEAN },
  ),
  include_deleted_metadata: option(
    booleanField.prefault('true'),
    'Also record the metadata of deleted (scheduled-for-deletion) versions.',
    { allowed: BOOLEAN },
  ),
  read_disabled: option(
    booleanField.prefault('false'),
    'Also back up the payloads of disabled versions. The API serves only enabled ' +
      'versions, so each is enabled for one read and disabled again: this needs ' +
      'SecretManagerSecretWrite and briefly makes the version readable.',
    { allowed: BOOLEAN },
  ),
}

export const EXPORTER_SHAPE = {
  on_conflict: option(
    onConflictField.prefault('sync'),
    'What to do when a restored secret already exists at the target: sync it with the ' +
      'backup, skip it, or fail the restore.',
    { allowed: `one of ${CONFLICT_POLICIES.join(', ')}` },
  ),
  dry_run: option(
    booleanField.prefault('false'),
    'Report what the restore would change without changing anything.',
    { allowed: BOOLEAN },
  ),
  update_metadata: option(
    booleanField.prefault('false'),
    'Apply tag, description and protection differences to secrets that already exist at ' +
      'the target (otherwise they are only reported).',
    { allowed: BOOLEAN },
  ),
  preserve_revisions: option(
    booleanField.prefault('true'),
    'Keep revision numbers: gaps left by deleted versions are filled with placeholder ' +
      'versions that are deleted again, so revision N is restored as revision N. With ' +
      'false, only readable versions are written, renumbered from 1.',
    { allowed: BOOLEAN },
  ),
  path: option(
    secretPathField.optional(),
    'Re-root the restore under this folder: a secret backed up at /prod/db is restored at ' +
      '<path>/prod/db (same effect as a folder in the location; if both are given they ' +
      'must agree).',
    { allowed: 'a Secret Manager path such as /restored/prod (no . or .. segments)' },
    ['/restored'],
  ),
  key_id: option(
    uuidField.optional(),
    "Key Manager key to encrypt restored secrets with (default: Secret Manager's own key).",
    { allowed: UUID },
  ),
}

export const importerRawSchema = z.strictObject({ ...COMMON_SHAPE, ...IMPORTER_SHAPE }).meta({
  title: 'scw-secret importer configuration',
  description: 'Keys of a plakar source backing up Scaleway Secret Manager. Values are strings.',
})

export const exporterRawSchema = z.strictObject({ ...COMMON_SHAPE, ...EXPORTER_SHAPE }).meta({
  title: 'scw-secret exporter configuration',
  description:
    'Keys of a plakar destination restoring into Scaleway Secret Manager. Values are strings.',
})

export type ImporterRaw = z.output<typeof importerRawSchema>
export type ExporterRaw = z.output<typeof exporterRawSchema>

export const COMMON_KEYS = Object.keys(COMMON_SHAPE)
export const IMPORTER_ONLY_KEYS = Object.keys(IMPORTER_SHAPE)
export const EXPORTER_ONLY_KEYS = Object.keys(EXPORTER_SHAPE)
