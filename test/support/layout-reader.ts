// Reads a snapshot pathname back into what it stands for, without any other context: the
// inverse of src/core/layout.ts, which the layout property test and the reliability checks
// use to prove the layout injective. The plugin itself never needs it (the exporter's
// roleOf reads records relative to the restored subtree).

import {
  BACKUP_INFO,
  SECRET_META,
  SECRET_SUFFIX,
  type SecretLocation,
  VERSIONS_DIR,
} from '../../src/core/layout.js'
import { parseRevision } from '../../src/core/secret-manager.js'

const joinSmPath = (segments: string[]) => `/${segments.join('/')}`

function decodeSegment(segment: string): string {
  return segment.replace(/%([0-9A-F]{2})/g, (_, code: string) =>
    String.fromCharCode(Number.parseInt(code, 16)),
  )
}

/** What a snapshot pathname is, read back without any other context. */
type ParsedPath =
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
