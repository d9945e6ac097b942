// What the walk remembers of each secret to tell, once the backup is over, which ones
// changed meanwhile: kept compact, read back exactly.
import { describe, expect, it } from 'vitest'
import { ListedSecrets } from '../../src/importer/walk.js'
import type { Secret, SecretApi } from '../../src/scaleway/api.js'

function secret(id: string, path: string, name: string, versionCount: number, updatedAt?: Date) {
  return { id, path, name, versionCount, updatedAt, managed: false } as Secret
}

/** Only bytes of the listing matter here: one page holding `secrets`, as listed again. */
function listedAgain(...secrets: Secret[]): SecretApi {
  const page = { items: secrets, totalCount: secrets.length }
  return { listSecrets: async () => page } as unknown as SecretApi
}

const EVERYTHING = { folder: '/', tags: [], type: undefined, name: undefined, includeManaged: true }
const NONE = new Set<string>()

describe('ListedSecrets', () => {
  it('reads back counts, update times and names with spaces exactly', async () => {
    const listed = new ListedSecrets()
    const at = new Date(1_700_000_000_123)
    listed.add(secret('a', '/', 'db password', 3, at))
    listed.add(secret('b', '/team 1/app', 'api key', 12))
    listed.add(secret('c', '/', 'same', 1, at))
    listed.add(secret('d', '/', 'edited', 1, new Date(5)))
    listed.add(secret('e', '/', 'toggled', 1, new Date(5)))
    const api = listedAgain(
      secret('a', '/', 'db password', 4, at),
      secret('b', '/team 1/app', 'api key', 12),
      secret('c', '/', 'same', 1, new Date(1_700_000_000_123)),
      secret('d', '/', 'edited', 1, new Date(6)),
      secret('e', '/', 'toggled', 1, new Date(6)),
    )
    expect(await listed.changedSince(api, EVERYTHING, new Set(['e']))).toEqual([
      '/db password went from 3 to 4 versions',
      '/edited was modified',
    ])
  })

  it('names secrets that appeared or are gone, a secret listed twice counting once', async () => {
    const listed = new ListedSecrets()
    listed.add(secret('a', '/', 'one', 1, new Date(5)))
    listed.add(secret('b', '/', 'two', 2, new Date(6)))
    listed.add(secret('c', '/x', 'three', 3))
    // Pages shift while secrets come and go: the same secret may be listed twice.
    const a = secret('a', '/', 'one', 1, new Date(5))
    const api = listedAgain(a, secret('z', '/', 'new', 1), a)
    expect(await listed.changedSince(api, EVERYTHING, NONE)).toEqual([
      '/new appeared',
      '/two was deleted',
      '/x/three was deleted',
    ])
  })
})
