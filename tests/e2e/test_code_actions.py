"""Code actions and streamed edits, end to end: the real server, the loopback GLM endpoint and
a client that applies edits like an editor (``editor_sim``)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.editor_sim import Editor, StartEditor, start_editor
from tests.e2e.harness import wait_until
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply, Reset

__all__ = ["start_editor"]

DOC = """\
import math


def area(r):
    x = r * r
    y = x * 3.14159
    return y


print(area(2))
"""
NEW_AREA = """\
def area(radius):
    \"\"\"Area of a circle of the given radius.\"\"\"
    return math.pi * radius * radius
"""
FUNC_START = DOC.index("def area")
FUNC_END = DOC.index("    return y\n") + len("    return y\n")
EXPECTED = DOC[:FUNC_START] + NEW_AREA + DOC[FUNC_END:]
FUNC_RANGE = {"start": {"line": 3, "character": 0}, "end": {"line": 7, "character": 0}}


def settings(endpoint: GlmEndpoint, **extra: Any) -> dict[str, Any]:
    return {"provider": "custom", "baseUrl": endpoint.url, "chat": {"thinking": "off"}, **extra}


def line_chunks(text: str, wrap: bool = True) -> list[str]:
    """The answer as the model streams it: one chunk per line, inside the answer tags."""
    body = f"<REPLACEMENT>\n{text}</REPLACEMENT>" if wrap else text
    return [line for line in body.splitlines(keepends=True)]


async def run_command(client: LanguageClient, command: str, arg: dict[str, Any]) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=[arg])
    )


async def open_sample(
    start_editor: StartEditor, endpoint: GlmEndpoint, tmp_path: Path, **kwargs: Any
) -> tuple[LanguageClient, Editor, str]:
    path = tmp_path / "geometry.py"
    path.write_text(DOC)
    client, editor = await start_editor(settings(endpoint), **kwargs)
    uri = path.as_uri()
    editor.open(uri, DOC)
    return client, editor, uri


async def test_refactor_streams_several_edits_and_ends_with_the_exact_answer(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure GLM: Refactor streams a multi-line rewrite as at least two versioned edits, the
    final document is the model's answer exactly with the rest untouched, and the request
    asked for the answer in tags with thinking as chat.thinking says."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.15))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result == {"applied": True}
    assert editor.text(uri) == EXPECTED
    applied = [a for a in editor.applied if a.applied]
    assert len(applied) >= 2
    versions = [a.params.edit.document_changes[0].text_document.version for a in applied]
    assert versions == sorted(set(versions))
    body = glm_endpoint.requests[0].body
    assert body["thinking"] == {"type": "disabled"}
    user = body["messages"][-1]["content"]
    assert "<SELECTION>def area(r):\n    x = r * r\n" in user
    assert body["stop"] == ["</REPLACEMENT>"]
