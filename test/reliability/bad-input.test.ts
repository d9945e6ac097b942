// Bad input from every side: configurations (fuzzed, and through Init of the real
// processes), hostile snapshot content handed to a restore, and a host that misuses the
// protocol. Each is refused cleanly and precisely; nothing half-written, nothing hung.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { OPTION_DOCS } from '../../scripts/lib/config-docs.js'
import { ConfigError } from '../../src/config/errors.js'
import { parseExporterConfig, parseImporterConfig } from '../../src/config/parse.js'
import type { ParseContext } from '../../src/config/sources.js'
import { MAX_PAYLOAD_BYTES } from '../../src/core/secret-manager.js'
import { GrpcStatusError } from '../host/grpc-pipe.js'
import {
  type ImportedEntry,
  init,
  openFile,
  type PluginProcess,
  ping,
} from '../host/plugin-host.js'
import { DEST_PROJECT } from '../support/world.js'
import {
  auditAll,
  CANARY_KEY,
  noteText,
  printTally,
  reliabilitySeed,
  SOURCE,
  SOURCE_PROJECT,
  spawnPlugin,
  tally,
} from './harness.js'
import { backup, countVersions, exportItems, projectView, restore } from './ops.js'

const DEST = `scw-secret://nl-ams/${DEST_PROJECT}`
let source: Emulator
let entries: ImportedEntry[]
let emptyHome: string

beforeAll(async () => {
  emptyHome = mkdtempSync(path.join(tmpdir(), 'scw-reliability-home-'))
  source = await startEmulator({ seed: reliabilitySeed(10) })
  const run = await backup(source)
  expect(run.error).toBeUndefined()
  entries = run.entries
  expect(await auditAll()).toEqual([])
})

afterEach(async () => {
  expect(await auditAll()).toEqual([])
})

afterAll(async () => {
  await source.close()
  rmSync(emptyHome, { recursive: true, force: true })
  printTally('bad-input.test.ts')
})

// ---------------------------------------------------------------------------------------
// (a) configuration

type Kind = 'importer' | 'exporter'
const KEYS: Record<Kind, string[]> = {
  importer: OPTION_DOCS.filter((d) => d.connector !== 'exporter').map((d) => d.key),
  exporter: OPTION_DOCS.filter((d) => d.connector !== 'importer').map((d) => d.key),
}
const ALLOWED = new Map(OPTION_DOCS.map((d) => [d.key, d.allowed]))

/** What the plugin processes see: no SCW_ variables and an empty home. */
function context(): ParseContext {
  return { env: {}, homeDir: emptyHome }
}

