"""GLM: Refactor from the code actions of a range, in real headless Neovim 0.11."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import run_nvim

GEOMETRY = """\
import math


def area(r):
    x = r * r
    y = x * 3.14159
    return y


def perimeter(r):
    return 2 * 3.14159 * r
"""
NEW_AREA = [
    "def area(radius):",
    '    """Area of a circle of the given radius."""',
    "    return math.pi * radius * radius",
]
NEW_PERIMETER = [
    "def perimeter(radius):",
    '    """Circumference of a circle of the given radius."""',
    "    return 2 * math.pi * radius",
]


def streamed(lines: list[str]) -> Reply:
    """The answer in tags, one line per chunk, slow enough for several edits."""
    chunks = ["<REPLACEMENT>\n", *(line + "\n" for line in lines), "</REPLACEMENT>"]
    return Reply.stream(chunks, delay=0.25)


@pytest.mark.nvim
def test_refactor_from_code_actions_changes_the_buffer(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure Neovim gets the GLM actions for a range, GLM: Refactor (kind refactor.rewrite)
    streams the rewrite into the buffer as several edits and the buffer ends as the expected
    text with the other lines untouched; then a second refactor keeps a line the user adds
    at the top meanwhile (late, merged didChange) and still ends exactly."""

    def handler(body: Any) -> Reply | None:
        text = json.dumps(body)
        if "<SELECTION>def area(r)" in text:
            return streamed(NEW_AREA)
        if "<SELECTION>def perimeter(r)" in text:
            return streamed(NEW_PERIMETER)
        return None

    glm_endpoint.handler = handler
    data = run_nvim(
        "refactor.lua", tmp_path, files={"geometry.py": GEOMETRY}, base_url=glm_endpoint.url
    )
    lines = GEOMETRY.splitlines()
    assert data["before"] == lines
    assert {"GLM: Explain", "GLM: Refactor", "GLM: Add docstring", "GLM: Write tests"} <= set(
        data["titles"]
    )
    assert data["kind"] == "refactor.rewrite"
    assert data["argument"]["range"] == {
        "start": {"line": 3, "character": 0},
        "end": {"line": 7, "character": 0},
    }
    assert data["result"] == {"applied": True}, data["result_error"]
    expected = lines[:3] + NEW_AREA + lines[7:]
    assert data["after"] == expected
    assert data["edits"] >= 2
    assert data["second_result"] == {"applied": True}, data["second_error"]
    assert data["final"] == ["# typed by the user"] + expected[:-2] + NEW_PERIMETER
    assert data["second_edits"] >= 2
