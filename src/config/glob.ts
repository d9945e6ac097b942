// Secret-name filter. Names never contain '/', so `*` simply matches any run of
// characters. Compiled once to an anchored RegExp; every character of the pattern is
// emitted as a \u{...} escape so no user text is ever interpreted as RegExp syntax.

import { fail, ok, type Result } from './errors.js'

const codePoint = (char: string): number => char.codePointAt(0) ?? 0
const literal = (char: string): string => `\\u{${codePoint(char).toString(16)}}`

/** Scans `[...]` starting just after the `[`; a `]` right after `[` or `[!` is literal. */
function scanClass(
  chars: readonly string[],
  start: number,
): { source: string; next: number } | string {
  const negated = chars[start] === '!' || chars[start] === '^'
  const first = negated ? start + 1 : start
  let body = ''
  for (let i = first; i < chars.length; i++) {
    const char = chars[i] as string
    if (char === ']' && i > first) {
      if (body === '') return 'a bracket expression must list at least one character'
      return { source: `[${negated ? '^' : ''}${body}]`, next: i + 1 }
    }
    const high = chars[i + 2]
    if (chars[i + 1] === '-' && high !== undefined && high !== ']') {
      if (codePoint(char) > codePoint(high)) return `the range ${char}-${high} is reversed`
      body += `${literal(char)}-${literal(high)}`
      i += 2
    } else body += literal(char)
  }
  return 'a `[` is never closed by `]`'
}

function compile(pattern: string): RegExp | string {
  const chars = Array.from(pattern)
  let source = ''
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else if (char === '\\') {
      const escaped = chars[++i]
      if (escaped === undefined) return 'it ends with a lone backslash'
      source += literal(escaped)
    } else if (char === '[') {
      const scanned = scanClass(chars, i + 1)
      if (typeof scanned === 'string') return scanned
      source += scanned.source
      i = scanned.next - 1
    } else source += literal(char)
  }
  return new RegExp(`^${source}$`, 'su')
}

/** A compiled secret-name glob that serialises back to its pattern. */
export class NameGlob {
  private constructor(
    readonly pattern: string,
    private readonly regex: RegExp,
  ) {}

  // An arrow, so that it can be passed around unbound.
  static parse = (pattern: string): Result<NameGlob> => {
    const compiled = pattern === '' ? 'an empty pattern matches no secret' : compile(pattern)
    if (typeof compiled === 'string') return fail(`not a valid glob: ${compiled}`)
    return ok(new NameGlob(pattern, compiled))
  }

  matches(name: string): boolean {
    return this.regex.test(name)
  }

  toString(): string {
    return this.pattern
  }

  toJSON(): string {
    return this.pattern
  }
}
