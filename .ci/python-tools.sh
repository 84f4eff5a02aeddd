#!/usr/bin/env bash
# Installs the Python tools the test suites use as independent engines (moto's server for S3,
# Secrets Manager and SSM; AWS cfn-lint) into one virtualenv cached by their pinned versions.
# Prints the venv's bin folder; idempotent (a second call is a no-op).
#   PY_BIN=$(bash .ci/python-tools.sh)  →  $PY_BIN/moto_server, $PY_BIN/cfn-lint
set -euo pipefail
MOTO_VERSION=5.2.5
CFN_LINT_VERSION=1.58.0
root="${REGOPS_CACHE_DIR:-$HOME/.cache/regops}"
venv="$root/python-moto${MOTO_VERSION}-cfnlint${CFN_LINT_VERSION}"
# .complete is written last, so an interrupted install is redone, not trusted
if [ ! -f "$venv/.complete" ]; then
  mkdir -p "$root"
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION" "cfn-lint==$CFN_LINT_VERSION" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin"
