// Ping: can this key list and read secrets, and what would a backup keep as metadata
// only? Checked over the first page of secrets, so its cost stays bounded.
import { log } from '../log.js'
import type { SecretApi } from '../scaleway/api.js'
import { listAllVersions, PAGE_SIZE } from '../scaleway/pages.js'
import { addVersions, describeCoverage, noCoverageGaps } from './coverage.js'
import type { RecordOptions } from './records.js'

export async function ping(api: SecretApi, records: RecordOptions): Promise<void> {
  const { items, totalCount } = await api.listSecrets({}, 1, PAGE_SIZE)
  const first = items[0]
  if (first && first.versionCount > 0) {
    try {
      await api.accessVersion(first.id, 'latest_enabled')
    } catch (error) {
      // Only a refusal of access itself is a failed ping; a secret without an enabled
      // version proves nothing either way.
      const kind = (error as { kind?: string }).kind
      if (kind === 'permission' || kind === 'auth') throw error
    }
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
