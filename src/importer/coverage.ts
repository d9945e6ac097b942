// What a backup keeps of each version: its bytes, or its metadata only, and why. The API
// serves only enabled versions, so the backup itself (summary, ping, .backup.json) must
// say which bytes the snapshot lacks, not a restore months later.
import { log } from '../log.js'
import type { SecretApi, SecretVersion } from '../scaleway/api.js'
import { listAllVersions, PAGE_SIZE } from '../scaleway/pages.js'
import { isReadable, type RecordOptions } from './records.js'

/** Versions listed; disabled ones not read (read_disabled=false); deleted ones, never served. */
export const noCoverageGaps = () => ({ versions: 0, disabled: 0, deleted: 0 })

type Coverage = ReturnType<typeof noCoverageGaps>

/** Counts `versions`, and those the snapshot will hold as metadata only. */
export function addVersions(coverage: Coverage, versions: SecretVersion[], options: RecordOptions) {
  coverage.versions += versions.length
  for (const v of versions) {
    if (isReadable(v, options)) continue
    if (v.status === 'disabled') coverage.disabled += 1
    else coverage.deleted += 1
  }
}

/** "2 versions kept as metadata only (1 disabled ...; 1 deleted ...)", or '' if none. */
export function describeCoverage({ disabled, deleted }: Omit<Coverage, 'versions'>): string {
  const total = disabled + deleted
  if (total === 0) return ''
  const why: string[] = []
  if (disabled > 0) why.push(`${disabled} disabled, not read without read_disabled=true`)
  if (deleted > 0) why.push(`${deleted} deleted or scheduled for deletion`)
  return `${total} version${total === 1 ? '' : 's'} kept as metadata only (${why.join('; ')})`
}

/**
 * Ping: can this key list and read secrets, and what would a backup keep as metadata
 * only? Checked over the first page of secrets, so its cost stays bounded.
 */
export async function ping(api: SecretApi, records: RecordOptions): Promise<void> {
  const { items, totalCount } = await api.listSecrets({}, 1, PAGE_SIZE)
  // Never a secret whose versions expire once read: the probe would destroy one.
  const probe = items.find((s) => s.versionCount > 0 && !s.ephemeralPolicy?.expiresOnceAccessed)
  if (probe) {
    await api.accessVersion(probe.id, 'latest_enabled').catch((error: unknown) => {
      // Only a refusal of access fails the ping: a secret with no enabled version proves nothing.
      const kind = (error as { kind?: string }).kind
      if (kind === 'permission' || kind === 'auth') throw error
    })
  }
  const coverage = noCoverageGaps()
  await Promise.all(
    items.map(async (secret) =>
      addVersions(coverage, await listAllVersions(api, secret.id), records),
    ),
  )
  const scope =
    totalCount > items.length ? `the first ${items.length} of ${totalCount}` : `all ${totalCount}`
  const gaps = describeCoverage(coverage)
  log.info(`ping: in ${scope} secrets, ${gaps || 'every version has its payload backed up'}`)
}
