// Restore planning, pure: from one backed-up secret and what the destination already
// holds, the ordered list of API writes that makes the destination match the snapshot.
// The restorer executes the steps; a dry run prints them.
import type { SecretMetadata } from '../core/metadata.js'
import { isDeletedVersion } from '../core/secret-manager.js'
import type { CreateSecretInput, SecretType, SecretVersionStatus } from '../scaleway/api.js'
import type { BackedUpSecret, BackedUpVersion } from './collect.js'

export interface PlanOptions {
  onConflict: 'sync' | 'skip' | 'fail'
  updateMetadata: boolean
  preserveRevisions: boolean
  /** Folder the restore is re-rooted under ('/' keeps the original paths). */
  folder: string
  /** Whether source and destination share project and region (key_id stays valid). */
  sameProjectAndRegion: boolean
  /** Key Manager key to use for new secrets instead of the snapshot's. */
  keyId?: string
}

/** What the destination holds for one (path, name). */
export interface DestinationSecret {
  type: SecretType
  tags: string[]
  description: string
  protected: boolean
  scheduledForDeletion: boolean
  versions: DestinationVersion[]
}

interface DestinationVersion {
  revision: number
  status: SecretVersionStatus
  description: string
  /** Undefined when it could not be read (disabled, deleted, or not compared). */
  payload?: Buffer
}

export type Step =
  | { op: 'create-secret'; input: CreateSecretInput }
  | { op: 'restore-secret' }
  | { op: 'update-secret'; tags?: string[]; description?: string }
  | {
      op: 'create-version'
      revision: number
      data: Buffer
      description: string
      placeholder: boolean
    }
  | { op: 'delete-version'; revision: number }
  | { op: 'enable-version'; revision: number }
  | { op: 'disable-version'; revision: number }
  | { op: 'restore-version'; revision: number }
  | { op: 'protect' }

type Outcome = 'create' | 'update' | 'unchanged' | 'skip' | 'conflict'

