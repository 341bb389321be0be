"""The context engine through the editor's eyes: documents opened and changed as an editor
does, then ``glm.context.inspect`` shows what the model would see."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from lsprotocol import types

from tests.e2e.harness import StartServer, open_doc

HELPER = '''def frobnicate_widget_totals(widgets, scale):
    """Sum widget weights scaled by scale."""
    total = 0
    for widget in widgets:
        total += widget.weight * scale
    return total
'''

MAIN = """from helpers import frobnicate_widget_totals


def report(widgets):
    value = frobnicate_widget_totals(widgets, 2)
    return value
"""

SECRET = "AKIAIOSFODNN7EXAMPLE"
PRIVATE = "sekrit-private-token-value-9f8e7d"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_repo(root: Path) -> None:
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "t@example.com")
    git(root, "config", "user.name", "t")
    (root / "helpers.py").write_text(HELPER)
    (root / "main.py").write_text(MAIN)
    (root / "notes.py").write_text("def unrelated():\n    return 1\n")
    (root / ".env").write_text(f"AWS_ACCESS_KEY_ID={SECRET}\n")
    (root / "private").mkdir()
    (root / "private" / "token.py").write_text(f'TOKEN = "{PRIVATE}"\n')
    git(root, "add", "helpers.py", "main.py", "notes.py")
    git(root, "commit", "-q", "-m", "initial")


async def inspect(client: Any, uri: str, line: int, character: int, feature: str) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="glm.context.inspect",
            arguments=[
                {"uri": uri, "position": {"line": line, "character": character}, "feature": feature}
            ],
        )
    )


def all_text(result: Any) -> str:
    return "\n".join(piece["text"] for piece in result["pieces"])


async def test_distinctive_function_in_other_open_file_is_picked(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Ensure a completion near a call to a function defined in another open file gets that
    function's definition as context."""
    root = tmp_path / "repo"
    make_repo(root)
    client = await start_server(root=root, workspace_config={"glm": {"exclude": ["private/**"]}})
    open_doc(client, root / "helpers.py")
    open_doc(client, root / "notes.py")
    main = open_doc(client, root / "main.py")
    result = await inspect(client, main, 5, 4, "inline")
    sources = {piece["source"] for piece in result["pieces"]}
    assert "cursor" in sources, result
    others = [p for p in result["pieces"] if p["source"] != "cursor"]
    assert any("total += widget.weight * scale" in p["text"] for p in others), result
    assert all(isinstance(p["tokens"], int) and p["tokens"] > 0 for p in result["pieces"])


async def test_diff_hunk_of_modified_file_is_in_chat_context(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Ensure the working-tree diff hunk of a modified tracked file is in the chat context."""
    root = tmp_path / "repo"
    make_repo(root)
    (root / "notes.py").write_text("def unrelated():\n    return 42  # changed answer\n")
    client = await start_server(root=root)
    main = open_doc(client, root / "main.py")
    result = await inspect(client, main, 4, 0, "chat")
    text = all_text(result)
    assert "+    return 42  # changed answer" in text
    assert "-    return 1" in text


async def test_secrets_in_env_and_excluded_files_never_appear(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Ensure an open .env file and a file matched by the exclude setting are never read into
    any context, even when open and even when the cursor is in them; they are named as dropped."""
    root = tmp_path / "repo"
    make_repo(root)
    client = await start_server(root=root, workspace_config={"glm": {"exclude": ["private/**"]}})
    env_uri = open_doc(client, root / ".env", "dotenv")
    private_uri = open_doc(client, root / "private" / "token.py")
    main = open_doc(client, root / "main.py")
    results = []
    for feature in ("inline", "chat", "edit"):
        results.append(await inspect(client, main, 4, 4, feature))
        results.append(await inspect(client, env_uri, 0, 3, feature))
        results.append(await inspect(client, private_uri, 0, 3, feature))
    for result in results:
        text = all_text(result)
        assert SECRET not in text
        assert PRIVATE not in text
    cursor_in_env = results[1]
    assert cursor_in_env["pieces"] == []
    assert any("excluded" in d["reason"] for d in cursor_in_env["dropped"])


async def test_recent_edit_is_tracked_from_did_change(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Ensure text typed through didChange is what the engine sees (not the file on disk)."""
    root = tmp_path / "repo"
    make_repo(root)
    client = await start_server(root=root)
    main = open_doc(client, root / "main.py")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=main, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=6, character=0),
                        end=types.Position(line=6, character=0),
                    ),
                    text="\ndef typed_just_now():\n    pass\n",
                )
            ],
        )
    )
    result = await inspect(client, main, 8, 8, "inline")
    cursor = [p for p in result["pieces"] if p["source"] == "cursor"]
    assert cursor and "def typed_just_now():" in cursor[0]["text"]


async def test_inspect_rejects_bad_arguments_and_keeps_serving(start_server: StartServer) -> None:
    """Ensure a malformed inspect call gets an error and the server still answers."""
    client = await start_server()
    try:
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="glm.context.inspect", arguments=[{"uri": "file:///x.py"}]
            )
        )
        raised = False
    except Exception as exc:  # noqa: BLE001 - pygls maps the error to JsonRpc*
        raised = "position" in str(exc)
    assert raised
    result = await inspect(client, "file:///nowhere/unknown.py", 0, 0, "inline")
    assert "pieces" in result
