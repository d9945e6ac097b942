import { afterAll, describe, expect, it } from 'vitest'
import { didYouMean } from '../../src/config/distance.js'
import {
  exporterError,
  importer,
  importerError,
  LOCATION,
  problemKeys,
  removeHomes,
  SECRET,
} from './helpers.js'

afterAll(removeHomes)

const base = { location: LOCATION, secret_key: SECRET }

describe('didYouMean', () => {
  const known = ['concurrency', 'max_retries', 'region', 'project_id', 'tags', 'type']
  it.each([
    ['concurency', 'concurrency'],
    ['Concurrency', 'concurrency'],
    ['maxRetries', 'max_retries'],
    ['max-retries', 'max_retries'],
    ['SCW_DEFAULT_REGION', 'region'],
    ['default_project_id', 'project_id'],
    ['tag', 'tags'],
    ['conucrrency', 'concurrency'],
    ['regoin', 'region'],
    ['porject_id', 'project_id'],
  ])('%j -> %j', (typo, expected) => {
    expect(didYouMean(typo, known)).toBe(expected)
  })

  it('stays quiet when nothing is close', () => {
    expect(didYouMean('hostname', known)).toBeUndefined()
    expect(didYouMean('zzzzzzzzzzzz', known)).toBeUndefined()
  })
})

describe('unknown keys', () => {
  it('suggests the closest key', () => {
    const error = importerError({ ...base, concurency: '4' })
    expect(problemKeys(error)).toEqual(['concurency'])
    expect(error.message).toContain('`concurency`: unknown key; did you mean `concurrency`?')
  })

  it('lists the known keys when nothing is close', () => {
    const error = importerError({ ...base, hostname: 'x' })
    expect(error.message).toContain('`hostname`: unknown key. Known keys: location, region,')
    expect(error.message).toContain('read_disabled.')
    expect(error.message).not.toContain('on_conflict')
  })

  it('never shows the value of an unknown key (it may be a misplaced secret)', () => {
    const error = importerError({ ...base, secretkey: 'CANARY-unknown-value' })
    expect(error.message).toContain('did you mean `secret_key`?')
    expect(error.message).not.toContain('CANARY')
  })

  it('quotes odd key names', () => {
    const error = importerError({ ...base, 'a b\nc': '1' })
    expect(error.message).toContain('"a b\\nc": unknown key')
  })

  it('accepts location and nothing else unasked', () => {
    expect(() => importer(base)).not.toThrow()
    expect(problemKeys(importerError({ ...base, type: 'opaque', kind: 'x' }))).toEqual(['kind'])
  })
})

describe('keys of the other connector', () => {
  it.each(['include_managed', 'include_deleted_metadata', 'read_disabled', 'tags', 'name', 'type'])(
    'the exporter calls %s an importer option',
    (key) => {
      const error = exporterError({ ...base, [key]: 'x' })
      expect(problemKeys(error)).toEqual([key])
      expect(error.message).toContain(
        `\`${key}\`: this is an importer option; the exporter does not take it.`,
      )
      expect(error.message).toContain('plakar destination configuration')
    },
  )

  it.each(['on_conflict', 'dry_run', 'update_metadata', 'preserve_revisions', 'path', 'key_id'])(
    'the importer calls %s an exporter option',
    (key) => {
      const error = importerError({ ...base, [key]: 'x' })
      expect(problemKeys(error)).toEqual([key])
      expect(error.message).toContain(
        `\`${key}\`: this is an exporter option; the importer does not take it.`,
      )
    },
  )

  it('points a typo of the other connector option at that option', () => {
    const error = importerError({ ...base, dryrun: 'true' })
    expect(error.message).toContain('did you mean `dry_run`? That is an exporter option')
  })
})
