// What both connectors do at Init: validate the config plakar passed, and build the
// API client for the project and region it names.
import type { CommonConfig } from './config/parse.js'
import { log } from './log.js'
import { createSecretApi } from './scaleway/client.js'

export const TOOL_VERSION = '0.1.0'

/** The API client for a validated config, with what every session reports about it. */
export function connect(config: CommonConfig) {
  log.debug(`configuration:\n${config.describe()}`)
  for (const warning of config.warnings) log.warnOnce(warning)
  const { api, stats } = createSecretApi({
    region: config.region,
    projectId: config.projectId,
    secretKey: config.secretKey.reveal(),
    apiUrl: config.apiUrl,
    concurrency: config.concurrency,
    rateLimit: config.rateLimit,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    onRetry: (event) =>
      log.debug(`retry ${event.attempt} of ${event.route} in ${event.delayMs}ms: ${event.reason}`),
  })
  // Shown to users and keyed on by plakar's change detection: keep it specific and stable.
  const origin = `${config.region}/${config.projectId}${config.folder === '/' ? '' : config.folder}`
  return { api, origin, apiSummary: () => stats.summary() }
}
