""":GlmEdit in real headless Neovim against glm-lsp and the loopback GLM endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import run_nvim

CALC = "def area(w, h):\n    return w * h\n\n\ndef perimeter(w, h):\n    return 2 * w + 2 * h\n"


@pytest.mark.nvim
def test_glm_edit_on_a_range_changes_the_buffer_to_the_expected_text(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure :1,2GlmEdit sends the instruction and the selected lines to the model, the
    streamed rewrite replaces exactly lines 1-2 in the buffer (the rest is untouched), the
    command reports applied, and one undo gets the original text back."""

    def handler(body: Any) -> Reply | None:
        if "add type hints" in json.dumps(body):
            return Reply.stream(
                [
                    "<REPLACEMENT>\n",
                    "def area(w: float, h: float)",
                    " -> float:\n",
                    "    return w * h\n",
                    "</REPLACEMENT>",
                ],
                delay=0.05,
            )
        return None

    glm_endpoint.handler = handler
    data = run_nvim("edit.lua", tmp_path, files={"calc.py": CALC}, base_url=glm_endpoint.url)

    assert data["before"] == CALC.splitlines()
    assert data["after"] == [
        "def area(w: float, h: float) -> float:",
        "    return w * h",
        "",
        "",
        "def perimeter(w, h):",
        "    return 2 * w + 2 * h",
    ]
    assert data["result"]["applied"] is True
    assert data["modified"] is True
    (request,) = [r for r in glm_endpoint.requests if "add type hints" in json.dumps(r.body)]
    assert "def area(w, h):" in json.dumps(request.body)
    assert data["after_undo"] == CALC.splitlines()
