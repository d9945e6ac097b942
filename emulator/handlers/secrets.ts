// Secret resources: create, get, update, delete, protect, restore.

import { isUuid } from '../../src/core/secret-manager.js'
import { type Handler, loadSecret, noContent, ok, type RequestContext } from '../context.js'
import { invalidArgument, notUsable, preconditionFailed } from '../errors.js'
import {
  checkName,
  normalizePath,
  parsePolicy,
  refuseDuplicate,
  requireLive,
} from '../secret-fields.js'
import type { NewSecret } from '../store.js'
import { WIRE_SECRET_TYPES } from '../types.js'
import { secretWire } from '../wire.js'

const readProjectId = (ctx: RequestContext): string => {
  const projectId = ctx.body.requiredString('project_id')
  if (!isUuid(projectId)) throw invalidArgument('project_id', 'format', 'project_id must be a UUID')
  ctx.requireProject(projectId)
  return projectId.toLowerCase()
}

const readKeyId = (ctx: RequestContext): string | null => {
  const keyId = ctx.body.string('key_id')
  if (keyId === undefined) return null
  if (!isUuid(keyId)) throw invalidArgument('key_id', 'format', 'key_id must be a UUID')
  return keyId
}

export const createSecret: Handler = (ctx) => {
  const f = ctx.body
  const requestedType = f.enumOf('type', WIRE_SECRET_TYPES) ?? 'opaque'
  const policy = f.object('ephemeral_policy')
  const input: NewSecret = {
    projectId: readProjectId(ctx),
    region: ctx.region,
    name: checkName(f.requiredString('name')),
    path: normalizePath(f.string('path') ?? '/'),
    type: requestedType === 'unknown_type' ? 'opaque' : requestedType,
    tags: f.stringArray('tags') ?? [],
    description: f.string('description') ?? '',
    protected: f.boolean('protected') ?? false,
    managed: false,
    status: 'ready',
    ephemeralPolicy: policy ? parsePolicy(policy) : null,
    usedBy: [],
    keyId: readKeyId(ctx),
    deletionRequested: false,
  }
  refuseDuplicate(ctx.store, input)
  return ok(secretWire(ctx.store.insertSecret(input)))
}

export const getSecret: Handler = (ctx) => ok(secretWire(loadSecret(ctx)))

export const updateSecret: Handler = (ctx) => {
  const secret = loadSecret(ctx)
  requireLive(secret)
  const f = ctx.body
  const rawName = f.string('name')
  const rawPath = f.string('path')
  const name = rawName === undefined || rawName === '' ? secret.name : checkName(rawName)
  const path = rawPath === undefined || rawPath === '' ? secret.path : normalizePath(rawPath)
  const policy = f.object('ephemeral_policy')
  const ephemeralPolicy = policy ? parsePolicy(policy) : secret.ephemeralPolicy
  refuseDuplicate(ctx.store, { ...secret, name, path }, secret.id)
  ctx.store.rename(secret, name, path)
  Object.assign(secret, {
    ephemeralPolicy,
    tags: f.stringArray('tags') ?? secret.tags,
    description: f.string('description') ?? secret.description,
    updatedAt: ctx.store.clock.tick(),
  })
  return ok(secretWire(secret))
}

const PROTECTED_HELP = 'cannot delete a protected secret'

// A secret with an ephemeral policy was recorded answering 404 right after its DELETE, while
// other secrets stay readable with deletion_requested_at set: the emulator does the same.
export const deleteSecret: Handler = (ctx) => {
  const secret = loadSecret(ctx)
  if (secret.protected) throw preconditionFailed('protected_resource', PROTECTED_HELP)
  if (secret.ephemeralPolicy !== null) {
    ctx.store.remove(secret.id)
    return noContent()
  }
  if (secret.deletionRequestedAt === null) {
    const now = ctx.store.clock.tick()
    secret.deletionRequestedAt = now
    secret.updatedAt = now
  }
  return noContent()
}

// Recorded: unprotect leaves updated_at alone.
const setProtected =
  (value: boolean): Handler =>
  (ctx) => {
    const secret = loadSecret(ctx)
    requireLive(secret)
    secret.protected = value
    return ok(secretWire(secret))
  }

export const protectSecret = setProtected(true)
export const unprotectSecret = setProtected(false)

export const restoreSecret: Handler = (ctx) => {
  const secret = loadSecret(ctx)
  if (secret.deletionRequestedAt === null) throw notUsable('secret is not scheduled for deletion')
  refuseDuplicate(ctx.store, secret, secret.id)
  secret.deletionRequestedAt = null
  secret.updatedAt = ctx.store.clock.tick()
  return ok(secretWire(secret))
}
