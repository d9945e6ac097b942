// The configuration's documentation, computed at build time (and by tests), never by the
// plugin: what each key is for, the README table, and the JSON Schema files (manifest
// `validator`) generated from the very schemas that parsing runs.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import {
  COMMON_SHAPE,
  EXPORTER_SHAPE,
  exporterRawSchema,
  IMPORTER_SHAPE,
  importerRawSchema,
  optionInfo,
} from '../../src/config/options.js'
import { DEFAULT_RETRY_POLICY } from '../../src/scaleway/retry.js'

type Key = keyof typeof importerRawSchema.shape | keyof typeof exporterRawSchema.shape

// A type, not an interface: zod's meta() wants an object type open to more keys.
type Doc = { description: string; examples?: string[] }

const DOCS: Readonly<Record<Key, Doc>> = {
  location: {
    description:
      'Where the secrets are: scw-secret://<region>/<project_id>[/<folder>], ' +
      'scw-secret://<region>, or scw-secret:///<folder> (region and project then come from ' +
      'the keys below, the environment or the scw config file). Plakar always passes it.',
    examples: [
      'scw-secret://fr-par/0b9c6e1e-2f6c-4a5e-9d7a-3c1f2e4d5a6b/prod/db',
      'scw-secret:///prod',
    ],
  },
  region: {
    description:
      'Secret Manager region, when the location does not give it. Otherwise from ' +
      'SCW_DEFAULT_REGION or default_region in the scw config file.',
  },
  project_id: {
    description:
      'Project holding the secrets, when the location does not give it. Otherwise from ' +
      'SCW_DEFAULT_PROJECT_ID or default_project_id in the scw config file.',
  },
  access_key: {
    description:
      'API access key (only checked, the API authenticates with the secret key). ' +
      'Otherwise from SCW_ACCESS_KEY or access_key in the scw config file.',
  },
  secret_access_key: {
    description:
      'API secret key under the name plakar masks in source show and destination show (the ' +
      'same setting as secret_key; if both are given they must agree). Otherwise from ' +
      'SCW_SECRET_KEY or secret_key in the scw config file. Never printed.',
  },
  secret_key: {
    description:
      "API secret key, under Plakar Control Plane's name for it. plakar source show and " +
      'destination show print this key in clear: in plakar configurations use ' +
      'secret_access_key (masked) or SCW_SECRET_KEY. Never printed by this plugin.',
  },
  api_url: {
    description:
      'API endpoint override, e.g. for a local emulator. Otherwise from SCW_API_URL or ' +
      'api_url in the scw config file; default https://api.scaleway.com.',
  },
  profile: {
    description:
      'Profile of the scw config file (~/.config/scw/config.yaml or SCW_CONFIG_PATH) merged ' +
      'over its top-level values. Otherwise SCW_PROFILE, then active_profile; "default" ' +
      'means the top-level values only.',
  },
  environment: {
    description:
      'SLA environment label. Case and surrounding spaces are ignored; prod, stg and dev ' +
      'are read as production, staging and development.',
    examples: ['production', 'staging'],
  },
  data_class: {
    description:
      'Comma-separated data classification labels, e.g. "critical, pii" (lower-cased, ' +
      'deduplicated, sorted).',
    examples: ['critical,pii'],
  },
  concurrency: {
    description:
      'Maximum number of Secret Manager requests in flight; rate_limit paces them. A ' +
      'version create takes ~0.3 s, so keeping up with 100 requests per second takes ' +
      'about 30 in flight.',
  },
  rate_limit: {
    description:
      'Requests per second sent to Secret Manager by the whole plugin process, retries ' +
      "included, so that it stays under the API gateway's limit (100 per second) instead " +
      'of being refused with 429s; 0 turns pacing off.',
  },
  request_timeout: {
    description:
      'Timeout of one API request: a number of seconds or a duration such as 1500ms, 45s, 2m.',
    examples: ['30s', '1500ms', '90'],
  },
  max_retries: {
    description:
      'Retries of a failed, retryable API request (5xx, network errors, timeouts). A bare ' +
      '429 (rate limited, nothing done) does not use one up: those are retried until the ' +
      `retry time budget (${DEFAULT_RETRY_POLICY.maxTotalMs / 1_000} s) runs out.`,
  },
  tags: {
    description: 'Back up only secrets carrying all of these comma-separated tags.',
    examples: ['env:prod,team:payments'],
  },
  name: {
    description:
      'Back up only secrets whose name matches this glob: * (any run), ? (one character), ' +
      '[abc], [a-z], [!abc]; \\ escapes the next character.',
    examples: ['db-*'],
  },
  type: { description: 'Back up only secrets of this type.' },
  include_managed: {
    description: 'Also back up secrets managed by other Scaleway products (managed: true).',
  },
  include_deleted_metadata: {
    description: 'Also record the metadata of deleted (scheduled-for-deletion) versions.',
  },
  read_disabled: {
    description:
      'Also back up the payloads of disabled versions. The API serves only enabled ' +
      'versions, so each is enabled for one read and disabled again: this needs ' +
      'SecretManagerSecretWrite and briefly makes the version readable.',
  },
  on_conflict: {
    description:
      'What to do when a restored secret already exists at the target: sync it with the ' +
      'backup, skip it, or fail the restore.',
  },
  dry_run: { description: 'Report what the restore would change without changing anything.' },
  update_metadata: {
    description:
      'Apply tag, description and protection differences to secrets that already exist at ' +
      'the target (otherwise they are only reported).',
  },
  preserve_revisions: {
    description:
      'Keep revision numbers: gaps left by deleted versions are filled with placeholder ' +
      'versions that are deleted again, so revision N is restored as revision N. With ' +
      'false, only readable versions are written, renumbered from 1.',
  },
  path: {
    description:
      'Re-root the restore under this folder: a secret backed up at /prod/db is restored at ' +
      '<path>/prod/db (same effect as a folder in the location; if both are given they ' +
      'must agree).',
    examples: ['/restored'],
  },
  key_id: {
    description:
      "Key Manager key to encrypt restored secrets with (default: Secret Manager's own key).",
  },
}

