// API keys and IAM permission sets. Without a keys document every well-formed secret key may
// do anything in any project; with one, only listed keys authenticate, each limited to its
// projects and permission sets. Keys can be revoked at runtime so a test can make a token
// start failing halfway through a run.
//
// Keys file format (JSON):
//   { "keys": [ { "secret_key": "<uuid>",
//                 "projects": ["<project uuid>" | "*"],
//                 "permission_sets": ["SecretManagerReadOnly", ...] } ] }

import { z } from 'zod'
import { isUuid } from '../src/core/secret-manager.js'
import { deniedAuthentication } from './errors.js'

const PERMISSION_SETS = [
  'SecretManagerReadOnly',
  'SecretManagerSecretAccess',
  'SecretManagerSecretCreate',
  'SecretManagerSecretWrite',
  'SecretManagerSecretRestore',
  'SecretManagerFullAccess',
] as const
export type PermissionSet = (typeof PERMISSION_SETS)[number]

/** What a route needs: metadata reads, payload reads, creation, other writes, restores. */
export type Permission = 'read' | 'access' | 'create' | 'write' | 'restore'

const GRANTS: Record<PermissionSet, readonly Permission[]> = {
  SecretManagerReadOnly: ['read'],
  SecretManagerSecretAccess: ['access'],
  SecretManagerSecretCreate: ['create'],
  SecretManagerSecretWrite: ['write'],
  SecretManagerSecretRestore: ['restore'],
  SecretManagerFullAccess: ['read', 'access', 'create', 'write', 'restore'],
}

const keyEntrySchema = z.object({
  secret_key: z.string().refine(isUuid, 'secret_key must be a UUID'),
  projects: z.array(z.union([z.literal('*'), z.string().refine(isUuid, 'project must be a UUID')])),
  permission_sets: z.array(z.enum(PERMISSION_SETS)),
})

export const keysDocSchema = z.object({ keys: z.array(keyEntrySchema) })

export type KeyEntry = z.infer<typeof keyEntrySchema>
export type KeysDoc = z.infer<typeof keysDocSchema>

export interface Principal {
  can(permission: Permission): boolean
  allowsProject(projectId: string): boolean
}

const UNRESTRICTED: Principal = { can: () => true, allowsProject: () => true }

const principalOf = (entry: KeyEntry): Principal => {
  const granted = new Set(entry.permission_sets.flatMap((set) => GRANTS[set]))
  const anyProject = entry.projects.includes('*')
  const projects = new Set(entry.projects.map((p) => p.toLowerCase()))
  return {
    can: (permission) => granted.has(permission),
    allowsProject: (projectId) => anyProject || projects.has(projectId.toLowerCase()),
  }
}

export class KeyRing {
  private keys: Map<string, KeyEntry> | undefined
  private readonly revoked = new Set<string>()

  constructor(doc?: KeysDoc) {
    this.set(doc)
  }

  set(doc: KeysDoc | undefined): void {
    const parsed = doc === undefined ? undefined : keysDocSchema.parse(doc)
    this.keys = parsed && new Map(parsed.keys.map((k) => [k.secret_key.toLowerCase(), k]))
  }

  revoke(secretKey: string): void {
    this.revoked.add(secretKey.toLowerCase())
  }

  /** The caller behind an X-Auth-Token, or a 401 ApiError. */
  authenticate(token: string | undefined): Principal {
    if (token === undefined || !isUuid(token)) throw deniedAuthentication('invalid_argument')
    const key = token.toLowerCase()
    if (this.revoked.has(key)) throw deniedAuthentication('expired')
    if (this.keys === undefined) return UNRESTRICTED
    const entry = this.keys.get(key)
    if (entry === undefined) throw deniedAuthentication('not_found')
    return principalOf(entry)
  }
}
