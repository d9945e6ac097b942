// The sample project the demo, the tests and the benchmarks start from: every shape a
// backup must survive (folders, a folder and a secret of the same name, binary and
// typed payloads, disabled and deleted versions, tags, protected and ephemeral secrets).
import { randomBytes } from 'node:crypto'
import { MAX_PAYLOAD_BYTES } from '../src/core/secret-manager.js'
import type { SeedDoc, SeedSecret } from './seed.js'

export const SAMPLE_PROJECT_ID = '5a3a1f0e-7c1b-4d2e-9f00-0000000000a1'
export const SAMPLE_REGION = 'fr-par'

/** Deterministic bytes, so tests can compare without keeping the seed around. */
function sampleBytes(length: number, salt = 1): Buffer {
  const out = Buffer.alloc(length)
  let x = 0x9e3779b9 ^ salt
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

const CERT = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUJ0u1c2FtcGxlLWNlcnRpZmljYXRlMAoGCCqGSM49BAMC
-----END CERTIFICATE-----
`

export function sampleSecrets(): SeedSecret[] {
  return [
    {
      name: 'db',
      path: '/prod',
      type: 'database_credentials',
      tags: ['prod', 'db'],
      description: 'primary database',
      protected: true,
      versions: [
        {
          data_utf8:
            '{"engine":"postgres","username":"app","password":"s3cr3t-v1","host":"db.internal","dbname":"app","port":"5432"}',
          description: 'initial',
          with_crc32: true,
        },
        {
          data_utf8:
            '{"engine":"postgres","username":"app","password":"s3cr3t-v2","host":"db.internal","dbname":"app","port":"5432"}',
          description: 'rotated',
          with_crc32: true,
        },
      ],
    },
    {
      // A folder named like the secret above, holding its own secret.
      name: 'replica',
      path: '/prod/db',
      type: 'basic_credentials',
      tags: ['prod'],
      versions: [{ data_utf8: '{"username":"ro","password":"replica-pass"}' }],
    },
    {
      name: 'api-token',
      path: '/prod',
      tags: ['prod', 'api'],
      versions: [
        { data_utf8: 'token-one', description: 'first' },
        { data_utf8: 'token-two', status: 'disabled', description: 'compromised' },
        { data_utf8: 'token-three', status: 'scheduled_for_deletion' },
        { data_utf8: 'token-four', description: 'current' },
      ],
    },
    {
      name: 'blob',
      path: '/binary',
      versions: [
        { data_base64: sampleBytes(MAX_PAYLOAD_BYTES, 7).toString('base64'), with_crc32: true },
        { data_base64: sampleBytes(1, 9).toString('base64') },
      ],
    },
    {
      name: 'empty-ish',
      path: '/binary',
      versions: [{ data_base64: Buffer.from([0]).toString('base64') }],
    },
    {
      name: 'tls',
      path: '/staging/web',
      type: 'certificate',
      tags: ['staging'],
      versions: [{ data_utf8: CERT }],
    },
    {
      name: 'feature-flags',
      path: '/staging',
      type: 'key_value',
      description: 'flags',
      versions: [{ data_utf8: '{"beta":"on","max":"5"}' }],
    },
    {
      name: 'one-time',
      path: '/',
      ephemeral_policy: { time_to_live: '86400s', expires_once_accessed: false, action: 'disable' },
      versions: [{ data_utf8: 'ephemeral value' }],
    },
    {
      // Names that look like the snapshot layout's own files.
      name: 'secret.json',
      path: '/odd names',
      versions: [{ data_utf8: 'not metadata' }],
    },
    { name: 'versions', path: '/odd names', versions: [{ data_utf8: 'émoji 🔑 ok' }] },
    { name: 'unused', path: '/', versions: [] },
  ]
}

export function sampleSeed(projectId = SAMPLE_PROJECT_ID, region = SAMPLE_REGION): SeedDoc {
  return { projects: [{ id: projectId, region: region as 'fr-par', secrets: sampleSecrets() }] }
}

/** A seed of `count` secrets with `versions` versions each, realistic payload sizes. */
export function generatedSeed(
  projectId: string,
  count: number,
  versions: number,
  region: 'fr-par' | 'nl-ams' | 'pl-waw' = 'fr-par',
): SeedDoc {
  const secrets: SeedSecret[] = []
  for (let i = 0; i < count; i++) {
    const kind = i % 4
    secrets.push({
      name: `secret-${String(i).padStart(5, '0')}`,
      path: `/team-${i % 10}/app-${i % 7}`,
      type: kind === 1 ? 'key_value' : 'opaque',
      tags: [`team-${i % 10}`],
      versions: Array.from({ length: versions }, (_, v) => ({
        data_base64: payloadFor(kind, i, v).toString('base64'),
        with_crc32: true,
      })),
    })
  }
  return { projects: [{ id: projectId, region, secrets }] }
}

function payloadFor(kind: number, i: number, v: number): Buffer {
  switch (kind) {
    case 0:
      return Buffer.from(`token-${i}-${v}-${randomBytes(12).toString('hex')}`)
    case 1:
      return Buffer.from(
        JSON.stringify({ user: `svc-${i}`, password: randomBytes(16).toString('hex') }),
      )
    case 2:
      return sampleBytes(1024 + ((i * 131 + v * 17) % 7168), i * 10 + v)
    default:
      return sampleBytes(200 + ((i + v) % 300), i * 10 + v + 1)
  }
}
