// The raw map, key by key: each known key through its field schema (so that one bad key
// does not hide the others' problems), and every unknown key named, with a typo hint.
import type { z } from 'zod'
import { didYouMean } from './distance.js'
import {
  type ConfigProblem,
  type Connector,
  mayBeCredential,
  PLAKAR_OBJECT,
  refusal,
  showKey,
} from './errors.js'
import { COMMON_SHAPE, EXPORTER_SHAPE, IMPORTER_SHAPE, optionInfo } from './options.js'

/**
 * Runs each key of `schema` on its own; the result equals `schema.safeParse(raw)`'s: the
 * typed values of the keys that passed (defaults included), the keys that failed, and why.
 */
export function parseKeys<S extends z.ZodObject>(
  schema: S,
  raw: Readonly<Record<string, unknown>>,
  connector: Connector,
) {
  const values: Record<string, unknown> = {}
  const failed = new Set<string>()
  const problems: ConfigProblem[] = []
  for (const [key, field] of Object.entries(schema.shape)) {
    const received = Object.hasOwn(raw, key) ? { value: raw[key] } : undefined
    const result = (field as z.ZodType).safeParse(received?.value)
    if (result.success) {
      values[key] = result.data
    } else {
      failed.add(key)
      problems.push(refusal(key, optionInfo.get(field)?.allowed, result.error.issues, received))
    }
  }
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(schema.shape, key)) problems.push(unknownKey(key, connector))
  }
  return { values: values as Partial<z.output<S>>, failed: failed as ReadonlySet<string>, problems }
}

export type Stage<S extends z.ZodObject> = ReturnType<typeof parseKeys<S>>

const OWN_KEYS: Readonly<Record<Connector, readonly string[]>> = {
  importer: Object.keys(IMPORTER_SHAPE),
  exporter: Object.keys(EXPORTER_SHAPE),
}

const OTHER: Record<Connector, Connector> = { importer: 'exporter', exporter: 'importer' }

function unknownKey(key: string, connector: Connector): ConfigProblem {
  if (mayBeCredential(key)) {
    const text = '(hidden key): unknown key whose name looks like a secret key; remove it.'
    return { key: '(hidden key)', text }
  }
  const foreign = OWN_KEYS[OTHER[connector]]
  const where = `an ${OTHER[connector]} option`
  if (foreign.includes(key)) {
    return {
      key,
      text:
        `${showKey(key)}: this is ${where}; the ${connector} does not take it. ` +
        `Remove it from the plakar ${PLAKAR_OBJECT[connector]} configuration.`,
    }
  }
  const known = [...Object.keys(COMMON_SHAPE), ...OWN_KEYS[connector]]
  const guess = didYouMean(key, [...known, ...foreign])
  let hint = `. Known keys: ${known.join(', ')}.`
  if (guess !== undefined) hint = `; did you mean \`${guess}\`?`
  if (guess !== undefined && foreign.includes(guess)) hint += ` That is ${where}, though.`
  return { key, text: `${showKey(key)}: unknown key${hint}` }
}
