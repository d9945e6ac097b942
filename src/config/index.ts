// Public surface of the configuration module.
export { ConfigError } from './errors.js'
export { parseExporterConfig, parseImporterConfig } from './parse.js'
export type { ExporterConfig, ImporterConfig, ParseContext } from './types.js'