/** The raw schema with each key's documentation attached, as the JSON Schema shows it. */
function documented(shape: z.core.$ZodShape, title: string, description: string) {
  const fields = Object.entries(shape).map(([key, field]) => [
    key,
    (field as z.ZodType).meta(DOCS[key as Key]),
  ])
  return z.strictObject(Object.fromEntries(fields)).meta({ title, description })
}

const SCHEMAS = {
  'importer.schema.json': documented(
    importerRawSchema.shape,
    'scw-secret importer configuration',
    'Keys of a plakar source backing up Scaleway Secret Manager. Values are strings.',
  ),
  'exporter.schema.json': documented(
    exporterRawSchema.shape,
    'scw-secret exporter configuration',
    'Keys of a plakar destination restoring into Scaleway Secret Manager. Values are strings.',
  ),
}

type SchemaFileName = keyof typeof SCHEMAS

// `io: 'input'` describes the strings Plakar passes, not the parsed values.
const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' })

/** File name -> file content. */
export function renderSchemas(): Record<SchemaFileName, string> {
  const render = (schema: z.ZodType): string =>
    `${JSON.stringify(z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }), null, 2)}\n`
  return {
    'importer.schema.json': render(SCHEMAS['importer.schema.json']),
    'exporter.schema.json': render(SCHEMAS['exporter.schema.json']),
  }
}

/** Writes every schema file into `dir`; returns the paths written. */
export function writeSchemas(dir: string): string[] {
  mkdirSync(dir, { recursive: true })
  return Object.entries(renderSchemas()).map(([name, content]) => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  })
}

export interface OptionDoc {
  readonly key: string
  readonly connector: 'both' | 'importer' | 'exporter'
  readonly description: string
  /** The allowed values, as a phrase. */
  readonly allowed: string
  /** The raw string default, when the key has one. */
  readonly default?: string
  /** Must be present in the raw map (only `location`, which Plakar always passes). */
  readonly required: boolean
}

const REQUIRED = new Set([
  ...(jsonSchema(importerRawSchema).required ?? []),
  ...(jsonSchema(exporterRawSchema).required ?? []),
])

function docsOf(shape: z.core.$ZodShape, connector: OptionDoc['connector']): OptionDoc[] {
  return Object.entries(shape).map(([key, field]) => {
    const fallback = jsonSchema(field as z.ZodType).default
    return {
      key,
      connector,
      description: DOCS[key as Key].description,
      allowed: optionInfo.get(field)?.allowed ?? '',
      required: REQUIRED.has(key),
      ...(typeof fallback === 'string' ? { default: fallback } : {}),
    }
  })
}

export const OPTION_DOCS: readonly OptionDoc[] = [
  ...docsOf(COMMON_SHAPE, 'both'),
  ...docsOf(IMPORTER_SHAPE, 'importer'),
  ...docsOf(EXPORTER_SHAPE, 'exporter'),
]

const cell = (text: string): string => text.replaceAll('|', '\\|')

function defaultCell(doc: OptionDoc): string {
  if (doc.required) return 'required'
  if (doc.default === undefined) return '—'
  return doc.default === '' ? '(empty)' : `\`${doc.default}\``
}

/** The README's configuration table, as GitHub Markdown. */
export function renderConfigTable(): string {
  const header = [
    '| Key | Used by | Default | Allowed | Description |',
    '| --- | --- | --- | --- | --- |',
  ]
  const rows = OPTION_DOCS.map(
    (doc) =>
      `| \`${doc.key}\` | ${doc.connector} | ${defaultCell(doc)} | ${cell(doc.allowed)} | ${cell(doc.description)} |`,
  )
  return [...header, ...rows].join('\n')
}
