// Replays the recorded Scaleway traffic (go-vcr v2 cassettes) against an emulator and lists
// every difference: status codes, key order, value types, enum values and, through two
// bijections, the identity of ids and timestamps (the same recorded id or time must always
// map to the same emulator value and vice versa, so "unprotect keeps updated_at" or "DELETE
// sets updated_at = deletion_requested_at" are checked too).

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import type { Emulator, SeedSecret } from '../../emulator/index.js'
import { UUID_TEXT } from '../../src/core/secret-manager.js'

// Copies kept in the repository, with their provenance and licence (MPL-2.0) beside them.
const CASSETTE_DIR = fileURLToPath(new URL('../fixtures/scaleway-recorded/', import.meta.url))

interface Interaction {
  id: number
  request: {
    method: string
    url: string
    body?: string
    form?: Record<string, string[]>
    headers?: Record<string, string[]>
  }
  response: { code: number; body: string }
}

export interface Cassette {
  name: string
  interactions: Interaction[]
}

export const loadCassettes = (): Cassette[] =>
  readdirSync(CASSETTE_DIR)
    .filter((f) => f.endsWith('.cassette.yaml'))
    .sort()
    .map((f) => ({
      name: f.replace('.cassette.yaml', ''),
      interactions: (
        parse(readFileSync(join(CASSETTE_DIR, f), 'utf8')) as { interactions: Interaction[] }
      ).interactions,
    }))

// Lower case only: the API and the emulator both print ids in lower case.
const UUID = new RegExp(UUID_TEXT, 'g')
const IS_UUID = new RegExp(`^${UUID_TEXT}$`)
const IS_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/

class Bijection {
  readonly forward = new Map<string, string>()
  private readonly backward = new Map<string, string>()

  /** Undefined when consistent, else a description of the clash. */
  relate(recorded: string, actual: string): string | undefined {
    const known = this.forward.get(recorded)
    const knownBack = this.backward.get(actual)
    if (known === undefined && knownBack === undefined) {
      this.forward.set(recorded, actual)
      this.backward.set(actual, recorded)
      return undefined
    }
    if (known === actual && knownBack === recorded) return undefined
    return `recorded ${recorded} -> ${actual}, but earlier ${recorded} -> ${known} / ${knownBack} -> ${actual}`
  }
}

