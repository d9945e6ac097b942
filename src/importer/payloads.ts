// Reading one payload through the API. A disabled version can only be read by enabling
// it for the time of one access, and must never be left enabled without a loud word.
import { log } from '../log.js'
import { messageOf } from '../plugin/grpc-errors.js'
import type { SecretApi } from '../scaleway/api.js'
import { ApiError } from '../scaleway/errors.js'
import type { PayloadSource } from './records.js'

/** A Buffer over the payload's own bytes (the client hands each read a fresh copy). */
async function access(api: SecretApi, { secretId, revision }: PayloadSource): Promise<Buffer> {
  const { data } = await api.accessVersion(secretId, revision)
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}

export async function readPayload(api: SecretApi, source: PayloadSource): Promise<Buffer> {
  if (!source.disabled) return access(api, source)
  await api.enableVersion(source.secretId, source.revision).catch(async (error: unknown) => {
    // An enable whose answer was lost may still have been applied: put the version back.
    if (mayHaveLanded(error)) await disableAgain(api, source, 'may be')
    throw error
  })
  try {
    return await access(api, source)
  } finally {
    await disableAgain(api, source, 'is')
  }
}

/** Refusals the API gives before applying anything; anything else may have been applied. */
const NOT_APPLIED = new Set(['auth', 'permission', 'not_found', 'invalid', 'precondition', 'quota'])

function mayHaveLanded(error: unknown): boolean {
  return !(error instanceof ApiError && (NOT_APPLIED.has(error.kind) || error.status === 429))
}

async function disableAgain(api: SecretApi, source: PayloadSource, state: 'is' | 'may be') {
  try {
    await api.disableVersion(source.secretId, source.revision)
  } catch (error) {
    // The user disabled this version (maybe a compromised credential) and it is readable
    // again: say so in words that cannot be mistaken for a failed read.
    const message =
      `version ${source.revision} of secret ${source.secretId} was disabled, was enabled to ` +
      `read it and could NOT be disabled again, so it ${state} ENABLED now: disable it by ` +
      `hand (${messageOf(error)})`
    log.error(message)
    throw error instanceof ApiError
      ? new ApiError(error.facts, error.cause, message)
      : new Error(message)
  }
}
