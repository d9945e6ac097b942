import { describe, expect, it } from 'vitest'
import type { Record as WireRecord } from '../../proto/generated/connectors.js'
import type { SecretMetadata, VersionMetadata } from '../../src/core/metadata.js'
import { type BackedUpSecret, type BackedUpVersion, secretsOf } from '../../src/exporter/collect.js'
import {
  type DestinationSecret,
  PLACEHOLDER_DESCRIPTION,
  type PlanOptions,
  placeholderPayload,
  planSecret,
  targetPath,
} from '../../src/exporter/planner.js'

const META: SecretMetadata = {
  id: 'src-id',
  name: 'db',
  path: '/prod',
  type: 'opaque',
  tags: ['a', 'b'],
  description: 'database',
  protected: false,
  managed: false,
  used_by: [],
  ephemeral_policy: null,
  key_id: null,
  created_at: null,
  updated_at: null,
  project_id: '11111111-1111-4111-8111-111111111111',
  region: 'fr-par',
}

function version(
  revision: number,
  status: VersionMetadata['status'],
  payload?: string,
): BackedUpVersion {
  return {
    revision,
    payload: payload === undefined ? undefined : Buffer.from(payload),
    meta: {
      revision,
      status,
      description: `v${revision}`,
      latest: false,
      created_at: null,
      updated_at: null,
      deleted_at: null,
      ephemeral_properties: null,
      deletion_requested_at: null,
      has_payload: payload !== undefined,
    },
  }
}

const OPTIONS: PlanOptions = {
  onConflict: 'sync',
  updateMetadata: false,
  preserveRevisions: true,
  folder: '/',
  keyId: undefined,
  sameProjectAndRegion: false,
}

const secret = (
  versions: BackedUpVersion[],
  meta: Partial<SecretMetadata> = {},
): BackedUpSecret => ({
  meta: { ...META, ...meta },
  versions,
})

function destination(
  versions: DestinationSecret['versions'],
  extra: Partial<DestinationSecret> = {},
) {
  return {
    type: 'opaque' as const,
    tags: ['b', 'a'],
    description: 'database',
    protected: false,
    versions,
    ...extra,
  }
}

describe('planSecret into an empty destination', () => {
  it('fills revision gaps with deleted placeholders and disables afterwards, protects last', () => {
    const plan = planSecret(
      secret(
        [
          version(1, 'enabled', 'one'),
          version(3, 'disabled', 'three'),
          version(4, 'scheduled_for_deletion'),
        ],
        {
          protected: true,
        },
      ),
      undefined,
      OPTIONS,
    )
    expect(plan.outcome).toBe('create')
    expect(plan.steps.map((s) => ('revision' in s ? `${s.op}:${s.revision}` : s.op))).toEqual([
      'create-secret',
      'create-version:1',
      'create-version:2',
      'delete-version:2',
      'create-version:3',
      'create-version:4',
      'delete-version:4',
      'disable-version:3',
      'protect',
    ])
    const create = plan.steps[0]
    expect(create?.op === 'create-secret' && create.input.protected).toBe(false)
  })

  it('drops gaps when preserve_revisions=false', () => {
    const plan = planSecret(
      secret([version(2, 'enabled', 'two'), version(5, 'disabled', 'five')]),
      undefined,
      { ...OPTIONS, preserveRevisions: false },
    )
    expect(plan.steps.map((s) => ('revision' in s ? `${s.op}:${s.revision}` : s.op))).toEqual([
      'create-secret',
      'create-version:1',
      'create-version:2',
      'disable-version:2',
    ])
  })

  it('re-roots the path and keeps key_id only within the same project and region', () => {
    const withKey = secret([], { key_id: 'key-1' })
    const moved = planSecret(withKey, undefined, { ...OPTIONS, folder: '/restored' })
    const step = moved.steps[0]
    expect(step?.op === 'create-secret' && step.input.path).toBe('/restored/prod')
    expect(step?.op === 'create-secret' && step.input.keyId).toBeUndefined()
    expect(moved.warnings.join()).toMatch(/key_id/)
    const same = planSecret(withKey, undefined, { ...OPTIONS, sameProjectAndRegion: true })
    const kept = same.steps[0]
    expect(kept?.op === 'create-secret' && kept.input.keyId).toBe('key-1')
    expect(targetPath('/', '/x')).toBe('/x')
  })

  it('warns that a managed secret becomes an ordinary one', () => {
    expect(planSecret(secret([], { managed: true }), undefined, OPTIONS).warnings.join()).toMatch(
      /managed/,
    )
  })
})

