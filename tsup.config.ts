import { defineConfig } from 'tsup'

// One dependency-free ESM file per executable, so a plakar package needs nothing
// but `node` on the user's PATH.
export default defineConfig({
  entry: {
    importer: 'src/importer/main.ts',
    exporter: 'src/exporter/main.ts',
    emulator: 'src/emulator/cli.ts',
  },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  clean: true,
  minify: false,
  sourcemap: false,
  loader: { '.proto': 'text' },
  banner: {
    // Bundled CommonJS dependencies (grpc-js) call require(); give ESM one.
    js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
})
