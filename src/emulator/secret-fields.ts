// Validation of the secret attributes shared by create and update.

import type { Fields } from './body.js'
import { formatDuration, parseDuration } from './duration.js'
import { invalidArgument, invalidArguments, notUsable } from './errors.js'
import type { NameKey, SecretStore } from './store.js'
import { EPHEMERAL_ACTIONS, type EphemeralPolicy, type SecretRecord } from './types.js'

const ONE_YEAR_SECONDS = 365 * 24 * 3600
const MAX_NAME_LENGTH = 255

/** `/a/b/` is stored as `/a/b`; paths must be absolute and have no empty segment. */
export const normalizePath = (raw: string, argument = 'path'): string => {
  if (!raw.startsWith('/'))
    throw invalidArgument(argument, 'format', `${argument} must start with /`)
  const trimmed = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw
  if (trimmed.includes('//')) {
    throw invalidArgument(argument, 'format', `${argument} must not contain empty folder names`)
  }
  // Not documented; a folder named . or .. is refused, as any path-shaped API would.
  if (trimmed.split('/').some((s) => s === '.' || s === '..')) {
    throw invalidArgument(argument, 'format', `${argument} must not contain . or .. folders`)
  }
  return trimmed
}

// The real limits are not documented; refusing `/` keeps names and paths unambiguous.
export const checkName = (name: string): string => {
  if (name.includes('/')) throw invalidArgument('name', 'format', 'name must not contain /')
  if (name.length > MAX_NAME_LENGTH) {
    throw invalidArgument(
      'name',
      'constraint',
      `name must be at most ${MAX_NAME_LENGTH} characters`,
    )
  }
  return name
}

const parseTimeToLive = (fields: Fields): string | null => {
  const raw = fields.string('time_to_live')
  if (raw === undefined) return null
  const duration = parseDuration(raw)
  const argument = fields.name('time_to_live')
  if (!duration)
    throw invalidArgument(argument, 'format', `${argument} must be a duration like 3600s`)
  const seconds = duration.seconds + duration.nanos / 1e9
  if (seconds < 1 || seconds > ONE_YEAR_SECONDS) {
    throw invalidArgument(argument, 'constraint', `${argument} must be between 1s and 1 year`)
  }
  return formatDuration(duration)
}

export const parsePolicy = (fields: Fields): EphemeralPolicy => {
  const action = fields.enumOf('action', EPHEMERAL_ACTIONS)
  if (action === undefined || action === 'unknown_action') {
    const argument = fields.name('action')
    throw invalidArguments({ argument, reason: 'required', help: `${argument} is required` })
  }
  return {
    timeToLive: parseTimeToLive(fields),
    expiresOnceAccessed: fields.boolean('expires_once_accessed') ?? false,
    action,
  }
}

export const DUPLICATE_HELP = 'cannot have same secret name in same path'

export const refuseDuplicate = (store: SecretStore, key: NameKey, exceptId?: string): void => {
  if (store.conflicting(key, exceptId)) throw invalidArgument('name', 'format', DUPLICATE_HELP)
}

/** Writes to a secret scheduled for deletion are refused until it is restored. */
export const requireLive = (secret: SecretRecord): void => {
  if (secret.deletionRequestedAt !== null) throw notUsable('secret is scheduled for deletion')
}
