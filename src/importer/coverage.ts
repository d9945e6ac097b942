// What a backup keeps of each version: its bytes, or its metadata only, and why. The API
// serves only enabled versions, so an operator must learn from the backup itself (its
// summary, its ping, .backup.json), not from a restore months later, which bytes the
// snapshot lacks.
import type { SecretVersion } from '../scaleway/api.js'
import { isReadable, type RecordOptions } from './records.js'

export interface Coverage {
  /** Disabled versions whose bytes are not read (read_disabled=false). */
  disabled: number
  /** Deleted or scheduled for deletion: the API serves no payload for them. */
  deleted: number
}

export const noCoverageGaps = (): Coverage => ({ disabled: 0, deleted: 0 })

export function addVersions(
  coverage: Coverage,
  versions: readonly SecretVersion[],
  options: RecordOptions,
): void {
  for (const v of versions) {
    if (isReadable(v, options)) continue
    if (v.status === 'disabled') coverage.disabled += 1
    else coverage.deleted += 1
  }
}

/** "2 versions metadata only (1 disabled ..., 1 deleted ...)", or '' when every version has its bytes. */
export function describeCoverage(coverage: Coverage): string {
  const total = coverage.disabled + coverage.deleted
  if (total === 0) return ''
  const why = [
    coverage.disabled > 0
      ? `${coverage.disabled} disabled, not read without read_disabled=true`
      : '',
    coverage.deleted > 0 ? `${coverage.deleted} deleted or scheduled for deletion` : '',
  ].filter((s) => s !== '')
  return `${total} version${total === 1 ? '' : 's'} kept as metadata only (${why.join('; ')})`
}

/** For .backup.json. */
export const coverageCounts = (coverage: Coverage) => ({
  metadata_only_disabled: coverage.disabled,
  metadata_only_deleted: coverage.deleted,
})
