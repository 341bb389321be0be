"""Bad input gets a clear answer and the server keeps serving: malformed messages, unknown
URIs, out-of-range positions, unknown commands, binary and huge documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.e2e.harness import StartServer, wait_until
from tests.e2e.raw_client import StartRaw, frame, start_raw
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

__all__ = ["start_raw"]

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


PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
INLINE = "textDocument/inlineCompletion"
EXEC = "workspace/executeCommand"
POSITION = {"line": 0, "character": 0}
DOC_ID = {"uri": "file:///nowhere.py"}

BAD_REQUESTS: list[tuple[str, dict[str, Any], int]] = [
    (
        "codeAction with textDocument 5",
        {"method": "textDocument/codeAction", "params": {"textDocument": 5}},
        INVALID_PARAMS,
    ),
    ("inlineCompletion with params 'x'", {"method": INLINE, "params": "x"}, INVALID_PARAMS),
    ("inlineCompletion with null params", {"method": INLINE, "params": None}, INVALID_PARAMS),
    (
        "a negative position",
        {
            "method": INLINE,
            "params": {
                "textDocument": DOC_ID,
                "position": {"line": -1, "character": 0},
                "context": {"triggerKind": 1},
            },
        },
        INVALID_PARAMS,
    ),
    (
        "completion without a position",
        {"method": "textDocument/completion", "params": {"textDocument": DOC_ID}},
        INVALID_PARAMS,
    ),
    (
        "executeCommand without command",
        {"method": EXEC, "params": {"arguments": []}},
        INVALID_PARAMS,
    ),
    (
        "an unknown command",
        {"method": EXEC, "params": {"command": "glm.nope", "arguments": [{}]}},
        INVALID_PARAMS,
    ),
    (
        "glm.chat.send with a number",
        {"method": EXEC, "params": {"command": "glm.chat.send", "arguments": [5]}},
        INVALID_PARAMS,
    ),
    (
        "glm.refactor with no uri",
        {"method": EXEC, "params": {"command": "glm.refactor", "arguments": [{"range": 3}]}},
        INVALID_PARAMS,
    ),
    (
        "glm.tests with no argument",
        {"method": EXEC, "params": {"command": "glm.tests", "arguments": []}},
        INVALID_PARAMS,
    ),
    (
        "glm.chat.history without chatId",
        {"method": EXEC, "params": {"command": "glm.chat.history", "arguments": [{}]}},
        INVALID_PARAMS,
    ),
    ("an unknown method without params", {"method": "glm/noSuchMethod"}, METHOD_NOT_FOUND),
    (
        "a notification sent with an id",
        {"method": "textDocument/didClose", "params": {"textDocument": DOC_ID}},
        INVALID_REQUEST,
    ),
    ("a method that is a number", {"method": 12}, INVALID_REQUEST),
    ("no method", {}, INVALID_REQUEST),
    ("jsonrpc 1.0", {"jsonrpc": "1.0", "method": "shutdown"}, INVALID_REQUEST),
]


@pytest.mark.parametrize(
    ("message", "code"),
    [pytest.param(message, code, id=name) for name, message, code in BAD_REQUESTS],
)
async def test_request_that_cannot_be_served_gets_exactly_one_error(
    start_raw: StartRaw, message: dict[str, Any], code: int
) -> None:
    """Ensure a request whose params, method or envelope is wrong gets exactly one response,
    the JSON-RPC error the spec names (InvalidParams, MethodNotFound or InvalidRequest) with
    its id, and the server keeps serving."""
    server = await start_raw()
    server.send({"jsonrpc": "2.0", "id": 7, **message})
    answer = await server.response(7)
    assert answer["error"]["code"] == code, answer
    assert answer["error"]["message"]
    assert "result" in await server.status()
    assert len(server.responses[7]) == 1
    assert server.null_id_errors == []


BAD_FRAMES: list[tuple[str, bytes, int]] = [
    ("invalid UTF-8", frame(b'{"jsonrpc": "2.0", "id": 1, "method": "\xff\xfe"}'), PARSE_ERROR),
    ("not JSON", frame(b"{this is not json"), PARSE_ERROR),
    ("JSON nested 2,000 deep", frame(b"[" * 2000 + b"]" * 2000), PARSE_ERROR),
    (
        "a JSON array",
        frame(b'[{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}]'),
        INVALID_REQUEST,
    ),
    ("a JSON number", frame(b"5"), INVALID_REQUEST),
    (
        "an id that is an object",
        frame(b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}'),
        INVALID_REQUEST,
    ),
    ("a Content-Length that is not a number", b"Content-Length: many\r\n\r\n{}", PARSE_ERROR),
    (
        "a Content-Length over the limit",
        b"Content-Length: 99999999999999999999\r\n\r\n{}",
        INVALID_REQUEST,
    ),
    ("a negative Content-Length", b"Content-Length: -5\r\n\r\n{}", PARSE_ERROR),
    ("bytes outside a frame", b"hello\r\n\r\n", PARSE_ERROR),
    ("a 1 MB header line with no newline", b"X" * 1_000_000, PARSE_ERROR),
]


@pytest.mark.parametrize(
    ("data", "code"), [pytest.param(data, code, id=name) for name, data, code in BAD_FRAMES]
)
async def test_frame_that_cannot_be_read_gets_one_error_with_id_null(
    start_raw: StartRaw, data: bytes, code: int
) -> None:
    """Ensure bytes that are not a readable JSON-RPC request get one error with id null
    (ParseError, or InvalidRequest for JSON that is not a request or a body over the size
    limit), and the next frame is read and answered."""
    server = await start_raw()
    server.write(data)
    assert "result" in await server.status()
    assert [e["error"]["code"] for e in server.null_id_errors] == [code], server.null_id_errors
    assert all(len(answers) == 1 for answers in server.responses.values())


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
