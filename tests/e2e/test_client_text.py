"""Text from the editor that is not valid Unicode (lone surrogates) still gets a full answer:
it is sanitised where it enters the server, and a chat turn always ends with one done."""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.harness import StartServer, wait_until
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply


async def start(start_server: StartServer, endpoint: GlmEndpoint) -> LanguageClient:
    client = await start_server(
        workspace_config={"glm": {"provider": "custom", "baseUrl": endpoint.url}}
    )
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))  # type: ignore[attr-defined]
    return client


def dones(client: LanguageClient, turn_id: str) -> list[Any]:
    return [p for kind, p in client.chat_events if kind == "done" and p.turnId == turn_id]  # type: ignore[attr-defined]


async def test_lone_surrogate_in_a_chat_message_gets_one_done(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a chat message holding lone surrogates is answered: the model gets U+FFFD in
    their place, exactly one done arrives, and the chat is stored and listed."""
    glm_endpoint.enqueue(Reply.stream(["fine"]))
    client = await start(start_server, glm_endpoint)
    started = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="glm.chat.send", arguments=[{"message": "why \ud800 and \udfff?"}]
        )
    )
    await wait_until(lambda: bool(dones(client, started["turnId"])))
    await asyncio.sleep(0.3)
    done = dones(client, started["turnId"])
    assert len(done) == 1
    assert done[0].finishReason == "stop", done[0]
    sent = glm_endpoint.requests[0].body["messages"][-1]["content"]
    assert "why \ufffd and \ufffd?" in sent
    chats = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.chat.list", arguments=[{}])
    )
    assert [c["title"] for c in chats] == ["why \ufffd and \ufffd?"]
