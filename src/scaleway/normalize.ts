// The SDK copies some wire values through unconverted, so fields typed `string | undefined`
// can hold null at run time (key_id, description). Callers compare against undefined;
// this makes the types true.
import type { Secret, SecretVersion } from './api.js'

function definedOnly<T extends object>(value: T): T {
  const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined)
  return Object.fromEntries(entries) as T
}

export function normalizeSecret(secret: Secret): Secret {
  const clean = definedOnly(secret)
  return { ...clean, tags: clean.tags ?? [], usedBy: clean.usedBy ?? [] }
}

export function normalizeVersion(version: SecretVersion): SecretVersion {
  return definedOnly(version)
}
