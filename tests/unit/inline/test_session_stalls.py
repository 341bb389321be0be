"""Ghost text against a host that stalls: it gives up within its own budget, once, quietly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Event, Reply, Stall, chunk
from tests.unit.inline.test_session import (
    ADD,
    FAST,
    Recorder,
    client,
    engine,
    make_session,
    open_doc,
    query,
)

from glm_lsp.context import ContextEngine
from glm_lsp.llm import GlmClient

__all__ = ["client", "engine"]

QUICK = dataclasses.replace(FAST, first_token_seconds=0.3, gap_seconds=0.3)


async def test_a_host_silent_after_its_headers_is_given_up_once(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure ghost text on a host that sends headers and then nothing answers None after its
    first-token budget, without a retry (the budget is spent), with a retryable failure (which
    the server keeps quiet about)."""
    glm_endpoint.default = Reply([Stall(30)])
    recorder = Recorder()
    session = make_session(engine, client, recorder)
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    assert await session.complete(query(uri, ADD, 2), QUICK) is None
    assert len(glm_endpoint.requests) == 1
    assert "failed:FirstByteTimeout" in recorder.events


async def test_a_host_silent_mid_answer_is_given_up_within_the_gap(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure ghost text whose answer stops mid-way (no finish, no [DONE]) gives up after its
    own gap budget, not the client's 30 s, and asks only once."""
    glm_endpoint.default = Reply([Event(chunk({"content": "<COMPLETION> + b"})), Stall(30)])
    recorder = Recorder()
    session = make_session(engine, client, recorder)
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    await session.complete(query(uri, ADD, 2), QUICK)
    assert len(glm_endpoint.requests) == 1
    assert "failed:StreamStalled" in recorder.events
