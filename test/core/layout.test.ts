import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ancestors,
  BACKUP_INFO,
  encodeSegment,
  folderDir,
  payloadPath,
  secretDir,
  secretMetaPath,
  versionMetaPath,
  versionsDir,
} from '../../src/core/layout.js'
import { parsePath } from '../support/layout-reader.js'

// Names that try to look like the layout itself, plus arbitrary unicode.
const tricky = fc.constantFrom(
  'secret.json',
  'versions',
  '.backup.json',
  'db.secret',
  '.',
  '..',
  '...',
  '1',
  '1.json',
  '%2E',
  '%',
  'a%2Fb',
  'a\\b',
  'x.secret.secret',
  'émoji-🔑',
  ' spaced ',
)
// Names and folder segments never contain `/` (the API refuses it).
const segment = fc.oneof(
  tricky,
  fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }).filter((s) => !s.includes('/')),
)
const smPath = fc.array(segment, { maxLength: 3 }).map((s) => `/${s.join('/')}`)
const secret = fc.record({
  path: smPath,
  name: segment,
  revisions: fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 4 }),
})

describe('layout', () => {
  it('maps every secret, folder and version to distinct pathnames that parse back', () => {
    fc.assert(
      fc.property(fc.array(secret, { maxLength: 12 }), (secrets) => {
        // One secret per (path, name), as the API enforces.
        const unique = new Map(secrets.map((s) => [`${s.path}\u0000${s.name}`, s]))
        const owner = new Map<string, string>()
        const claim = (pathname: string, what: string) => {
          const previous = owner.get(pathname)
          if (previous !== undefined && previous !== what) {
            throw new Error(`collision on ${pathname}: ${previous} vs ${what}`)
          }
          owner.set(pathname, what)
        }
        for (const s of unique.values()) {
          const id = `secret:${s.path}\u0000${s.name}`
          for (const dir of ancestors(folderDir(s.path))) claim(dir, `folder:${dir}`)
          claim(secretDir(s), id)
          claim(secretMetaPath(s), `${id}:meta`)
          claim(versionsDir(s), `${id}:versions`)
          expect(parsePath(secretDir(s))).toEqual({
            kind: 'secret-dir',
            secret: { path: s.path, name: s.name },
          })
          expect(parsePath(secretMetaPath(s))).toEqual({
            kind: 'secret-meta',
            secret: { path: s.path, name: s.name },
          })
          for (const revision of s.revisions) {
            claim(versionMetaPath(s, revision), `${id}:meta:${revision}`)
            claim(payloadPath(s, revision), `${id}:payload:${revision}`)
            expect(parsePath(payloadPath(s, revision))).toEqual({
              kind: 'payload',
              secret: { path: s.path, name: s.name },
              revision,
            })
            expect(parsePath(versionMetaPath(s, revision))).toEqual({
              kind: 'version-meta',
              secret: { path: s.path, name: s.name },
              revision,
            })
          }
          const folder = parsePath(folderDir(s.path))
          if (s.path !== '/') expect(folder).toEqual({ kind: 'folder', path: s.path })
        }
        claim(`/${BACKUP_INFO}`, 'backup-info')
      }),
      { numRuns: 500 },
    )
  })

  it('keeps a folder and a secret of the same name apart', () => {
    const asSecret = secretDir({ path: '/prod', name: 'db' })
    const asFolder = folderDir('/prod/db')
    expect(asSecret).toBe('/prod/db.secret')
    expect(asFolder).toBe('/prod/db')
    expect(parsePath(asFolder)).toEqual({ kind: 'folder', path: '/prod/db' })
  })

  it('escapes names that would escape their directory or mimic layout files', () => {
    expect(encodeSegment('..')).toBe('%2E.')
    expect(encodeSegment('a/b')).toBe('a%2Fb')
    expect(encodeSegment('x.secret')).toBe('x%2Esecret')
    expect(encodeSegment('.backup.json')).toBe('%2Ebackup.json')
    expect(secretDir({ path: '/', name: '.backup.json' })).toBe('/%2Ebackup.json.secret')
  })

  it('refuses pathnames outside the layout', () => {
    for (const bad of [
      'relative',
      '/a/../b',
      '/x.secret/other.txt',
      '/x.secret/versions/0',
      '/x.secret/versions/1/2',
      '/x.secret/versions/01',
      '/bad%zz',
      '/.hidden',
    ]) {
      expect(parsePath(bad).kind, bad).toBe('unknown')
    }
  })
})
