// Ephemeral secrets: versions inherit expiry properties from the secret's policy, and once
// expired (by time, or by a first access) they get the policy's action. Expiry is applied
// lazily, whenever a request looks at the secret's versions.

import type { Clock } from './clock.js'
import { formatMicros, parseMicros } from './clock.js'
import { durationMillis, parseDuration } from './duration.js'
import type { EphemeralPolicy, EphemeralProperties, SecretRecord, VersionRecord } from './types.js'

export const propertiesFromPolicy = (
  policy: EphemeralPolicy | null,
  createdAt: string,
): EphemeralProperties | null => {
  if (policy === null) return null
  const ttl = policy.timeToLive === null ? undefined : parseDuration(policy.timeToLive)
  const created = parseMicros(createdAt) ?? 0
  return {
    expiresAt: ttl ? formatMicros(created + durationMillis(ttl) * 1000) : null,
    expiresOnceAccessed: policy.expiresOnceAccessed,
    action: policy.action,
  }
}

const expire = (version: VersionRecord, props: EphemeralProperties, clock: Clock): void => {
  const now = clock.tick()
  version.updatedAt = now
  if (props.action === 'delete') {
    version.status = 'deleted'
    version.deletedAt = now
    return
  }
  version.status = 'disabled'
}

const isExpired = (props: EphemeralProperties): boolean => {
  if (props.expiresAt === null) return false
  const at = parseMicros(props.expiresAt)
  return at !== undefined && at <= Date.now() * 1000
}

/** Applies time-based expiry; returns whether anything changed. */
export const expireDueVersions = (secret: SecretRecord, clock: Clock): boolean => {
  let changed = false
  for (const v of secret.versions) {
    const props = v.ephemeralProperties
    if (props === null || v.status !== 'enabled' || !isExpired(props)) continue
    expire(v, props, clock)
    changed = true
  }
  return changed
}

/** Burn-after-reading: returns whether the access consumed the version. */
export const expireAfterAccess = (version: VersionRecord, clock: Clock): boolean => {
  const props = version.ephemeralProperties
  if (props === null || !props.expiresOnceAccessed) return false
  expire(version, props, clock)
  return true
}
