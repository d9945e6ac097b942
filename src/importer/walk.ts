// Lists the secrets of a project (one page at a time, never the whole project in
// memory) and, for each secret that passes the filters, its versions.
import type { ImporterConfig } from '../config/parse.js'
import type { Secret, SecretApi, SecretVersion } from '../scaleway/api.js'
import { listAllVersions, secretPages } from '../scaleway/pages.js'

type WalkFilter = Pick<ImporterConfig, 'folder' | 'tags' | 'type' | 'name' | 'includeManaged'>

export type WalkEntry =
  | { secret: Secret; versions: SecretVersion[] }
  | { secret: Secret; error: unknown }

/** Tags and type filter server-side; the API's path filter is exact, not recursive. */
const queryOf = (filter: WalkFilter) => ({
  tags: filter.tags.length > 0 ? filter.tags : undefined,
  type: filter.type,
})

function matches({ path, name, managed }: Secret, filter: WalkFilter): boolean {
  const { folder } = filter
  const inFolder = folder === '/' || path === folder || path.startsWith(`${folder}/`)
  return inFolder && (filter.includeManaged || !managed) && (filter.name?.matches(name) ?? true)
}

function versionsOrError(api: SecretApi, secret: Secret): Promise<WalkEntry> {
  return listAllVersions(api, secret.id).then(
    (versions) => ({ secret, versions }),
    (error: unknown) => ({ secret, error }),
  )
}

/**
 * Version lists run concurrently (the client's limiter bounds them), the next page's while
 * this page's entries are handed out, so the listing does not stall between pages.
 */
export async function* walkSecrets(api: SecretApi, filter: WalkFilter): AsyncGenerator<WalkEntry> {
  let current: Array<Promise<WalkEntry>> = []
  for await (const page of secretPages(api, queryOf(filter))) {
    const next = page.filter((s) => matches(s, filter)).map((s) => versionsOrError(api, s))
    // Each promise settles to an entry, never rejects, so none goes unhandled.
    for (const entry of current) yield await entry
    current = next
  }
  for (const entry of current) yield await entry
}

export const labelOf = ({ path, name }: Secret) => `${path === '/' ? '' : path}/${name}`

/**
 * Every secret the walk listed, by id, the one thing a backup keeps per secret: as a flat
 * string ("count updatedAt label"), half the memory of an object holding the listing's strings.
 */
export class ListedSecrets {
  private readonly byId = new Map<string, string>()

  add(secret: Secret): void {
    const updatedAt = secret.updatedAt?.getTime() ?? ''
    this.byId.set(secret.id, [secret.versionCount, updatedAt, labelOf(secret)].join(' '))
  }

  /**
   * Names the secrets added, deleted, given versions or modified since the walk listed them:
   * revisions are read by number, so the snapshot holds no wrong bytes, but it is behind.
   */
  async changedSince(
    api: SecretApi,
    filter: WalkFilter,
    /** Secrets this backup wrote to itself, whose update time is therefore no evidence. */
    touched: ReadonlySet<string>,
  ): Promise<string[]> {
    const changes: string[] = []
    for await (const page of secretPages(api, queryOf(filter))) {
      for (const secret of page.filter((s) => matches(s, filter))) {
        const packed = this.byId.get(secret.id)
        // Marked in its string, not in a set of ids; pages shift, so it may be listed twice.
        if (packed && !packed.startsWith(SEEN)) this.byId.set(secret.id, [SEEN, packed].join(''))
        const before = packed && unpack(packed)
        const now = secret.versionCount
        if (!before) changes.push(`${labelOf(secret)} appeared`)
        else if (before.versionCount !== now) {
          changes.push(`${before.label} went from ${before.versionCount} to ${now} versions`)
        } else if (before.updatedAt !== secret.updatedAt?.getTime() && !touched.has(secret.id)) {
          changes.push(`${before.label} was modified`)
        }
      }
    }
    for (const packed of this.byId.values()) {
      if (!packed.startsWith(SEEN)) changes.push(`${unpack(packed).label} was deleted`)
    }
    return changes
  }
}

const SEEN = '*'

function unpack(marked: string) {
  const packed = marked.startsWith(SEEN) ? marked.slice(SEEN.length) : marked
  const first = packed.indexOf(' ')
  const second = packed.indexOf(' ', first + 1)
  const updated = packed.slice(first + 1, second)
  return {
    versionCount: Number(packed.slice(0, first)),
    updatedAt: updated === '' ? undefined : Number(updated),
    label: packed.slice(second + 1),
  }
}
