// Secret Manager folder paths. The API stores '/a/b/' as '/a/b' and matches paths
// exactly, so every path we hand it must already be in that canonical form.

export type PathResult = { ok: true; path: string } | { ok: false; reason: string }

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Canonical form: leading '/', no trailing '/', no empty segments ('//' collapses).
 * '.' and '..' are refused rather than resolved: a restore root that silently climbs
 * out of where the user pointed it is worse than an error.
 */
export function normaliseSecretPath(input: string): PathResult {
  if (CONTROL.test(input)) return { ok: false, reason: 'it contains control characters' }
  const segments = input.split('/').filter((segment) => segment !== '')
  const dotted = segments.find((segment) => segment === '.' || segment === '..')
  if (dotted !== undefined) {
    return { ok: false, reason: `the segment "${dotted}" is not allowed (no relative paths)` }
  }
  return { ok: true, path: `/${segments.join('/')}` }
}
