// Typo hints for unknown config keys. Optimal string alignment distance (Levenshtein plus
// adjacent transpositions), because "concurency" and "conucrrency" are both one slip away.

function cell(row: readonly number[], index: number): number {
  return row[index] ?? Number.POSITIVE_INFINITY
}

export function editDistance(a: string, b: string): number {
  const left = Array.from(a)
  const right = Array.from(b)
  let beforePrevious: number[] = []
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j)
  for (let i = 1; i <= left.length; i++) {
    const current = [i]
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1
      let best = Math.min(
        cell(previous, j) + 1,
        cell(current, j - 1) + 1,
        cell(previous, j - 1) + cost,
      )
      const swapped = i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]
      if (swapped) best = Math.min(best, cell(beforePrevious, j - 2) + 1)
      current.push(best)
    }
    beforePrevious = previous
    previous = current
  }
  return cell(previous, right.length)
}

/**
 * The closest known key, if close enough to be a plausible typo. Spellings carried over are
 * folded first: camelCase (JS), dashes (CLI flags), `SCW_`/`default_` (scw env, config file).
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const wanted = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replaceAll('-', '_')
    .replace(/^scw_/, '')
    .replace(/^default_/, '')
  const limit = Math.max(2, Math.floor(wanted.length / 3))
  let best: { key: string; distance: number } | undefined
  for (const candidate of known) {
    const distance = editDistance(wanted, candidate)
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { key: candidate, distance }
    }
  }
  return best?.key
}
