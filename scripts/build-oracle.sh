#!/usr/bin/env bash
# Builds the template oracle (test/oracle: Go's text/template with the consul-template
# that Vault pins) into .cache/oracle/oracle, only when its sources, go.mod/go.sum or the
# Go version changed. Prints the binary's path. Needs Go >= 1.26 on PATH and the Go module
# proxy (first build only); caches stay in .cache/oracle so a second run is instant.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/test/oracle"
out="$root/.cache/oracle"
if ! command -v go >/dev/null 2>&1; then
  echo "build-oracle: Go is not installed (need Go >= 1.26 on PATH to build test/oracle)" >&2
  exit 3
fi
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
export GOMODCACHE="$out/gomod" GOCACHE="$out/gocache"
go_version="$(go env GOVERSION)"
case "$go_version" in
  go1.2[6-9]*|go1.[3-9][0-9]*) ;;
  *) echo "build-oracle: need Go >= 1.26 (Vault 2.0 is built with it), found $go_version" >&2; exit 3 ;;
esac
stamp="$( { echo "$go_version"; cat "$src/go.mod" "$src/go.sum" "$src"/*.go; } | sha256sum | cut -d' ' -f1)"
if [[ -x "$out/oracle" && -f "$out/stamp" && "$(cat "$out/stamp")" == "$stamp" ]]; then
  echo "$out/oracle"
  exit 0
fi
mkdir -p "$out"
start=$(date +%s)
(cd "$src" && nice -n 10 go build -trimpath -o "$out/oracle.tmp" .) >&2
mv "$out/oracle.tmp" "$out/oracle"
echo "$stamp" > "$out/stamp"
echo "build-oracle: built $out/oracle with $go_version in $(( $(date +%s) - start ))s" >&2
echo "$out/oracle"
