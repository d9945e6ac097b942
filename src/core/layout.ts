// The snapshot layout: where each secret, version and payload lives in the tree a
// backup records. Pure functions only.
//
//   /.backup.json                       what this backup was (tool, region, project, counts)
//   /<folder>/.../                      a Secret Manager folder (path segment)
//   /<folder>/<name>.secret/            one secret
//   /<folder>/<name>.secret/secret.json its metadata
//   /<folder>/<name>.secret/versions/N.json   metadata of revision N
//   /<folder>/<name>.secret/versions/N        payload of revision N, raw bytes (only if readable)
//
// Injectivity: a user-supplied segment (folder or secret name) is percent-escaped to hold no `/`,
// no leading `.` and no trailing `.secret`. So a directory ending in `.secret` is always a secret,
// anything starting with `.` is the layout's own, and a same-named folder and secret never collide.

export const SECRET_SUFFIX = '.secret'
export const BACKUP_INFO = '.backup.json'
export const SECRET_META = 'secret.json'
export const VERSIONS_DIR = 'versions'

/** Characters always escaped: the escape char, the separator, controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be escaped
const ALWAYS_ESCAPED = /[%/\u0000-\u001f\u007f]/g

export function encodeSegment(name: string): string {
  if (name.length === 0) throw new Error('empty names cannot be encoded')
  const hex = (ch: string) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
  let out = name.replace(ALWAYS_ESCAPED, hex)
  if (out.startsWith('.')) out = `%2E${out.slice(1)}`
  if (out.endsWith(SECRET_SUFFIX)) {
    out = `${out.slice(0, -SECRET_SUFFIX.length)}%2E${SECRET_SUFFIX.slice(1)}`
  }
  return out
}

/** Snapshot directory of a Secret Manager folder (`/`, `/a/b`). */
export function folderDir(smPath: string): string {
  const segments = smPath.split('/').filter((s) => s.length > 0)
  return `/${segments.map(encodeSegment).join('/')}`
}

export type SecretLocation = { path: string; name: string }

export function secretDir(secret: SecretLocation): string {
  const parent = folderDir(secret.path)
  const sep = parent === '/' ? '' : '/'
  return `${parent}${sep}${encodeSegment(secret.name)}${SECRET_SUFFIX}`
}

export const secretMetaPath = (secret: SecretLocation) => `${secretDir(secret)}/${SECRET_META}`

export const versionsDir = (secret: SecretLocation) => `${secretDir(secret)}/${VERSIONS_DIR}`

export const versionMetaPath = (secret: SecretLocation, revision: number) =>
  `${versionsDir(secret)}/${revision}.json`

export const payloadPath = (secret: SecretLocation, revision: number) =>
  `${versionsDir(secret)}/${revision}`

/** Every directory from `/` down to and including `dir`, parents first. */
export function ancestors(dir: string): string[] {
  const segments = dir.split('/').filter((s) => s.length > 0)
  return ['/', ...segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`)]
}
