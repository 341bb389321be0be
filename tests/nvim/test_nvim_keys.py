"""Ghost-text keys in real headless Neovim when no suggestion is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.nvim.harness import run_nvim


@pytest.mark.nvim
def test_accept_key_types_its_normal_character_without_suggestion(tmp_path: Path) -> None:
    """Ensure <Tab> (the accept key) inserts a real tab when no ghost text is shown, and that a
    user's earlier insert-mode mapping on a key the plugin takes over (accept word) still runs."""
    data = run_nvim("keys_fallback.lua", tmp_path)
    assert data["ghost_after_tab"] == []
    assert data["after_tab"] == ["def add(a, b):", "\t    return a + b"]
    assert data["after_mapping"] == ["def add(a, b):", "\t    return a + b", "\tLEFT"]
    assert data["tab_map"] == "glm: accept suggestion"