function parse(kind: Kind, raw: Record<string, string>): ConfigError | undefined {
  try {
    if (kind === 'importer') parseImporterConfig(raw, context())
    else parseExporterConfig(raw, context())
    return undefined
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
}

const base = (): Record<string, string> => ({
  location: SOURCE,
  secret_key: CANARY_KEY,
  api_url: 'http://127.0.0.1:9',
})

/** A secret key pasted into the wrong config key, in the fuzzed values. */
const PASTED_KEY = '4e0d2b6a-91c3-4f57-8a2e-b7d6c5f4e3a2'
// These legitimately hold UUIDs (project and key ids), so a UUID there is shown.
const UUID_KEYS = ['location', 'project_id', 'key_id']
// Their reasons used to quote the value even when the "got ..." part hid it.
const ONCE_ECHOED = ['profile', 'data_class']

const nearMisses = fc.constantFrom(
  '',
  ' ',
  '0',
  '65',
  '-1',
  '1.5',
  'TRUE ',
  'maybe',
  'fr-par',
  'it-mil',
  '/a/../b',
  'ftp://x',
  'http://u:p@127.0.0.1',
  '10m1s',
  '999999999999999999999',
  PASTED_KEY,
  `${PASTED_KEY}x`,
  'SCW0123456789ABCDEFG',
  'sync',
  'overwrite',
  '[a-',
  'opaque',
  'secret',
  '\u0000',
)
const anyValue = fc.oneof(nearMisses, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary' }))

/** One slip away from a known key: a deleted, doubled or swapped character, or case. */
function typoOf(key: string, at: number, how: number): string {
  const i = at % key.length
  switch (how % 4) {
    case 0:
      return key.slice(0, i) + key.slice(i + 1)
    case 1:
      return key.slice(0, i) + (key[i] ?? '') + key.slice(i)
    case 2:
      return i + 1 < key.length
        ? key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2)
        : `${key}s`
    default:
      return key.toUpperCase()
  }
}

describe('configuration', () => {
  it.each(['importer', 'exporter'] as const)(
    '%s: a bad value is refused naming the key and what it allows, and never echoes the secret key',
    (kind) => {
      let refusals = 0
      fc.assert(
        fc.property(fc.constantFrom(...KEYS[kind]), anyValue, (key, value) => {
          const error = parse(kind, { ...base(), [key]: value })
          if (!error) return
          refusals += 1
          expect(error.message).not.toContain(CANARY_KEY)
          if (!UUID_KEYS.includes(key)) {
            expect(error.message).not.toContain(PASTED_KEY)
          }
          const problem = error.problems.find((p) => p.key === key)
          expect(problem, error.message).toBeDefined()
          if (!problem) return
          expect(problem.text.startsWith(key)).toBe(true)
          // A well-formed value that points at nothing (a profile without a config file)
          // or disagrees with another key says so instead of listing allowed values.
          if (!/differs from|does not exist/.test(problem.text)) {
            expect(problem.text).toContain(`Allowed: ${ALLOWED.get(key)}`)
          }
        }),
        { numRuns: 300, seed: 7 },
      )
      expect(refusals).toBeGreaterThan(100)
    },
  )

  it.each(['importer', 'exporter'] as const)(
    '%s: an unknown key is refused with a hint (the nearest key, or the list of keys)',
    (kind) => {
      const keys = KEYS[kind]
      const typo = fc
        .tuple(fc.constantFrom(...keys), fc.nat(), fc.nat())
        .map(([key, at, how]) => ({ key, typo: typoOf(key, at, how) }))
      fc.assert(
        fc.property(typo, ({ key, typo }) => {
          fc.pre(!keys.includes(typo) && !KEYS.importer.concat(KEYS.exporter).includes(typo))
          const error = parse(kind, { ...base(), [typo]: '1' })
          expect(error).toBeDefined()
          const problem = error?.problems.find((p) => p.text.includes('unknown key'))
          expect(problem?.text, error?.message).toContain(`did you mean \`${key}\`?`)
        }),
        { numRuns: 200, seed: 11 },
      )
      fc.assert(
        fc.property(fc.stringMatching(/^[a-z_]{12,20}$/), (odd) => {
          fc.pre(!keys.includes(odd))
          const error = parse(kind, { ...base(), [odd]: 'x' })
          expect(error?.message).toMatch(/unknown key(; did you mean `\w+`\?|\. Known keys: )/)
        }),
        { numRuns: 100, seed: 13 },
      )
    },
  )

  it.each(ONCE_ECHOED)('%s does not quote a pasted secret key in its reason', (key) => {
    const error = parse('importer', { ...base(), [key]: `${PASTED_KEY}x` })
    expect(error?.message).toBeDefined()
    expect(error?.message).not.toContain(PASTED_KEY)
  })

  const processCases: Array<[Kind, Record<string, string>]> = [
    ['importer', { concurency: '4' }],
    ['importer', { concurrency: '0' }],
    ['importer', { request_timeout: '10ms' }],
    ['importer', { read_disabled: 'maybe' }],
    ['importer', { on_conflict: 'skip' }],
    ['importer', { secret_key: `${CANARY_KEY}x` }],
    ['importer', { region: CANARY_KEY, [CANARY_KEY]: 'x' }],
    ['exporter', { on_conflict: 'overwrite' }],
    ['exporter', { path: '/a/../b' }],
    ['exporter', { api_url: `http://user:${CANARY_KEY}@127.0.0.1:1` }],
    ['exporter', { max_retries: '21', tags: 'x' }],
    ['exporter', { location: 'scw-secret://it-mil/not-a-project' }],
  ]

  it.each(processCases)(
    '%s process refuses %j at Init with the same message, and keeps serving',
    async (kind, extra) => {
      const raw = { ...base(), ...extra }
      const expected = parse(kind, raw)
      expect(expected).toBeDefined()
      const plugin = spawnPlugin(kind)
      tally.operations += 1
      const error = await init(plugin, kind, raw).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(GrpcStatusError)
      const status = error as GrpcStatusError
      noteText(status.details)
      expect(status.code).toBe(3)
      expect(status.details).toBe(expected?.message)
      // Not crashed: it still answers (that Init is needed), and exits 0 when stdin closes.
      await expect(ping(plugin, kind)).rejects.toThrow(/Init must be called first/)
      expect(await plugin.stop()).toBe(0)
    },
  )
})

// ---------------------------------------------------------------------------------------
// (b) hostile snapshot content

const BASE_DIR = '/team-0/app-0/secret-00000.secret'

/** A copy of one backed-up secret under /hostile/<name>.secret, then bent by `bend`. */
function hostile(
  name: string,
  bend: (files: Map<string, Buffer>, meta: Record<string, unknown>) => void,
): ImportedEntry[] {
  const dir = `/hostile/${name}.secret`
  const files = new Map<string, Buffer>()
  for (const e of entries) {
    if (e.record.pathname.startsWith(`${BASE_DIR}/`) && e.data) {
      files.set(e.record.pathname.slice(BASE_DIR.length + 1), e.data)
    }
  }
  const meta = JSON.parse(files.get('secret.json')?.toString() ?? '{}') as Record<string, unknown>
  meta.name = name
  meta.path = '/hostile'
  bend(files, meta)
  if (!files.has('secret.json')) files.set('secret.json', Buffer.from(JSON.stringify(meta)))
  const out: ImportedEntry[] = []
  const template = entries.find((e) => e.record.pathname === `${BASE_DIR}/secret.json`)
  const dirTemplate = entries.find((e) => e.record.pathname === BASE_DIR)
  if (!template || !dirTemplate) throw new Error('no template records')
  for (const d of ['/hostile', dir, `${dir}/versions`]) {
    out.push({ record: { ...dirTemplate.record, pathname: d } })
  }
  for (const [file, data] of files) {
    out.push({ record: { ...template.record, pathname: `${dir}/${file}` }, data })
  }
  return out
}

function setMeta(files: Map<string, Buffer>, meta: Record<string, unknown>) {
  files.set('secret.json', Buffer.from(JSON.stringify(meta)))
}

const HOSTILE: Array<[string, () => ImportedEntry[], RegExp]> = [
  [
    'truncated secret.json',
    () =>
      hostile('truncated', (files, meta) => {
        const text = JSON.stringify(meta)
        files.set('secret.json', Buffer.from(text.slice(0, text.length / 2)))
      }),
    /secret.json is corrupt/,
  ],
  [
    'garbage secret.json',
    () => hostile('garbage', (files) => files.set('secret.json', Buffer.from([0xff, 0, 0x7b]))),
    /secret.json is corrupt/,
  ],
  [
    'a payload over 64 KiB',
    () =>
      hostile('too-big', (files, meta) => {
        setMeta(files, meta)
        files.set('versions/2', Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x61))
      }),
    new RegExp(
      `${MAX_PAYLOAD_BYTES + 1} bytes; Secret Manager accepts at most ${MAX_PAYLOAD_BYTES}`,
    ),
  ],
  [
    '".." in the path',
    () =>
      hostile('dotdot', (files, meta) => {
        meta.path = '/hostile/../escaped'
        setMeta(files, meta)
      }),
    /path contains "." or ".."/,
  ],
  [
    '"/" in the name',
    () =>
      hostile('slash', (files, meta) => {
        meta.name = 'sneaky/name'
        setMeta(files, meta)
      }),
    /name contains "\/"/,
  ],
  [
    'revision metadata naming another revision',
    () =>
      hostile('mismatch', (files, meta) => {
        setMeta(files, meta)
        const doc = JSON.parse(files.get('versions/2.json')?.toString() ?? '{}')
        files.set('versions/2.json', Buffer.from(JSON.stringify({ ...doc, revision: 1 })))
      }),
    /revision 2 metadata says revision 1/,
  ],
  [
    'a payload without metadata',
    () =>
      hostile('orphan', (files, meta) => {
        setMeta(files, meta)
        files.delete('versions/2.json')
      }),
    /payload of revision 2 has no metadata/,
  ],
  [
    'metadata promising a payload that is absent',
    () =>
      hostile('promised', (files, meta) => {
        setMeta(files, meta)
        files.delete('versions/1')
      }),
    /payload of revision 1 is missing/,
  ],
  [
    'a typed payload the API would refuse',
    () =>
      hostile('typed', (files, meta) => {
        meta.type = 'key_value'
        setMeta(files, meta)
        files.set('versions/2', Buffer.from('{"nested":{"no":"way"}}'))
      }),
    /a key_value payload is not JSON/,
  ],
  [
    'files outside the layout',
    () => {
      const [first] = hostile('stray', () => {})
      if (!first) throw new Error('no record')
      const file = entries.find((e) => e.record.pathname === `${BASE_DIR}/secret.json`)
      if (!file) throw new Error('no template')
      return [
        first,
        { record: { ...file.record, pathname: '/hostile/notes.txt' }, data: Buffer.from('hi') },
        {
          record: { ...file.record, pathname: '/hostile/stray.secret/versions/1/deeper' },
          data: Buffer.from('x'),
        },
        {
          record: { ...file.record, pathname: '/hostile/stray.secret/extra.bin' },
          data: Buffer.from('x'),
        },
      ]
    },
    /is not part of a scw-secret snapshot layout/,
  ],
]

