import { defineConfig, type Plugin } from 'vitest/config'

// The plugin embeds its .proto files as text (tsup's text loader); do the same here.
const protoAsText: Plugin = {
  name: 'proto-as-text',
  transform(code, id) {
    if (id.endsWith('.proto')) return { code: `export default ${JSON.stringify(code)}`, map: null }
    return undefined
  },
}

export default defineConfig({
  plugins: [protoAsText],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
})
