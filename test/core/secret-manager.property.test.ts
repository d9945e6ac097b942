// The exporter's checks and the emulator agree on every payload rule: for generated
// payloads of every secret type, valid and nearly valid, a restore's pre-write check
// (records -> roleOf -> Grouper -> validateGroup) accepts exactly what the emulator's
// POST /secrets/{id}/versions accepts. Both must hold the API's rules, from one model.

import { crc32 } from 'node:zlib'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { startEmulator } from '../../emulator/index.js'
import {
  MAX_PAYLOAD_BYTES,
  MAX_PORT,
  SECRET_TYPES,
  type SecretType,
} from '../../src/core/secret-manager.js'
import { type Received, secretsOf, validateGroup } from '../../src/exporter/collect.js'
import { addVersion, createSecret, PROJECT } from '../emulator/helpers.js'

type Creatable = (typeof SECRET_TYPES)[number]
type Fields = Record<string, unknown>

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8')

// ---- generators

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }))
const key = fc.string({ minLength: 1, maxLength: 10 })
const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 2 }),
  fc.dictionary(key, text, { maxKeys: 2 }),
)

const validPort = fc.integer({ min: 0, max: MAX_PORT }).map(String)
const nearPort = fc.oneof(
  fc.integer({ min: MAX_PORT + 1, max: 10_000_000 }).map(String),
  fc.constantFrom('', '-1', '80a', ' 80', '0x50', '1e3', '8.0', '\u0661\u0662', '9'.repeat(30)),
  fc.integer({ min: 1, max: MAX_PORT }).map((p) => `000${p}`),
)

const FIXED: Partial<Record<Creatable, readonly string[]>> = {
  basic_credentials: ['username', 'password'],
  database_credentials: ['engine', 'username', 'password', 'host', 'dbname', 'port'],
  ssh_key: ['ssh_private_key'],
}

const validObject = (type: Creatable): fc.Arbitrary<Fields> => {
  const fields = FIXED[type]
  if (!fields) return fc.dictionary(key, text, { maxKeys: 5 })
  const port = type === 'database_credentials' ? validPort : text
  return fc.record(Object.fromEntries(fields.map((f) => [f, f === 'port' ? port : text])))
}

/** One field dropped, one added, one value of the wrong type, or a bad port. */
const nearObject = (type: Creatable): fc.Arbitrary<Fields> => {
  const base = validObject(type)
  const pick = (o: Fields, n: number) => Object.keys(o)[n % Math.max(1, Object.keys(o).length)]
  return fc.oneof(
    fc.tuple(base, fc.nat()).map(([o, n]) => {
      const dropped = pick(o, n)
      return Object.fromEntries(Object.entries(o).filter(([k]) => k !== dropped))
    }),
    fc.tuple(base, key, fc.oneof(text, nonString)).map(([o, k, v]) => ({ ...o, [k]: v })),
    fc.tuple(base, fc.nat(), nonString).map(([o, n, v]) => {
      const k = pick(o, n)
      return k === undefined ? { filler: v } : { ...o, [k]: v }
    }),
    fc.tuple(base, nearPort).map(([o, port]) => ({ ...o, port })),
  )
}

const label = fc.constantFrom('CERTIFICATE', 'PRIVATE KEY', 'EC PRIVATE KEY', 'X509 CRL')
const base64Line = fc
  .uint8Array({ minLength: 1, maxLength: 48 })
  .map((b) => Buffer.from(b).toString('base64'))
const pemBlock = fc
  .record({
    label,
    lines: fc.array(base64Line, { minLength: 1, maxLength: 4 }),
    header: fc.boolean(),
    crlf: fc.boolean(),
  })
  .map(({ label, lines, header, crlf }) => {
    const nl = crlf ? '\r\n' : '\n'
    const head = header ? [`Proc-Type: 4,ENCRYPTED`, ''] : []
    return [`-----BEGIN ${label}-----`, ...head, ...lines, `-----END ${label}-----`].join(nl)
  })
const validPem = fc.array(pemBlock, { minLength: 1, maxLength: 3 }).map((b) => `${b.join('\n')}\n`)
const nearPem = fc.oneof(
  fc.tuple(text, validPem).map(([junk, pem]) => `${junk}x\n${pem}`),
  validPem.map((pem) => pem.replace(/-----END [A-Z0-9 ]+-----/, '-----END OTHER-----')),
  validPem.map((pem) => pem.replace(/\n([A-Za-z0-9+/])/, '\n!$1')),
  validPem.map((pem) => pem.toLowerCase()),
  fc.tuple(validPem, fc.nat()).map(([pem, n]) => pem.slice(0, n % pem.length)),
  base64Line,
)

