"""Inline completion as an editor sees it: the real server (``python -m glm_lsp``) against the
loopback GLM endpoint. Each test checks what the editor receives and what the endpoint was sent
(request bodies, how many requests, the moment the server went away from a stream)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from tests.e2e.harness import FULL_CAPS, StartServer, wait_until
from tests.e2e.inline_support import (
    Doc,
    answer,
    ask,
    inline_requests,
    is_inline,
    send,
    start,
    texts,
    user_prompt,
)
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

NO_INLINE_CAPS = types.ClientCapabilities(workspace=FULL_CAPS.workspace, window=FULL_CAPS.window)
"""A client without ghost text (Neovim 0.11 declares no inlineCompletion capability)."""

ADD = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a\n'
FIB = "def fib(n):\n\n\nprint(fib(10))\n"


async def test_capabilities_advertise_inline_completion_and_fallback(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure initialize advertises inlineCompletionProvider, completionProvider and the
    glm.inline.accepted command."""
    client = await start(start_server, glm_endpoint)
    caps = client.init_result.capabilities  # type: ignore[attr-defined]
    assert caps.inline_completion_provider is not None
    assert caps.completion_provider is not None
    assert "glm.inline.accepted" in caps.execute_command_provider.commands


async def test_answers_a_client_that_did_not_declare_the_capability(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a client without the inlineCompletion capability (Neovim 0.11) still gets an item:
    insertText, an empty range at the cursor and the glm.inline.accepted command with an id."""
    glm_endpoint.default = answer(" + b")
    client = await start(start_server, glm_endpoint, capabilities=NO_INLINE_CAPS)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    cursor = doc.end_of(2)
    (item,) = await ask(client, doc.uri, cursor)
    assert item.insert_text == " + b"
    assert item.range == types.Range(start=cursor, end=cursor)
    assert item.command is not None and item.command.command == "glm.inline.accepted"
    (argument,) = item.command.arguments or []
    assert isinstance(argument["id"], str) and argument["id"]


async def test_block_opener_asks_for_a_block_and_mid_line_for_one_line(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the end of a line opening an empty block asks in block mode and keeps a
    multi-line body, while a mid-line cursor asks for one line and cuts a longer answer."""
    body = "\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)"
    glm_endpoint.enqueue(answer(body), answer("10, 20)\nprint('more')"))
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "fib.py", FIB)
    (block,) = await ask(client, doc.uri, doc.end_of(0))
    assert block.insert_text == body
    mid = Doc.at(client, tmp_path / "calls.py", "total = max()\n")
    (line,) = await ask(client, mid.uri, types.Position(line=0, character=12))
    assert line.insert_text == "10, 20"
    first, second = inline_requests(glm_endpoint)
    assert 'mode="block"' in user_prompt(first)
    assert 'mode="single line"' in user_prompt(second)


