// Typed reads of JSON request bodies. A field that is absent or null counts as "not set", as
// protobuf JSON decoding does; a field of the wrong type is a 400 naming that field (with its
// parent, e.g. `ephemeral_policy.action`).

import { invalidArgument, type JsonObject, type JsonValue } from './errors.js'

export const parseJsonBody = (raw: Buffer): JsonObject => {
  if (raw.length === 0) return {}
  let value: unknown
  try {
    value = JSON.parse(raw.toString('utf8'))
  } catch {
    throw invalidArgument('body', 'format', 'request body is not valid JSON')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument('body', 'format', 'request body must be a JSON object')
  }
  return value as JsonObject
}

export class Fields {
  constructor(
    private readonly body: JsonObject,
    private readonly prefix = '',
  ) {}

  name(key: string): string {
    return `${this.prefix}${key}`
  }

  string(key: string): string | undefined {
    const value = this.value(key)
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw this.format(key, 'must be a string')
    return value
  }

  requiredString(key: string): string {
    const value = this.string(key)
    if (value === undefined || value === '') {
      throw invalidArgument(this.name(key), 'required', `${this.name(key)} is required`)
    }
    return value
  }

  boolean(key: string): boolean | undefined {
    const value = this.value(key)
    if (value === undefined) return undefined
    if (typeof value !== 'boolean') throw this.format(key, 'must be a boolean')
    return value
  }

  stringArray(key: string): string[] | undefined {
    const value = this.value(key)
    if (value === undefined) return undefined
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw this.format(key, 'must be a list of strings')
    }
    return value as string[]
  }

  /** uint32 may come as a JSON number or, per protobuf JSON, as a decimal string. */
  uint32(key: string): number | undefined {
    const value = this.value(key)
    if (value === undefined) return undefined
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffff_ffff) {
      throw this.format(key, 'must be an unsigned 32-bit integer')
    }
    return n
  }

  object(key: string): Fields | undefined {
    const value = this.value(key)
    if (value === undefined) return undefined
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.format(key, 'must be an object')
    }
    return new Fields(value, `${this.name(key)}.`)
  }

  enumOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key)
    if (value === undefined) return undefined
    if (!(allowed as readonly string[]).includes(value)) {
      throw this.format(key, `must be one of ${allowed.join(', ')}`)
    }
    return value as T
  }

  private value(key: string): JsonValue | undefined {
    const value = this.body[key]
    return value === null ? undefined : value
  }

  private format(key: string, problem: string) {
    return invalidArgument(this.name(key), 'format', `${this.name(key)} ${problem}`)
  }
}
