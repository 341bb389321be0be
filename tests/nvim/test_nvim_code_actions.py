"""glm-lsp code actions through Neovim's own code-action menu (vim.lsp.buf.code_action)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import run_nvim


@pytest.mark.nvim
def test_code_actions_explain_into_a_chat_and_docstring_into_the_buffer(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure Neovim's code-action menu lists the GLM actions; choosing "GLM: Explain" (a
    turn the plugin did not start) opens a chat window that streams the answer, and "GLM: Add
    docstring" writes the model's docstring into the function in the buffer."""

    def handler(body: Any) -> Reply | None:
        text = json.dumps(body)
        if "REPLACEMENT" in text:
            return Reply.stream(
                [
                    "<REPLACEMENT>\n",
                    'def add(a, b):\n    """Return a plus b."""\n',
                    "    return a + b\n</REPLACEMENT>",
                ]
            )
        return Reply.stream(["It adds ", "two numbers."])

    glm_endpoint.handler = handler
    data = run_nvim("code_action.lua", tmp_path, base_url=glm_endpoint.url)
    offered: list[str] = data["offered"]
    assert {"GLM: Explain", "GLM: Refactor", "GLM: Add docstring", "GLM: Write tests"} <= {
        title.split(" (")[0].split(". ", 1)[-1] for title in offered
    }, offered
    assert data["chat_is_current"] is True
    assert data["windows"] == 2
    assert data["chat"] == ["## GLM", "It adds two numbers.", "", "## You", ""]
    assert data["back_in_file"] is True
    assert data["file"] == ["def add(a, b):", '    """Return a plus b."""', "    return a + b"]
