"""Chat as an editor sees it: glm.chat.* and glm.explain against the loopback GLM endpoint.

Each test starts the real server (``python -m glm_lsp``) with a clean HOME and its own chat
database (``XDG_DATA_HOME``), points it at the loopback endpoint and checks what the editor
receives (``glm/chat/delta``, ``glm/chat/done``, command results) and what the endpoint was
sent (request bodies, the moment the client went away).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.harness import StartServer, wait_until
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply, chunk, Event, DONE, zai_usage

MODEL_TEXT = ["The ", "answer ", "is ", "42", "."]


def config(endpoint: GlmEndpoint, **glm: Any) -> dict[str, Any]:
    """Workspace settings that point the server at the loopback endpoint."""
    return {"glm": {"provider": "custom", "baseUrl": endpoint.url, **glm}}


async def start(start_server: StartServer, endpoint: GlmEndpoint, **kw: Any) -> LanguageClient:
    """A server configured for the endpoint, once it applied those settings."""
    glm = kw.pop("glm", {})
    client = await start_server(workspace_config=config(endpoint, **glm), **kw)
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))  # type: ignore[attr-defined]
    return client


async def command(client: LanguageClient, name: str, arg: dict[str, Any]) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=name, arguments=[arg])
    )


def events_of(client: LanguageClient, turn_id: str) -> list[tuple[str, Any]]:
    return [(kind, p) for kind, p in client.chat_events if p.turnId == turn_id]  # type: ignore[attr-defined]


def field(params: Any, name: str, default: Any = None) -> Any:
    return getattr(params, name, default)


async def finished(client: LanguageClient, turn_id: str, timeout: float = 15.0) -> Any:
    """Wait for the turn's done notification and return it."""
    await wait_until(lambda: any(k == "done" for k, _ in events_of(client, turn_id)), timeout)
    return next(p for k, p in events_of(client, turn_id) if k == "done")


def streamed(client: LanguageClient, turn_id: str, key: str) -> str:
    return "".join(
        field(p, key) or "" for k, p in events_of(client, turn_id) if k == "delta"
    )


async def test_streamed_turn_sends_text_and_reasoning_apart_and_one_done(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a turn answers {chatId, turnId} at once, its deltas concatenate to the model's
    text, reasoning arrives in its own field, and exactly one done carries usage and cost."""
    glm_endpoint.enqueue(Reply.stream(MODEL_TEXT, reasoning=["Think", "ing."], delay=0.01))
    client = await start(start_server, glm_endpoint)
    started = await command(client, "glm.chat.send", {"message": "What is the answer?"})
    assert set(started) == {"chatId", "turnId"}
    done = await finished(client, started["turnId"])
    assert streamed(client, started["turnId"], "content") == "".join(MODEL_TEXT)
    assert streamed(client, started["turnId"], "reasoning") == "Thinking."
    await asyncio.sleep(0.3)
    dones = [p for k, p in events_of(client, started["turnId"]) if k == "done"]
    assert len(dones) == 1
    assert done.finishReason == "stop"
    assert done.usage.promptTokens == 12 and done.usage.completionTokens == 5
    assert field(done, "error") is None
    body = glm_endpoint.requests[0].body
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][-1] == {"role": "user", "content": "What is the answer?"}
    assert body["stream"] is True
