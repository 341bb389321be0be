"""Bad input gets a clear answer and the server keeps serving: malformed messages, unknown
URIs, out-of-range positions, unknown commands, binary and huge documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.e2e.harness import StartServer, wait_until
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

KEY = "sk-bad-input-test-0123456789abcdef"


async def start(start_server: StartServer, endpoint: GlmEndpoint) -> Any:
    client = await start_server(
        env={"GLM_API_KEY": KEY},
        workspace_config={
            "glm": {"provider": "zai", "baseUrl": endpoint.url, "inline": {"debounceMs": 0}}
        },
    )
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))
    return client


async def alive(client: Any) -> None:
    status = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.status", arguments=[{}])
    )
    assert status["provider"] == "zai"


def open_text(client: Any, uri: str, text: str, language: str = "python") -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text
            )
        )
    )


async def inline(client: Any, uri: str, line: int, character: int) -> list[Any]:
    result = await client.text_document_inline_completion_async(
        types.InlineCompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
            context=types.InlineCompletionContext(
                trigger_kind=types.InlineCompletionTriggerKind.Invoked
            ),
        )
    )
    if result is None:
        return []
    return list(result.items if isinstance(result, types.InlineCompletionList) else result)


async def test_malformed_message_is_survived(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a message that is not JSON, and one that is JSON but not JSON-RPC, do not stop
    the server."""
    client = await start(start_server, glm_endpoint)
    stdin = client._server.stdin
    for body in (b"{this is not json", b'{"jsonrpc": "2.0", "id": 99, "method": 12}'):
        stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    await stdin.drain()
    await alive(client)


async def test_unknown_uri_and_out_of_range_positions_answer_empty(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure inline completion on an unknown document or beyond the end of a document answers
    empty without a model request, and the server keeps serving."""
    client = await start(start_server, glm_endpoint)
    assert await inline(client, (tmp_path / "nowhere.py").as_uri(), 3, 4) == []
    uri = (tmp_path / "small.py").as_uri()
    open_text(client, uri, "x = 1\n")
    assert await inline(client, uri, 500, 0) == []
    assert glm_endpoint.requests == [], str(glm_endpoint.requests[0].body)[-1500:]
    await inline(client, uri, 0, 999)  # a column past the line end is clamped to it
    await alive(client)


async def test_code_action_and_edit_with_out_of_range_positions(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a code-action request and glm.refactor with a range beyond the document get a
    clear answer (actions clamped to the document; a refusal or error naming the range),
    never a crash."""
    client = await start(start_server, glm_endpoint)
    uri = (tmp_path / "small.py").as_uri()
    open_text(client, uri, "def f():\n    return 1\n")
    far = types.Range(
        start=types.Position(line=40, character=0), end=types.Position(line=44, character=3)
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=far,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    for action in actions or []:
        assert isinstance(action, types.CodeAction) and action.command is not None
        offered = action.command.arguments[0]["range"]
        assert offered["end"]["line"] <= 2  # clamped to the document's 2 lines
    bad_range = {"start": {"line": 40, "character": 0}, "end": {"line": 44, "character": 3}}
    try:
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="glm.refactor", arguments=[{"uri": uri, "range": bad_range}]
            )
        )
        assert result["applied"] is False and result.get("reason")
    except JsonRpcException as exc:
        assert "range" in str(exc).lower()
    assert glm_endpoint.requests == []
    await alive(client)


async def test_unknown_command_is_an_error_and_server_serves(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure an unknown command gets a JSON-RPC error and the server keeps serving."""
    client = await start(start_server, glm_endpoint)
    with pytest.raises(JsonRpcException):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="glm.nope", arguments=[{}])
        )
    await alive(client)


async def test_binary_and_huge_documents_are_not_sent(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a binary document and a huge minified one never reach the model, and completions
    elsewhere still work."""
    glm_endpoint.default = Reply.stream(["<COMPLETION>", " + b", "</COMPLETION>"])
    client = await start(start_server, glm_endpoint)
    binary = (tmp_path / "blob.py").as_uri()
    open_text(client, binary, "abc\x00\x01\x02" * 1000)
    huge = (tmp_path / "bundle.min.js").as_uri()
    marker = "HUGE_MINIFIED_MARKER"
    open_text(client, huge, ("var a=1;" * 200_000) + marker, "javascript")
    await inline(client, binary, 0, 3)
    await inline(client, huge, 0, 10)
    code = (tmp_path / "add.py").as_uri()
    open_text(client, code, "def add(a, b):\n    return a\n")
    items = await inline(client, code, 1, 12)
    assert [item.insert_text for item in items] == [" + b"]
    for record in glm_endpoint.requests:
        body = str(record.body)
        assert "\\x00" not in body and "\x00" not in body
        assert marker not in body
    await alive(client)