describe('hostile snapshot content', () => {
  it('fails each bad secret on its own records, writes none of it, and restores the rest', async () => {
    const emu = await startEmulator({})
    try {
      const bad = new Map<string, [string, RegExp]>()
      const extra: ImportedEntry[] = []
      for (const [label, make, reason] of HOSTILE) {
        const made = make()
        for (const e of made) if (e.data !== undefined) bad.set(e.record.pathname, [label, reason])
        extra.push(...made)
      }
      const run = await restore(emu, exportItems([...entries, ...extra]), DEST)
      // The call fails, so plakar exits non-zero, naming the count of refused secrets.
      expect(run.error).toMatch(/^\d+ of \d+ secrets not restored: \/hostile\//)
      expect(run.error).toMatch(/; 3 records outside the snapshot layout refused$/)
      // Every record of a bad secret carries the reason, not just one of them.
      for (const [pathname, [label, reason]] of bad) {
        const result = run.results.find((r) => r.header.pathname === pathname)
        expect(result?.error, `${label}: ${pathname}`).toMatch(reason)
      }
      const unexpected = run.failed.filter((r) => !bad.has(r.header.pathname))
      expect(unexpected).toEqual([])
      // Nothing of the hostile secrets reached the destination, not even soft-deleted.
      const all = emu.store.allSecrets(DEST_PROJECT, 'nl-ams')
      expect(
        all.filter((s) => s.path.startsWith('/hostile') || s.path.includes('escaped')),
      ).toEqual([])
      const sourceView = projectView(source, SOURCE_PROJECT, 'fr-par')
      expect(projectView(emu, DEST_PROJECT, 'nl-ams')).toEqual(sourceView)
      expect(all.length).toBe(sourceView.length)
      tally.versionsCompared += countVersions(sourceView)
    } finally {
      await emu.close()
    }
  })
})

// ---------------------------------------------------------------------------------------
// (c) protocol misuse

const EXPORT = [
  '/plakar.exporter.Exporter/Export',
  'plakar.exporter.ExportRequest',
  'plakar.exporter.ExportResponse',
] as const
const IMPORT = [
  '/importer.Importer/Import',
  'importer.ImportRequest',
  'importer.ImportResponse',
] as const

/** The call's final status, failing the test if none comes within a few seconds. */
async function statusOf(done: Promise<void>): Promise<GrpcStatusError | 'ok'> {
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error('no answer: the plugin hangs')), 5000).unref()
  })
  try {
    await Promise.race([done, timeout])
    return 'ok'
  } catch (error) {
    if (error instanceof GrpcStatusError) {
      noteText(error.details)
      return error
    }
    throw error
  }
}

