#!/usr/bin/env bash
# Builds the real control plane for the end-to-end tier (issue 14): kube-apiserver,
# kube-controller-manager and etcd from test/real/controlplane/go.mod, into
# .cache/controlplane/bin. Idempotent: it builds only when a binary is missing or the
# go.mod/go.sum (or this script) it was built from changed, so a second run costs nothing.
# The Go caches live under .cache/controlplane too, so a rebuild reuses compiled packages.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
module="$root/test/real/controlplane"
cache="$root/.cache/controlplane"
bin="$cache/bin"
stamp="$bin/.built-from"

export GOTOOLCHAIN=local
export GOMODCACHE="$cache/gomod"
export GOCACHE="$cache/gocache"
export GOFLAGS="-mod=readonly -buildvcs=false"
export CGO_ENABLED=0

want="$(cat "$module/go.mod" "$module/go.sum" "$0" | sha256sum | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
if [[ "$want" == "$have" && -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" && -x "$bin/etcd" ]]; then
  echo "setup-controlplane: up to date in $bin"
  exit 0
fi

command -v go >/dev/null || { echo "setup-controlplane: go (>= 1.25) is required on PATH" >&2; exit 1; }
mkdir -p "$bin"
rm -f "$stamp"
echo "setup-controlplane: building kube-apiserver, kube-controller-manager and etcd (first run: long)"
cd "$module"
# The version Kubernetes' own build stamps in (hack/lib/version.sh): without it the API server
# reports v0.0.0-master and Helm refuses charts with a kubeVersion constraint.
version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
minor="$(echo "$version" | cut -d. -f2)"
stamp_flags=""
for package in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp_flags+=" -X $package.gitVersion=$version -X $package.gitMajor=1 -X $package.gitMinor=$minor"
  stamp_flags+=" -X $package.gitTreeState=clean -X $package.buildDate=1970-01-01T00:00:00Z"
done
# One go build for all three so the packages they share compile once; -trimpath and no
# DWARF keep the binaries and the cache smaller. etcd's main package is its server module.
nice -n 10 go build -trimpath -ldflags="-s -w$stamp_flags" -o "$bin/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  go.etcd.io/etcd/server/v3
# A major-version suffix names the binary after the element before it: "server".
mv "$bin/server" "$bin/etcd"
echo "$want" > "$stamp"
echo "setup-controlplane: built into $bin"
