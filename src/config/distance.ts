// Typo hints for unknown config keys.
import { closestMatch } from 'leven'

/**
 * The closest known key, if close enough to be a plausible typo (a third of its letters, at
 * least two, so a swap of two letters is caught). Spellings carried over are folded first:
 * camelCase (JS), dashes (CLI flags), `SCW_`/`default_` (scw env, config file).
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const wanted = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replaceAll('-', '_')
    .replace(/^scw_/, '')
    .replace(/^default_/, '')
  const maxDistance = Math.max(2, Math.floor(wanted.length / 3))
  return closestMatch(wanted, known, { maxDistance })
}
