// Option reference for the README, derived from the raw-map schemas so it cannot drift.
import { z } from 'zod'
import {
  COMMON_SHAPE,
  EXPORTER_SHAPE,
  exporterRawSchema,
  IMPORTER_SHAPE,
  importerRawSchema,
  optionInfo,
} from './options.js'

export interface OptionDoc {
  readonly key: string
  readonly connector: 'both' | 'importer' | 'exporter'
  readonly description: string
  /** The allowed values, as a phrase. */
  readonly allowed: string
  /** The raw string default, when the key has one. */
  readonly default?: string
  /** Must be present in the raw map (only `location`, which Plakar always passes). */
  readonly required: boolean
}

const REQUIRED = new Set([
  ...(z.toJSONSchema(importerRawSchema, { io: 'input' }).required ?? []),
  ...(z.toJSONSchema(exporterRawSchema, { io: 'input' }).required ?? []),
])

function docsOf(shape: z.core.$ZodShape, connector: OptionDoc['connector']): OptionDoc[] {
  return Object.entries(shape).map(([key, field]) => {
    const json = z.toJSONSchema(field, { io: 'input' })
    const fallback = typeof json.default === 'string' ? { default: json.default } : {}
    return {
      key,
      connector,
      description: json.description ?? '',
      allowed: optionInfo.get(field)?.allowed ?? '',
      required: REQUIRED.has(key),
      ...fallback,
    }
  })
}

export const OPTION_DOCS: readonly OptionDoc[] = [
  ...docsOf(COMMON_SHAPE, 'both'),
  ...docsOf(IMPORTER_SHAPE, 'importer'),
  ...docsOf(EXPORTER_SHAPE, 'exporter'),
]

const cell = (text: string): string => text.replaceAll('|', '\\|')

function defaultCell(doc: OptionDoc): string {
  if (doc.required) return 'required'
  if (doc.default === undefined) return '—'
  return doc.default === '' ? '(empty)' : `\`${doc.default}\``
}

/** The README's configuration table, as GitHub Markdown. */
export function renderConfigTable(): string {
  const header = [
    '| Key | Used by | Default | Allowed | Description |',
    '| --- | --- | --- | --- | --- |',
  ]
  const rows = OPTION_DOCS.map((doc) =>
    [
      `\`${doc.key}\``,
      doc.connector,
      defaultCell(doc),
      cell(doc.allowed),
      cell(doc.description),
    ].join(' | '),
  )
  return [...header, ...rows.map((row) => `| ${row} |`)].join('\n')
}