async function initialised(kind: Kind, emu: Emulator): Promise<PluginProcess> {
  const plugin = spawnPlugin(kind)
  tally.operations += 1
  await init(plugin, kind, {
    ...base(),
    api_url: emu.url,
    location: kind === 'importer' ? SOURCE : DEST,
  })
  return plugin
}

/** Still serving: answers a Ping, then exits 0 once its stdin closes. */
async function stillServing(plugin: PluginProcess, kind: Kind) {
  await ping(plugin, kind)
  expect(await plugin.stop()).toBe(0)
}

describe('protocol misuse', () => {
  it('Import, Open and Export before Init get FAILED_PRECONDITION naming Init', async () => {
    const importer = spawnPlugin('importer')
    const importCall = importer.client.call(...IMPORT)
    importCall.end()
    expect(await statusOf(importCall.done)).toMatchObject({ code: 9, details: /Init/ })
    await expect(openFile(importer, '/x')).rejects.toThrow(/Init/)
    await expect(ping(importer, 'importer')).rejects.toThrow(/Init/)
    expect(await importer.stop()).toBe(0)

    const exporter = spawnPlugin('exporter')
    const exportCall = exporter.client.call(...EXPORT)
    exportCall.send({ record: { pathname: '/' } })
    exportCall.end()
    expect(await statusOf(exportCall.done)).toMatchObject({ code: 9, details: /Init/ })
    expect(await exporter.stop()).toBe(0)
  })

  it('a chunk without a record, a record inside a file, an empty request: INVALID_ARGUMENT', async () => {
    const file = { pathname: '/x.secret/secret.json', hasReader: true }
    const cases: Array<[string, object[], RegExp]> = [
      ['chunk first', [{ chunk: Buffer.from('bytes') }], /without a record/],
      [
        'record inside a file',
        [{ record: file }, { chunk: Buffer.from('{') }, { record: { pathname: '/y' } }],
        /before the end of/,
      ],
      ['empty request', [{}], /empty ExportRequest/],
      [
        'stream ends inside a file',
        [{ record: file }, { chunk: Buffer.from('{') }],
        /inside the data/,
      ],
    ]
    for (const [label, messages, reason] of cases) {
      const plugin = await initialised('exporter', source)
      const call = plugin.client.call(...EXPORT)
      for (const message of messages) call.send(message)
      call.end()
      const status = await statusOf(call.done)
      expect(status, label).toMatchObject({ code: 3, details: reason })
      await stillServing(plugin, 'exporter')
    }
  })

  it('Open of an unknown path is NOT_FOUND, a second Init is refused, an unknown method is UNIMPLEMENTED', async () => {
    const plugin = await initialised('importer', source)
    await expect(openFile(plugin, '/no/such/record')).rejects.toMatchObject({ code: 5 })
    await expect(
      init(plugin, 'importer', { ...base(), api_url: source.url }),
    ).rejects.toMatchObject({ code: 9, details: expect.stringMatching(/already/) })
    const call = plugin.client.call(
      '/importer.Importer/Nope',
      'importer.PingRequest',
      'importer.PingResponse',
    )
    call.send({})
    call.end()
    expect(await statusOf(call.done)).toMatchObject({ code: 12 })
    await stillServing(plugin, 'importer')
  })

  it('a second Import (the importer declares STREAM) is refused, the first is unharmed', async () => {
    const plugin = await initialised('importer', source)
    const first = plugin.client.call<{ finished: boolean }>(...IMPORT)
    const second = plugin.client.call(...IMPORT)
    second.end()
    expect(await statusOf(second.done)).toMatchObject({ code: 9, details: /only once/ })
    first.cancel()
    await stillServing(plugin, 'importer')
  })

  it('garbage instead of HTTP/2 does not hang the process', async () => {
    const plugin = spawnPlugin('importer')
    plugin.child.stdin.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))
    const exited = await Promise.race([
      plugin.exit,
      new Promise<'running'>((r) => setTimeout(() => r('running'), 1000).unref()),
    ])
    if (exited === 'running') {
      plugin.child.stdin.end()
      expect(await plugin.exit).toBe(0)
    } else expect([0, 1]).toContain(exited)
    // Its stdout must still be nothing but HTTP/2: the audit after this test checks it.
  })
})
