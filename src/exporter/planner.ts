// Restore planning, pure: from one backed-up secret and what the destination already
// holds, the ordered list of API writes that makes the destination match the snapshot.
// The restorer executes the steps; a dry run prints them.
import type { ExporterConfig } from '../config/parse.js'
import type { SecretMetadata } from '../core/metadata.js'
import { isDeletedVersion, type SecretType } from '../core/secret-manager.js'
import type { CreateSecretInput, Secret, SecretVersion } from '../scaleway/api.js'
import type { BackedUpSecret, BackedUpVersion } from './collect.js'

/** The config's restore options, and whether the snapshot's key_id is valid here. */
export type PlanOptions = Pick<
  ExporterConfig,
  'onConflict' | 'updateMetadata' | 'preserveRevisions' | 'folder' | 'keyId'
> & { sameProjectAndRegion: boolean }

/** What the destination holds for one (path, name): the API's secret, its versions read. */
export type DestinationSecret = Pick<
  Secret,
  'type' | 'tags' | 'description' | 'protected' | 'deletionRequestedAt'
> & { versions: DestinationVersion[] }

type DestinationVersion = Pick<SecretVersion, 'revision' | 'status' | 'description'> & {
  /** Undefined when it could not be read (disabled, deleted, or not compared). */
  payload?: Buffer
}

export type Step =
  | { op: 'create-secret'; input: CreateSecretInput }
  | { op: 'restore-secret' }
  | { op: 'update-secret'; tags?: string[]; description?: string }
  | ReturnType<typeof createVersion>
  | { op: VersionStatusOp; revision: number }
  | { op: 'protect' }

type VersionStatusOp = 'delete-version' | 'enable-version' | 'disable-version' | 'restore-version'

export interface Plan {
  outcome: 'create' | 'update' | 'unchanged' | 'skip' | 'conflict'
  steps: Step[]
  /** Things the user should know; the restore still goes on. */
  warnings: string[]
  /** Differences the restore cannot or may not resolve. */
  conflicts: string[]
}

/** Marks versions a restore wrote only to keep revision numbers aligned. */
export const PLACEHOLDER_DESCRIPTION = 'scw-secret-manager: placeholder keeping revision numbers'

/** Payloads every type accepts (see the payload rules), marking placeholders. */
const PLACEHOLDERS: Partial<Record<SecretType, string>> = {
  certificate: '-----BEGIN CERTIFICATE-----\ncGxhY2Vob2xkZXI=\n-----END CERTIFICATE-----\n',
  key_value: '{"placeholder":"revision gap"}',
  basic_credentials: '{"username":"placeholder","password":"placeholder"}',
  database_credentials:
    '{"engine":"placeholder","username":"placeholder","password":"placeholder","host":"placeholder","dbname":"placeholder","port":"0"}',
  ssh_key: '{"ssh_private_key":"placeholder"}',
}

export const placeholderPayload = (type: SecretType): Buffer =>
  Buffer.from(PLACEHOLDERS[type] ?? 'placeholder', 'utf8')

export function targetPath(original: string, reroot: string): string {
  if (reroot === '/' || reroot === '') return original
  return original === '/' ? reroot : `${reroot}${original}`
}

function createInput(meta: SecretMetadata, options: PlanOptions, plan: Plan): CreateSecretInput {
  if (meta.key_id && !options.keyId && !options.sameProjectAndRegion) {
    plan.warnings.push(
      `key_id ${meta.key_id} belongs to the source project/region; the secret is created with the default key (set key_id to choose one)`,
    )
  }
  if (meta.managed) plan.warnings.push('managed secret restored as an ordinary secret')
  const policy = meta.ephemeral_policy
  return {
    name: meta.name,
    path: targetPath(meta.path, options.folder),
    type: meta.type,
    tags: [...meta.tags],
    description: meta.description || undefined,
    // Protection is applied last, once every version is written.
    protected: false,
    // The snapshot writes an unset field as null; the API takes it absent.
    ephemeralPolicy: policy
      ? {
          timeToLive: policy.time_to_live ?? undefined,
          expiresOnceAccessed: policy.expires_once_accessed ?? undefined,
          action: policy.action,
        }
      : undefined,
    keyId: options.keyId || (options.sameProjectAndRegion && meta.key_id) || undefined,
  }
}

function createVersion(revision: number, data: Buffer, description: string, placeholder = false) {
  return { op: 'create-version', revision, data, description, placeholder } as const
}

function writeVersion(v: BackedUpVersion, type: SecretType, warnings: string[]): Step[] {
  if (v.payload !== undefined) return [createVersion(v.revision, v.payload, v.meta.description)]
  if (!isDeletedVersion(v.meta.status)) {
    warnings.push(
      `revision ${v.revision} was ${v.meta.status} but its payload is not in the snapshot (back up with read_disabled=true); restored as deleted`,
    )
  }
  return placeholder(v.revision, type, v.meta.description)
}

/**
 * A throwaway version that keeps revision numbers aligned: written, then deleted. It
 * carries the original description when there is one; its payload is what marks it.
 */
function placeholder(revision: number, type: SecretType, description = PLACEHOLDER_DESCRIPTION) {
  return [
    createVersion(revision, placeholderPayload(type), description, true),
    { op: 'delete-version', revision } as const,
  ]
}

const sameTags = (a: string[], b: string[]): boolean =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')

/**
 * Tags and description; returns whether to protect the secret once its versions are written.
 * Protection is a restore's last write: when tags and description match the snapshot, an
 * unprotected secret is taken as an interrupted restore that protecting finishes, not as the
 * user's choice (and protection takes nothing away: it only blocks deletion).
 */
