"""Statusline component, :GlmStatus and :help glm in real headless Neovim."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.nvim.harness import run_nvim


@pytest.mark.nvim
def test_statusline_and_glm_status_without_key(tmp_path: Path) -> None:
    """Ensure the statusline component is empty before the server runs, then shows the
    `unconfigured` state the server reports without a key (also in a rendered statusline),
    :GlmStatus reports the key as missing, and :help glm-ghost-text opens the plugin's help."""
    data = run_nvim("status.lua", tmp_path, STATUS_PROVIDER="zai")
    assert data["before_start"] == ""
    assert data["events"][-1] == "unconfigured"
    assert data["statusline"] == "GLM ?"
    assert data["rendered"].endswith("sample.py GLM ?")
    report: str = data["report"]
    assert "provider:  zai" in report
    assert "API key:   MISSING" in report
    assert "unconfigured: no API key" in report
    assert data["help_file"] == "glm.txt"
    assert "GHOST TEXT" in data["help_line"]


@pytest.mark.nvim
def test_statusline_ready_with_a_custom_endpoint(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure the statusline shows `ready` ("GLM") with a configured endpoint, and :GlmStatus
    names the loopback endpoint and the model."""
    data = run_nvim("status.lua", tmp_path, base_url=glm_endpoint.url)
    assert data["events"][-1] == "ready"
    assert data["statusline"] == "GLM"
    assert f"endpoint:  {glm_endpoint.url}" in data["report"]
    assert "model:     glm-4.6" in data["report"]
