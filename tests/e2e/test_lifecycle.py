"""The LSP lifecycle, exactly as the spec says: nothing before ``initialize``, nothing after
``shutdown`` but ``exit``, the exit status, and a ``shutdown`` that stops in-flight work
cleanly (streamed edits restored, chat turns ended and saved, upstream streams closed)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types

from tests.e2e.editor_sim import StartEditor, start_editor
from tests.e2e.harness import StartServer, start_server, wait_until
from tests.e2e.raw_client import StartRaw, start_raw
from tests.e2e.test_code_actions import (
    DOC,
    FUNC_RANGE,
    NEW_AREA,
    first_applied,
    line_chunks,
    open_sample,
    run_command,
)
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

__all__ = ["start_editor", "start_raw", "start_server"]

SERVER_NOT_INITIALIZED = -32002
INVALID_REQUEST = -32600
STATUS = {"command": "glm.status", "arguments": [{}]}


async def test_requests_before_initialize_get_server_not_initialized(start_raw: StartRaw) -> None:
    """Ensure every request before initialize is answered ServerNotInitialized (-32002), a
    notification then is dropped, and initialize afterwards works."""
    server = await start_raw(initialize=False)
    server.notify("textDocument/didOpen", {"textDocument": 5})
    for method, params in (
        ("workspace/executeCommand", STATUS),
        ("shutdown", None),
        ("textDocument/completion", {}),
        ("no/such/method", None),
    ):
        answer = await server.call(method, params)
        assert answer["error"]["code"] == SERVER_NOT_INITIALIZED, (method, answer)
    assert server.null_id_errors == []
    await server.initialize(Path.cwd())
    status = await server.status()
    assert status["result"]["provider"] == "custom"


async def test_second_initialize_is_an_invalid_request(start_raw: StartRaw, tmp_path: Path) -> None:
    """Ensure a second initialize gets InvalidRequest and the server keeps serving."""
    server = await start_raw()
    again = await server.call(
        "initialize", {"processId": None, "rootUri": None, "capabilities": {}}
    )
    assert again["error"]["code"] == INVALID_REQUEST
    assert "result" in await server.status()


async def test_after_shutdown_requests_are_invalid_and_exit_status_is_0(
    start_raw: StartRaw, tmp_path: Path
) -> None:
    """Ensure that after shutdown every request (glm.status, a second shutdown, an unknown
    method) gets InvalidRequest, notifications are ignored, and exit ends the process with 0."""
    server = await start_raw()
    assert (await server.call("shutdown"))["result"] is None
    server.open((tmp_path / "late.py").as_uri(), "x = 1\n")
    for method, params in (
        ("workspace/executeCommand", STATUS),
        ("shutdown", None),
        ("no/such/method", None),
    ):
        answer = await server.call(method, params)
        assert answer["error"]["code"] == INVALID_REQUEST, (method, answer)
    server.notify("exit")
    assert await asyncio.wait_for(server.proc.wait(), 30) == 0


async def test_exit_without_shutdown_exits_with_status_1(start_raw: StartRaw) -> None:
    """Ensure exit without a prior shutdown ends the process with status 1, also before
    initialize."""
    for initialize in (True, False):
        server = await start_raw(initialize=initialize)
        server.notify("exit")
        assert await asyncio.wait_for(server.proc.wait(), 30) == 1


async def test_shutdown_during_a_streamed_edit_restores_the_range_and_closes_the_stream(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure shutdown while a refactor streams into the document answers null (no internal
    error), the edit answers once with its range restored to the original text, and the
    model's HTTP stream is closed."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.3))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    running = asyncio.ensure_future(
        run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    )
    await wait_until(lambda: first_applied(editor))
    assert editor.text(uri) != DOC
    assert await client.shutdown_async(None) is None
    result = await running
    assert result == {
        "applied": False,
        "reason": "cancelled; the range was restored to its original text",
    }
    assert editor.text(uri) == DOC
    await glm_endpoint.until(lambda ep: ep.requests[0].gone is not None)
    client.exit(None)
    await wait_until(lambda: client._server.returncode is not None, timeout=30)
    assert client._server.returncode == 0


def _dones(client: Any) -> list[Any]:
    return [params for kind, params in client.chat_events if kind == "done"]


async def test_shutdown_ends_a_running_chat_turn_and_saves_it(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure shutdown during a chat turn sends its one done (cancelled) before answering,
    closes the model's stream, and the turn is in the chat history after a restart."""
    glm_endpoint.enqueue(Reply.stream(["Part one. ", "Part two. ", "Part three."], delay=0.5))
    db = str(tmp_path / "chats.sqlite3")
    config = {"glm": {"provider": "custom", "baseUrl": glm_endpoint.url}}
    env = {"GLM_API_KEY": "sk-lifecycle-test-0123456789abcdef", "GLM_LSP_CHAT_DB": db}
    client = await start_server(env=env, workspace_config=config)
    sent = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.chat.send", arguments=[{"message": "Hello?"}])
    )
    await wait_until(lambda: any(kind == "delta" for kind, _ in client.chat_events))
    assert await client.shutdown_async(None) is None
    [done] = _dones(client)
    assert (done.turnId, done.finishReason) == (sent["turnId"], "cancelled")
    await glm_endpoint.until(lambda ep: ep.requests[0].gone is not None)
    client.exit(None)

    again = await start_server(env=env, workspace_config=config)
    history = await again.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="glm.chat.history", arguments=[{"chatId": sent["chatId"]}]
        )
    )
    assert history[0]["role"] == "user" and history[0]["content"] == "Hello?"
    assert any(entry.get("state") == "cancelled" for entry in history)


async def test_shutdown_closes_the_chat_database(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure shutdown closes the chat store: SQLite removes a WAL database's -wal file when
    its last connection closes, so the file is there after a turn and gone once shutdown
    answered (the process still runs until exit)."""
    glm_endpoint.enqueue(Reply.stream(["Saved."]))
    db = tmp_path / "chats.sqlite3"
    config = {"glm": {"provider": "custom", "baseUrl": glm_endpoint.url}}
    env = {"GLM_API_KEY": "sk-lifecycle-test-0123456789abcdef", "GLM_LSP_CHAT_DB": str(db)}
    client = await start_server(env=env, workspace_config=config)
    sent = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.chat.send", arguments=[{"message": "Keep me"}])
    )
    await wait_until(lambda: any(done.turnId == sent["turnId"] for done in _dones(client)))
    wal = tmp_path / "chats.sqlite3-wal"
    await wait_until(wal.exists)
    assert await client.shutdown_async(None) is None
    assert not wal.exists()
    assert client._server.returncode is None
    client.exit(None)
