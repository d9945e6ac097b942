// Runs a raw-map schema over what Plakar passed and turns zod's issues into problems.
// When some keys fail, the others are still parsed (with the same field schemas) so
// that resolution can report its own problems too and the user sees the full list.
import { z } from 'zod'
import { didYouMean } from './distance.js'
import {
  type ConfigProblem,
  type Connector,
  invalidValue,
  issueReason,
  mayBeCredential,
  PLAKAR_OBJECT,
  showKey,
} from './errors.js'
import { COMMON_KEYS, EXPORTER_ONLY_KEYS, IMPORTER_ONLY_KEYS, optionInfo } from './options.js'

/** Stands in for an unknown key name that may itself be a pasted secret key. */
const HIDDEN_KEY = '(hidden key)'

export interface Stage<S extends z.ZodObject> {
  /** Present only when every key passed. */
  readonly data?: z.output<S>
  /** Typed values of the keys that passed (defaults included). */
  readonly values: Partial<z.output<S>>
  readonly failed: ReadonlySet<string>
  /** Keys present in the raw map, for provenance of options ('config' vs 'default'). */
  readonly given: ReadonlySet<string>
  readonly problems: ConfigProblem[]
}

const other = (connector: Connector): Connector =>
  connector === 'importer' ? 'exporter' : 'importer'

const keysOf = (connector: Connector): readonly string[] => [
  ...COMMON_KEYS,
  ...(connector === 'importer' ? IMPORTER_ONLY_KEYS : EXPORTER_ONLY_KEYS),
]

function foreignKey(key: string, connector: Connector): ConfigProblem {
  return {
    key,
    text:
      `${showKey(key)}: this is an ${other(connector)} option; the ${connector} does not take ` +
      `it. Remove it from the plakar ${PLAKAR_OBJECT[connector]} configuration.`,
  }
}

function unknownKey(key: string, connector: Connector): ConfigProblem {
  if (mayBeCredential(key)) {
    return {
      key: HIDDEN_KEY,
      text: `${HIDDEN_KEY}: unknown key whose name looks like a secret key; remove it.`,
    }
  }
  const foreign = connector === 'importer' ? EXPORTER_ONLY_KEYS : IMPORTER_ONLY_KEYS
  if (foreign.includes(key)) return foreignKey(key, connector)
  const known = keysOf(connector)
  const guess = didYouMean(key, [...known, ...foreign])
  let hint = `. Known keys: ${known.join(', ')}.`
  if (guess !== undefined && known.includes(guess)) hint = `; did you mean \`${guess}\`?`
  if (guess !== undefined && !known.includes(guess)) {
    hint = `; did you mean \`${guess}\`? That is an ${other(connector)} option, though.`
  }
  return { key, text: `${showKey(key)}: unknown key${hint}` }
}

function issueProblems(
  shape: z.core.$ZodShape,
  issues: readonly z.core.$ZodIssue[],
  raw: Readonly<Record<string, unknown>>,
  connector: Connector,
): { problems: ConfigProblem[]; failed: Set<string> } {
  const problems: ConfigProblem[] = []
  const failed = new Set<string>()
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(unknownKey(key, connector))
      continue
    }
    const key = String(issue.path[0] ?? 'config')
    if (failed.has(key)) continue
    failed.add(key)
    const field = shape[key]
    const info = field === undefined ? undefined : optionInfo.get(field)
    const present = Object.hasOwn(raw, key)
    problems.push(
      invalidValue({
        key,
        reason: issueReason(issue, present),
        received: present ? { value: raw[key] } : undefined,
        secret: info?.secret ?? false,
        allowed: info?.allowed,
      }),
    )
  }
  return { problems, failed }
}

function salvage(
  shape: z.core.$ZodShape,
  raw: Readonly<Record<string, unknown>>,
  failed: ReadonlySet<string>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(shape)) {
    if (failed.has(key)) continue
    const result = z.safeParse(field, Object.hasOwn(raw, key) ? raw[key] : undefined)
    if (result.success) values[key] = result.data
  }
  return values
}

export function runRawSchema<S extends z.ZodObject>(
  schema: S,
  raw: Readonly<Record<string, unknown>>,
  connector: Connector,
): Stage<S> {
  const given = new Set(Object.keys(raw))
  const result = schema.safeParse(raw)
  if (result.success) {
    return { data: result.data, values: result.data, failed: new Set(), given, problems: [] }
  }
  const { problems, failed } = issueProblems(schema.shape, result.error.issues, raw, connector)
  const values = salvage(schema.shape, raw, failed) as Partial<z.output<S>>
  return { values, failed, given, problems }
}