async def test_no_request_when_the_cursor_is_inside_a_word(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a cursor inside a word gets an empty answer and nothing goes upstream."""
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    assert await ask(client, doc.uri, types.Position(line=2, character=7)) == []
    assert await ask(client, doc.uri, types.Position(line=0, character=5)) == []
    assert inline_requests(glm_endpoint) == []


async def test_stream_is_closed_as_soon_as_the_line_is_complete(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the answer arrives, and the endpoint sees the server go away, right after the
    line's break: the 100 tokens still to come (one every 0.3 s) are never waited for."""
    tokens = ["<COMPLETION>", " +", " b", "\n", *[f"    extra_{i} = {i}\n" for i in range(100)]]
    glm_endpoint.default = Reply.stream(tokens, delay=0.3)
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    (item,) = await ask(client, doc.uri, doc.end_of(2))
    assert item.insert_text == " + b"
    (record,) = inline_requests(glm_endpoint)
    await glm_endpoint.until(lambda _: record.gone is not None, 10)
    assert record.finished is None


async def test_final_filters_turn_a_fenced_answer_into_a_clean_insertion(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a fenced answer that repeats the cursor line is inserted as just the missing text."""
    glm_endpoint.default = Reply.stream(["```python\n", "    return a", " + b\n", "```\n"])
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    (item,) = await ask(client, doc.uri, doc.end_of(2))
    assert item.insert_text == " + b"


async def test_debounce_sends_only_the_last_of_a_burst(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure five keystrokes in quick succession, each with its own request, make one upstream
    request (for the text after the last keystroke); the earlier requests answer empty."""
    glm_endpoint.default = answer(" + b")
    client = await start(start_server, glm_endpoint, debounce_ms=1000)
    doc = Doc.at(client, tmp_path / "add.py", "def add(a, b):\n    return \n")
    cursor = doc.end_of(1)
    pending = []
    for char in "a_sum":
        cursor = doc.type(cursor, char)
        pending.append(send(client, doc.uri, cursor))
        await asyncio.sleep(0.03)
    results = [texts(r) for r in await asyncio.gather(*pending)]
    assert results == [[], [], [], [], [" + b"]]
    (record,) = inline_requests(glm_endpoint)
    assert "    return a_sum{{FILL_HERE}}" in user_prompt(record)


async def test_newer_request_cancels_the_older_stream(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a keystroke while a request is upstream closes that stream (the endpoint sees the
    server go away) and the new request is answered."""
    glm_endpoint.enqueue(answer("never", first_delay=30.0), answer(" + b"))
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    first = send(client, doc.uri, doc.end_of(2))
    await glm_endpoint.until(lambda e: len(inline_requests(e)) == 1, 10)
    cursor = doc.type(doc.end_of(2), " ")
    (item,) = await ask(client, doc.uri, cursor)
    assert item.insert_text == "+ b"
    assert texts(await first) == []
    stale = inline_requests(glm_endpoint)[0]
    await glm_endpoint.until(lambda _: stale.gone is not None, 10)


async def test_cancel_request_closes_the_upstream_stream(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure $/cancelRequest answers RequestCancelled and closes the upstream stream, and the
    status returns to ready."""
    glm_endpoint.default = answer("never", first_delay=30.0)
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    request = send(client, doc.uri, doc.end_of(2), msg_id="inline-1")
    await glm_endpoint.until(lambda e: len(inline_requests(e)) == 1, 10)
    await wait_until(lambda: client.statuses[-1].state == "busy")  # type: ignore[attr-defined]
    client.cancel_request(types.CancelParams(id="inline-1"))
    with pytest.raises(JsonRpcRequestCancelled):
        await request
    (record,) = inline_requests(glm_endpoint)
    await glm_endpoint.until(lambda _: record.gone is not None, 10)
    await wait_until(lambda: client.statuses[-1].state == "ready")  # type: ignore[attr-defined]


async def test_typing_through_a_suggestion_makes_no_request(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure typing the characters of the suggestion on screen is answered with the rest of
    it from the cache, with no new upstream request; a different character asks again."""
    glm_endpoint.enqueue(answer(" + b * 2"), answer(" c * 3"))
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    cursor = doc.end_of(2)
    assert texts(await ask(client, doc.uri, cursor)) == [" + b * 2"]
    shown = []
    for char in " + b":
        cursor = doc.type(cursor, char)
        shown.append(texts(await ask(client, doc.uri, cursor)))
    assert shown == [["+ b * 2"], [" b * 2"], ["b * 2"], [" * 2"]]
    assert len(inline_requests(glm_endpoint)) == 1
    cursor = doc.type(cursor, " ")
    assert texts(await ask(client, doc.uri, cursor)) == ["* 2"]
    cursor = doc.type(cursor, "-")
    assert texts(await ask(client, doc.uri, cursor)) == [" c * 3"]
    assert len(inline_requests(glm_endpoint)) == 2


async def test_same_position_is_answered_from_the_cache(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure asking twice at the same cursor gives the same suggestion with one request."""
    glm_endpoint.default = answer(" + b")
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    first = await ask(client, doc.uri, doc.end_of(2))
    second = await ask(client, doc.uri, doc.end_of(2))
    assert [i.insert_text for i in first] == [i.insert_text for i in second] == [" + b"]
    assert len(inline_requests(glm_endpoint)) == 1


async def test_completion_fallback_offers_the_same_suggestion_as_one_item(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure textDocument/completion, for a client without ghost text, answers one item that
    inserts the suggestion at the cursor (empty range) and carries glm.inline.accepted; an
    inline request there hits the cache."""
    glm_endpoint.default = answer(" + b")
    client = await start(start_server, glm_endpoint, capabilities=NO_INLINE_CAPS)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    cursor = doc.end_of(2)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri), position=cursor
        )
    )
    assert isinstance(result, types.CompletionList)
    (item,) = result.items
    assert isinstance(item.text_edit, types.TextEdit)
    assert item.text_edit.new_text == " + b"
    assert item.text_edit.range == types.Range(start=cursor, end=cursor)
    assert item.command is not None and item.command.command == "glm.inline.accepted"
    assert texts(await ask(client, doc.uri, cursor)) == [" + b"]
    assert len(inline_requests(glm_endpoint)) == 1


async def test_completion_menu_stays_empty_for_a_client_with_ghost_text(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a client that declares inline completion gets no GLM item in its completion menu
    (it shows ghost text instead) and no model request is made for the menu."""
    glm_endpoint.default = answer(" + b")
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.end_of(2)
        )
    )
    assert isinstance(result, types.CompletionList) and not result.items
    assert inline_requests(glm_endpoint) == []


async def test_accepted_command_is_accepted(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure running the item's command (glm.inline.accepted with its id) succeeds with null,
    as does a stale id, and nothing goes upstream for it."""
    glm_endpoint.default = answer(" + b")
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    (item,) = await ask(client, doc.uri, doc.end_of(2))
    assert item.command is not None
    for arguments in (item.command.arguments, [{"id": "no-such-suggestion"}]):
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=item.command.command, arguments=arguments)
        )
        assert result is None
    assert len(glm_endpoint.requests) == 1


async def test_no_key_answers_empty_with_one_notice(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure that without a key every request answers empty, nothing goes upstream, and the
    "no API key" notice is shown exactly once however many keystrokes ask."""
    client = await start(start_server, glm_endpoint, key=False)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    cursor = doc.end_of(2)
    for char in " + b":
        cursor = doc.type(cursor, char)
        assert await ask(client, doc.uri, cursor) == []
    await asyncio.sleep(0.2)
    notices = [m for m in client.messages if "no API key" in m.message]
    assert len(notices) == 1
    assert glm_endpoint.requests == []


async def test_upstream_failure_answers_empty_and_is_shown_once(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a host error only the user can fix (bad key) gives empty answers, one error
    message, the error status, and no further requests while typing until settings change."""
    glm_endpoint.default = Reply.error(401, "1002")
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    cursor = doc.end_of(2)
    for char in "+-*":
        cursor = doc.type(cursor, char)
        assert await ask(client, doc.uri, cursor) == []
    await asyncio.sleep(0.2)
    errors = [m for m in client.messages if m.type == types.MessageType.Error]
    assert len(errors) == 1, [m.message for m in client.messages]
    assert len(inline_requests(glm_endpoint)) == 1
    assert client.statuses[-1].state == "error"  # type: ignore[attr-defined]

    client.set_configuration({"glm": {"provider": "zai", "baseUrl": glm_endpoint.url}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    await wait_until(lambda: client.statuses[-1].state == "ready")  # type: ignore[attr-defined]
    cursor = doc.type(cursor, "/")
    assert await ask(client, doc.uri, cursor) == []
    assert len(inline_requests(glm_endpoint)) == 2


async def test_utf8_positions_put_the_hole_at_the_cursor(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a client that negotiated utf-8 positions (Neovim) gets the hole where its cursor
    is on a line with multi-byte characters, and the item's range echoes its position."""
    glm_endpoint.default = answer("name")
    caps = types.ClientCapabilities(
        workspace=FULL_CAPS.workspace,
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf8]
        ),
    )
    client = await start(start_server, glm_endpoint, capabilities=caps)
    line = 'print("naïve 😀", )'
    doc = Doc.at(client, tmp_path / "emoji.py", line + "\n")
    cursor = types.Position(line=0, character=len(line[:-1].encode()))
    (item,) = await ask(client, doc.uri, cursor)
    assert item.insert_text == "name"
    assert item.range == types.Range(start=cursor, end=cursor)
    (record,) = inline_requests(glm_endpoint)
    assert 'print("naïve 😀", {{FILL_HERE}})' in user_prompt(record)


def _git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


async def test_request_body_has_related_code_thinking_off_one_stop_and_no_secrets(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the body sent upstream holds a distinctive function from another open file when
    completing near a call to it, turns thinking off the Z.ai way, carries one stop string, uses
    inline.model, and never contains the contents of an open .env file."""
    secret = "AKIAIOSFODNN7EXAMPLE"
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    glm_endpoint.default = answer("2)")
    client = await start(
        start_server, glm_endpoint, root=root, glm={"inline": {"model": "glm-4.5-air"}}
    )
    helper = (
        "def frobnicate_widget_totals(widgets, scale):\n"
        '    """Sum widget weights scaled by scale."""\n'
        "    total = 0\n"
        "    for widget in widgets:\n"
        "        total += widget.weight * scale\n"
        "    return total\n"
    )
    Doc.at(client, root / "helpers.py", helper)
    Doc.at(client, root / ".env", f"AWS_ACCESS_KEY_ID={secret}\n", "dotenv")
    main = Doc.at(
        client,
        root / "main.py",
        "from helpers import frobnicate_widget_totals\n\n\n"
        "def report(widgets):\n    value = frobnicate_widget_totals(widgets, \n    return value\n",
    )
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="glm.context.inspect",
            arguments=[{"uri": main.uri, "position": {"line": 4, "character": 0}}],
        )
    )
    (item,) = await ask(client, main.uri, main.end_of(4))
    assert item.insert_text == "2)"
    (record,) = inline_requests(glm_endpoint)
    body: dict[str, Any] = record.body
    assert "total += widget.weight * scale" in user_prompt(record)
    assert body["thinking"] == {"type": "disabled"}
    assert body["stop"] == ["</COMPLETION>"]
    assert body["model"] == "glm-4.5-air"
    assert body["temperature"] == 0.2
    assert secret not in str(body)
    assert all(is_inline(r.body) for r in glm_endpoint.requests)


async def test_status_is_busy_while_upstream_then_ready(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure glm/status goes busy while the completion is upstream and ready after it."""
    glm_endpoint.default = answer(" + b", first_delay=0.3)
    client = await start(start_server, glm_endpoint, capabilities=FULL_CAPS)
    doc = Doc.at(client, tmp_path / "add.py", ADD)
    before = len(client.statuses)  # type: ignore[attr-defined]
    assert texts(await ask(client, doc.uri, doc.end_of(2))) == [" + b"]
    await wait_until(lambda: client.statuses[-1].state == "ready")  # type: ignore[attr-defined]
    states = [s.state for s in client.statuses[before:]]  # type: ignore[attr-defined]
    assert states == ["busy", "ready"]
