#!/usr/bin/env bash
# Regenerates proto/generated/ (typed messages, codecs and generic service
# definitions) from proto/*.proto with ts-proto, through the buf binary
# that `npm ci` installs: no protoc needed. The output is committed.
#   scripts/gen-proto.sh [BASE]   writes BASE/proto/generated (BASE defaults to .)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-.}
rm -rf "$base/proto/generated"
PATH="$PWD/node_modules/.bin:$PATH" buf generate proto \
  --template scripts/proto/buf.gen.yaml --output "$base"
