// Walking the API's paginated lists at the largest page size it accepts.
import type { ListSecretsQuery, Secret, SecretApi, SecretVersion } from './api.js'

export const PAGE_SIZE = 100

export async function listAllVersions(api: SecretApi, secretId: string): Promise<SecretVersion[]> {
  const out: SecretVersion[] = []
  for (let page = 1; ; page++) {
    const { items, totalCount } = await api.listVersions(secretId, page, PAGE_SIZE)
    out.push(...items)
    if (items.length < PAGE_SIZE || out.length >= totalCount) return out
  }
}

/** Yields a query's secrets page by page, fetching the next while the caller works on one. */
export async function* secretPages(
  api: SecretApi,
  query: ListSecretsQuery,
): AsyncGenerator<Secret[]> {
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
      // A failure of the prefetched page surfaces when it is awaited, not as unhandled.
      next.catch(() => {})
    }
    yield items
    if (!more) return
  }
}
