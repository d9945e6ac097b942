import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { renderConfigTable } from '../../scripts/lib/config-docs.js'

it('keeps the README configuration table in step with the schema', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const block = readme
    .split('<!-- config-table:start -->\n')[1]
    ?.split('\n<!-- config-table:end -->')[0]
  expect(block?.trim()).toBe(renderConfigTable().trim())
})
