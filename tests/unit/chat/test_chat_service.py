"""ChatService in-process against the loopback endpoint: the turn lifecycle and its edges."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Event, Reply, Reset, chunk

from glm_lsp.chat import ChatService, ChatWorkspace, Hooks, SendRequest, TurnSetup, plan_for
from glm_lsp.llm import PRESETS, ClientConfig, GlmClient
from glm_lsp.settings import structure_settings


class Recorder:
    """Collects the notifications the service sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, method: str, params: dict[str, Any]) -> None:
        self.sent.append((method, params))

    def of(self, turn_id: str, method: str) -> list[dict[str, Any]]:
        return [p for m, p in self.sent if m == method and p["turnId"] == turn_id]

    async def done(self, turn_id: str, timeout: float = 10.0) -> dict[str, Any]:
        for _ in range(int(timeout / 0.01)):
            found = self.of(turn_id, "glm/chat/done")
            if found:
                return found[0]
            await asyncio.sleep(0.01)
        raise AssertionError("no done")


@pytest.fixture
async def client(glm_endpoint: GlmEndpoint) -> AsyncIterator[GlmClient]:
    config = ClientConfig(
        glm_endpoint.url, "", PRESETS["custom"], first_byte_timeout=5.0, max_retries=0
    )
    glm = GlmClient(config)
    yield glm
    await glm.aclose()


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[tuple[ChatService, Recorder]]:
    recorder = Recorder()
    hooks = Hooks(
        delta=lambda params: recorder("glm/chat/delta", params),
        done=lambda params: recorder("glm/chat/done", params),
    )
    svc = ChatService(hooks, db_path=tmp_path / "chats.sqlite3")
    yield svc, recorder
    await svc.aclose()


def setup(client: GlmClient | None, ws: ChatWorkspace, **plan: Any) -> TurnSetup:
    base = plan_for(structure_settings({"provider": "custom"}))
    return TurnSetup(attrs.evolve(base, **plan), client, ws, None, "no API key: set one")


