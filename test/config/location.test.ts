import { afterAll, describe, expect, it } from 'vitest'
import { normaliseSecretPath, parseLocation } from '../../src/config/location.js'
import {
  importer,
  importerError,
  OTHER_PROJECT,
  PROJECT,
  problemKeys,
  removeHomes,
  SECRET,
} from './helpers.js'

afterAll(removeHomes)

describe('location grammar: accepted forms', () => {
  it.each([
    [`scw-secret://fr-par/${PROJECT}`, { region: 'fr-par', projectId: PROJECT, folder: '/' }],
    [`scw-secret://fr-par/${PROJECT}/`, { region: 'fr-par', projectId: PROJECT, folder: '/' }],
    [
      `scw-secret://nl-ams/${PROJECT}/prod/db`,
      { region: 'nl-ams', projectId: PROJECT, folder: '/prod/db' },
    ],
    [
      `scw-secret://pl-waw/${PROJECT}//prod///db//`,
      { region: 'pl-waw', projectId: PROJECT, folder: '/prod/db' },
    ],
    [
      `scw-secret://fr-par/${PROJECT.toUpperCase()}/x`,
      { region: 'fr-par', projectId: PROJECT, folder: '/x' },
    ],
    ['scw-secret://fr-par', { region: 'fr-par', folder: '/' }],
    ['scw-secret://fr-par/', { region: 'fr-par', folder: '/' }],
    ['scw-secret:///prod/db', { folder: '/prod/db' }],
    ['scw-secret:///', { folder: '/' }],
    ['scw-secret://', { folder: '/' }],
  ])('%s', (text, expected) => {
    const result = parseLocation(text)
    expect(result).toEqual({ ok: true, value: { text, ...expected } })
  })
})

describe('location grammar: refused forms', () => {
  it.each([
    [`http://fr-par/${PROJECT}`, 'the protocol is "http", not "scw-secret"'],
    [`fr-par/${PROJECT}`, 'does not start with scw-secret://'],
    ['scw-secret:/fr-par', 'does not start with scw-secret://'],
    ['SCW-SECRET://fr-par', 'the protocol is "SCW-SECRET"'],
    ['scw-secret://prod/db', 'to give only a folder, leave the region out: scw-secret:///prod/db'],
    [`scw-secret://FR-PAR/${PROJECT}`, '"FR-PAR" is not a Secret Manager region'],
    ['scw-secret://it-mil', '"it-mil" is not a Secret Manager region'],
    ['scw-secret://fr-par/prod', '"prod" is not one'],
    ['scw-secret://fr-par//x', '"" is not one'],
    [`scw-secret://fr-par/${PROJECT}/../x`, 'the segment ".." is not allowed'],
    [`scw-secret://fr-par/${PROJECT}/a/./b`, 'the segment "." is not allowed'],
    ['scw-secret:///a/\u0007', 'control characters'],
  ])('%j', (text, reason) => {
    const result = parseLocation(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(reason)
  })

  it('reports a bad location under the location key, with the value', () => {
    const error = importerError({ location: 'scw-secret://prod', secret_key: SECRET })
    expect(problemKeys(error)).toEqual(['location'])
    expect(error.message).toContain('got "scw-secret://prod"')
  })

  it('does not report region or project as missing when the location is broken', () => {
    const error = importerError({ location: 'scw-secret://fr-par/nope' })
    expect(problemKeys(error)).toEqual(['location', 'secret_key'])
  })
})

describe('location versus config keys', () => {
  it('refuses a region key that disagrees with the location, naming both', () => {
    const error = importerError({
      location: `scw-secret://fr-par/${PROJECT}`,
      region: 'nl-ams',
      secret_key: SECRET,
    })
    expect(problemKeys(error)).toEqual(['region'])
    expect(error.message).toContain(
      'region: the config key says "nl-ams", which differs from "fr-par" given by the location',
    )
  })

  it('refuses a project_id key that disagrees with the location', () => {
    const error = importerError({
      location: `scw-secret://fr-par/${PROJECT}`,
      project_id: OTHER_PROJECT,
      secret_key: SECRET,
    })
    expect(problemKeys(error)).toEqual(['project_id'])
    expect(error.message).toContain(
      `the config key says "${OTHER_PROJECT}", which differs from "${PROJECT}" given by the location`,
    )
  })

  it('stops at a disagreement: the environment is not consulted for that setting', () => {
    const error = importerError(
      { location: `scw-secret://fr-par/${PROJECT}`, project_id: OTHER_PROJECT, secret_key: SECRET },
      { env: { SCW_DEFAULT_PROJECT_ID: 'not-a-uuid' } },
    )
    expect(problemKeys(error)).toEqual(['project_id'])
    expect(error.message).not.toContain('SCW_DEFAULT_PROJECT_ID')
  })

  it('accepts agreeing values', () => {
    const config = importer({
      location: `scw-secret://fr-par/${PROJECT}`,
      region: 'fr-par',
      project_id: PROJECT.toUpperCase(),
      secret_key: SECRET,
    })
    expect(config).toMatchObject({ region: 'fr-par', projectId: PROJECT })
  })

  it('combines a region-only location with a project_id key', () => {
    const config = importer({
      location: 'scw-secret://pl-waw',
      project_id: PROJECT,
      secret_key: SECRET,
    })
    expect(config).toMatchObject({ region: 'pl-waw', projectId: PROJECT, folder: '/' })
  })
})

describe('normaliseSecretPath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['a', '/a'],
    ['/a/b/', '/a/b'],
    ['//a//b//', '/a/b'],
    ['/a.b/..c/', '/a.b/..c'],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseSecretPath(input)).toEqual({ ok: true, value: expected })
  })

  it.each(['/..', '/a/.', '..', '/a/\t/b'])('refuses %j', (input) => {
    expect(normaliseSecretPath(input).ok).toBe(false)
  })
})
