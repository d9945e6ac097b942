// The snapshot layout: where each secret, version and payload lives in the tree a
// backup records, and how a restore reads a pathname back. Pure functions only.
//
//   /.backup.json                       what this backup was (tool, region, project, counts)
//   /<folder>/.../                      a Secret Manager folder (path segment)
//   /<folder>/<name>.secret/            one secret
//   /<folder>/<name>.secret/secret.json its metadata
//   /<folder>/<name>.secret/versions/N.json   metadata of revision N
//   /<folder>/<name>.secret/versions/N        payload of revision N, raw bytes (only if readable)
//
// Injectivity: a user-supplied segment (folder or secret name) is percent-escaped so
// that it never contains `/`, never starts with `.` and never ends in `.secret`. So a
// directory ending in `.secret` is always a secret, everything starting with `.` is the
// layout's own, and a folder and a secret with the same name never collide.

import { parseRevision } from './secret-manager.js'

export const SECRET_SUFFIX = '.secret'
export const BACKUP_INFO = '.backup.json'
export const SECRET_META = 'secret.json'
export const VERSIONS_DIR = 'versions'

/** Characters always escaped: the escape char, the separator, controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be escaped
const ALWAYS_ESCAPED = /[%/\u0000-\u001f\u007f]/g

function hex(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
}

/** Encodes one user-supplied name or folder segment as one path segment. */
export function encodeSegment(name: string): string {
  if (name.length === 0) throw new Error('empty names cannot be encoded')
  let out = name.replace(ALWAYS_ESCAPED, hex)
  if (out.startsWith('.')) out = `%2E${out.slice(1)}`
  if (out.endsWith(SECRET_SUFFIX)) {
    out = `${out.slice(0, -SECRET_SUFFIX.length)}%2E${SECRET_SUFFIX.slice(1)}`
  }
  return out
}

export function decodeSegment(segment: string): string {
  return segment.replace(/%([0-9A-F]{2})/g, (_, code: string) =>
    String.fromCharCode(Number.parseInt(code, 16)),
  )
}

/** Splits a Secret Manager path (`/`, `/a/b`) into its folder segments. */
export function folderSegments(smPath: string): string[] {
  return smPath.split('/').filter((s) => s.length > 0)
}

export function joinSmPath(segments: string[]): string {
  return `/${segments.join('/')}`
}

/** Snapshot directory of a Secret Manager folder. */
export function folderDir(smPath: string): string {
  return joinSmPath(folderSegments(smPath).map(encodeSegment))
}

export interface SecretLocation {
  path: string
  name: string
}

export function secretDir(secret: SecretLocation): string {
  const parent = folderDir(secret.path)
  const sep = parent === '/' ? '' : '/'
  return `${parent}${sep}${encodeSegment(secret.name)}${SECRET_SUFFIX}`
}

export function secretMetaPath(secret: SecretLocation): string {
  return `${secretDir(secret)}/${SECRET_META}`
}

export function versionsDir(secret: SecretLocation): string {
  return `${secretDir(secret)}/${VERSIONS_DIR}`
}

export function versionMetaPath(secret: SecretLocation, revision: number): string {
  return `${versionsDir(secret)}/${revision}.json`
}

export function payloadPath(secret: SecretLocation, revision: number): string {
  return `${versionsDir(secret)}/${revision}`
}

/** Every directory from `/` down to and including `dir`, parents first. */
export function ancestors(dir: string): string[] {
  const out = ['/']
  let current = ''
  for (const segment of dir.split('/').filter((s) => s.length > 0)) {
    current = `${current}/${segment}`
    out.push(current)
  }
  return out
}

/** What a snapshot pathname is, read back without any other context. */
export type ParsedPath =
  | { kind: 'root' }
  | { kind: 'backup-info' }
  | { kind: 'folder'; path: string }
  | { kind: 'secret-dir'; secret: SecretLocation }
  | { kind: 'secret-meta'; secret: SecretLocation }
  | { kind: 'versions-dir'; secret: SecretLocation }
  | { kind: 'version-meta'; secret: SecretLocation; revision: number }
  | { kind: 'payload'; secret: SecretLocation; revision: number }
  | { kind: 'unknown'; reason: string }

function parseInsideSecret(secret: SecretLocation, rest: string[]): ParsedPath {
  const [first, second, ...more] = rest
  if (first === undefined) return { kind: 'secret-dir', secret }
  if (first === SECRET_META && second === undefined) return { kind: 'secret-meta', secret }
  if (first !== VERSIONS_DIR) return { kind: 'unknown', reason: `unexpected entry ${first}` }
  if (second === undefined) return { kind: 'versions-dir', secret }
  if (more.length > 0) return { kind: 'unknown', reason: 'too deep inside versions/' }
  const meta = second.endsWith('.json')
  const revision = parseRevision(meta ? second.slice(0, -'.json'.length) : second)
  if (revision === undefined) return { kind: 'unknown', reason: `not a revision number: ${second}` }
  return meta ? { kind: 'version-meta', secret, revision } : { kind: 'payload', secret, revision }
}

function isEncodedSegment(segment: string): boolean {
  return segment !== '' && !segment.startsWith('.') && !/%(?![0-9A-F]{2})/.test(segment)
}

/** Reads an absolute snapshot pathname back into what it stands for. */
export function parsePath(pathname: string): ParsedPath {
  if (pathname === '/') return { kind: 'root' }
  if (!pathname.startsWith('/')) return { kind: 'unknown', reason: 'not absolute' }
  const segments = pathname.slice(1).split('/')
  if (segments.length === 1 && segments[0] === BACKUP_INFO) return { kind: 'backup-info' }
  const folders: string[] = []
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? ''
    if (segment.endsWith(SECRET_SUFFIX)) {
      const encodedName = segment.slice(0, -SECRET_SUFFIX.length)
      if (!isEncodedSegment(encodedName)) return { kind: 'unknown', reason: 'bad secret name' }
      const secret = { path: joinSmPath(folders), name: decodeSegment(encodedName) }
      return parseInsideSecret(secret, segments.slice(i + 1))
    }
    if (!isEncodedSegment(segment)) return { kind: 'unknown', reason: `bad segment ${segment}` }
    folders.push(decodeSegment(segment))
  }
  return { kind: 'folder', path: joinSmPath(folders) }
}
