// What the walk remembers of each secret to tell, once the backup is over, which ones
// changed meanwhile: kept compact, read back exactly.
import { describe, expect, it } from 'vitest'
import { ListedSecrets } from '../../src/importer/walk.js'
import type { Secret } from '../../src/scaleway/api.js'

function secret(id: string, path: string, name: string, versionCount: number, updatedAt?: Date) {
  return { id, path, name, versionCount, updatedAt } as Secret
}

describe('ListedSecrets', () => {
  it('gives back each secret as listed, names with spaces and a missing update time included', () => {
    const listed = new ListedSecrets()
    listed.add(secret('a', '/', 'db password', 3, new Date(1_700_000_000_123)))
    listed.add(secret('b', '/team 1/app', 'api key', 12))
    expect(listed.seenAgain('a')).toEqual({
      label: '/db password',
      versionCount: 3,
      updatedAt: 1_700_000_000_123,
    })
    expect(listed.seenAgain('b')).toEqual({
      label: '/team 1/app/api key',
      versionCount: 12,
      updatedAt: undefined,
    })
    expect(listed.seenAgain('c')).toBeUndefined()
  })

  it('tells which secrets were not listed again, a secret listed twice counting once', () => {
    const listed = new ListedSecrets()
    listed.add(secret('a', '/', 'one', 1, new Date(5)))
    listed.add(secret('b', '/', 'two', 2, new Date(6)))
    listed.add(secret('c', '/x', 'three', 3))
    expect(listed.seenAgain('a')).toEqual({ label: '/one', versionCount: 1, updatedAt: 5 })
    // Pages shift while secrets come and go: the same secret may be listed twice.
    expect(listed.seenAgain('a')).toEqual({ label: '/one', versionCount: 1, updatedAt: 5 })
    expect(listed.seenAgain('z')).toBeUndefined()
    expect([...listed.notSeenAgain()].map((s) => s.label)).toEqual(['/two', '/x/three'])
    expect(listed.seenAgain('a')).toEqual({ label: '/one', versionCount: 1, updatedAt: 5 })
  })
})
