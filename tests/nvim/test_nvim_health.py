"""`:checkhealth glm` in real headless Neovim, with and without an API key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.nvim.harness import run_nvim


def _lines_with(report: list[str], marker: str) -> list[str]:
    return [line for line in report if marker in line]


@pytest.mark.nvim
def test_checkhealth_reports_ok_with_a_key(tmp_path: Path) -> None:
    """Ensure :checkhealth glm finds the server and its version, sees the key (masked, never in
    clear) and reports doctor --no-network as usable, with no ERROR line."""
    key = "sk-test-1234567890"
    data = run_nvim("health.lua", tmp_path, GLM_API_KEY=key)
    report: list[str] = data["report"]
    text = "\n".join(report)
    assert not _lines_with(report, "ERROR"), text
    assert _lines_with(report, "OK Neovim 0.11"), text
    assert _lines_with(report, "found: glm-lsp "), text
    assert _lines_with(report, "OK API key: present"), text
    assert _lines_with(report, "OK glm-lsp doctor --no-network: usable"), text
    assert key not in text


@pytest.mark.nvim
def test_checkhealth_reports_a_clear_error_without_key(tmp_path: Path) -> None:
    """Ensure :checkhealth glm without any key says ERROR naming the variable to set
    (GLM_API_KEY) with advice, reports doctor --no-network as not usable, and shows the
    server's version line (not doctor's summary line) as what it found."""
    data = run_nvim("health.lua", tmp_path)
    report: list[str] = data["report"]
    text = "\n".join(report)
    errors = _lines_with(report, "ERROR")
    assert any("no API key" in line and "GLM_API_KEY" in line for line in errors), text
    assert any("doctor --no-network: NOT usable" in line for line in errors), text
    assert _lines_with(report, "export GLM_API_KEY="), text
    found = _lines_with(report, "found: glm-lsp ")
    # doctor opens with a summary line when a step is left; the version is the line after it
    assert found and all("(Python " in line for line in found), text
    assert not any("One step left" in line for line in found), text
