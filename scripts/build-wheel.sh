#!/usr/bin/env bash
# Build the glm-lsp wheel and sdist into OUT_DIR (default dist/) and print the wheel's path,
# the only line on stdout: `wheel=$(bash scripts/build-wheel.sh)`.
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir="${1:-dist}"
mkdir -p "$out_dir"
python="${PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x .venv/bin/python ]; then python=.venv/bin/python; else python=python3; fi
fi
version="$("$python" -c 'import ast, pathlib; t = pathlib.Path("server/glm_lsp/__init__.py").read_text(); print(next(n.value.value for n in ast.parse(t).body if isinstance(n, ast.Assign) and n.targets[0].id == "__version__"))')"
"$python" -m build --sdist --wheel --outdir "$out_dir" . >&2
wheel="$out_dir/glm_lsp-$version-py3-none-any.whl"
[ -f "$wheel" ] || { echo "build-wheel.sh: $wheel was not made" >&2; exit 1; }
echo "$(cd "$(dirname "$wheel")" && pwd)/$(basename "$wheel")"
