// Secret versions: create, list, get, update, delete, enable, disable, restore, access.

import { crc32 } from 'node:zlib'
import { isDeletedVersion, VERSION_STATUSES } from '../../src/core/secret-manager.js'
import { decodeBase64 } from '../base64.js'
import { isTimestamp } from '../clock.js'
import {
  type Handler,
  loadSecret,
  loadVersion,
  noContent,
  ok,
  type RequestContext,
} from '../context.js'
import { expireAfterAccess, propertiesFromPolicy } from '../ephemeral.js'
import { invalidArgument, notUsable } from '../errors.js'
import { payloadRefusal } from '../payload.js'
import { pageOf, readEnumList, readPage } from '../query.js'
import { requireLive } from '../secret-fields.js'
import {
  EPHEMERAL_ACTIONS,
  type EphemeralProperties,
  type SecretRecord,
  type VersionRecord,
  type VersionStatus,
} from '../types.js'
import { accessWire, versionWire } from '../wire.js'

const readPayload = (ctx: RequestContext, secret: SecretRecord): Buffer => {
  const data = decodeBase64(ctx.body.string('data') ?? '')
  if (data === undefined) throw invalidArgument('data', 'format', 'data must be base64')
  const refusal = payloadRefusal(secret.type, data)
  if (refusal) throw refusal
  return data
}

const readChecksum = (ctx: RequestContext, data: Buffer): number | null => {
  const expected = ctx.body.uint32('data_crc32')
  if (expected === undefined) return null
  if (expected !== crc32(data)) {
    throw invalidArgument('data_crc32', 'constraint', 'data_crc32 does not match the CRC32 of data')
  }
  return expected
}

const touch = (ctx: RequestContext, version: VersionRecord, status: VersionStatus): void => {
  version.status = status
  version.updatedAt = ctx.store.clock.tick()
}

export const createVersion: Handler = (ctx) => {
  const secret = loadSecret(ctx)
  requireLive(secret)
  const data = readPayload(ctx, secret)
  const dataCrc32 = readChecksum(ctx, data)
  const description = ctx.body.string('description') ?? ''
  const previous = secret.versions.at(-1)
  if (ctx.body.boolean('disable_previous') && previous?.status === 'enabled') {
    touch(ctx, previous, 'disabled')
  }
  const version = ctx.store.appendVersion(secret, {
    data,
    dataCrc32,
    description,
    status: 'enabled',
    ephemeralProperties: null,
  })
  version.ephemeralProperties = propertiesFromPolicy(secret.ephemeralPolicy, version.createdAt)
  return ok(versionWire(secret, version))
}

export const listVersions: Handler = (ctx) => {
  const secret = loadSecret(ctx)
  const statuses: VersionStatus[] = readEnumList(ctx.query, 'status', VERSION_STATUSES).filter(
    (s) => s !== 'unknown_status',
  )
  const page = readPage(ctx.query, ctx.defaultPageSize)
  const matching = secret.versions
    .filter((v) => statuses.length === 0 || statuses.includes(v.status))
    .reverse()
  return ok({
    versions: pageOf(matching, page).map((v) => versionWire(secret, v)),
    total_count: matching.length,
  })
}

export const getVersion: Handler = (ctx) => {
  const { secret, version } = loadVersion(ctx)
  return ok(versionWire(secret, version))
}

const readProperties = (
  ctx: RequestContext,
  current: EphemeralProperties | null,
): EphemeralProperties | null => {
  const f = ctx.body.object('ephemeral_properties')
  if (f === undefined) return current
  const expiresAt = f.string('expires_at') ?? null
  if (expiresAt !== null && !isTimestamp(expiresAt)) {
    throw invalidArgument(f.name('expires_at'), 'format', 'expires_at must be an RFC 3339 time')
  }
  const action = f.enumOf('action', EPHEMERAL_ACTIONS)
  if (action === undefined || action === 'unknown_action') {
    throw invalidArgument(f.name('action'), 'required', `${f.name('action')} is required`)
  }
  return { expiresAt, expiresOnceAccessed: f.boolean('expires_once_accessed') ?? false, action }
}

export const updateVersion: Handler = (ctx) => {
  const { secret, version } = loadVersion(ctx)
  requireLive(secret)
  version.description = ctx.body.string('description') ?? version.description
  version.ephemeralProperties = readProperties(ctx, version.ephemeralProperties)
  version.updatedAt = ctx.store.clock.tick()
  return ok(versionWire(secret, version))
}

// Deleting again is a no-op rather than an error, like deleting a deleted secret.
export const deleteVersion: Handler = (ctx) => {
  const { secret, version } = loadVersion(ctx)
  requireLive(secret)
  if (isDeletedVersion(version.status)) return noContent()
  const now = ctx.store.clock.tick()
  version.statusBeforeDeletion = version.status
  version.status = 'scheduled_for_deletion'
  version.deletionRequestedAt = now
  version.updatedAt = now
  return noContent()
}

const setEnabled =
  (target: 'enabled' | 'disabled'): Handler =>
  (ctx) => {
    const { secret, version } = loadVersion(ctx)
    requireLive(secret)
    if (isDeletedVersion(version.status)) throw notUsable(`secret version is ${version.status}`)
    if (version.status !== target) touch(ctx, version, target)
    return ok(versionWire(secret, version))
  }

export const enableVersion = setEnabled('enabled')
export const disableVersion = setEnabled('disabled')

export const restoreVersion: Handler = (ctx) => {
  const { secret, version } = loadVersion(ctx)
  requireLive(secret)
  if (version.status !== 'scheduled_for_deletion') {
    throw notUsable('secret version is not scheduled for deletion')
  }
  version.deletionRequestedAt = null
  touch(ctx, version, version.statusBeforeDeletion ?? 'enabled')
  version.statusBeforeDeletion = null
  return ok(versionWire(secret, version))
}

/** Payload of an enabled version; anything else is a 412, as for any unusable resource. */
export const accessVersion: Handler = (ctx) => {
  const secret = loadSecret(ctx)
  requireLive(secret)
  const { version } = loadVersion(ctx, secret)
  if (version.status !== 'enabled') throw notUsable(`secret version is ${version.status}`)
  const body = accessWire(secret, version)
  expireAfterAccess(version, ctx.store.clock)
  return ok(body)
}
