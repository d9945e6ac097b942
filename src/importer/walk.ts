// Lists the secrets of a project (one page at a time, never the whole project in
// memory) and, for each secret that passes the filters, its versions.
import type { Secret, SecretApi, SecretType, SecretVersion } from '../scaleway/api.js'

/** The largest page the API accepts. */
export const PAGE_SIZE = 100

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

export async function listAllVersions(api: SecretApi, secretId: string): Promise<SecretVersion[]> {
  const out: SecretVersion[] = []
  for (let page = 1; ; page++) {
    const { items, totalCount } = await api.listVersions(secretId, page, PAGE_SIZE)
    out.push(...items)
    if (items.length < PAGE_SIZE || out.length >= totalCount) return out
  }
}

async function versionsOrError(api: SecretApi, secret: Secret): Promise<WalkEntry> {
  try {
    return { secret, versions: await listAllVersions(api, secret.id) }
  } catch (error) {
    return { secret, error }
  }
}

/**
 * Yields every matching secret with its versions. The next page is requested while
 * the current one is processed, and version lists of a page run concurrently (the
 * API client's shared limiter bounds how many are in flight).
 */
export async function* walkSecrets(api: SecretApi, filter: WalkFilter): AsyncGenerator<WalkEntry> {
  const query = {
    tags: filter.tags.length > 0 ? filter.tags : undefined,
    type: filter.type,
    // An exact path match is all the API offers; a folder with no subfolders gains
    // from it, others are filtered here.
  }
  let page = 1
  let seen = 0
  let next = api.listSecrets(query, page, PAGE_SIZE)
  for (;;) {
    const { items, totalCount } = await next
    seen += items.length
    const more = items.length === PAGE_SIZE && seen < totalCount
    if (more) {
      page += 1
      next = api.listSecrets(query, page, PAGE_SIZE)
      // Surface a failure of the prefetched page when it is awaited, not as unhandled.
      next.catch(() => {})
    }
    const pending = items.filter((s) => matches(s, filter)).map((s) => versionsOrError(api, s))
    for (const entry of pending) yield await entry
    if (!more) return
  }
}
