// A secret stopped for safety (a write whose answer was lost) or by a transient failure is
// tried again in the same run, re-read and re-planned as a rerun would; never before the
// uncertain write can no longer land, so a version is never written twice.
import type { BackedUpSecret } from './collect.js'
import { failure, type RestoreResult, type Restorer } from './restorer.js'

/**
 * A write not applied two request timeouts after it was sent is taken as never applied; a
 * secret is tried for ten such windows, and at least five minutes.
 */
export function settleTiming(requestTimeoutMs: number) {
  const windowMs = 2 * requestTimeoutMs
  return {
    /** How long after a failed write it may still land (the server may still hold it). */
    windowMs,
    /** How long after its first failure a secret is tried again, at most. */
    budgetMs: Math.max(300_000, 10 * windowMs),
    now: Date.now,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  }
}

export type SettleTiming = ReturnType<typeof settleTiming>

/** Runs one attempt; `fresh` means look the destination up again first. */
export type Attempts = Pick<Restorer, 'restore'>

export async function attempt(restorer: Attempts, secret: BackedUpSecret, fresh = false) {
  try {
    return await restorer.restore(secret, fresh)
  } catch (error) {
    return failure(error, { writes: 0, versionsWritten: 0 })
  }
}

/**
 * Tries a secret again while its attempt that just ended, `first`, left it unsettled: until
 * it is done, fails for good, or its budget runs out (then it stays unsettled). Also says how
 * many attempts came after the first, and whether some attempt created the secret (the final
 * one may only have finished it).
 */
export async function settle(
  restorer: Attempts,
  secret: BackedUpSecret,
  first: RestoreResult,
  timing: SettleTiming,
  onRetry: (error: string) => void = () => {},
) {
  const createdBy = (r: RestoreResult) => r.plan?.outcome === 'create' && r.writes > 0
  let result = first
  let retries = 0
  let created = createdBy(first)
  let { writes, versionsWritten } = first
  let endedAt = timing.now()
  const giveUpAt = endedAt + timing.budgetMs
  while (result.status === 'unsettled') {
    const retryAt = endedAt + timing.windowMs
    if (retryAt > giveUpAt) break
    onRetry(result.error)
    await timing.sleep(Math.max(0, retryAt - timing.now()))
    retries += 1
    result = await attempt(restorer, secret, true)
    endedAt = timing.now()
    writes += result.writes
    versionsWritten += result.versionsWritten
    created ||= createdBy(result)
  }
  return { result: { ...result, writes, versionsWritten }, retries, created }
}

export type Settled = Awaited<ReturnType<typeof settle>>
