// Request accounting. Counts are per HTTP attempt, i.e. what the server actually saw,
// so a retried call counts twice: that is the figure that matters against rate limits.
import { classifyRoute } from './route.js'

export class StatsRecorder {
  /** Attempts per route label, e.g. `GET /secrets/{id}/versions/{rev}/access`. */
  readonly byRoute: Record<string, number> = {}
  /** HTTP attempts sent, retries included. */
  requests = 0
  retries = 0
  /** Responses with status 429. */
  rateLimited = 0
  /** GETs other than payload accesses. */
  reads = 0
  /** GET .../access: each one reads a payload. */
  accesses = 0
  /** Everything that is not a GET. */
  writes = 0

  recordAttempt(route: string): void {
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1
    this.requests += 1
    const kind = classifyRoute(route)
    if (kind === 'read') this.reads += 1
    else if (kind === 'access') this.accesses += 1
    else this.writes += 1
  }

  recordRetry(): void {
    this.retries += 1
  }

  recordRateLimited(): void {
    this.rateLimited += 1
  }

  summary(): string {
    const head =
      `${this.requests} API requests (${this.reads} reads, ${this.accesses} accesses, ` +
      `${this.writes} writes), ${this.retries} retries, ${this.rateLimited} rate-limited`
    const routes = Object.entries(this.byRoute)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, count]) => `${route}: ${count}`)
    return routes.length === 0 ? head : `${head}; ${routes.join(', ')}`
  }
}
