import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Child processes and the emulator share 2 cores; keep files in separate forks.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
})
