"""Next-edit suggestions as an editor sees them: the real server (``python -m glm_lsp``) against
the loopback GLM endpoint, whose fake model rewrites the region the prompt marks. Each test
checks what the editor receives (``glm/nextEdit`` and its alias
``textDocument/copilotInlineEdit``) and what the endpoint was sent."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcRequestCancelled
from pytest_lsp import LanguageClient

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from tests.e2e.harness import FULL_CAPS, StartServer
from tests.e2e.inline_support import Doc, start
from tests.glm_endpoint import GlmEndpoint, Recorded
from tests.glm_replies import Reply

NEXT_EDIT = "glm/nextEdit"
COPILOT = "textDocument/copilotInlineEdit"

SCALE = (
    'def scale(value, factor):\n    label = "😀" + str(value)\n    return value * factor, label\n'
)
"""A parameter used twice below its definition; an astral character before the first use, so
UTF-16 columns differ from code points there."""


def _region(body: Any) -> str | None:
    """The region the prompt asks to rewrite (cursor mark removed), or None for another
    request."""
    content = json.dumps(body)
    if REGION_OPEN not in content:
        return None
    user = str(body["messages"][-1]["content"])
    inside = user.split(REGION_OPEN + "\n", 1)[1].split(REGION_CLOSE, 1)[0]
    return inside.replace(CURSOR, "")


def _rewrite_with(endpoint: GlmEndpoint, rewrite: Callable[[str], str], **kw: Any) -> None:
    """Answer every next-edit request with its region rewritten by ``rewrite``."""

    def handler(body: Any) -> Reply | None:
        region = _region(body) if isinstance(body, dict) else None
        if region is None:
            return None
        return Reply.stream([f"<{TAG}>\n", rewrite(region), f"</{TAG}>"], **kw)

    endpoint.handler = handler


def _rename(old: str, new: str) -> Callable[[str], str]:
    return lambda region: re.sub(rf"\b{old}\b", new, region)


def _requests(endpoint: GlmEndpoint) -> list[Recorded]:
    return [r for r in endpoint.requests if _region(r.body) is not None]


def _plain(value: Any) -> Any:
    """A custom request's result (namedtuples in the pygls client) as plain JSON values."""
    if hasattr(value, "_asdict"):
        return {key: _plain(item) for key, item in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _params(doc: Doc, line: int, character: int, version: int | None = None) -> dict[str, Any]:
    return {
        "textDocument": {"uri": doc.uri, "version": doc.version if version is None else version},
        "position": {"line": line, "character": character},
    }


async def _ask(client: LanguageClient, params: Any, method: str = NEXT_EDIT) -> list[Any]:
    result = _plain(await client.protocol.send_request_async(method, params))
    assert set(result) == {"edits"}, result
    return list(result["edits"])


def _send(client: LanguageClient, params: Any, msg_id: str, method: str = NEXT_EDIT) -> Any:
    """Send a request now (not when awaited) with an id the test can cancel."""
    return asyncio.ensure_future(client.protocol.send_request_async(method, params, msg_id=msg_id))


def _utf16_to_index(line: str, units: int) -> int:
    seen = 0
    for index, char in enumerate(line):
        if seen >= units:
            return index
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def _apply(text: str, edits: list[Any]) -> str:
    """The text after the edits (UTF-16 ranges, applied bottom-up)."""
    lines = text.split("\n")

    def offset(position: dict[str, int]) -> int:
        row = position["line"]
        return sum(len(x) + 1 for x in lines[:row]) + _utf16_to_index(
            lines[row], position["character"]
        )

    ordered = sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True)
    for edit in ordered:
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["text"] + text[end:]
    return text


def _replace(
    doc: Doc, line: int, start: int, end: int, text: str, units: tuple[int, int] | None = None
) -> None:
    """One incremental change on ``line`` (columns in code points; ``units``: the same columns
    in UTF-16 units when they differ), as an editor sends it."""
    first, last = units if units is not None else (start, end)
    lines = doc.text.split("\n")
    lines[line] = lines[line][:start] + text + lines[line][end:]
    doc.text = "\n".join(lines)
    doc.version += 1
    doc.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=first),
                        end=types.Position(line=line, character=last),
                    ),
                    text=text,
                )
            ],
        )
    )


