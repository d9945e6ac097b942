// Maps the narrow SecretApi onto Scaleway's generated SDK: request shapes, one page per
// call (never the SDK's `.all()`, which fires every page at once), payload encoding, and
// the SDK's loose run-time values tidied up.
import type { Secretv1beta1 } from '@scaleway/sdk-secret'
import type { AccessedPayload, Region, RevisionRef, Secret, SecretApi } from './api.js'
import { ApiError, type OperationContext } from './errors.js'
import { decodePayload, encodePayload, type PayloadProblem } from './payload.js'

/** What one call does, and on what: its errors name it. */
type Call = Omit<OperationContext, 'region' | 'projectId'>

/** Runs one API call under the client's limiter and error mapping. */
export type Runner = <T>(call: Call, work: () => Promise<T>) => Promise<T>

type Sdk = Secretv1beta1.API

// The SDK copies some wire values through unconverted, so fields typed `string | undefined`
// can hold null at run time (key_id, description). Callers compare against undefined;
// leaving those out makes the types true.
function definedOnly<T extends object>(value: T): T {
  const out: Partial<T> = {}
  for (const key in value) {
    const field = value[key]
    if (field !== null && field !== undefined) out[key] = field
  }
  return out as T
}

function tidySecret(secret: Secret): Secret {
  const tidy = definedOnly(secret)
  tidy.tags ??= []
  tidy.usedBy ??= []
  return tidy
}

const PAYLOAD_PROBLEMS: Record<PayloadProblem, string> = {
  checksum_mismatch: 'the payload does not match its CRC32 checksum',
  not_base64: 'the payload is not valid base64',
  bad_checksum_field: 'the payload checksum field is malformed',
}

function accessed(raw: Secretv1beta1.AccessSecretVersionResponse): AccessedPayload {
  const decoded = decodePayload(raw.data, raw.dataCrc32)
  if (!decoded.ok) {
    throw new ApiError({ kind: 'integrity', detail: PAYLOAD_PROBLEMS[decoded.problem] })
  }
  const payload: AccessedPayload = { revision: raw.revision, data: decoded.data, type: raw.type }
  if (decoded.dataCrc32 !== undefined) payload.dataCrc32 = decoded.dataCrc32
  return payload
}

function ref(region: Region, secretId: string, revision: RevisionRef) {
  return { region, secretId, revision: String(revision) }
}

type Reads = 'listSecrets' | 'getSecret' | 'listVersions' | 'getVersion' | 'accessVersion'

function reads(sdk: Sdk, run: Runner, region: Region, projectId: string): Pick<SecretApi, Reads> {
  return {
    listSecrets: (query, page, pageSize) =>
      run({ operation: 'listSecrets' }, async () => {
        const response = await sdk.listSecrets({
          ...query,
          region,
          projectId,
          page,
          pageSize,
          scheduledForDeletion: query.scheduledForDeletion ?? false,
          // Oldest first: secrets created while paging land on later pages, not earlier ones.
          orderBy: 'created_at_asc',
        })
        return { items: response.secrets.map(tidySecret), totalCount: response.totalCount }
      }),
    getSecret: (secretId) =>
      run({ operation: 'getSecret', secretId }, async () =>
        tidySecret(await sdk.getSecret({ region, secretId })),
      ),
    listVersions: (secretId, page, pageSize) =>
      run({ operation: 'listVersions', secretId }, async () => {
        const response = await sdk.listSecretVersions({ region, secretId, page, pageSize })
        return { items: response.versions.map(definedOnly), totalCount: response.totalCount }
      }),
    getVersion: (secretId, revision) =>
      run({ operation: 'getVersion', secretId, revision }, async () =>
        definedOnly(await sdk.getSecretVersion(ref(region, secretId, revision))),
      ),
    accessVersion: (secretId, revision) =>
      run({ operation: 'accessVersion', secretId, revision }, async () =>
        accessed(await sdk.accessSecretVersion(ref(region, secretId, revision))),
      ),
  }
}

type Writes = Exclude<keyof SecretApi, Reads | 'region' | 'projectId'>

function writes(sdk: Sdk, run: Runner, region: Region, projectId: string): Pick<SecretApi, Writes> {
  return {
    createSecret: (input) =>
      run({ operation: 'createSecret' }, async () =>
        tidySecret(await sdk.createSecret({ ...input, region, projectId })),
      ),
    updateSecret: (secretId, input) =>
      run({ operation: 'updateSecret', secretId }, async () =>
        tidySecret(await sdk.updateSecret({ ...input, region, secretId })),
      ),
    protectSecret: (secretId) =>
      run({ operation: 'protectSecret', secretId }, async () =>
        tidySecret(await sdk.protectSecret({ region, secretId })),
      ),
    restoreSecret: (secretId) =>
      run({ operation: 'restoreSecret', secretId }, async () =>
        tidySecret(await sdk.restoreSecret({ region, secretId })),
      ),
    createVersion: (secretId, data, description) =>
      run({ operation: 'createVersion', secretId }, async () => {
        const payload = encodePayload(data)
        const request = { region, secretId, ...payload, description }
        return definedOnly(await sdk.createSecretVersion(request))
      }),
    enableVersion: (secretId, revision) =>
      run({ operation: 'enableVersion', secretId, revision }, async () =>
        definedOnly(await sdk.enableSecretVersion(ref(region, secretId, revision))),
      ),
    disableVersion: (secretId, revision) =>
      run({ operation: 'disableVersion', secretId, revision }, async () =>
        definedOnly(await sdk.disableSecretVersion(ref(region, secretId, revision))),
      ),
    deleteVersion: (secretId, revision) =>
      run({ operation: 'deleteVersion', secretId, revision }, async () => {
        await sdk.deleteSecretVersion(ref(region, secretId, revision))
      }),
    restoreVersion: (secretId, revision) =>
      run({ operation: 'restoreVersion', secretId, revision }, async () =>
        definedOnly(await sdk.restoreSecretVersion(ref(region, secretId, revision))),
      ),
  }
}

/** A SecretApi whose every call goes to `sdk` through `run`. */
export function bindSecretApi(sdk: Sdk, run: Runner, region: Region, projectId: string): SecretApi {
  return {
    region,
    projectId,
    ...reads(sdk, run, region, projectId),
    ...writes(sdk, run, region, projectId),
  }
}