const validPayload = (type: Creatable): fc.Arbitrary<Buffer> => {
  if (type === 'opaque') return fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b))
  if (type === 'certificate') return validPem.map((pem) => Buffer.from(pem, 'utf8'))
  return validObject(type).map(json)
}

const nearPayload = (type: Creatable): fc.Arbitrary<Buffer> => {
  if (type === 'opaque') return validPayload(type)
  if (type === 'certificate') return nearPem.map((pem) => Buffer.from(pem, 'utf8'))
  return fc.oneof(
    nearObject(type).map(json),
    fc.jsonValue().map(json),
    validObject(type).map((o) => json(o).subarray(0, -1)),
    validObject(type).map((o) =>
      Buffer.concat([json(o).subarray(0, -1), Buffer.from([0xff, 0x7d])]),
    ),
  )
}

/** A payload padded with trailing white space to the limit, or one byte over it. */
const atTheLimit = (type: Creatable): fc.Arbitrary<Buffer> =>
  fc.tuple(validPayload(type), fc.constantFrom(0, 1)).map(([payload, over]) => {
    const fill = type === 'opaque' ? 0x00 : 0x20
    const padding = Buffer.alloc(Math.max(0, MAX_PAYLOAD_BYTES + over - payload.length), fill)
    return Buffer.concat([payload, padding])
  })

const testCase = fc.constantFrom(...SECRET_TYPES).chain((type) =>
  fc.record({
    type: fc.constant(type),
    payload: fc.oneof(
      { weight: 3, arbitrary: validPayload(type) },
      { weight: 4, arbitrary: nearPayload(type) },
      { weight: 1, arbitrary: atTheLimit(type) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
    ),
  }),
)

// ---- the two checks

const secretMeta = (type: SecretType) => ({
  id: 'b3f4c0de-0000-4000-8000-000000000001',
  name: 'agree',
  path: '/',
  type,
  tags: [],
  description: '',
  protected: false,
  managed: false,
  used_by: [],
  ephemeral_policy: null,
  key_id: null,
  created_at: null,
  updated_at: null,
  project_id: PROJECT,
  region: 'fr-par',
})

const versionMeta = {
  revision: 1,
  status: 'enabled',
  description: '',
  latest: true,
  created_at: null,
  updated_at: null,
  deleted_at: null,
  ephemeral_properties: null,
  deletion_requested_at: null,
  has_payload: true,
}

/** The exporter's verdict on a one-version secret, reached as a restore reaches it. */
const exporterAccepts = async (type: SecretType, payload: Buffer): Promise<boolean> => {
  const files: Array<[string, Buffer]> = [
    ['/agree.secret/secret.json', json(secretMeta(type))],
    ['/agree.secret/versions/1.json', json(versionMeta)],
    ['/agree.secret/versions/1', payload],
  ]
  const received = files.map(
    ([pathname, data]): Received => ({
      record: { pathname } as Received['record'],
      data,
    }),
  )
  for await (const item of secretsOf(received)) {
    if (!('group' in item)) throw new Error(`${item.record.pathname}: not a secret's record`)
    return validateGroup(item.group).ok
  }
  throw new Error('no group')
}

describe('payload rules: the exporter and the emulator agree', () => {
  let emu: Emulator
  const secretIds = new Map<SecretType, string>()

  beforeAll(async () => {
    emu = await startEmulator()
    for (const type of SECRET_TYPES) {
      const created = await createSecret(emu, { type })
      secretIds.set(type, created.json.id)
    }
  })

  afterAll(async () => {
    await emu.close()
  })

  /** The emulator's verdict, through its HTTP route; anything but 200 or 400 is a bug. */
  const emulatorAccepts = async (type: SecretType, payload: Buffer): Promise<boolean> => {
    const id = secretIds.get(type) ?? ''
    const data = payload.toString('base64')
    const answer = await addVersion(emu, id, { data, data_crc32: crc32(payload) })
    expect([200, 400]).toContain(answer.status)
    if (answer.status === 400) expect(answer.json.details[0].argument_name).toBe('data')
    return answer.status === 200
  }

  it('accept and refuse the same payloads of every type', async () => {
    const seen = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(testCase, async ({ type, payload }) => {
        const exporter = await exporterAccepts(type, payload)
        const emulator = await emulatorAccepts(type, payload)
        expect({ type, exporter }).toEqual({ type, exporter: emulator })
        const verdict = `${type} ${emulator ? 'accepted' : 'refused'}`
        seen.set(verdict, (seen.get(verdict) ?? 0) + 1)
      }),
      { numRuns: 600 },
    )
    // Both verdicts happened for every type, so the agreement is not a vacuous one.
    for (const type of SECRET_TYPES) {
      expect(seen.get(`${type} accepted`), type).toBeGreaterThan(0)
      expect(seen.get(`${type} refused`), type).toBeGreaterThan(0)
    }
  })
})