export interface Plan {
  target: { path: string; name: string }
  outcome: Outcome
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

export function placeholderPayload(type: SecretType): Buffer {
  return Buffer.from(PLACEHOLDERS[type] ?? 'placeholder', 'utf8')
}

export function targetPath(original: string, reroot: string): string {
  if (reroot === '/' || reroot === '') return original
  return original === '/' ? reroot : `${reroot}${original}`
}

/** The snapshot writes an unset field as null; the API takes it absent. */
function ephemeralPolicyInput(meta: SecretMetadata): CreateSecretInput['ephemeralPolicy'] {
  if (!meta.ephemeral_policy) return undefined
  const { time_to_live, expires_once_accessed, action } = meta.ephemeral_policy
  return {
    timeToLive: time_to_live ?? undefined,
    expiresOnceAccessed: expires_once_accessed ?? undefined,
    action,
  }
}

function createInput(
  secret: BackedUpSecret,
  options: PlanOptions,
  warnings: string[],
): CreateSecretInput {
  const meta = secret.meta
  if (meta.key_id && !options.keyId && !options.sameProjectAndRegion) {
    warnings.push(
      `key_id ${meta.key_id} belongs to the source project/region; the secret is created with the default key (set key_id to choose one)`,
    )
  }
  if (meta.managed) warnings.push('managed secret restored as an ordinary secret')
  return {
    name: meta.name,
    path: targetPath(meta.path, options.folder),
    type: meta.type,
    tags: [...meta.tags],
    description: meta.description || undefined,
    // Protection is applied last, once every version is written.
    protected: false,
    ephemeralPolicy: ephemeralPolicyInput(meta),
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

function finalStatus(v: BackedUpVersion): Step[] {
  return v.payload !== undefined && v.meta.status === 'disabled'
    ? [{ op: 'disable-version', revision: v.revision }]
    : []
}

function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')
}

function metadataSteps(
  secret: BackedUpSecret,
  dest: DestinationSecret,
  options: PlanOptions,
  plan: Plan,
) {
  const meta = secret.meta
  if (meta.type !== dest.type) {
    plan.conflicts.push(`type is ${dest.type} in the destination, ${meta.type} in the snapshot`)
  }
  const tagsDiffer = !sameTags(meta.tags, dest.tags)
  const descriptionDiffers = meta.description !== dest.description
  if (!tagsDiffer && !descriptionDiffers) return
  if (!options.updateMetadata) {
    const differences = [
      tagsDiffer && `tags [${dest.tags.join(', ')}] -> [${meta.tags.join(', ')}]`,
      descriptionDiffers && 'description',
      // Applied anyway when it is the only difference: see finishesProtection.
      meta.protected && !dest.protected && 'protection',
    ].filter((d) => d)
    plan.warnings.push(
      `metadata differs (${differences.join('; ')}); set update_metadata=true to apply`,
    )
    return
  }
  plan.steps.push({
    op: 'update-secret',
    tags: tagsDiffer ? [...meta.tags] : undefined,
    description: descriptionDiffers ? meta.description : undefined,
  })
}

/** A live placeholder left by an interrupted restore; nothing else is ever deleted. */
function isLivePlaceholder(d: DestinationVersion, type: SecretType): boolean {
  return !isDeletedVersion(d.status) && d.payload?.equals(placeholderPayload(type)) === true
}

function syncVersion(v: BackedUpVersion, d: DestinationVersion, type: SecretType, plan: Plan) {
  if (v.payload === undefined) {
    if (isLivePlaceholder(d, type)) plan.steps.push({ op: 'delete-version', revision: v.revision })
    return
  }
  if (d.status === 'deleted') {
    plan.conflicts.push(`revision ${v.revision} is permanently deleted in the destination`)
    return
  }
  if (d.payload !== undefined && !d.payload.equals(v.payload)) {
    plan.conflicts.push(`revision ${v.revision} holds a different payload in the destination`)
    return
  }
  if (d.status === 'scheduled_for_deletion') {
    plan.steps.push({ op: 'restore-version', revision: v.revision })
  }
  const wanted = v.meta.status === 'disabled' ? 'disabled' : 'enabled'
  // A restored version comes back disabled or enabled; state the wanted one explicitly.
  if (d.status === 'scheduled_for_deletion' || d.status !== wanted) {
    plan.steps.push({
      op: wanted === 'disabled' ? 'disable-version' : 'enable-version',
      revision: v.revision,
    })
  }
}

/** Destination revisions mirror the snapshot's: compare revision by revision. */
function syncAligned(secret: BackedUpSecret, dest: DestinationVersion[], plan: Plan): Step[] {
  const destByRevision = new Map(dest.map((d) => [d.revision, d]))
  let destLast = Math.max(0, ...dest.map((d) => d.revision))
  const type = secret.meta.type
  const trailing: Step[] = []
  const inSnapshot = new Set(secret.versions.map((v) => v.revision))
  for (const d of dest) {
    if (!inSnapshot.has(d.revision) && isLivePlaceholder(d, type)) {
      plan.steps.push({ op: 'delete-version', revision: d.revision })
    }
  }
  for (const v of secret.versions) {
    const d = destByRevision.get(v.revision)
    if (d) {
      syncVersion(v, d, type, plan)
    } else if (destLast < v.revision) {
      // Fill any gap, then write this revision at its own number.
      for (let gap = destLast + 1; gap < v.revision; gap++)
        plan.steps.push(...placeholder(gap, type))
      plan.steps.push(...writeVersion(v, type, plan.warnings))
      trailing.push(...finalStatus(v))
      destLast = v.revision
    } else {
      plan.conflicts.push(`revision ${v.revision} no longer exists in the destination`)
    }
  }
  return trailing
}

/** Revisions are not kept: a snapshot version is present if some version has its bytes. */
function syncByPayload(secret: BackedUpSecret, dest: DestinationVersion[], plan: Plan): Step[] {
  let destLast = Math.max(0, ...dest.map((d) => d.revision))
  const trailing: Step[] = []
  for (const v of secret.versions) {
    const payload = v.payload
    if (payload === undefined || dest.some((d) => d.payload?.equals(payload))) continue
    destLast += 1
    plan.steps.push(...writeVersion({ ...v, revision: destLast }, secret.meta.type, plan.warnings))
    trailing.push(...finalStatus({ ...v, revision: destLast }))
  }
  return trailing
}

/**
 * Protection is a restore's last write, so a restore interrupted after the versions leaves
 * the secret complete but unprotected. When tags and description already match the
 * snapshot, protecting it is finishing that restore, not overriding the user's metadata;
 * and protection takes nothing away (it only blocks deletion).
 */
function finishesProtection(secret: BackedUpSecret, dest: DestinationSecret): boolean {
  return sameTags(secret.meta.tags, dest.tags) && secret.meta.description === dest.description
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
  const target = { path: targetPath(secret.meta.path, options.folder), name: secret.meta.name }
  const plan: Plan = { target, outcome: 'update', steps: [], warnings: [], conflicts: [] }
  if (!dest) {
    plan.outcome = 'create'
    plan.steps.push({ op: 'create-secret', input: createInput(secret, options, plan.warnings) })
  } else if (options.onConflict === 'skip') {
    return {
      ...plan,
      outcome: 'skip',
      warnings: ['exists in the destination; skipped (on_conflict=skip)'],
    }
  } else {
    if (dest.scheduledForDeletion) plan.steps.push({ op: 'restore-secret' })
    metadataSteps(secret, dest, options, plan)
  }
  const versions = dest?.versions ?? []
  const trailing = options.preserveRevisions
    ? syncAligned(secret, versions, plan)
    : syncByPayload(secret, versions, plan)
  plan.steps.push(...trailing)
  const protect =
    !dest || (!dest.protected && (options.updateMetadata || finishesProtection(secret, dest)))
  if (secret.meta.protected && protect) plan.steps.push({ op: 'protect' })
  if (plan.conflicts.length > 0) plan.outcome = 'conflict'
  else if (dest && plan.steps.length === 0) plan.outcome = 'unchanged'
  return plan
}

export function describeStep(step: Step): string {
  switch (step.op) {
    case 'create-secret':
      return `create secret (type ${step.input.type})`
    case 'create-version':
      return step.placeholder
        ? `write placeholder revision ${step.revision}`
        : `write revision ${step.revision} (${step.data.length} bytes)`
    case 'update-secret':
      return 'update tags/description'
    default:
      return 'revision' in step ? `${step.op} ${step.revision}` : step.op
  }
}