async def test_a_second_send_while_running_is_refused_with_its_own_done(
    service: tuple[ChatService, Recorder],
    client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure a send to a chat whose turn is still running gets ids and one done with an error,
    while the running turn continues to its own done."""
    svc, rec = service
    glm_endpoint.enqueue(Reply.stream(["slow "] * 20, delay=0.02))
    first = svc.send(SendRequest("one"), setup(client, ws))
    second = svc.send(SendRequest("two", first["chatId"]), setup(client, ws))
    refused = await rec.done(second["turnId"])
    assert "already running" in refused["error"]
    assert (await rec.done(first["turnId"]))["finishReason"] == "stop"
    assert len(rec.of(first["turnId"], "glm/chat/done")) == 1


async def test_tool_steps_are_capped_per_turn(
    service: tuple[ChatService, Recorder],
    client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure a model that keeps calling tools is stopped after max_steps requests, the last
    results saying so, with finishReason tool_limit."""
    svc, rec = service
    glm_endpoint.handler = lambda body: Reply.tool_calls(
        [(f"c{len(body['messages'])}", "list_files", "{}")]
    )
    started = svc.send(SendRequest("loop"), setup(client, ws, max_steps=3))
    done = await rec.done(started["turnId"])
    assert done["finishReason"] == "tool_limit" and done["steps"] == 3
    assert len(glm_endpoint.requests) == 3
    second = glm_endpoint.requests[2].body["messages"]
    assert "last tool step" in second[-1]["content"]
    notices = [p for p in rec.of(started["turnId"], "glm/chat/delta") if "notice" in p]
    assert notices and "tool limit" in notices[0]["notice"]


async def test_failure_mid_answer_keeps_the_partial_text(
    service: tuple[ChatService, Recorder],
    client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure a connection that breaks mid-answer ends the turn with an error in done, and the
    text already shown stays the turn's answer (so the next turn builds on what the user saw)."""
    svc, rec = service
    partial = Reply([Event(chunk({"role": "assistant", "content": "Half an "})), Reset(0.05)])
    glm_endpoint.enqueue(partial, Reply.stream(["ok"]))
    started = svc.send(SendRequest("go"), setup(client, ws))
    done = await rec.done(started["turnId"])
    assert done["finishReason"] == "error" and "connection" in done["error"]
    nxt = svc.send(SendRequest("again", started["chatId"]), setup(client, ws))
    await rec.done(nxt["turnId"])
    messages = glm_endpoint.requests[-1].body["messages"]
    assert messages[1:] == [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": "Half an "},
        {"role": "user", "content": "again"},
    ]
    history = await svc.history(started["chatId"])
    assert history is not None and history[1]["state"] == "error"


async def test_no_key_ends_the_turn_with_the_remedy(
    service: tuple[ChatService, Recorder], ws: ChatWorkspace
) -> None:
    """Ensure a turn without a key answers with ids and one done naming the remedy."""
    svc, rec = service
    started = svc.send(SendRequest("hello"), setup(None, ws))
    done = await rec.done(started["turnId"])
    assert done["finishReason"] == "error" and "no API key" in done["error"]


async def test_message_too_large_for_the_window_is_an_error_not_a_silent_cut(
    service: tuple[ChatService, Recorder],
    client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure a message that cannot fit the model's window fails with sizes in done and nothing
    is sent upstream."""
    svc, rec = service
    started = svc.send(
        SendRequest("z" * 60_000), setup(client, ws, context_window=8_000, max_tokens=1_000)
    )
    done = await rec.done(started["turnId"])
    assert done["finishReason"] == "error" and "tokens" in done["error"]
    assert glm_endpoint.requests == []


async def test_long_chat_drops_oldest_turns_and_says_so(
    service: tuple[ChatService, Recorder],
    client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure a chat longer than the window sends only the newest turns that fit, tells the
    user in the stream and reports trimmedTurns in done."""
    svc, rec = service
    small = {"context_window": 12_000, "max_tokens": 1_000}
    chat_id = None
    for i in range(6):
        glm_endpoint.enqueue(Reply.stream([f"answer {i} " + "a" * 6_000]))
        started = svc.send(SendRequest(f"question {i}", chat_id), setup(client, ws, **small))
        chat_id = started["chatId"]
        done = await rec.done(started["turnId"])
    assert done["trimmedTurns"] > 0
    sent = [m["content"] for m in glm_endpoint.requests[-1].body["messages"] if m["role"] == "user"]
    assert sent[-1] == "question 5" and "question 0" not in sent
    notices = [p["notice"] for p in rec.of(started["turnId"], "glm/chat/delta") if "notice" in p]
    assert "oldest turn" in notices[0]


async def test_cancel_before_the_first_byte_closes_the_request(
    service: tuple[ChatService, Recorder],
    client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure cancelling while the host has not answered yet ends the turn as cancelled and the
    endpoint sees the connection go away."""
    svc, rec = service
    glm_endpoint.enqueue(Reply.stall(30))
    started = svc.send(SendRequest("wait"), setup(client, ws))
    await glm_endpoint.until(lambda e: len(e.requests) == 1)
    assert await svc.cancel(started["chatId"]) is True
    assert (await rec.done(started["turnId"]))["finishReason"] == "cancelled"
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None)
    assert await svc.cancel(started["chatId"]) is False


async def test_a_file_attached_again_unchanged_is_sent_once(
    service: tuple[ChatService, Recorder],
    client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
    repo: Path,
) -> None:
    """Ensure a #file block identical to one sent earlier in the chat becomes a short marker,
    and that a changed file is sent in full again."""
    from glm_lsp.chat import TurnContext, parse_references

    svc, rec = service

    def ask(text: str) -> SendRequest:
        return SendRequest(text, chat_id, TurnContext(references=parse_references(text)))

    chat_id = None
    started = svc.send(ask("look at #file:src/util.py"), setup(client, ws))
    chat_id = started["chatId"]
    await rec.done(started["turnId"])
    again = svc.send(ask("and again #file:src/util.py"), setup(client, ws))
    await rec.done(again["turnId"])
    (repo / "src" / "util.py").write_text("def helper():\n    return 43\n")
    changed = svc.send(ask("now #file:src/util.py"), setup(client, ws))
    await rec.done(changed["turnId"])
    contents = [
        [m["content"] for m in r.body["messages"] if m["role"] == "user"][-1]
        for r in glm_endpoint.requests
    ]
    assert "return 42" in contents[0]
    assert 'unchanged="true"' in contents[1] and "return 42" not in contents[1]
    assert "return 43" in contents[2]


async def test_chats_run_independently_and_cancel_stops_only_one(
    service: tuple[ChatService, Recorder],
    client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure two chats stream at the same time and cancelling one leaves the other to finish
    with its whole answer."""
    svc, rec = service
    glm_endpoint.enqueue(Reply.stream(["a"] * 50, delay=0.02), Reply.stream(["b"] * 50, delay=0.02))
    one = svc.send(SendRequest("first"), setup(client, ws))
    two = svc.send(SendRequest("second"), setup(client, ws))
    await glm_endpoint.until(lambda e: e.active == 2)
    assert await svc.cancel(one["chatId"]) is True
    assert (await rec.done(one["turnId"]))["finishReason"] == "cancelled"
    assert (await rec.done(two["turnId"]))["finishReason"] == "stop"
    text = "".join(p.get("content", "") for p in rec.of(two["turnId"], "glm/chat/delta"))
    assert text in ("a" * 50, "b" * 50)
