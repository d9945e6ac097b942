// What both connectors do at Init: validate the config plakar passed, and build the
// API client for the project and region it names.

import type { CommonConfig } from './config/index.js'
import { log } from './log.js'
import { createSecretApi, type SecretApiClient } from './scaleway/client.js'

export const TOOL_VERSION = '0.1.0'

export function clientFor(config: CommonConfig): SecretApiClient {
  log.debug(`configuration:\n${config.describe()}`)
  for (const warning of config.warnings) log.warnOnce(warning)
  return createSecretApi({
    region: config.region,
    projectId: config.projectId,
    secretKey: config.secretKey.reveal(),
    accessKey: config.accessKey,
    apiUrl: config.apiUrl,
    concurrency: config.concurrency,
    rateLimit: config.rateLimit,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    onRetry: (event) =>
      log.debug(`retry ${event.attempt} of ${event.route} in ${event.delayMs}ms: ${event.reason}`),
  })
}

/** Shown to users and keyed on by plakar's change detection: keep it specific and stable. */
export function originOf(config: CommonConfig): string {
  return `${config.region}/${config.projectId}${config.folder === '/' ? '' : config.folder}`
}

/** The API client for a validated config, with what every session reports about it. */
export function connect(config: CommonConfig) {
  const { api, stats } = clientFor(config)
  return { api, origin: originOf(config), apiSummary: () => stats.summary() }
}