function metadataSteps(meta: SecretMetadata, dest: DestinationSecret, update: boolean, plan: Plan) {
  if (meta.type !== dest.type) {
    plan.conflicts.push(`type is ${dest.type} in the destination, ${meta.type} in the snapshot`)
  }
  const protect = meta.protected && !dest.protected
  const tagsDiffer = !sameTags(meta.tags, dest.tags)
  const descriptionDiffers = meta.description !== (dest.description ?? '')
  if (!tagsDiffer && !descriptionDiffers) return protect
  if (!update) {
    const differences = [
      tagsDiffer && `tags [${dest.tags.join(', ')}] -> [${meta.tags.join(', ')}]`,
      descriptionDiffers && 'description',
      protect && 'protection',
    ].filter((d) => d)
    plan.warnings.push(
      `metadata differs (${differences.join('; ')}); set update_metadata=true to apply`,
    )
    return false
  }
  plan.steps.push({
    op: 'update-secret',
    tags: tagsDiffer ? [...meta.tags] : undefined,
    description: descriptionDiffers ? meta.description : undefined,
  })
  return protect
}

/** A live placeholder left by an interrupted restore; nothing else is ever deleted. */
function isLivePlaceholder(d: DestinationVersion, type: SecretType): boolean {
  return !isDeletedVersion(d.status) && d.payload?.equals(placeholderPayload(type)) === true
}

function syncVersion(v: BackedUpVersion, d: DestinationVersion, type: SecretType, plan: Plan) {
  const { revision, payload } = v
  if (payload === undefined) {
    if (isLivePlaceholder(d, type)) plan.steps.push({ op: 'delete-version', revision })
    return
  }
  if (d.status === 'deleted') {
    plan.conflicts.push(`revision ${revision} is permanently deleted in the destination`)
    return
  }
  if (d.payload !== undefined && !d.payload.equals(payload)) {
    plan.conflicts.push(`revision ${revision} holds a different payload in the destination`)
    return
  }
  if (d.status === 'scheduled_for_deletion') plan.steps.push({ op: 'restore-version', revision })
  // A restored version comes back disabled or enabled: the wanted status is always stated.
  const wanted = v.meta.status === 'disabled' ? 'disabled' : 'enabled'
  const op = wanted === 'disabled' ? 'disable-version' : 'enable-version'
  if (d.status !== wanted) plan.steps.push({ op, revision })
}

/**
 * The version steps, and the status changes that come after every write. With
 * preserve_revisions, destination revisions mirror the snapshot's, gaps filled. Without, a
 * snapshot version is present if some version has its bytes, else written as the next one.
 */
function versionSteps(
  secret: BackedUpSecret,
  dest: DestinationVersion[],
  aligned: boolean,
  plan: Plan,
) {
  const type = secret.meta.type
  const byRevision = new Map(dest.map((d) => [d.revision, d]))
  let destLast = Math.max(0, ...dest.map((d) => d.revision))
  const trailing: Step[] = []
  const inSnapshot = new Set(secret.versions.map((v) => v.revision))
  for (const d of dest) {
    const stale = aligned && !inSnapshot.has(d.revision) && isLivePlaceholder(d, type)
    if (stale) plan.steps.push({ op: 'delete-version', revision: d.revision })
  }
  for (const v of secret.versions) {
    const { payload } = v
    const d = byRevision.get(v.revision)
    if (!aligned && (!payload || dest.some((x) => x.payload?.equals(payload)))) continue
    if (aligned && d) {
      syncVersion(v, d, type, plan)
      continue
    }
    if (aligned && destLast >= v.revision) {
      plan.conflicts.push(`revision ${v.revision} no longer exists in the destination`)
      continue
    }
    // Fill any gap, then write this version at its own number (or the next one).
    const revision = aligned ? v.revision : destLast + 1
    for (let gap = destLast + 1; gap < revision; gap++) plan.steps.push(...placeholder(gap, type))
    plan.steps.push(...writeVersion({ ...v, revision }, type, plan.warnings))
    if (payload && v.meta.status === 'disabled') trailing.push({ op: 'disable-version', revision })
    destLast = revision
  }
  plan.steps.push(...trailing)
}

/**
 * The writes that make the destination match the snapshot. A new secret is planned as an
 * existing one without versions: the same version steps, after its creation.
 */
export function planSecret(
  secret: BackedUpSecret,
  dest: DestinationSecret | undefined,
  options: PlanOptions,
): Plan {
  const plan: Plan = { outcome: 'update', steps: [], warnings: [], conflicts: [] }
  let protect = secret.meta.protected
  if (!dest) {
    plan.outcome = 'create'
    plan.steps.push({ op: 'create-secret', input: createInput(secret.meta, options, plan) })
  } else if (options.onConflict === 'skip') {
    plan.warnings.push('exists in the destination; skipped (on_conflict=skip)')
    return { ...plan, outcome: 'skip' }
  } else {
    if (dest.deletionRequestedAt) plan.steps.push({ op: 'restore-secret' })
    protect = metadataSteps(secret.meta, dest, options.updateMetadata, plan)
  }
  versionSteps(secret, dest?.versions ?? [], options.preserveRevisions, plan)
  if (protect) plan.steps.push({ op: 'protect' })
  if (plan.conflicts.length > 0) plan.outcome = 'conflict'
  else if (dest && plan.steps.length === 0) plan.outcome = 'unchanged'
  return plan
}

export function describeStep(step: Step): string {
  if (step.op === 'create-secret') return `create secret (type ${step.input.type})`
  if (step.op === 'update-secret') return 'update tags/description'
  if (step.op !== 'create-version')
    return 'revision' in step ? `${step.op} ${step.revision}` : step.op
  if (step.placeholder) return `write placeholder revision ${step.revision}`
  return `write revision ${step.revision} (${step.data.length} bytes)`
}
