// Payload rules of the typed secrets. The real API checks typed payloads against a JSON
// schema and reports the findings, one "- field: problem" line each, in a single
// `data`/`format` detail; a recorded nested value came back as
// "- invalid: Invalid type. Expected: string, given: object\n". That message says values
// must be strings (a schema allowing other scalars would list them), so that is the rule here.

import type { SecretType } from './types.js'

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

const FIELDS: Partial<Record<SecretType, readonly string[]>> = {
  basic_credentials: ['username', 'password'],
  database_credentials: ['engine', 'username', 'password', 'host', 'dbname', 'port'],
  ssh_key: ['ssh_private_key'],
}

const jsonTypeName = (value: Json): string => {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

const parseJson = (data: Buffer): { value: Json } | undefined => {
  try {
    return { value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)) as Json }
  } catch {
    return undefined
  }
}

const stringValueProblems = (object: { [key: string]: Json }): string[] =>
  Object.entries(object)
    .filter(([, value]) => typeof value !== 'string')
    .map(
      ([key, value]) => `- ${key}: Invalid type. Expected: string, given: ${jsonTypeName(value)}`,
    )

const fixedFieldProblems = (
  object: { [key: string]: Json },
  fields: readonly string[],
): string[] => {
  const missing = fields.filter((f) => !(f in object)).map((f) => `- (root): ${f} is required`)
  const extra = Object.keys(object)
    .filter((k) => !fields.includes(k))
    .map((k) => `- (root): Additional property ${k} is not allowed`)
  return [...missing, ...extra]
}

const portProblems = (object: { [key: string]: Json }): string[] => {
  const port = object.port
  if (typeof port !== 'string') return []
  if (!/^[0-9]+$/.test(port)) return ["- port: Does not match pattern '^[0-9]+$'"]
  return Number(port) > 65535 ? ['- port: Must be less than or equal to 65535'] : []
}

const jsonObjectProblems = (type: SecretType, data: Buffer): string[] => {
  const parsed = parseJson(data)
  if (!parsed) return ['- (root): Invalid JSON']
  const { value } = parsed
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`- (root): Invalid type. Expected: object, given: ${jsonTypeName(value)}`]
  }
  const fields = FIELDS[type]
  const problems = fields ? fixedFieldProblems(value, fields) : []
  problems.push(...stringValueProblems(value))
  if (type === 'database_credentials') problems.push(...portProblems(value))
  return problems
}

const PEM_BLOCK =
  /-----BEGIN ([A-Z0-9 ]+)-----\r?\n((?:[A-Za-z0-9+/=]+\r?\n|[A-Za-z-]+: [^\r\n]*\r?\n|\r?\n)*)-----END \1-----/g

const certificateProblems = (data: Buffer): string[] => {
  const text = data.toString('utf8')
  const blocks = [...text.matchAll(PEM_BLOCK)]
  const rest = text.replace(PEM_BLOCK, '').trim()
  if (blocks.length === 0 || rest.length > 0) {
    return ['- (root): data must be one or more concatenated PEM blocks']
  }
  return []
}

/** Help lines explaining why `data` does not fit `type`; empty when it fits. */
export const payloadProblems = (type: SecretType, data: Buffer): string[] => {
  switch (type) {
    case 'unknown_type':
    case 'opaque':
      return []
    case 'certificate':
      return certificateProblems(data)
    default:
      return jsonObjectProblems(type, data)
  }
}

export const formatProblems = (problems: string[]): string =>
  problems.map((line) => `${line}\n`).join('')
