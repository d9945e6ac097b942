// Does a restored project hold exactly the source's secrets and versions? Compared on the
// emulator's store: per secret, every revision's status and payload hash.
import type { ProjectDigest, SecretDigest } from './emulator-protocol.js'

export interface Comparison {
  identical: boolean
  missingSecrets: number
  extraSecrets: number
  /** Source versions absent from the destination, or there with other content or status. */
  lostVersions: number
  /** Destination versions the source does not have (a duplicate write lands here). */
  extraVersions: number
  /** Secrets whose type, tags, description or protection differ. */
  metadataDiffers: number
}

const sameMeta = (a: SecretDigest, b: SecretDigest): boolean =>
  a.type === b.type &&
  a.description === b.description &&
  a.protected === b.protected &&
  a.tags.join('\u0000') === b.tags.join('\u0000')

const versionKey = (v: SecretDigest['versions'][number]) => `${v.revision} ${v.status} ${v.sha256}`

export function compareProjects(source: ProjectDigest, destination: ProjectDigest): Comparison {
  const out: Comparison = {
    identical: false,
    missingSecrets: 0,
    extraSecrets: 0,
    lostVersions: 0,
    extraVersions: 0,
    metadataDiffers: 0,
  }
  for (const [key, want] of Object.entries(source)) {
    const got = destination[key]
    if (!got) {
      out.missingSecrets += 1
      out.lostVersions += want.versions.length
      continue
    }
    if (!sameMeta(want, got)) out.metadataDiffers += 1
    const have = new Set(got.versions.map(versionKey))
    const wanted = new Set(want.versions.map(versionKey))
    out.lostVersions += want.versions.filter((v) => !have.has(versionKey(v))).length
    out.extraVersions += got.versions.filter((v) => !wanted.has(versionKey(v))).length
  }
  out.extraSecrets = Object.keys(destination).filter((key) => !(key in source)).length
  out.identical =
    out.missingSecrets + out.extraSecrets + out.lostVersions + out.extraVersions === 0 &&
    out.metadataDiffers === 0
  return out
}
