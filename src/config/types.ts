// The resolved configuration handed to the importer and exporter.
import type { Region, SECRET_TYPES } from '../core/secret-manager.js'
import type { CONFLICT_POLICIES } from './fields.js'
import type { NameGlob } from './glob.js'
import type { Redacted } from './redacted.js'

type SecretTypeFilter = (typeof SECRET_TYPES)[number]
type ConflictPolicy = (typeof CONFLICT_POLICIES)[number]

export interface CommonConfig {
  /** The location exactly as Plakar passed it. */
  readonly location: string
  readonly region: Region
  /** Lower-case UUID. */
  readonly projectId: string
  /** Canonical Secret Manager path ('/' or '/a/b'): the subtree backed up or restored into. */
  readonly folder: string
  /** Validated when given; the API itself only needs the secret key. */
  readonly accessKey?: string
  readonly secretKey: Redacted
  /** Endpoint override without trailing slash; undefined means the SDK default. */
  readonly apiUrl?: string
  /** The scw config file profile the file values were taken from, if any. */
  readonly profile?: string
  /** Lower-case slug, aliases expanded (prod -> production). */
  readonly environment?: string
  /** Lower-case slugs, deduplicated and sorted. */
  readonly dataClass: string[]
  readonly concurrency: number
  /** Requests per second for the whole process; 0 means no pacing. */
  readonly rateLimit: number
  readonly timeoutMs: number
  readonly maxRetries: number
  /** Advice to log once (e.g. a secret key under a name plakar shows); never holds a value. */
  readonly warnings: readonly string[]
  /** One line per setting, for the debug log; the secret key shows as its mask. */
  describe(): string
}

export interface ImporterConfig extends CommonConfig {
  readonly kind: 'importer'
  /** Secrets must carry every one of these tags; empty means no tag filter. */
  readonly tags: string[]
  readonly name?: NameGlob
  readonly type?: SecretTypeFilter
  readonly includeManaged: boolean
  readonly includeDeletedMetadata: boolean
  /** Read disabled versions by enabling them for one access (needs write permission). */
  readonly readDisabled: boolean
}

export interface ExporterConfig extends CommonConfig {
  readonly kind: 'exporter'
  readonly onConflict: ConflictPolicy
  readonly dryRun: boolean
  readonly updateMetadata: boolean
  readonly preserveRevisions: boolean
  /** Lower-case UUID of a Key Manager key for the restored secrets. */
  readonly keyId?: string
}

export interface ParseContext {
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv
  /** Defaults to os.homedir(); locates ~/.config/scw/config.yaml. */
  readonly homeDir?: string
}
