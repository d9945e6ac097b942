// The API's wording of a refused payload. The rules are the model's (src/core); the real
// API checks typed payloads against a JSON schema and reports the findings, one
// "- field: problem" line each, in a single `data`/`format` detail, e.g. the recorded
// "- invalid: Invalid type. Expected: string, given: object\n".

import {
  MAX_PAYLOAD_BYTES,
  MAX_PORT,
  type PayloadProblem,
  PORT_PATTERN,
  payloadProblems,
  type SecretType,
} from '../src/core/secret-manager.js'
import { type ApiError, invalidArgument } from './errors.js'

const line = (problem: PayloadProblem): string => {
  switch (problem.kind) {
    case 'empty':
      return '- (root): data is required'
    case 'too-large':
      return `- (root): data is ${problem.size} bytes`
    case 'not-json':
      return '- (root): Invalid JSON'
    case 'not-object':
      return `- (root): Invalid type. Expected: object, given: ${problem.given}`
    case 'missing-field':
      return `- (root): ${problem.field} is required`
    case 'extra-field':
      return `- (root): Additional property ${problem.key} is not allowed`
    case 'not-a-string':
      return `- ${problem.key}: Invalid type. Expected: string, given: ${problem.given}`
    case 'port-not-digits':
      return `- port: Does not match pattern '${PORT_PATTERN.source}'`
    case 'port-too-high':
      return `- port: Must be less than or equal to ${MAX_PORT}`
    case 'not-pem':
      return '- (root): data must be one or more concatenated PEM blocks'
  }
}

/** The 400 the API answers for `data` in a secret of `type`, or undefined when it fits. */
export const payloadRefusal = (type: SecretType, data: Buffer): ApiError | undefined => {
  const problems = payloadProblems(type, data)
  const [first] = problems
  if (first === undefined) return undefined
  if (first.kind === 'empty') return invalidArgument('data', 'required', 'data is required')
  if (first.kind === 'too-large') {
    return invalidArgument('data', 'constraint', `data must be at most ${MAX_PAYLOAD_BYTES} bytes`)
  }
  return invalidArgument('data', 'format', problems.map((p) => `${line(p)}\n`).join(''))
}