describe('planSecret into an existing secret (sync)', () => {
  const backed = secret([version(1, 'enabled', 'one'), version(2, 'disabled', 'two')])

  it('plans nothing when the destination already matches', () => {
    const plan = planSecret(
      backed,
      destination([
        { revision: 1, status: 'enabled', description: 'v1', payload: Buffer.from('one') },
        { revision: 2, status: 'disabled', description: 'v2' },
      ]),
      OPTIONS,
    )
    expect(plan.outcome).toBe('unchanged')
    expect(plan.steps).toEqual([])
  })

  it('adds only the missing versions, then fixes statuses', () => {
    const plan = planSecret(
      backed,
      destination([{ revision: 1, status: 'disabled', description: 'v1' }]),
      OPTIONS,
    )
    expect(plan.steps.map((s) => ('revision' in s ? `${s.op}:${s.revision}` : s.op))).toEqual([
      'enable-version:1',
      'create-version:2',
      'disable-version:2',
    ])
  })

  it('finishes an interrupted restore: deletes a placeholder left enabled', () => {
    const gap = secret([version(1, 'enabled', 'one'), version(3, 'enabled', 'three')])
    const plan = planSecret(
      gap,
      destination([
        { revision: 1, status: 'enabled', description: 'v1', payload: Buffer.from('one') },
        {
          revision: 2,
          status: 'enabled',
          description: PLACEHOLDER_DESCRIPTION,
          payload: placeholderPayload('opaque'),
        },
      ]),
      OPTIONS,
    )
    expect(plan.steps.map((s) => ('revision' in s ? `${s.op}:${s.revision}` : s.op))).toEqual([
      'delete-version:2',
      'create-version:3',
    ])
    const gone = secret([version(1, 'enabled', 'one'), version(2, 'scheduled_for_deletion')])
    const again = planSecret(
      gone,
      destination([
        { revision: 1, status: 'enabled', description: 'v1', payload: Buffer.from('one') },
        {
          revision: 2,
          status: 'enabled',
          description: PLACEHOLDER_DESCRIPTION,
          payload: placeholderPayload('opaque'),
        },
      ]),
      OPTIONS,
    )
    expect(again.steps).toEqual([{ op: 'delete-version', revision: 2 }])
  })

  it('brings back a soft-deleted secret and version instead of copying', () => {
    const plan = planSecret(
      backed,
      destination(
        [
          { revision: 1, status: 'scheduled_for_deletion', description: 'v1' },
          { revision: 2, status: 'disabled', description: 'v2' },
        ],
        { deletionRequestedAt: new Date() },
      ),
      OPTIONS,
    )
    expect(plan.steps.map((s) => ('revision' in s ? `${s.op}:${s.revision}` : s.op))).toEqual([
      'restore-secret',
      'restore-version:1',
      'enable-version:1',
    ])
  })

  it('never deletes a destination version that is not a placeholder of ours', () => {
    const gone = secret([version(1, 'enabled', 'one'), version(2, 'scheduled_for_deletion')])
    const plan = planSecret(
      gone,
      destination([
        { revision: 1, status: 'enabled', description: 'v1', payload: Buffer.from('one') },
        { revision: 2, status: 'enabled', description: 'v2', payload: Buffer.from('user data') },
        { revision: 3, status: 'enabled', description: 'v3', payload: Buffer.from('newer') },
      ]),
      OPTIONS,
    )
    expect(plan.steps).toEqual([])
  })

  it('reports a different payload as a conflict and writes nothing', () => {
    const plan = planSecret(
      backed,
      destination([
        { revision: 1, status: 'enabled', description: 'v1', payload: Buffer.from('ONE') },
      ]),
      OPTIONS,
    )
    expect(plan.outcome).toBe('conflict')
    expect(plan.conflicts.join()).toMatch(/revision 1/)
  })

  it('reports metadata differences, and applies them only with update_metadata', () => {
    const dest = destination(
      [
        { revision: 1, status: 'enabled', description: 'v1', payload: Buffer.from('one') },
        { revision: 2, status: 'disabled', description: 'v2' },
      ],
      { tags: ['old'], description: 'old' },
    )
    const reported = planSecret(backed, dest, OPTIONS)
    expect(reported.steps).toEqual([])
    expect(reported.warnings.join()).toMatch(/update_metadata/)
    const applied = planSecret(backed, dest, { ...OPTIONS, updateMetadata: true })
    expect(applied.steps).toEqual([
      { op: 'update-secret', tags: ['a', 'b'], description: 'database' },
    ])
  })

  it('skips existing secrets with on_conflict=skip', () => {
    const plan = planSecret(backed, destination([]), { ...OPTIONS, onConflict: 'skip' })
    expect(plan.outcome).toBe('skip')
    expect(plan.steps).toEqual([])
  })
})

describe('secretsOf', () => {
  it('refuses records of a secret directory that come back after it was handed on', async () => {
    const pathnames = [
      '/a.secret/secret.json',
      '/b.secret/secret.json',
      '/a.secret/versions/1.json',
      '/b.secret/versions/1.json',
      '/c.secret/secret.json',
    ]
    const seen: string[] = []
    for await (const item of secretsOf(
      pathnames.map((pathname) => ({ record: { pathname } as WireRecord })),
    )) {
      seen.push(
        'group' in item
          ? `${item.group.dir} (${item.group.members.length})`
          : `${item.record.pathname}: ${item.refusal}`,
      )
    }
    expect(seen).toEqual([
      '/a.secret (1)',
      "/a.secret/versions/1.json: /a.secret/versions/1.json arrived apart from its secret's records",
      '/b.secret (2)',
      '/c.secret (1)',
    ])
  })
})
