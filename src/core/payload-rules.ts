// The API's payload rules, checked before a restore writes anything, so a secret whose
// snapshot content the API would refuse fails whole instead of half-written.
import type { SecretType } from '../scaleway/api.js'

export const MAX_PAYLOAD_BYTES = 64 * 1024

const REQUIRED_FIELDS: Partial<Record<SecretType, string[]>> = {
  basic_credentials: ['username', 'password'],
  database_credentials: ['engine', 'username', 'password', 'host', 'dbname', 'port'],
  ssh_key: ['ssh_private_key'],
}

const PEM_BLOCKS = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+?-----END [A-Z0-9 ]+-----/g

function flatJson(bytes: Uint8Array): Record<string, unknown> | string {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    return 'is not JSON'
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'is not a JSON object'
  }
  // Key names are the user's data: say where, not what.
  const fields = Object.values(value)
  const nested = fields.findIndex((field) => field !== null && typeof field === 'object')
  if (nested >= 0) return `has a nested value (field ${nested + 1} of ${fields.length})`
  return value as Record<string, unknown>
}

/** Why the API would refuse this payload for a secret of this type, or undefined. */
export function payloadProblem(type: SecretType, bytes: Uint8Array): string | undefined {
  if (bytes.length > MAX_PAYLOAD_BYTES) {
    return `payload is ${bytes.length} bytes; Secret Manager accepts at most ${MAX_PAYLOAD_BYTES}`
  }
  if (type === 'opaque' || type === 'unknown_type') return undefined
  if (type === 'certificate') {
    const text = Buffer.from(bytes).toString('utf8')
    const blocks = text.match(PEM_BLOCKS) ?? []
    const rest = text.replace(PEM_BLOCKS, '').trim()
    return blocks.length > 0 && rest === ''
      ? undefined
      : 'a certificate payload is not a list of PEM blocks'
  }
  const json = flatJson(bytes)
  if (typeof json === 'string') return `a ${type} payload ${json}`
  for (const field of REQUIRED_FIELDS[type] ?? []) {
    if (!(field in json)) return `a ${type} payload lacks "${field}"`
  }
  if (type === 'database_credentials' && !/^[0-9]*$/.test(String(json.port))) {
    return 'a database_credentials port must be digits only'
  }
  return undefined
}

/** A payload every type accepts, used to fill revision gaps. */
export function placeholderPayload(type: SecretType): Buffer {
  const text = (() => {
    switch (type) {
      case 'certificate':
        return '-----BEGIN CERTIFICATE-----\ncGxhY2Vob2xkZXI=\n-----END CERTIFICATE-----\n'
      case 'key_value':
        return '{"placeholder":"revision gap"}'
      case 'basic_credentials':
        return '{"username":"placeholder","password":"placeholder"}'
      case 'database_credentials':
        return '{"engine":"placeholder","username":"placeholder","password":"placeholder","host":"placeholder","dbname":"placeholder","port":"0"}'
      case 'ssh_key':
        return '{"ssh_private_key":"placeholder"}'
      default:
        return 'placeholder'
    }
  })()
  return Buffer.from(text, 'utf8')
}
