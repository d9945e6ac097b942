// Maps the narrow SecretApi onto Scaleway's generated SDK: request shapes, one page per
// call (never the SDK's `.all()`, which fires every page at once), payload encoding, and
// the SDK's loose run-time values tidied up.
import type { Secretv1beta1 } from '@scaleway/sdk-secret'
import type {
  AccessedPayload,
  CreateSecretInput,
  ListSecretsQuery,
  Page,
  Region,
  RevisionRef,
  Secret,
  SecretApi,
  SecretVersion,
  UpdateSecretInput,
} from './api.js'
import { ApiError, describeOperation, type OperationContext } from './errors.js'
import { normalizeSecret, normalizeVersion } from './normalize.js'
import { decodePayload, encodePayload, type PayloadProblem } from './payload.js'

/** Runs one API call under the client's limiter and error mapping. */
export type Runner = <T>(ctx: OperationContext, call: () => Promise<T>) => Promise<T>

interface Scope {
  sdk: Secretv1beta1.API
  run: Runner
  region: Region
  projectId: string
}

const PAYLOAD_PROBLEMS: Record<PayloadProblem, string> = {
  checksum_mismatch: 'the payload does not match its CRC32 checksum',
  not_base64: 'the payload is not valid base64',
  bad_checksum_field: 'the payload checksum field is malformed',
}

function accessed(raw: Secretv1beta1.AccessSecretVersionResponse, ctx: OperationContext) {
  const decoded = decodePayload(raw.data, raw.dataCrc32)
  if (!decoded.ok) {
    const why = PAYLOAD_PROBLEMS[decoded.problem]
    const message = `Could not ${describeOperation(ctx)}: ${why}; it was discarded, try again`
    throw new ApiError('integrity', message, { operation: ctx.operation })
  }
  const payload: AccessedPayload = { revision: raw.revision, data: decoded.data, type: raw.type }
  if (decoded.dataCrc32 !== undefined) payload.dataCrc32 = decoded.dataCrc32
  return payload
}

function readOperations({ sdk, run, region, projectId }: Scope) {
  const ctx = (operation: OperationContext['operation'], extra = {}) => ({
    operation,
    region,
    projectId,
    ...extra,
  })
  return {
    listSecrets: (query: ListSecretsQuery, page: number, pageSize: number) =>
      run(ctx('listSecrets'), async (): Promise<Page<Secret>> => {
        const response = await sdk.listSecrets({
          region,
          projectId,
          page,
          pageSize,
          path: query.path,
          name: query.name,
          tags: query.tags,
          type: query.type,
          scheduledForDeletion: query.scheduledForDeletion ?? false,
          // Oldest first: secrets created while paging land on later pages, not earlier ones.
          orderBy: 'created_at_asc',
        })
        return { items: response.secrets.map(normalizeSecret), totalCount: response.totalCount }
      }),

    getSecret: (secretId: string) =>
      run(ctx('getSecret', { secretId }), async () =>
        normalizeSecret(await sdk.getSecret({ region, secretId })),
      ),

    listVersions: (secretId: string, page: number, pageSize: number) =>
      run(ctx('listVersions', { secretId }), async (): Promise<Page<SecretVersion>> => {
        const response = await sdk.listSecretVersions({ region, secretId, page, pageSize })
        return { items: response.versions.map(normalizeVersion), totalCount: response.totalCount }
      }),

    getVersion: (secretId: string, revision: RevisionRef) =>
      run(ctx('getVersion', { secretId, revision }), async () =>
        normalizeVersion(
          await sdk.getSecretVersion({ region, secretId, revision: String(revision) }),
        ),
      ),

    accessVersion: (secretId: string, revision: RevisionRef) => {
      const context = ctx('accessVersion', { secretId, revision })
      return run(context, async () => {
        const request = { region, secretId, revision: String(revision) }
        return accessed(await sdk.accessSecretVersion(request), context)
      })
    },
  }
}

function secretWriteOperations({ sdk, run, region, projectId }: Scope) {
  const ctx = (operation: OperationContext['operation'], secretId?: string) => ({
    operation,
    region,
    projectId,
    ...(secretId === undefined ? {} : { secretId }),
  })
  return {
    createSecret: (input: CreateSecretInput) =>
      run(ctx('createSecret'), async () =>
        normalizeSecret(
          await sdk.createSecret({
            region,
            projectId,
            name: input.name,
            path: input.path,
            type: input.type,
            tags: input.tags,
            description: input.description,
            protected: input.protected,
            ephemeralPolicy: input.ephemeralPolicy,
            keyId: input.keyId,
          }),
        ),
      ),

    updateSecret: (secretId: string, input: UpdateSecretInput) =>
      run(ctx('updateSecret', secretId), async () => {
        const request = { region, secretId, tags: input.tags, description: input.description }
        return normalizeSecret(await sdk.updateSecret(request))
      }),

    protectSecret: (secretId: string) =>
      run(ctx('protectSecret', secretId), async () =>
        normalizeSecret(await sdk.protectSecret({ region, secretId })),
      ),

    restoreSecret: (secretId: string) =>
      run(ctx('restoreSecret', secretId), async () =>
        normalizeSecret(await sdk.restoreSecret({ region, secretId })),
      ),
  }
}

function versionWriteOperations({ sdk, run, region, projectId }: Scope) {
  const ctx = (operation: OperationContext['operation'], secretId: string, revision?: number) => ({
    operation,
    region,
    projectId,
    secretId,
    ...(revision === undefined ? {} : { revision }),
  })
  const ref = (secretId: string, revision: number) => ({
    region,
    secretId,
    revision: String(revision),
  })
  return {
    createVersion: (secretId: string, data: Uint8Array, description?: string) =>
      run(ctx('createVersion', secretId), async () => {
        const { data: base64, dataCrc32 } = encodePayload(data)
        const request = { region, secretId, data: base64, dataCrc32, description }
        return normalizeVersion(await sdk.createSecretVersion(request))
      }),

    enableVersion: (secretId: string, revision: number) =>
      run(ctx('enableVersion', secretId, revision), async () =>
        normalizeVersion(await sdk.enableSecretVersion(ref(secretId, revision))),
      ),

    disableVersion: (secretId: string, revision: number) =>
      run(ctx('disableVersion', secretId, revision), async () =>
        normalizeVersion(await sdk.disableSecretVersion(ref(secretId, revision))),
      ),

    deleteVersion: (secretId: string, revision: number) =>
      run(ctx('deleteVersion', secretId, revision), async () => {
        await sdk.deleteSecretVersion(ref(secretId, revision))
      }),

    restoreVersion: (secretId: string, revision: number) =>
      run(ctx('restoreVersion', secretId, revision), async () =>
        normalizeVersion(await sdk.restoreSecretVersion(ref(secretId, revision))),
      ),
  }
}

/** A SecretApi whose every call goes to `sdk` through `run`. */
export function bindSecretApi(
  sdk: Secretv1beta1.API,
  run: Runner,
  region: Region,
  projectId: string,
): SecretApi {
  const scope = { sdk, run, region, projectId }
  return {
    region,
    projectId,
    ...readOperations(scope),
    ...secretWriteOperations(scope),
    ...versionWriteOperations(scope),
  }
}
