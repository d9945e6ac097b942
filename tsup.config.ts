import { defineConfig, type Options } from 'tsup'

// One dependency-free ESM file per executable. Plakar starts bin/importer and
// bin/exporter, POSIX sh launchers that check Node.js and carry the Node flags; the
// bundles keep a plain #! line so they can still be run by hand.
const REQUIRE_SHIM =
  // Bundled CommonJS dependencies (yaml) call require(); give ESM one.
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"

function executable(name: string, entry: string): Options {
  return {
    entry: { [name]: entry },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    bundle: true,
    noExternal: [/.*/],
    splitting: false,
    clean: false,
    minify: false,
    sourcemap: false,
    banner: { js: `#!/usr/bin/env node\n${REQUIRE_SHIM}` },
  }
}

export default defineConfig([
  // Node flags (the importer's heap cap) live in bin/importer and bin/exporter.
  executable('importer', 'src/importer/main.ts'),
  executable('exporter', 'src/exporter/main.ts'),
  executable('emulator', 'emulator/cli.ts'),
])
