import { inspect } from 'node:util'

const MASK = '[redacted]'

/**
 * Holds a credential. Logs, interpolation, JSON and debuggers all print the mask: only an
 * explicit `reveal()` (where the auth header is built) exposes the value, which a private
 * field keeps from reflection too (Object.keys, spread, inspect without customInspect).
 */
export class Redacted {
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  reveal(): string {
    return this.#value
  }

  toString(): string {
    return MASK
  }

  toJSON(): string {
    return MASK
  }

  [Symbol.toPrimitive](): string {
    return MASK
  }

  [inspect.custom](): string {
    return MASK
  }
}
