import { inspect } from 'node:util'

const MASK = '[redacted]'

/**
 * Holds a credential. Configs get logged, interpolated, serialised and dumped by
 * debuggers; every one of those paths prints the mask, so only an explicit `reveal()`
 * (at the one place that builds the auth header) can ever expose the value. The value
 * lives in a private field so that reflection (Object.keys, spread, inspect with
 * customInspect off) cannot reach it either.
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