async def _status(client: LanguageClient) -> Any:
    """``glm.status`` (its answer also proves every earlier notification was handled)."""
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.status", arguments=[{}])
    )


async def _renamed(
    start_server: StartServer, endpoint: GlmEndpoint, tmp_path: Path, **kw: Any
) -> tuple[LanguageClient, Doc]:
    """A server and ``SCALE`` open, its parameter ``value`` just renamed to ``amount``."""
    client = await start(start_server, endpoint, **kw)
    doc = Doc.at(client, tmp_path / "scale.py", SCALE)
    _replace(doc, 0, 10, 15, "amount")
    return client, doc


async def test_next_edit_and_its_copilot_alias_answer_the_uses_of_a_renamed_parameter(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure renaming a parameter makes glm/nextEdit answer edits that rename its uses, in
    UTF-16 ranges (an emoji precedes a use), for the version asked about, each with the
    glm.nextEdit.accepted command and an id; textDocument/copilotInlineEdit answers the same
    edits; the prompt shows the rename in the edit history."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    edits = await _ask(client, _params(doc, 0, 16))
    assert edits
    assert _apply(doc.text, edits) == SCALE.replace("value", "amount")
    for edit in edits:
        assert edit["textDocument"] == {"uri": doc.uri, "version": 2}
        assert edit["command"]["command"] == "glm.nextEdit.accepted"
        (argument,) = edit["command"]["arguments"]
        assert isinstance(argument["id"], str) and argument["id"]
    first_use = next(e for e in edits if e["range"]["start"]["line"] == 1)
    assert first_use["range"]["start"]["character"] >= len('    label = "😀" + str(') + 1
    alias = await _ask(client, _params(doc, 0, 16), COPILOT)
    strip = [{k: v for k, v in e.items() if k != "command"} for e in edits]
    assert [{k: v for k, v in e.items() if k != "command"} for e in alias] == strip
    prompt = str(_requests(glm_endpoint)[0].body["messages"][-1]["content"])
    assert "-def scale(value, factor):" in prompt and "+def scale(amount, factor):" in prompt


async def test_no_edits_when_disabled(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure nextEdit.enabled false answers an empty edits list and asks the model nothing."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client, doc = await _renamed(
        start_server, glm_endpoint, tmp_path, glm={"nextEdit": {"enabled": False}}
    )
    assert await _ask(client, _params(doc, 0, 16)) == []
    assert await _ask(client, _params(doc, 0, 16), COPILOT) == []
    assert _requests(glm_endpoint) == []


async def test_no_edits_when_the_model_keeps_the_region_or_only_undoes_the_last_edit(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an answer equal to the region, and an answer that only puts back what the user
    just renamed, both give an empty edits list (after asking the model)."""
    _rewrite_with(glm_endpoint, lambda region: region)
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    assert await _ask(client, _params(doc, 0, 16)) == []
    _rewrite_with(glm_endpoint, lambda region: region.replace("scale(amount", "scale(value"))
    assert await _ask(client, _params(doc, 0, 16)) == []
    assert len(_requests(glm_endpoint)) == 2


async def test_an_answer_for_a_version_the_user_moved_on_from_is_never_sent(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a request about an older version than the server's answers no edits without
    asking the model, and a change typed while the model answers makes that answer empty
    (never an edit against the version the user left)."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"), first_delay=4.0)
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    assert await _ask(client, _params(doc, 0, 16, version=1)) == []
    assert _requests(glm_endpoint) == []
    pending = _send(client, _params(doc, 0, 16), "next-stale")
    await glm_endpoint.until(lambda e: len(_requests(e)) == 1, 10)
    _replace(doc, 2, 0, 0, "    ")
    await _status(client)  # the change reached the server before the answer (4 s later)
    result = _plain(await pending)
    assert result == {"edits": []}
    counters = _plain(await _status(client))["nextEdit"]
    assert counters["stale"] >= 1 and counters["shown"] == 0


async def test_cancel_request_closes_the_upstream_stream(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure $/cancelRequest of a glm/nextEdit answers RequestCancelled and the endpoint sees
    the server close the stream; the server then answers the next request."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"), first_delay=30.0)
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    pending = _send(client, _params(doc, 0, 16), "next-cancel")
    await glm_endpoint.until(lambda e: len(_requests(e)) == 1, 10)
    client.cancel_request(types.CancelParams(id="next-cancel"))
    with pytest.raises(JsonRpcRequestCancelled):
        await pending
    (record,) = _requests(glm_endpoint)
    await glm_endpoint.until(lambda _: record.gone is not None, 10)
    assert record.finished is None
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    assert await _ask(client, _params(doc, 0, 16))


def _accept_first(doc: Doc, edits: list[Any]) -> dict[str, Any]:
    """Apply the first edit (document order, one line) as the editor does; that edit."""
    edit = min(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]))
    start, end = edit["range"]["start"], edit["range"]["end"]
    assert start["line"] == end["line"]
    line_text = doc.text.split("\n")[start["line"]]
    begin = _utf16_to_index(line_text, start["character"])
    stop = _utf16_to_index(line_text, end["character"])
    units = (start["character"], end["character"])
    _replace(doc, start["line"], begin, stop, edit["text"], units)
    return edit


async def test_a_shown_suggestion_starts_the_follow_up_and_its_accept_is_answered_from_it(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure that once glm/nextEdit returned edits the endpoint gets the follow-up request
    (on the document with the first edit applied) before any accept; after the editor applies
    that edit and runs glm.nextEdit.accepted (counted in glm.status) the next glm/nextEdit is
    answered from it without another upstream request (the only later request is the
    speculation for the new answer), at the new version."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    edits = await _ask(client, _params(doc, 0, 16))
    await glm_endpoint.until(lambda e: len(_requests(e)) == 2, 10)
    speculative = _region(_requests(glm_endpoint)[1].body)
    assert speculative is not None and "str(amount)" in speculative
    edit = _accept_first(doc, edits)
    assert edit["range"]["start"]["line"] == 1
    line = doc.text.split("\n")[1]
    column = line.index("amount") + len("amount")
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=edit["command"]["command"], arguments=edit["command"]["arguments"]
        )
    )
    status = _plain(await _status(client))["nextEdit"]
    assert status["accepted"] == 1 and status["requests"] == 1
    assert status["speculated"] == 1 and status["speculationHits"] == 1
    assert status["prefetched"] == 0 and status["shown"] == len(edits)
    assert len(_requests(glm_endpoint)) == 2
    after = await _ask(client, _params(doc, 1, len(line[:column].encode("utf-16-le")) // 2))
    status = _plain(await _status(client))["nextEdit"]
    assert status["prefetchHits"] == 1 and status["requests"] == 2
    assert status["upstream"] == 1 + status["speculated"]
    for later in after:
        assert later["textDocument"]["version"] == doc.version
    assert _apply(doc.text, after) == SCALE.replace("value", "amount")


async def test_a_change_other_than_the_accept_closes_the_speculative_stream(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the follow-up request started for a shown suggestion is closed (the endpoint
    sees the server go away before the answer) when the user types something else instead of
    accepting, and glm.status counts it as missed."""
    fast = _rename("value", "amount")
    calls: list[int] = []

    def handler(body: Any) -> Reply | None:
        region = _region(body) if isinstance(body, dict) else None
        if region is None:
            return None
        calls.append(1)
        delay = 0.0 if len(calls) == 1 else 30.0
        return Reply.stream([f"<{TAG}>\n", fast(region), f"</{TAG}>"], first_delay=delay)

    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    glm_endpoint.handler = handler
    assert await _ask(client, _params(doc, 0, 16))
    await glm_endpoint.until(lambda e: len(_requests(e)) == 2, 10)
    speculative = _requests(glm_endpoint)[1]
    _replace(doc, 2, 0, 0, "    ")
    await glm_endpoint.until(lambda _: speculative.gone is not None, 10)
    assert speculative.finished is None
    status = _plain(await _status(client))["nextEdit"]
    assert status["speculationMissed"] == 1 and status["speculationHits"] == 0


async def test_did_show_inline_edit_is_counted(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure textDocument/didShowInlineEdit (sent by Copilot's clients) is accepted as a
    notification and counted in glm.status (clientShown)."""
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    client.protocol.notify(
        "textDocument/didShowInlineEdit", {"item": {"textDocument": {"uri": doc.uri}}}
    )
    status = _plain(await _status(client))["nextEdit"]
    assert status["clientShown"] == 1


async def test_bad_requests_get_clear_errors_and_the_server_keeps_serving(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an unknown uri, a line past the document's end and malformed params each get
    InvalidParams naming the problem, on both names, and a good request still works after."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    cases: list[tuple[Any, str]] = [
        (
            {
                "textDocument": {"uri": "file:///nowhere.py", "version": 1},
                "position": {"line": 0, "character": 0},
            },
            "not open",
        ),
        (_params(doc, 40, 0), "past the end"),
        ({"textDocument": {"uri": doc.uri, "version": 2}}, "position is missing"),
        (
            {
                "textDocument": {"uri": doc.uri, "version": "2"},
                "position": {"line": 0, "character": 0},
            },
            "textDocument.version",
        ),
        (
            {
                "textDocument": {"uri": doc.uri, "version": 2},
                "position": {"line": -1, "character": 0},
            },
            "position.line",
        ),
        (None, "textDocument is missing"),
        ([1, 2], "textDocument is missing"),
    ]
    for method in (NEXT_EDIT, COPILOT):
        for params, words in cases:
            with pytest.raises(JsonRpcInvalidParams) as raised:
                await client.protocol.send_request_async(method, params)
            assert words in str(raised.value), (params, str(raised.value))
    with pytest.raises(JsonRpcInvalidParams) as raised:
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="glm.nextEdit.accepted", arguments=[{}])
        )
    assert "id" in str(raised.value)
    assert await _ask(client, _params(doc, 0, 16))
    assert _requests(glm_endpoint)


@pytest.mark.parametrize("filler", [0, 400], ids=["small", "over 4000 characters"])
async def test_a_client_sending_whole_texts_still_feeds_the_edit_history(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path, filler: int
) -> None:
    """Ensure a rename sent as a whole-document change (of a small file, and of one whose
    text is reduced to its changed lines first) reaches the prompt's edit history as that one
    line's change, so the uses are suggested as with incremental changes; a cursor past the
    end of its line is read as the line's end."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client = await start(start_server, glm_endpoint)
    text = SCALE + "".join(f"# filler line {i}\n" for i in range(filler))
    doc = Doc.at(client, tmp_path / "scale.py", text)
    doc.text, doc.version = text.replace("scale(value", "scale(amount"), 2
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=doc.text)],
        )
    )
    edits = await _ask(client, _params(doc, 0, 999))
    assert _apply(doc.text, edits) == text.replace("value", "amount")
    prompt = str(_requests(glm_endpoint)[0].body["messages"][-1]["content"])
    assert "-def scale(value, factor):" in prompt and "+def scale(amount, factor):" in prompt
    assert "-    return value" not in prompt


