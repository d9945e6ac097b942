// Kept only for src/importer/readahead.ts (another change owns that file); the limit lives in
// the model of Secret Manager. Delete once readahead imports it from there.
export { MAX_PAYLOAD_BYTES } from './secret-manager.js'
