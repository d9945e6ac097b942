// Public surface of the configuration module.
export { ConfigError } from './errors.js'
export {
  type CommonConfig,
  type ExporterConfig,
  type ImporterConfig,
  parseExporterConfig,
  parseImporterConfig,
} from './parse.js'
export type { ParseContext } from './sources.js'