async def test_secrets_in_the_region_never_go_upstream_and_excluded_files_are_not_sent(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a token in the lines the prompt shows is masked in the requests the endpoint
    receives (the speculative follow-up's too; the edits elsewhere still come back), and a
    file matching ``exclude`` gets no edits and sends nothing upstream."""
    token = "ghp_4f8Kd92LmQz7Xv1Bn3Hc6Jt0Rw5Ys8Ue2Pa"
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client = await start(start_server, glm_endpoint, glm={"exclude": ["private_*.py"]})
    text = f'TOKEN = "{token}"\n' + SCALE
    doc = Doc.at(client, tmp_path / "scale.py", text)
    _replace(doc, 1, 10, 15, "amount")
    edits = await _ask(client, _params(doc, 1, 16))
    assert _apply(doc.text, edits) == text.replace("value", "amount")
    await glm_endpoint.until(lambda e: len(_requests(e)) == 2, 10)  # and its speculation
    for record in _requests(glm_endpoint):
        assert token not in json.dumps(record.body)
    hidden = Doc.at(client, tmp_path / "private_scale.py", SCALE)
    _replace(hidden, 0, 10, 15, "amount")
    assert await _ask(client, _params(hidden, 0, 16)) == []
    assert len(_requests(glm_endpoint)) == 2


async def test_a_newer_request_for_the_document_supersedes_the_one_in_flight(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a second glm/nextEdit for the same document while the first is upstream closes
    the first's stream (the endpoint sees the server go away), the first answers no edits
    and the second answers the rename's uses."""
    glm_endpoint.enqueue(Reply.stream(["never"], first_delay=30.0))
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    first = _send(client, _params(doc, 0, 16), "next-first")
    await glm_endpoint.until(lambda e: len(e.requests) == 1, 10)
    second = await _ask(client, _params(doc, 0, 14))
    assert _apply(doc.text, second) == SCALE.replace("value", "amount")
    assert _plain(await first) == {"edits": []}
    stale = glm_endpoint.requests[0]
    await glm_endpoint.until(lambda _: stale.gone is not None, 10)
    assert _plain(await _status(client))["nextEdit"]["superseded"] == 1


async def test_an_added_line_in_a_crlf_document_keeps_its_line_breaks(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure that after adding a parameter in a document with CRLF line breaks, the
    suggested new line (storing it) is inserted with CRLF too, not a bare LF."""
    point = "\r\n".join(
        [
            "class Point:",
            "    def __init__(self, x, y):",
            "        self.x = x",
            "        self.y = y",
            "",
        ]
    )

    def store_z(region: str) -> str:
        return region.replace("        self.y = y\n", "        self.y = y\n        self.z = z\n")

    _rewrite_with(glm_endpoint, store_z)
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "point.py", point)
    _replace(doc, 1, 28, 28, ", z")
    edits = await _ask(client, _params(doc, 1, 31))
    assert _apply(doc.text, edits) == doc.text + "        self.z = z\r\n"


async def test_a_utf8_client_gets_ranges_in_bytes(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a client that negotiated utf-8 positions (Neovim can) gets the use after the
    emoji as a range counted in UTF-8 bytes, and its cursor read in bytes too."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    caps = types.ClientCapabilities(
        workspace=FULL_CAPS.workspace,
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf8]
        ),
    )
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path, capabilities=caps)
    edits = await _ask(client, _params(doc, 0, 16))
    line = SCALE.split("\n")[1]
    start = len(line[: line.index("value")].encode())
    use = next(e for e in edits if e["range"]["start"]["line"] == 1)
    assert use["range"] == {
        "start": {"line": 1, "character": start},
        "end": {"line": 1, "character": start + len("value")},
    }
    assert use["text"] == "amount"
    prompt = str(_requests(glm_endpoint)[0].body["messages"][-1]["content"])
    assert f"def scale(amount{CURSOR}, factor):" in prompt


async def test_a_uri_spelled_unquoted_finds_the_document_and_its_history(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a document opened as ``.../my%20project/scale.py`` and asked about as
    ``.../my project/scale.py`` gets the same suggestion from its edit history, answered
    under the spelling the request used."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client = await start(start_server, glm_endpoint)
    doc = Doc.at(client, tmp_path / "my project" / "scale.py", SCALE)
    assert "%20" in doc.uri
    _replace(doc, 0, 10, 15, "amount")
    params = _params(doc, 0, 16)
    params["textDocument"]["uri"] = unquote(doc.uri)
    edits = await _ask(client, params)
    assert _apply(doc.text, edits) == SCALE.replace("value", "amount")
    assert {e["textDocument"]["uri"] for e in edits} == {unquote(doc.uri)}
    prompt = str(_requests(glm_endpoint)[0].body["messages"][-1]["content"])
    assert "+def scale(amount, factor):" in prompt


async def test_related_code_from_another_file_is_in_the_prompt_once(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure another open file the user just edited reaches the prompt as related code, once
    (not once as an open file and again as a recent edit), and the document's own lines are
    not repeated as a snippet."""
    _rewrite_with(glm_endpoint, _rename("value", "amount"))
    client, doc = await _renamed(start_server, glm_endpoint, tmp_path)
    other = Doc.at(client, tmp_path / "other.py", "from scale import scale\n\nprint(scale(2, 3))\n")
    _replace(other, 2, 0, 0, "x = 1\n")
    await client.workspace_execute_command_async(  # waits until the files are prepared
        types.ExecuteCommandParams(
            command="glm.context.inspect",
            arguments=[{"uri": doc.uri, "position": {"line": 0, "character": 16}}],
        )
    )
    assert await _ask(client, _params(doc, 0, 16))
    prompt = str(_requests(glm_endpoint)[0].body["messages"][-1]["content"])
    assert prompt.count("<snippet path='other.py'>") == 1
    assert "x = 1\nprint(scale(2, 3))" in prompt
    assert "<snippet path='scale.py'>" not in prompt
