// The script a user would write instead of the plugin, with the same SDK: one call after
// another, and a fixed one-second pause when the gateway answers 429 (without it, the
// script dies under the rate limit). Run as its own process by the bench (bundled by
// build.ts); prints one JSON line of results on stdout.
//
//   baseline.js '{"mode":"backup","url":...,"projectId":...,"region":...,"file":...}'
//   baseline.js '{"mode":"restore",...,"file":...,"limit":40}'
import { readFileSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { createClient, Errors } from '@scaleway/sdk-client'
import { Secretv1beta1 } from '@scaleway/sdk-secret'

export interface BaselineArgs {
  mode: 'backup' | 'restore'
  url: string
  projectId: string
  region: 'fr-par' | 'nl-ams' | 'pl-waw'
  secretKey: string
  /** The backup's output, and the restore's input. */
  file: string
  /** Restore only the first `limit` secrets of the file. */
  limit?: number
}

export interface BaselineResult {
  wallS: number
  secrets: number
  versions: number
  requests: number
  rateLimited: number
  cpuS: number
  peakRssMb: number
}

interface SavedSecret {
  name: string
  path: string
  type: Secretv1beta1.SecretType
  tags: string[]
  description?: string
  versions: Array<{ data: string; description?: string }>
}

const counters = { requests: 0, rateLimited: 0 }

async function withRetry<T>(call: () => Promise<T>): Promise<T> {
  for (;;) {
    counters.requests += 1
    try {
      return await call()
    } catch (error) {
      if (!(error instanceof Errors.ScalewayError) || error.status !== 429) throw error
      counters.rateLimited += 1
      await sleep(1000)
    }
  }
}

async function backup(api: Secretv1beta1.API, args: BaselineArgs): Promise<SavedSecret[]> {
  const saved: SavedSecret[] = []
  for (let page = 1; ; page++) {
    const { secrets, totalCount } = await withRetry(() =>
      api.listSecrets({
        projectId: args.projectId,
        page,
        pageSize: 100,
        scheduledForDeletion: false,
      }),
    )
    for (const secret of secrets) {
      const { versions } = await withRetry(() =>
        api.listSecretVersions({ secretId: secret.id, pageSize: 100 }),
      )
      const { name, path, type, tags, description } = secret
      const out: SavedSecret = { name, path, type, tags, description, versions: [] }
      for (const version of [...versions].reverse()) {
        if (version.status !== 'enabled') continue
        const access = await withRetry(() =>
          api.accessSecretVersion({ secretId: secret.id, revision: String(version.revision) }),
        )
        out.versions.push({ data: access.data, description: version.description })
      }
      saved.push(out)
    }
    if (secrets.length === 0 || page * 100 >= totalCount) break
  }
  writeFileSync(args.file, JSON.stringify(saved))
  return saved
}

async function restore(api: Secretv1beta1.API, args: BaselineArgs): Promise<SavedSecret[]> {
  const all = JSON.parse(readFileSync(args.file, 'utf8')) as SavedSecret[]
  const chosen = all.slice(0, args.limit ?? all.length)
  for (const secret of chosen) {
    const created = await withRetry(() =>
      api.createSecret({
        projectId: args.projectId,
        name: secret.name,
        path: secret.path,
        type: secret.type,
        tags: secret.tags,
        description: secret.description || undefined,
        protected: false,
      }),
    )
    for (const version of secret.versions) {
      await withRetry(() =>
        api.createSecretVersion({
          secretId: created.id,
          data: version.data,
          description: version.description || undefined,
        }),
      )
    }
  }
  return chosen
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as BaselineArgs
  const client = createClient({
    accessKey: 'SCWBENCHBASELINE0001',
    secretKey: args.secretKey,
    apiURL: args.url,
    defaultRegion: args.region,
    defaultProjectId: args.projectId,
  })
  const api = new Secretv1beta1.API(client)
  const started = performance.now()
  const secrets = args.mode === 'backup' ? await backup(api, args) : await restore(api, args)
  const cpu = process.cpuUsage()
  const result: BaselineResult = {
    wallS: (performance.now() - started) / 1000,
    secrets: secrets.length,
    versions: secrets.reduce((n, s) => n + s.versions.length, 0),
    ...counters,
    cpuS: (cpu.user + cpu.system) / 1e6,
    // maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
