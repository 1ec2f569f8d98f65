#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries are present for the database secrets engine tests.
# The test harness (test/real/postgres.ts) starts its own throwaway cluster on loopback as the
# unprivileged `postgres` user; this only installs Debian's package when it is missing.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null && id -u postgres >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-postgres: PostgreSQL is not installed; run as root, or: apt-get install postgresql" >&2
  exit 1
fi
echo "setup-postgres: installing Debian's postgresql" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# The package starts a cluster of its own on port 5432; the tests start theirs on a free port.
if command -v pg_lsclusters >/dev/null; then
  pg_lsclusters -h 2>/dev/null | while read -r ver name _; do pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true; done
fi
