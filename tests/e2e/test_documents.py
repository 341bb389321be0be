"""Document sync over LSP: changes to documents never opened stay off the disk, and
incremental edits (multi-byte, surrogate pairs, CRLF) reach every feature exactly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from lsprotocol import types

from tests.e2e.editor_sim import StartEditor
from tests.e2e.harness import StartServer, wait_until
from tests.e2e.test_code_actions import as_json, code_actions, command_arg, start_editor
from tests.glm_endpoint import GlmEndpoint

__all__ = ["start_editor"]


def change(
    uri: str, version: int, edits: list[tuple[tuple[int, int, int, int], str]]
) -> types.DidChangeTextDocumentParams:
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=sl, character=sc),
                    end=types.Position(line=el, character=ec),
                ),
                text=text,
            )
            for (sl, sc, el, ec), text in edits
        ],
    )


async def status(client: Any) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.status", arguments=[{}])
    )


async def inspect(client: Any, uri: str, line: int, character: int) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="glm.context.inspect",
            arguments=[
                {"uri": uri, "position": {"line": line, "character": character}, "feature": "chat"}
            ],
        )
    )


async def test_changes_to_unopened_documents_never_read_the_disk(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Ensure didChange for a URI that was never opened (a FIFO, /dev/stdin) is ignored: the
    server does not block reading it and keeps answering."""
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    client = await start_server(root=tmp_path)
    for uri in (fifo.as_uri(), "file:///dev/stdin"):
        client.text_document_did_change(change(uri, 2, []))
        client.text_document_did_change(change(uri, 3, [((0, 0, 0, 0), "x")]))
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=4),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="whole")],
            )
        )
    assert (await status(client))["state"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=fifo.as_uri()),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=1)
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not actions
    assert (await status(client))["state"]


async def test_incremental_edits_reach_the_context_engine(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Ensure utf-16 incremental edits across CRLF lines and after a surrogate pair leave the
    text the editor has, as the context engine sees it at the cursor."""
    path = tmp_path / "edited.py"
    text = 'emoji = "😀"\r\nfirst = 1\r\nsecond = 2\r\n'
    path.write_text(text, newline="")
    client = await start_server(root=tmp_path)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=text
            )
        )
    )
    # After the emoji (2 utf-16 units) insert a comment; join "first" and "second" lines.
    client.text_document_did_change(change(uri, 2, [((0, 12, 0, 12), "  # 🙂 ok")]))
    client.text_document_did_change(change(uri, 3, [((1, 9, 2, 0), "; ")]))
    result = await inspect(client, uri, 1, 0)
    cursor = "\n".join(p["text"] for p in result["pieces"] if p["source"] == "cursor")
    assert 'emoji = "😀"  # 🙂 ok' in cursor
    assert "first = 1; second = 2" in cursor


async def test_code_actions_deep_in_a_large_document_name_the_real_lines(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure code actions deep in a 40,000-line document (read as a window of lines around
    the request) target the enclosing function and the diagnostic's function by their real
    line numbers, exactly as in a small document."""
    text = "".join(f"def f{n}(x):\n    y = x + {n}\n    return y\n\n\n" for n in range(8000))
    client, editor = await start_editor(
        {"provider": "custom", "baseUrl": glm_endpoint.url}, root=tmp_path
    )
    uri = (tmp_path / "big.py").as_uri()
    editor.open(uri, text)
    cursor = 5 * 6000 + 1
    function = {"start": {"line": 30000, "character": 0}, "end": {"line": 30003, "character": 0}}
    actions = await code_actions(client, uri, (cursor, 4), (cursor, 4))
    assert [as_json(command_arg(a))["range"] for a in actions] == [function] * 4
    warning = types.Diagnostic(
        range=types.Range(
            start=types.Position(line=cursor + 1, character=4),
            end=types.Position(line=cursor + 1, character=10),
        ),
        message="returns y",
    )
    fix = (await code_actions(client, uri, (cursor, 4), (cursor, 4), [warning]))[0]
    assert fix.title == "GLM: Fix"
    assert as_json(command_arg(fix))["range"] == function


async def test_documents_under_percent_encoded_uris_are_found(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a document whose URI is percent-encoded (a space, an accent: VS Code encodes
    both) is found by the features after didOpen and didChange, as under a plain URI."""
    folder = tmp_path / "my projé"
    folder.mkdir()
    path = folder / "geometry.py"
    text = "def area(r):\n    return r * r\n"
    path.write_text(text)
    client, editor = await start_editor(
        {"provider": "custom", "baseUrl": glm_endpoint.url}, root=tmp_path
    )
    uri = path.as_uri()
    assert "%20" in uri and "%C3%A9" in uri
    editor.open(uri, text)
    editor.user_edit(uri, len("def area(r):\n    return r * r"), len(text) - 1, " * 3")
    await wait_until(lambda: not editor.docs[uri].pending)
    actions = await code_actions(client, uri, (1, 4), (1, 4))
    function = {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}
    assert [as_json(command_arg(a))["range"] for a in actions] == [function] * 4
