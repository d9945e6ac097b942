// A backup says what it did not capture: versions kept as metadata only, and why, in the
// summary line, in ping, and in .backup.json.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { describeCoverage } from '../../src/importer/coverage.js'
import { init, type PluginProcess, ping, runImport, startPlugin } from '../host/plugin-host.js'
import { connectorConfig, emulator } from '../support/world.js'

const PROJECT = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d'
const LOCATION = `scw-secret://fr-par/${PROJECT}`

describe('describeCoverage', () => {
  it('is empty when every version has its bytes, and names each reason otherwise', () => {
    expect(describeCoverage({ disabled: 0, deleted: 0 })).toBe('')
    expect(describeCoverage({ disabled: 1, deleted: 0 })).toBe(
      '1 version kept as metadata only (1 disabled, not read without read_disabled=true)',
    )
    expect(describeCoverage({ disabled: 2, deleted: 3 })).toBe(
      '5 versions kept as metadata only (2 disabled, not read without read_disabled=true; 3 deleted or scheduled for deletion)',
    )
  })
})

describe('a project whose version 1 is disabled', () => {
  let emu: Emulator
  let plugin: PluginProcess

  beforeEach(async () => {
    emu = await emulator({
      seed: {
        projects: [
          {
            id: PROJECT,
            region: 'fr-par',
            secrets: [
              {
                name: 'token',
                path: '/',
                versions: [
                  { data_utf8: 'old', status: 'disabled' },
                  { data_utf8: 'new' },
                  { data_utf8: 'gone', status: 'scheduled_for_deletion' },
                  { data_utf8: 'newest' },
                ],
              },
            ],
          },
        ],
      },
    })
    plugin = startPlugin('importer')
  })

  afterEach(async () => {
    await plugin.stop()
    await emu.close()
  })

  it('backs up saying which versions are metadata only, and records the counts', async () => {
    await init(plugin, 'importer', connectorConfig(emu, LOCATION))
    const entries = await runImport(plugin)
    expect(plugin.stderr()).toMatch(
      /1 secrets, 4 versions \(2 versions kept as metadata only \(1 disabled, not read without read_disabled=true; 1 deleted or scheduled for deletion\)\), 2 payloads read/,
    )
    const info = entries.find((e) => e.record.pathname === '/.backup.json')
    const counts = JSON.parse(info?.data?.toString() ?? '{}').counts
    expect(counts).toMatchObject({ metadata_only_disabled: 1, metadata_only_deleted: 1 })
  })

  it('with read_disabled=true only the deleted version is metadata only; ping says so first', async () => {
    await init(plugin, 'importer', connectorConfig(emu, LOCATION, { read_disabled: 'true' }))
    await ping(plugin, 'importer')
    await plugin.stderrMatching(/ping: /)
    expect(plugin.stderr()).toMatch(
      /ping: in all 1 secrets, 1 version kept as metadata only \(1 deleted or scheduled for deletion\)/,
    )
  })
})

describe('ping on a project whose first secret expires once read', () => {
  it('probes another secret and leaves the read-once version as it was', async () => {
    const emu = await emulator({
      seed: {
        projects: [
          {
            id: PROJECT,
            region: 'fr-par',
            secrets: [
              {
                name: 'read-once',
                path: '/',
                ephemeral_policy: {
                  time_to_live: null,
                  expires_once_accessed: true,
                  action: 'delete',
                },
                versions: [{ data_utf8: 'only once' }],
              },
              { name: 'plain', path: '/', versions: [{ data_utf8: 'any time' }] },
            ],
          },
        ],
      },
    })
    const plugin = startPlugin('importer')
    try {
      await init(plugin, 'importer', connectorConfig(emu, LOCATION))
      await ping(plugin, 'importer')
      const [readOnce, plain] = emu.store.allSecrets(PROJECT, 'fr-par')
      expect(readOnce?.name).toBe('read-once')
      expect(emu.store.versions(readOnce?.id ?? '').map((v) => v.status)).toEqual(['enabled'])
      expect(plain?.name).toBe('plain')
      // The plain secret was probed instead.
      expect(emu.counts()['GET /secrets/{id}/versions/{rev}/access']).toBe(1)
    } finally {
      await plugin.stop()
      await emu.close()
    }
  })
})
