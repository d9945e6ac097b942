import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { SAMPLE_PROJECT_ID, sampleSeed } from '../../emulator/sample.js'
import {
  close,
  type ImportedEntry,
  init,
  openFile,
  type PluginProcess,
  ping,
  runImport,
  startPlugin,
} from '../host/plugin-host.js'
import { accessCount, connectorConfig, emulator, SECRET_KEY } from '../support/world.js'

const LOCATION = `scw-secret://fr-par/${SAMPLE_PROJECT_ID}`

let emu: Emulator
let plugin: PluginProcess

beforeEach(async () => {
  emu = await emulator({ seed: sampleSeed() })
  plugin = startPlugin('importer')
})

afterEach(async () => {
  await plugin.stop()
  await emu.close()
})

function byPath(entries: ImportedEntry[]): Map<string, ImportedEntry> {
  return new Map(entries.map((e) => [e.record.pathname, e]))
}

function storeSecret(name: string, path: string) {
  const secret = emu.store
    .allSecrets(SAMPLE_PROJECT_ID)
    .find((s) => s.name === name && s.path === path)
  if (!secret) throw new Error(`no ${path}/${name}`)
  return { secret, versions: emu.store.versions(secret.id) }
}

describe('importer over the plugin protocol', () => {
  it('answers Init with a stable origin, the scw-secret type, root / and STREAM', async () => {
    const result = await init(plugin, 'importer', connectorConfig(emu, `${LOCATION}/prod`))
    expect(result).toEqual({
      origin: `fr-par/${SAMPLE_PROJECT_ID}/prod`,
      type: 'scw-secret',
      root: '/',
      // plakar's STREAM location flag: one listing per backup.
      flags: 4,
    })
    await ping(plugin, 'importer')
    await close(plugin, 'importer')
    expect(await plugin.stop()).toBe(0)
  })

  it('backs up every secret and version with honest FileInfo and exact payload bytes', async () => {
    await init(plugin, 'importer', connectorConfig(emu, LOCATION))
    const entries = await runImport(plugin)
    const tree = byPath(entries)

    // Every record names its basename and has a FileInfo.
    for (const { record } of entries) {
      expect(record.error).toBe('')
      const base = record.pathname === '/' ? '/' : record.pathname.split('/').at(-1)
      expect(record.fileInfo?.name).toBe(base)
    }
    // Go's fs.ModeDir | 0750.
    expect(tree.get('/')?.record.fileInfo?.mode).toBe((0x80000000 | 0o750) >>> 0)

    // The folder /prod/db and the secret db in /prod live side by side.
    expect(tree.has('/prod/db.secret/secret.json')).toBe(true)
    expect(tree.has('/prod/db/replica.secret/secret.json')).toBe(true)
    // Names that look like layout files are escaped, not confused.
    expect(tree.has('/odd names/secret.json.secret/versions/1')).toBe(true)
    expect(tree.has('/odd names/versions.secret/versions/1')).toBe(true)

    // Payloads: byte for byte, mtime = created_at, size unknown (-1), mode 0600.
    for (const secret of emu.store.allSecrets(SAMPLE_PROJECT_ID)) {
      for (const version of emu.store.versions(secret.id)) {
        const dir = entries.find(
          (e) => e.record.pathname.endsWith('/secret.json') && e.data?.includes(secret.id),
        )
        expect(dir, secret.name).toBeDefined()
        const base = dir?.record.pathname.replace(/\/secret\.json$/, '') ?? ''
        const meta = tree.get(`${base}/versions/${version.revision}.json`)
        expect(JSON.parse(meta?.data?.toString() ?? '{}').status).toBe(version.status)
        const payload = tree.get(`${base}/versions/${version.revision}`)
        if (version.status === 'enabled') {
          expect(payload?.data?.equals(version.data), `${base} r${version.revision}`).toBe(true)
          expect(payload?.record.fileInfo?.size).toBe(-1)
          expect(payload?.record.fileInfo?.mode).toBe(0o600)
          const mtime = payload?.record.fileInfo?.mod_time
          const ms = (mtime?.seconds ?? 0) * 1000 + Math.round((mtime?.nanos ?? 0) / 1e6)
          expect(ms).toBe(Date.parse(version.createdAt))
        } else {
          // Disabled and deleted versions keep their metadata and carry no payload.
          expect(payload, `${base} r${version.revision} ${version.status}`).toBeUndefined()
        }
      }
    }

    const info = JSON.parse(tree.get('/.backup.json')?.data?.toString() ?? '{}')
    expect(info).toMatchObject({ project_id: SAMPLE_PROJECT_ID, region: 'fr-par', folder: '/' })
    expect(info.counts.secrets).toBe(emu.store.allSecrets(SAMPLE_PROJECT_ID).length)
    expect(plugin.stderr()).toMatch(/backup of fr-par\/.*: \d+ secrets, \d+ versions/)
  })

  it('reads payloads only for the files the host opens', async () => {
    await init(plugin, 'importer', connectorConfig(emu, LOCATION))
    emu.resetCounts()
    const entries = await runImport(plugin, {
      shouldOpen: (r) => r.pathname.endsWith('/api-token.secret/versions/4'),
    })
    expect(accessCount(emu)).toBe(1)
    expect(byPath(entries).get('/prod/api-token.secret/versions/4')?.data?.toString()).toBe(
      'token-four',
    )
    // Readers the host never opened are released by their acknowledgement.
    await expect(openFile(plugin, '/prod/api-token.secret/versions/1')).rejects.toThrow(
      /no open record/,
    )
  })

  it('backs up only the location folder, recursively, and the name/tag/type filters', async () => {
    await init(
      plugin,
      'importer',
      connectorConfig(emu, `${LOCATION}/prod`, { tags: 'prod', name: '*plic*' }),
    )
    const paths = (await runImport(plugin, { shouldOpen: () => false }))
      .map((e) => e.record.pathname)
      .filter((p) => p.endsWith('.secret'))
    expect(paths.sort()).toEqual(['/prod/db/replica.secret'])
  })

  it('reads disabled versions with read_disabled=true and leaves them disabled', async () => {
    await init(plugin, 'importer', connectorConfig(emu, LOCATION, { read_disabled: 'true' }))
    const tree = byPath(await runImport(plugin))
    expect(tree.get('/prod/api-token.secret/versions/2')?.data?.toString()).toBe('token-two')
    expect(storeSecret('api-token', '/prod').versions[1]?.status).toBe('disabled')
  })

  it('fails one payload, not the backup, when its checksum does not match', async () => {
    const { secret } = storeSecret('db', '/prod')
    emu.store.updateVersion(secret.id, 1, { data: Buffer.from('corrupted in storage') })
    await init(plugin, 'importer', connectorConfig(emu, LOCATION))
    const entries = await runImport(plugin)
    const tree = byPath(entries)
    expect(tree.get('/prod/db.secret/versions/1')?.openError).toMatch(/crc|checksum|integrity/i)
    expect(tree.get('/prod/db.secret/versions/2')?.data).toBeDefined()
    expect(plugin.stderr()).toMatch(/[1-9]\d* errors/)
  })

  it('refuses a wrong secret key at Init or Ping with a message that says what to do', async () => {
    const wrong = '11111111-2222-4333-8444-555555555555'
    emu.setKeys({
      keys: [
        { secret_key: SECRET_KEY, projects: ['*'], permission_sets: ['SecretManagerFullAccess'] },
      ],
    })
    await init(plugin, 'importer', { ...connectorConfig(emu, LOCATION), secret_key: wrong })
    await expect(ping(plugin, 'importer')).rejects.toThrow(
      /secret key|access key|expired|credentials/i,
    )
    expect(plugin.stderr()).not.toContain(wrong)
  })

  it('names the missing permission set when payload access is not granted', async () => {
    emu.setKeys({
      keys: [
        { secret_key: SECRET_KEY, projects: ['*'], permission_sets: ['SecretManagerReadOnly'] },
      ],
    })
    await init(plugin, 'importer', connectorConfig(emu, LOCATION))
    await expect(ping(plugin, 'importer')).rejects.toThrow(/SecretManagerSecretAccess/)
  })

  it('rejects calls out of order cleanly and exits 0 when stdin closes', async () => {
    await expect(openFile(plugin, '/nothing')).rejects.toThrow(/Init/)
    await init(plugin, 'importer', connectorConfig(emu, LOCATION))
    await expect(openFile(plugin, '/not/a/record')).rejects.toThrow(/no open record/)
    expect(await plugin.stop()).toBe(0)
  })
})
