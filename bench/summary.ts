// Reads the figures out of the plugins' summary line on stderr, e.g.
// `... 1503 API requests (303 reads, 1200 accesses, 0 writes), 12 retries, 12 rate-limited; ...`
// (the format of src/scaleway/stats.ts).

export interface ApiSummary {
  requests: number
  reads: number
  accesses: number
  writes: number
  retries: number
  rateLimited: number
}

const PATTERN =
  /(\d+) API requests \((\d+) reads, (\d+) accesses, (\d+) writes\), (\d+) retries, (\d+) rate-limited/

export function parseSummary(line: string): ApiSummary | undefined {
  const m = line.match(PATTERN)
  if (!m) return undefined
  const [requests, reads, accesses, writes, retries, rateLimited] = m.slice(1).map(Number)
  return {
    requests: requests ?? 0,
    reads: reads ?? 0,
    accesses: accesses ?? 0,
    writes: writes ?? 0,
    retries: retries ?? 0,
    rateLimited: rateLimited ?? 0,
  }
}

/** `N payloads read` from the importer's line: what plakar actually opened. */
export function payloadsRead(line: string): number | undefined {
  const m = line.match(/(\d+) payloads read/)
  return m ? Number(m[1]) : undefined
}
