#!/usr/bin/env bash
# Puts plakar v1.1.4 at .cache/bin/plakar (or reuses `plakar` from PATH if it is
# that version). Built from source with Go, cached across runs in Go's module and
# build caches; never committed.
#
# plakar v1.1.4 imports go.omarpolo.com/ttlmap, whose module host the Go proxy here
# refuses, so tools/plakar builds it with a local stand-in for that one package.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=v1.1.4
OUT=.cache/bin/plakar

if command -v plakar >/dev/null 2>&1 && plakar version 2>/dev/null | grep -q "plakar/$VERSION"; then
  mkdir -p .cache/bin
  ln -sf "$(command -v plakar)" "$OUT"
  echo "install-plakar: using $(command -v plakar)" >&2
  exit 0
fi
if [ -x "$OUT" ] && "$OUT" version 2>/dev/null | grep -q "plakar/$VERSION"; then
  echo "install-plakar: cached $OUT" >&2
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-plakar: neither plakar $VERSION nor Go is installed; cannot build plakar" >&2
  exit 1
fi
echo "install-plakar: building plakar $VERSION with $(go version) (first build takes minutes)" >&2
mkdir -p .cache/bin
(cd tools/plakar && GOFLAGS="-mod=mod -buildvcs=false" go build -o "../../$OUT" github.com/PlakarKorp/plakar)
"$OUT" version >&2
