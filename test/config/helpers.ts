// Shared fixtures for the config tests: valid identifiers, throw-away home directories
// with an optional scw config file, and parse wrappers isolated from the real env/home.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { ConfigError } from '../../src/config/errors.js'
import {
  type ExporterConfig,
  type ImporterConfig,
  parseExporterConfig,
  parseImporterConfig,
} from '../../src/config/parse.js'
import type { ParseContext } from '../../src/config/sources.js'

export const PROJECT = '0b9c6e1e-2f6c-4a5e-9d7a-3c1f2e4d5a6b'
export const OTHER_PROJECT = '7d3e2c1b-0a9f-4e8d-b7c6-5a4b3c2d1e0f'
export const SECRET = '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b'
export const OTHER_SECRET = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
export const ACCESS = 'SCWABCDEFGHIJ0123456'
export const OTHER_ACCESS = 'SCW0123456789ABCDEFG'

export const LOCATION = `scw-secret://fr-par/${PROJECT}`

const homes: string[] = []

/** A fresh home directory; with `yaml`, it gets ~/.config/scw/config.yaml. */
export function tempHome(yaml?: string): string {
  const home = mkdtempSync(join(tmpdir(), 'scw-config-test-'))
  homes.push(home)
  if (yaml !== undefined) {
    mkdirSync(join(home, '.config', 'scw'), { recursive: true })
    writeFileSync(configPath(home), yaml)
  }
  return home
}

export function configPath(home: string): string {
  return join(home, '.config', 'scw', 'config.yaml')
}

export function removeHomes(): void {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true })
}

let emptyHome: string | undefined

/** Never the developer's real environment or ~/.config/scw. */
function isolated(context: ParseContext): ParseContext {
  emptyHome ??= tempHome()
  return { env: {}, homeDir: emptyHome, ...context }
}

export function importer(raw: Record<string, string>, context: ParseContext = {}): ImporterConfig {
  return parseImporterConfig(raw, isolated(context))
}

export function exporter(raw: Record<string, string>, context: ParseContext = {}): ExporterConfig {
  return parseExporterConfig(raw, isolated(context))
}

function caught(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError, but parsing succeeded')
}

export function importerError(
  raw: Record<string, string>,
  context: ParseContext = {},
): ConfigError {
  return caught(() => importer(raw, context))
}

export function exporterError(
  raw: Record<string, string>,
  context: ParseContext = {},
): ConfigError {
  return caught(() => exporter(raw, context))
}

export function problemKeys(error: ConfigError): string[] {
  return error.problems.map((problem) => problem.key)
}
