"""The code layout holds: the layer contracts of pyproject.toml and the module size limit.

ruff checks function size and complexity (C901, PLR0912, PLR0915) but has no rule for the
length of a module, and ``lint-imports`` runs in scripts/test.sh; both limits are checked here
too, so that a plain ``pytest`` run names the module that broke them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "server" / "glm_lsp"
MAX_MODULE_LINES = 400


def test_every_module_stays_under_the_size_limit() -> None:
    """No module of the server reaches 400 lines (docs/contributing.md: split it by job)."""
    too_long = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) >= MAX_MODULE_LINES
    }
    assert too_long == {}


def test_the_import_contracts_are_kept() -> None:
    """lint-imports finds every contract of [tool.importlinter] kept (pygls/lsprotocol only in
    glm_lsp.lsp, engines independent, context/llm/root below the engines)."""
    linter = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout
