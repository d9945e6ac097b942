// Deleting a secret frees its name: a new secret may then be created at the same path and
// name while the old one waits, soft-deleted, for its purge. So a destination can hold,
// for one (path, name), a live secret and any number of soft-deleted twins. This picks the
// one a restore works with; pure, so every history is tested without a server.
import { holdsName } from '../core/secret-manager.js'
import type { Secret } from '../scaleway/api.js'

/** `new`: nothing usable, the name is free. `revive`: a soft-deleted secret to bring back. */
export type Target = { kind: 'new' } | { kind: 'live' | 'revive'; secret: Secret }

/** Newest deletion first; the creation time breaks ties. */
function newestFirst(a: Secret, b: Secret): number {
  const at = (d: Date | undefined) => d?.getTime() ?? 0
  return at(b.deletionRequestedAt) - at(a.deletionRequestedAt) || at(b.createdAt) - at(a.createdAt)
}

/**
 * Among the destination's secrets with the snapshot secret's path and name, a live one
 * wins (the API refuses a revival over it); else the snapshot's own secret (same id) comes
 * back; else the most recently deleted twin of its type (another type could never match).
 */
export function chooseTarget(snapshot: Pick<Secret, 'id' | 'type'>, candidates: Secret[]): Target {
  const live = candidates.find(holdsName)
  if (live) return { kind: 'live', secret: live }
  const same = candidates.find((s) => s.id === snapshot.id)
  if (same) return { kind: 'revive', secret: same }
  const [latest] = candidates.filter((s) => s.type === snapshot.type).sort(newestFirst)
  return latest ? { kind: 'revive', secret: latest } : { kind: 'new' }
}
