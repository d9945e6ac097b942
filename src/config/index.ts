// Public surface of the configuration module.
export { ConfigError, type ConfigProblem, type Connector } from './errors.js'
export { CONFLICT_POLICIES, ENVIRONMENT_ALIASES, SECRET_TYPES } from './fields.js'
export { NameGlob } from './glob.js'
export { type ParsedLocation, PROTOCOL, parseLocation } from './location.js'
export {
  type ExporterRaw,
  exporterRawSchema,
  type ImporterRaw,
  importerRawSchema,
} from './options.js'
export { parseExporterConfig, parseImporterConfig } from './parse.js'
export { normaliseSecretPath } from './paths.js'
export { Redacted } from './redacted.js'
export type {
  CommonConfig,
  ConflictPolicy,
  ExporterConfig,
  ImporterConfig,
  ParseContext,
  Provenance,
  ProvenanceKey,
  SecretTypeFilter,
  Source,
} from './types.js'
