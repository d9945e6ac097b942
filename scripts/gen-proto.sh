#!/usr/bin/env bash
# Regenerates src/plugin/generated/ (typed messages, codecs and grpc-js service
# definitions) from src/plugin/proto/*.proto with ts-proto, through the buf binary
# that `npm ci` installs: no protoc needed. The output is committed.
#   scripts/gen-proto.sh [BASE]   writes BASE/src/plugin/generated (BASE defaults to .)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-.}
rm -rf "$base/src/plugin/generated"
PATH="$PWD/node_modules/.bin:$PATH" buf generate src/plugin/proto \
  --template scripts/proto/buf.gen.yaml --output "$base"
