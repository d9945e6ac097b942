// What the API exposes of a project, minus what legitimately differs between a source
// and its restored copy (ids, timestamps, project, region).
import type { Emulator } from '../../emulator/index.js'

export function projectView(
  emu: Emulator,
  projectId: string,
  region: 'fr-par' | 'nl-ams' | 'pl-waw',
  reroot = '',
) {
  return emu.store
    .allSecrets(projectId, region)
    .filter((s) => s.deletionRequestedAt === null)
    .map((s) => ({
      path: reroot + (s.path === '/' && reroot ? '' : s.path),
      name: s.name,
      type: s.type,
      tags: [...s.tags].sort(),
      description: s.description,
      protected: s.protected,
      ephemeral: s.ephemeralPolicy,
      versions: emu.store.versions(s.id).map((v) => ({
        revision: v.revision,
        status: v.status,
        description: v.description,
        data:
          v.status === 'scheduled_for_deletion' || v.status === 'deleted'
            ? null
            : v.data.toString('base64'),
      })),
    }))
    .sort((a, b) => `${a.path}\u0000${a.name}`.localeCompare(`${b.path}\u0000${b.name}`))
}