interface Maps {
  ids: Bijection
  times: Bijection
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

const kind = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

const compareStrings = (recorded: string, actual: string, at: string, maps: Maps): string[] => {
  if (IS_UUID.test(recorded)) {
    const clash = IS_UUID.test(actual) ? maps.ids.relate(recorded, actual) : `not a uuid: ${actual}`
    return clash ? [`${at}: id ${clash}`] : []
  }
  if (IS_TIMESTAMP.test(recorded)) {
    if (!IS_TIMESTAMP.test(actual)) return [`${at}: bad timestamp ${actual}`]
    const clash = maps.times.relate(recorded, actual)
    return clash ? [`${at}: time ${clash}`] : []
  }
  return recorded === actual
    ? []
    : [`${at}: expected ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`]
}

const compareJson = (recorded: Json, actual: Json, at: string, maps: Maps): string[] => {
  if (kind(recorded) !== kind(actual))
    return [`${at}: expected ${kind(recorded)}, got ${kind(actual)}`]
  if (typeof recorded === 'string') return compareStrings(recorded, actual as string, at, maps)
  if (Array.isArray(recorded)) {
    const list = actual as Json[]
    if (list.length !== recorded.length) {
      return [`${at}: expected ${recorded.length} items, got ${list.length}`]
    }
    return recorded.flatMap((item, i) => compareJson(item, list[i] as Json, `${at}[${i}]`, maps))
  }
  if (recorded !== null && typeof recorded === 'object') {
    const object = actual as { [key: string]: Json }
    const keys = Object.keys(recorded).join(',')
    const actualKeys = Object.keys(object).join(',')
    if (keys !== actualKeys) return [`${at}: keys ${actualKeys} instead of ${keys}`]
    return Object.entries(recorded).flatMap(([k, v]) =>
      compareJson(v, object[k] as Json, `${at}.${k}`, maps),
    )
  }
  return recorded === actual ? [] : [`${at}: expected ${String(recorded)}, got ${String(actual)}`]
}

interface RecordedSecret {
  id: string
  project_id: string
  name: string
  path: string
  type: SeedSecret['type']
  tags: string[]
  description: string
  protected: boolean
  managed: boolean
  used_by: NonNullable<SeedSecret['used_by']>
  version_count: number
}

/**
 * Secrets that were in the recorded project before the test ran (they show up in list
 * answers but no request created them). They are seeded so lists match item for item.
 */
const foreignSecrets = (cassette: Cassette): RecordedSecret[] => {
  const created = new Set<string>()
  const foreign = new Map<string, RecordedSecret>()
  for (const { request, response } of cassette.interactions) {
    if (response.body === '') continue
    const body = JSON.parse(response.body) as { id?: string; secrets?: RecordedSecret[] }
    if (
      request.method === 'POST' &&
      new URL(request.url).pathname.endsWith('/secrets') &&
      body.id
    ) {
      created.add(body.id)
    }
    for (const s of body.secrets ?? []) if (!created.has(s.id)) foreign.set(s.id, s)
  }
  return [...foreign.values()]
}

const seedForeign = (emu: Emulator, cassette: Cassette, maps: Maps): void => {
  for (const s of foreignSecrets(cassette)) {
    const seeded = emu.store.addSecret(s.project_id, {
      name: s.name,
      path: s.path,
      type: s.type,
      tags: s.tags,
      description: s.description,
      protected: s.protected,
      managed: s.managed,
      used_by: s.used_by,
      versions: Array.from({ length: s.version_count }, () => ({ data_utf8: 'seeded' })),
    })
    maps.ids.relate(s.id, seeded.id)
  }
}

const rewrite = (text: string, maps: Maps): string =>
  text.replace(UUID, (id) => maps.ids.forward.get(id) ?? id)

const requestUrl = (emu: Emulator, request: Interaction['request'], maps: Maps): string => {
  const url = new URL(request.url)
  const query = new URLSearchParams()
  const form =
    request.form ??
    Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)]))
  for (const [key, values] of Object.entries(form)) for (const v of values) query.append(key, v)
  const search = query.size > 0 ? `?${query.toString()}` : ''
  return rewrite(`${emu.url}${url.pathname}${search}`, maps)
}

const TOKEN = '00000000-1111-4222-8333-444444444444'

const replayOne = async (emu: Emulator, it: Interaction, maps: Maps): Promise<string[]> => {
  const { request, response } = it
  const at = `#${it.id} ${request.method} ${new URL(request.url).pathname}`
  const res = await fetch(requestUrl(emu, request, maps), {
    method: request.method,
    headers: {
      'X-Auth-Token': TOKEN,
      ...(request.body ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(request.body ? { body: rewrite(request.body, maps) } : {}),
  })
  const text = await res.text()
  const problems: string[] = []
  if (res.status !== response.code)
    problems.push(`${at}: status ${res.status}, recorded ${response.code}: ${text}`)
  if (res.headers.get('content-type') !== 'application/json')
    problems.push(`${at}: content-type ${res.headers.get('content-type')}`)
  if (!IS_UUID.test(res.headers.get('x-request-id') ?? '')) problems.push(`${at}: no X-Request-Id`)
  if (response.body === '' || text === '') {
    if (response.body !== text)
      problems.push(
        `${at}: body ${JSON.stringify(text)}, recorded ${JSON.stringify(response.body)}`,
      )
    return problems
  }
  return [
    ...problems,
    ...compareJson(JSON.parse(response.body) as Json, JSON.parse(text) as Json, at, maps),
  ]
}

/** Every difference between the recording and the emulator's answers, in order. */
export const replay = async (emu: Emulator, cassette: Cassette): Promise<string[]> => {
  const maps: Maps = { ids: new Bijection(), times: new Bijection() }
  seedForeign(emu, cassette, maps)
  const problems: string[] = []
  for (const it of cassette.interactions) problems.push(...(await replayOne(emu, it, maps)))
  return problems
}
