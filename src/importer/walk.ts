// Lists the secrets of a project (one page at a time, never the whole project in
// memory) and, for each secret that passes the filters, its versions.
import type { Secret, SecretApi, SecretType, SecretVersion } from '../scaleway/api.js'
import { listAllVersions, secretPages } from '../scaleway/pages.js'

export interface WalkFilter {
  /** Secret Manager folder to back up, recursively; '/' for everything. */
  folder: string
  tags: string[]
  type?: SecretType
  nameMatches?: (name: string) => boolean
  includeManaged: boolean
}

export type WalkEntry =
  | { secret: Secret; versions: SecretVersion[] }
  | { secret: Secret; error: unknown }

export function inFolder(secretPath: string, folder: string): boolean {
  return folder === '/' || secretPath === folder || secretPath.startsWith(`${folder}/`)
}

export function matches(secret: Secret, filter: WalkFilter): boolean {
  if (!inFolder(secret.path, filter.folder)) return false
  if (!filter.includeManaged && secret.managed) return false
  if (filter.nameMatches && !filter.nameMatches(secret.name)) return false
  return true
}

async function versionsOrError(api: SecretApi, secret: Secret): Promise<WalkEntry> {
  try {
    return { secret, versions: await listAllVersions(api, secret.id) }
  } catch (error) {
    return { secret, error }
  }
}

/**
 * Yields every matching secret with its versions. Version lists of a page run
 * concurrently; the API client's shared limiter bounds how many are in flight.
 */
export async function* walkSecrets(api: SecretApi, filter: WalkFilter): AsyncGenerator<WalkEntry> {
  // Tags and type filter server-side; the API's path filter is exact, not recursive.
  const query = { tags: filter.tags.length > 0 ? filter.tags : undefined, type: filter.type }
  for await (const page of secretPages(api, query)) {
    const pending = page.filter((s) => matches(s, filter)).map((s) => versionsOrError(api, s))
    // Each promise settles to an entry, never rejects, so none goes unhandled.
    for (const entry of pending) yield await entry
  }
}
