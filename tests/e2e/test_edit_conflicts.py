"""Two GLM edits into one range: the second is refused up front, saying what is going on,
and the first streams on undisturbed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.e2e.editor_sim import StartEditor
from tests.e2e.harness import wait_until
from tests.e2e.test_code_actions import (
    DOC,
    EXPECTED,
    FUNC_END,
    FUNC_RANGE,
    FUNC_START,
    NEW_AREA,
    first_applied,
    line_chunks,
    open_sample,
    run_command,
    start_editor,
)
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

__all__ = ["start_editor"]

INSIDE_RANGE = {"start": {"line": 4, "character": 0}, "end": {"line": 5, "character": 0}}


async def test_second_refactor_of_a_streaming_range_is_refused_up_front(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a refactor of a range (or part of it) that another edit is still streaming into
    is refused with a message naming the other edit, without asking the model, while the first
    edit finishes exactly; once it is done the range can be edited again."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.3))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    first = asyncio.ensure_future(
        run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    )
    await wait_until(lambda: first_applied(editor))
    for span in (FUNC_RANGE, INSIDE_RANGE):
        second = await run_command(client, "glm.refactor", {"uri": uri, "range": span})
        assert second["applied"] is False
        assert "another GLM edit is already streaming into this range" in second["reason"]
    assert await first == {"applied": True}
    assert editor.text(uri) == EXPECTED
    assert len(glm_endpoint.requests) == 1

    glm_endpoint.enqueue(Reply.stream(line_chunks(DOC[FUNC_START:FUNC_END])))
    again = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert again["applied"] is True, again
    assert len(glm_endpoint.requests) == 2


async def test_an_edit_elsewhere_in_a_file_being_edited_is_refused_and_says_where(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an edit into another range of a file that an edit is still streaming into is
    refused up front, naming the busy lines (two streams would refuse each other's versioned
    edits), and the first edit lands exactly."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.3))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    first = asyncio.ensure_future(
        run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    )
    await wait_until(lambda: first_applied(editor))
    call_range = {"start": {"line": 10, "character": 0}, "end": {"line": 11, "character": 0}}
    second = await run_command(client, "glm.refactor", {"uri": uri, "range": call_range})
    assert second["applied"] is False
    assert "already streaming into this file (lines 4-" in second["reason"]
    assert await first == {"applied": True}
    assert editor.text(uri) == EXPECTED
    assert len(glm_endpoint.requests) == 1
