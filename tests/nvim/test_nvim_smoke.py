"""Real headless Neovim 0.11.4 starts glm-lsp through the plugin and calls glm.status."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.nvim.harness import run_nvim


@pytest.mark.nvim
def test_neovim_attaches_and_calls_glm_status(tmp_path: Path) -> None:
    """Ensure real Neovim attaches glm-lsp to a Python buffer and glm.status answers with
    the settings the plugin passed (model) and no key."""
    data = run_nvim("smoke.lua", tmp_path)
    assert data["filetype"] == "python"
    assert data["attached"] is True
    status = data["status"]
    assert isinstance(status, dict)
    assert status["model"] == "glm-4.7"
    assert status["keyPresent"] is False
    assert status["provider"] == "zai"
