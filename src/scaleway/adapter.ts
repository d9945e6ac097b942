// Maps the narrow SecretApi onto Scaleway's generated SDK: request shapes, one page per
// call (never the SDK's `.all()`, which fires every page at once), payload encoding, and
// the SDK's loose run-time values tidied up.
import type { Secretv1beta1 } from '@scaleway/sdk-secret'
import type { Region, RevisionRef } from '../core/secret-manager.js'
import type { AccessedPayload, Secret, SecretApi, SecretVersion } from './api.js'
import { ApiError, type Operation, type OperationContext } from './errors.js'
import { decodePayload, encodePayload } from './payload.js'

/** What one call does, and on what: its errors name it. */
type Call = Omit<OperationContext, 'region' | 'projectId'>

/** Runs one API call under the client's limiter and error mapping. */
export type Runner = <T>(call: Call, work: () => Promise<T>) => Promise<T>

type Sdk = Secretv1beta1.API

// The SDK copies some wire values through unconverted: fields typed `string | undefined` can
// hold null (key_id, description). Leaving those out makes the types true for callers.
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

function accessed(raw: Secretv1beta1.AccessSecretVersionResponse): AccessedPayload {
  const decoded = decodePayload(raw.data, raw.dataCrc32)
  if (!decoded.ok) throw new ApiError({ kind: 'integrity', detail: decoded.problem })
  const payload: AccessedPayload = { revision: raw.revision, data: decoded.data, type: raw.type }
  if (decoded.dataCrc32 !== undefined) payload.dataCrc32 = decoded.dataCrc32
  return payload
}

interface Scope {
  sdk: Sdk
  run: Runner
  region: Region
  projectId: string
}

function ref(region: Region, secretId: string, revision: RevisionRef) {
  return { region, secretId, revision: String(revision) }
}

type SecretRef = { region: Region; secretId: string }

/** A call on one secret that answers with the secret. */
function onSecret(scope: Scope, operation: Operation, send: (r: SecretRef) => Promise<Secret>) {
  const { run, region } = scope
  return (secretId: string) =>
    run({ operation, secretId }, async () => tidySecret(await send({ region, secretId })))
}

/** A call on one version that answers with the version. */
function onVersion(
  scope: Scope,
  operation: Operation,
  send: (r: ReturnType<typeof ref>) => Promise<SecretVersion>,
) {
  const { run, region } = scope
  return (secretId: string, revision: RevisionRef) =>
    run({ operation, secretId, revision }, async () =>
      definedOnly(await send(ref(region, secretId, revision))),
    )
}

export function bindSecretApi(sdk: Sdk, run: Runner, region: Region, projectId: string): SecretApi {
  const scope = { sdk, run, region, projectId }
  return {
    region,
    projectId,
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
    listVersions: (secretId, page, pageSize) =>
      run({ operation: 'listVersions', secretId }, async () => {
        const response = await sdk.listSecretVersions({ region, secretId, page, pageSize })
        return { items: response.versions.map(definedOnly), totalCount: response.totalCount }
      }),
    getVersion: onVersion(scope, 'getVersion', (r) => sdk.getSecretVersion(r)),
    accessVersion: (secretId, revision) =>
      run({ operation: 'accessVersion', secretId, revision }, async () =>
        accessed(await sdk.accessSecretVersion(ref(region, secretId, revision))),
      ),
    createSecret: (input) =>
      run({ operation: 'createSecret' }, async () =>
        tidySecret(await sdk.createSecret({ ...input, region, projectId })),
      ),
    updateSecret: (secretId, input) =>
      run({ operation: 'updateSecret', secretId }, async () =>
        tidySecret(await sdk.updateSecret({ ...input, region, secretId })),
      ),
    protectSecret: onSecret(scope, 'protectSecret', (r) => sdk.protectSecret(r)),
    restoreSecret: onSecret(scope, 'restoreSecret', (r) => sdk.restoreSecret(r)),
    createVersion: (secretId, data, description) =>
      run({ operation: 'createVersion', secretId }, async () => {
        const request = { region, secretId, ...encodePayload(data), description }
        return definedOnly(await sdk.createSecretVersion(request))
      }),
    enableVersion: onVersion(scope, 'enableVersion', (r) => sdk.enableSecretVersion(r)),
    disableVersion: onVersion(scope, 'disableVersion', (r) => sdk.disableSecretVersion(r)),
    deleteVersion: (secretId, revision) =>
      run({ operation: 'deleteVersion', secretId, revision }, async () => {
        await sdk.deleteSecretVersion(ref(region, secretId, revision))
      }),
    restoreVersion: onVersion(scope, 'restoreVersion', (r) => sdk.restoreSecretVersion(r)),
  }
}
