// Location grammar (what `plakar source add NAME <location>` receives):
//
//   scw-secret://<region>/<project_id>[/<folder>...]   everything in the location
//   scw-secret://<region>[/]                           region only
//   scw-secret:///[<folder>...]                        folder only (note the third slash)
//   scw-secret://                                      nothing; all from keys/env/file
//
// After '//' comes a region or nothing, and after a region the project UUID: guessing
// whether 'prod' is a region or a folder would turn a typo in a UUID into another folder.
import { isUuid, REGIONS, type Region } from '../core/secret-manager.js'
import { fail, ok, type Result } from './errors.js'

export const PROTOCOL = 'scw-secret'
const PREFIX = `${PROTOCOL}://`

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Secret Manager folder paths in the canonical form the API stores and matches exactly: leading
 * '/', no trailing '/', no empty segments ('//' collapses). '.' and '..' are refused, not
 * resolved: a restore root silently climbing out of where the user pointed is worse than an error.
 */
export function normaliseSecretPath(input: string): Result<string> {
  if (CONTROL.test(input)) return fail('it contains control characters')
  const segments = input.split('/').filter((segment) => segment !== '')
  const dotted = segments.find((segment) => segment === '.' || segment === '..')
  if (dotted !== undefined) {
    return fail(`the segment "${dotted}" is not allowed (no relative paths)`)
  }
  return ok(`/${segments.join('/')}`)
}

export function protocolProblem(raw: string): string {
  const separator = raw.indexOf('://')
  if (separator > 0) return `the protocol is "${raw.slice(0, separator)}", not "${PROTOCOL}"`
  return `it does not start with ${PREFIX}`
}

/** The location as given, what it names, and its folder in canonical form ('/' if none). */
function withFolder(base: { text: string; region?: Region; projectId?: string }, rest: string) {
  const folder = normaliseSecretPath(rest)
  if (!folder.ok) return fail(`the folder part is invalid: ${folder.reason}`)
  return ok({ ...base, folder: folder.value })
}

const isRegion = (text: string): text is Region => (REGIONS as readonly string[]).includes(text)

export function parseLocation(text: string) {
  if (!text.startsWith(PREFIX)) return fail(protocolProblem(text))
  const rest = text.slice(PREFIX.length)
  const [authority = '', project = '', ...folder] = rest.split('/')
  if (authority === '') return withFolder({ text }, rest)
  if (!isRegion(authority)) {
    return fail(
      `"${authority}" is not a Secret Manager region (${REGIONS.join(', ')}); ` +
        `to give only a folder, leave the region out: ${PREFIX}/${rest}`,
    )
  }
  if (project === '' && folder.every((segment) => segment === '')) {
    return withFolder({ text, region: authority }, '')
  }
  if (!isUuid(project)) {
    return fail(
      `after the region comes the project id (a UUID), but "${project}" is not one; ` +
        `write ${PREFIX}${authority}/<project_id>/<folder>`,
    )
  }
  return withFolder({ text, region: authority, projectId: project.toLowerCase() }, folder.join('/'))
}
