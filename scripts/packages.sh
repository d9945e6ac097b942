#!/bin/sh
# Writes one plakar package per platform, scw-secret-manager_<version>_<os>_<arch>.ptar.
# The bundles are plain JavaScript and the launchers POSIX sh, so the packages hold the
# same files; `plakar pkg add` checks the name against the host's OS and CPU, and
# `plakar pkg create` names the file after GOOS and GOARCH.
# Usage: scripts/packages.sh VERSION [OUT_DIR]   (PLAKAR: the plakar binary to use)
set -eu
usage='usage: scripts/packages.sh VERSION [OUT_DIR]'
version=${1:?$usage}
out=$(cd "${2:-.}" && pwd)
cd "$(dirname "$0")/.."
plakar=${PLAKAR:-$PWD/.cache/bin/plakar}

PLATFORMS='linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 freebsd_amd64 openbsd_amd64'

for platform in $PLATFORMS; do
  file="$out/scw-secret-manager_${version}_${platform}.ptar"
  rm -f "$file"
  GOOS=${platform%_*} GOARCH=${platform#*_} "$plakar" pkg create -out "$file" ./manifest.yaml "$version" >/dev/null
  echo "$file"
done
