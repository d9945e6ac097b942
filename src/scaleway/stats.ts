// Request accounting. Counts are per HTTP attempt, i.e. what the server actually saw,
// so a retried call counts twice: that is the figure that matters against rate limits.
import { classifyRoute, type RouteClass } from './route.js'

export class StatsRecorder {
  /** Attempts per route label, e.g. `GET /secrets/{id}/versions/{rev}/access`. */
  readonly byRoute: Record<string, number> = {}
  /** HTTP attempts sent, retries included. */
  requests = 0
  retries = 0
  rateLimited = 0

  recordAttempt(route: string): void {
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1
    this.requests += 1
  }

  /** Attempts of one class: reads (GETs but accesses), accesses (payloads), writes. */
  count(kind: RouteClass): number {
    const routes = Object.entries(this.byRoute).filter(([route]) => classifyRoute(route) === kind)
    return routes.reduce((sum, [, n]) => sum + n, 0)
  }

  summary(): string {
    const head =
      `${this.requests} API requests (${this.count('read')} reads, ${this.count('access')} accesses, ` +
      `${this.count('write')} writes), ${this.retries} retries, ${this.rateLimited} rate-limited`
    const routes = Object.entries(this.byRoute)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, count]) => `${route}: ${count}`)
    return routes.length === 0 ? head : `${head}; ${routes.join(', ')}`
  }
}
