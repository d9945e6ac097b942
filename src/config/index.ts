// Public surface of the configuration module.
export { ConfigError } from './errors.js'
export * from './parse.js'
export type { ParseContext } from './sources.js'
