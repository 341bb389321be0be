#!/usr/bin/env bash
# Install the test extras (and the editors the end-to-end suites drive), then run every check:
# ruff, ruff format, mypy, lint-imports (the layer contracts in pyproject.toml) and the whole
# pytest suite. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

if [ -f editors/vscode/e2e/install.sh ]; then
  bash editors/vscode/e2e/install.sh
fi
bash tests/acp/ts/install.sh  # the TypeScript ACP SDK that tests/acp/test_ts_client.py drives

export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"; ruff check server tests bench
echo "== ruff format"; ruff format --check server tests bench
echo "== mypy"; mypy
echo "== lint-imports"; lint-imports
echo "== pytest"; pytest -p no:cacheprovider "$@"
