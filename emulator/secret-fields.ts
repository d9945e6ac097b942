// Validation of the secret attributes shared by create and update.

import {
  DUPLICATE_NAME_HELP,
  nameRefusal,
  pathRefusal,
  type Refusal,
  storedPath,
} from '../src/core/secret-manager.js'
import type { Fields } from './body.js'
import { formatDuration, parseDuration } from './duration.js'
import { type ApiError, invalidArgument, invalidArguments, notUsable } from './errors.js'
import type { NameKey, SecretStore } from './store.js'
import { EPHEMERAL_ACTIONS, type EphemeralPolicy, type SecretRecord } from './types.js'

const ONE_YEAR_SECONDS = 365 * 24 * 3600

const refuse = (argument: string, refusal: Refusal): ApiError =>
  invalidArgument(argument, refusal.reason, `${argument} ${refusal.problem}`)

/** The stored form of a path argument: `/a/b/` becomes `/a/b`. */
export const normalizePath = (raw: string, argument = 'path'): string => {
  const path = storedPath(raw)
  const refusal = pathRefusal(path)
  if (refusal) throw refuse(argument, refusal)
  return path
}

export const checkName = (name: string): string => {
  const refusal = nameRefusal(name)
  if (refusal) throw refuse('name', refusal)
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

export const refuseDuplicate = (store: SecretStore, key: NameKey, exceptId?: string): void => {
  if (store.conflicting(key, exceptId)) throw invalidArgument('name', 'format', DUPLICATE_NAME_HELP)
}

/** Writes to a secret scheduled for deletion are refused until it is restored. */
export const requireLive = (secret: SecretRecord): void => {
  if (secret.deletionRequestedAt !== null) throw notUsable('secret is scheduled for deletion')
}
