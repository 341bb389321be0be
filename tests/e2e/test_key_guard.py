"""The API key never reaches the editor or a log, whatever the host echoes or the user types.

A host that rejects a key may quote it in its error message; the quote is cut to 300
characters, and a cut through the key once leaked its first characters. These tests drive
the real server against the loopback endpoint, record every JSON object the server sends
(``client.traffic``), its log file or stderr, and check that no 6 consecutive characters of
the key appear anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.harness import StartServer, wait_until
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply, key_echo_message

KEY = "sk-Qz7Wv9XrTy8Up4KsNm3JhLg1FdPbVw8RqZxCyTnMkGhJ"
"""Letters no log line, uuid or hash would contain by chance."""
PIECE = 6


def leaked_pieces(secret: str, text: str) -> list[str]:
    """Every run of ``PIECE`` consecutive characters of ``secret`` found in ``text``."""
    pieces = {secret[i : i + PIECE] for i in range(len(secret) - PIECE + 1)}
    return sorted(piece for piece in pieces if piece in text)


async def command(client: LanguageClient, name: str, arg: dict[str, Any]) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=name, arguments=[arg])
    )


async def stop_and_read_stderr(client: LanguageClient, capfd: pytest.CaptureFixture[str]) -> str:
    """Shut the server down and return what it wrote to stderr."""
    await client.shutdown_session()
    forwarder = client._stderr_forwarder  # type: ignore[attr-defined]
    if forwarder is not None:
        await forwarder
    return capfd.readouterr().err


def everything_sent(client: LanguageClient) -> list[str]:
    """Every JSON object the server sent, plus the messages the client structured."""
    texts = list(client.traffic)  # type: ignore[attr-defined]
    texts += [m.message for m in client.messages]
    texts += [m.message for m in client.log_messages]
    return texts


@pytest.mark.parametrize("logs_to", ["file", "stderr"])
async def test_key_echoed_by_a_rejecting_host_reaches_no_message_status_or_log(
    start_server: StartServer,
    glm_endpoint: GlmEndpoint,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    logs_to: str,
) -> None:
    """Ensure that a 401 whose body echoes the key across the 300-character cut (6, 20 and 40
    characters into the key) ends each chat turn with an error naming the key problem, while
    no piece of the key appears in glm/chat/done, glm/status, showMessage, logMessage, any
    other message the server sends, its log file or its stderr."""
    log_file = tmp_path / "server.log"
    args = ("-vv", "--log-file", str(log_file)) if logs_to == "file" else ("-vv",)
    for into in (6, 20, 40):
        glm_endpoint.enqueue(Reply.error(401, "1002", key_echo_message(KEY, into=into)))
    client = await start_server(
        env={"GLM_API_KEY": KEY},
        args=args,
        workspace_config={"glm": {"provider": "custom", "baseUrl": glm_endpoint.url}},
    )
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))  # type: ignore[attr-defined]

    chat_id = None
    for _ in range(3):
        arg = {"message": "hello"} if chat_id is None else {"message": "again", "chatId": chat_id}
        started = await command(client, "glm.chat.send", arg)
        chat_id = started["chatId"]
        await wait_until(
            lambda: any(  # noqa: B023 - awaited before the loop moves on
                kind == "done" and p.turnId == started["turnId"]  # noqa: B023
                for kind, p in client.chat_events  # type: ignore[attr-defined]
            )
        )
    await wait_until(lambda: any("rejected" in m.message for m in client.messages))
    await wait_until(lambda: any(s.state == "error" for s in client.statuses))  # type: ignore[attr-defined]
    history = await command(client, "glm.chat.history", {"chatId": chat_id})
    stderr = await stop_and_read_stderr(client, capfd)

    assert len(glm_endpoint.requests) == 3
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in glm_endpoint.requests)
    dones = [p for kind, p in client.chat_events if kind == "done"]  # type: ignore[attr-defined]
    assert len(dones) == 3
    for done in dones:
        assert done.finishReason == "error"
        assert "API key was rejected" in done.error
        assert "host said: Authorization Token is invalid" in done.error
    errors = [s for s in client.statuses if s.state == "error"]  # type: ignore[attr-defined]
    assert "API key was rejected" in errors[-1].message
    log_text = log_file.read_text() if logs_to == "file" else stderr
    assert "upstream failure" in log_text
    for text in [*everything_sent(client), json.dumps(history), log_text, stderr]:
        assert leaked_pieces(KEY, text) == []


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("apiKey", 31415926535897932384626433, "glm.apiKey"),
        ("apiKey", [KEY], "glm.apiKey"),
        ("apiKey", {"value": KEY}, "glm.apiKey"),
        ("apiKey", f"paste: {KEY}", "glm.apiKey"),
        ("baseUrl", KEY, "glm.baseUrl"),
        ("provider", KEY, "glm.provider"),
        (KEY, True, "unknown setting"),
    ],
    ids=["number", "list", "object", "with-text", "in-baseUrl", "in-provider", "as-a-name"],
)
async def test_wrongly_typed_or_misplaced_key_is_named_never_echoed(
    start_server: StartServer,
    glm_endpoint: GlmEndpoint,
    tmp_path: Path,
    setting: str,
    value: Any,
    named: str,
) -> None:
    """Ensure that a key given as a number, a list, an object, with extra text, or pasted into
    another setting (or as a setting's name) is refused with an error that names the setting,
    and that no piece of it appears in any message, status or log line."""
    log_file = tmp_path / "server.log"
    good = {"provider": "custom", "baseUrl": glm_endpoint.url}
    client = await start_server(
        args=("-vv", "--log-file", str(log_file)), workspace_config={"glm": good}
    )
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))  # type: ignore[attr-defined]
    client.set_configuration({"glm": {**good, setting: value}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    await wait_until(lambda: any(named in m.message for m in client.messages))
    status = await command(client, "glm.status", {})
    await client.shutdown_session()

    refusal = next(m for m in client.messages if named in m.message)
    assert refusal.type == types.MessageType.Error
    assert status["baseUrl"] == glm_endpoint.url
    secret = str(value) if setting == "apiKey" and isinstance(value, int) else KEY
    for text in [*everything_sent(client), log_file.read_text()]:
        assert leaked_pieces(secret, text) == []


async def test_key_pasted_with_its_newline_is_used_without_it(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a key pasted with a trailing newline is accepted and sent without it, and that
    neither form appears in any message or log line."""
    log_file = tmp_path / "server.log"
    glm_endpoint.enqueue(Reply.stream(["ok"]))
    config = {"provider": "custom", "baseUrl": glm_endpoint.url, "apiKey": f"{KEY}\n"}
    client = await start_server(
        args=("-vv", "--log-file", str(log_file)), workspace_config={"glm": config}
    )
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))  # type: ignore[attr-defined]
    started = await command(client, "glm.chat.send", {"message": "hello"})
    await wait_until(
        lambda: any(
            kind == "done" and p.turnId == started["turnId"]
            for kind, p in client.chat_events  # type: ignore[attr-defined]
        )
    )
    await client.shutdown_session()

    assert glm_endpoint.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert not [m for m in client.messages if m.type == types.MessageType.Error]
    for text in [*everything_sent(client), log_file.read_text()]:
        assert leaked_pieces(KEY, text) == []


async def test_key_in_a_model_answer_never_reaches_the_editor(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure that even a route no message masks (a model answer streamed as chat deltas and
    replayed by glm.chat.history) carries the key only as asterisks: the last net is the
    transport writer, which masks every remembered key in every byte sent."""
    glm_endpoint.enqueue(Reply.stream(["your key is ", KEY[:20], KEY[20:], " — keep it safe"]))
    client = await start_server(
        env={"GLM_API_KEY": KEY},
        workspace_config={"glm": {"provider": "custom", "baseUrl": glm_endpoint.url}},
    )
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))  # type: ignore[attr-defined]
    started = await command(client, "glm.chat.send", {"message": "what is my key?"})
    await wait_until(
        lambda: any(
            kind == "done" and p.turnId == started["turnId"]
            for kind, p in client.chat_events  # type: ignore[attr-defined]
        )
    )
    history = await command(client, "glm.chat.history", {"chatId": started["chatId"]})
    await client.shutdown_session()

    answer = history[-1]["content"]
    assert answer.startswith("your key is ") and answer.endswith(" — keep it safe")
    assert "*" * len(KEY) in answer
    assert all(leaked_pieces(KEY, text) == [] for text in everything_sent(client))
