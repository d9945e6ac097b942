import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NameGlob } from '../../src/config/glob.js'

function glob(pattern: string): NameGlob {
  const result = NameGlob.parse(pattern)
  if (!result.ok) throw new Error(result.reason)
  return result.value
}

describe('NameGlob', () => {
  it.each([
    ['db-*', 'db-main', true],
    ['db-*', 'db-', true],
    ['db-*', 'api-db', false],
    ['*', '', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'a😀c', true],
    ['[abc]x', 'bx', true],
    ['[abc]x', 'dx', false],
    ['[a-c]', 'b', true],
    ['[!a-c]', 'b', false],
    ['[^a-c]', 'z', true],
    ['[]]', ']', true],
    ['[!]]', 'a', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['a.b', 'aXb', false],
    ['(x)+', '(x)+', true],
    ['$^', '$^', true],
    ['*-prod', 'api-prod', true],
    ['DB', 'db', false],
  ])('%j matches %j: %s', (pattern, name, expected) => {
    expect(glob(pattern).matches(name)).toBe(expected)
  })

  it('serialises to its pattern', () => {
    expect(JSON.stringify({ name: glob('a*') })).toBe('{"name":"a*"}')
    expect(String(glob('a*'))).toBe('a*')
  })

  it('matches any name made literal by escaping', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        const escaped = Array.from(name, (char) => `\\${char}`).join('')
        expect(glob(escaped || '*').matches(name)).toBe(true)
      }),
    )
  })

  it('never throws on arbitrary patterns', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (pattern, name) => {
        const result = NameGlob.parse(pattern)
        if (result.ok) expect(typeof result.value.matches(name)).toBe('boolean')
        else expect(result.reason.length).toBeGreaterThan(0)
      }),
    )
  })
})
