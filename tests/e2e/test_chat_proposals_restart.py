"""Chat proposals outlive the server: a second server process on the same chat store lists,
applies, refuses (stale), discards and undoes what the first one proposed or applied.

Each test starts a real server with the simulated editor (``editor_sim``, VS Code mode) and the
loopback GLM endpoint, makes a proposal, shuts the server down, and starts a new server process
(same user data directory, so the same ``chats.sqlite3``) with a new editor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.editor_sim import Editor, StartEditor, start_editor
from tests.e2e.harness import wait_until
from tests.e2e.test_chat_proposals import (
    APP,
    UTIL,
    command,
    edit_and_create,
    start,
    turn,
    workspace,
)
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

__all__ = ["start_editor"]


async def stop(client: LanguageClient) -> None:
    await client.shutdown_session()
    await client.stop()


async def propose(
    start_editor: StartEditor, endpoint: GlmEndpoint, root: Path
) -> tuple[LanguageClient, Editor, Any, Any]:
    """A first server whose turn proposes: edit src/app.py (open), create src/new.py, edit
    src/util.py (closed)."""
    endpoint.enqueue(edit_and_create(), Reply.stream(["Changed."]))
    client, editor, events = await start(start_editor, endpoint, root)
    editor.open((root / "src" / "app.py").as_uri(), APP)
    done, proposal = await turn(client, events, "bump the version")
    assert proposal is not None and done.proposalId == proposal.proposalId
    return client, editor, done, proposal


async def test_pending_proposal_is_listed_and_applied_by_a_new_server(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a proposal left pending is listed by glm.chat.proposals of a new server (with its
    diffs and texts), named by its turn's history entry, and applies as one applyEdit versioned
    with the reopened document's current version (not the one stored); then undo restores."""
    root = workspace(tmp_path)
    first, _, done, proposal = await propose(start_editor, glm_endpoint, root)
    before = await command(first, "glm.chat.proposals", {"chatId": done.chatId})
    await stop(first)

    client, editor, _ = await start(start_editor, glm_endpoint, root)
    listed = await command(client, "glm.chat.proposals", {"chatId": done.chatId})
    assert listed == before
    (entry,) = listed
    assert entry["proposalId"] == proposal.proposalId and entry["state"] == "pending"
    assert (entry["chatId"], entry["turnId"]) == (done.chatId, done.turnId)
    files = {f["path"]: f for f in entry["files"]}
    assert {p: (f["change"], f["state"]) for p, f in files.items()} == {
        "src/app.py": ("edit", "pending"),
        "src/new.py": ("create", "pending"),
        "src/util.py": ("edit", "pending"),
    }
    assert "+VERSION = 'two'" in files["src/app.py"]["diff"]
    assert files["src/new.py"]["text"] == "NEW = 1\n"
    assert await command(client, "glm.chat.proposals", {}) == listed
    history = await command(client, "glm.chat.history", {"chatId": done.chatId})
    named = [e for e in history if "proposalId" in e]
    assert [(e["role"], e["proposalId"]) for e in named] == [("assistant", proposal.proposalId)]

    app_uri = (root / "src" / "app.py").as_uri()
    editor.open(app_uri, APP)
    editor.user_edit(app_uri, 0, 0, "# tmp\n")
    editor.user_edit(app_uri, 0, len("# tmp\n"), "")
    await wait_until(lambda: editor.docs[app_uri].version == 3)
    result = await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    assert sorted(result["applied"]) == sorted(f.uri for f in proposal.files)
    assert result["refused"] == []
    (sent,) = [a.params for a in editor.applied]
    versions = {
        op.text_document.uri: op.text_document.version
        for op in sent.edit.document_changes or []
        if isinstance(op, types.TextDocumentEdit)
    }
    assert versions[app_uri] == 3
    assert editor.text(app_uri) == APP.replace("'one'", "'two'")
    assert (root / "src" / "new.py").read_text() == "NEW = 1\n"
    assert (root / "src" / "util.py").read_text() == UTIL.replace("42", "43")
    (after,) = await command(client, "glm.chat.proposals", {"chatId": done.chatId})
    assert after["state"] == "applied"

    await wait_until(lambda: editor.docs[app_uri].version == 4)
    undone = await command(client, "glm.chat.undo", {"chatId": done.chatId})
    assert len(undone["restored"]) == 3 and undone["refused"] == []
    assert editor.text(app_uri) == APP and not (root / "src" / "new.py").exists()
    assert (root / "src" / "util.py").read_text() == UTIL


async def test_a_file_changed_while_the_server_was_down_is_refused(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a proposal applied by a new server refuses the file whose disk text changed
    since the proposal (the reason names it), applies the others, and stays pending for it;
    discard then leaves nothing to apply."""
    root = workspace(tmp_path)
    first, _, done, proposal = await propose(start_editor, glm_endpoint, root)
    await stop(first)
    (root / "src" / "util.py").write_text(UTIL + "# changed by hand\n")

    client, editor, _ = await start(start_editor, glm_endpoint, root)
    result = await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    util_uri = (root / "src" / "util.py").as_uri()
    assert util_uri not in result["applied"] and len(result["applied"]) == 2
    (refused,) = result["refused"]
    assert refused["uri"] == util_uri
    assert "src/util.py was changed since the proposal" in refused["reason"]
    assert (root / "src" / "util.py").read_text() == UTIL + "# changed by hand\n"
    assert (root / "src" / "app.py").read_text() == APP.replace("'one'", "'two'")
    (entry,) = await command(client, "glm.chat.proposals", {"chatId": done.chatId})
    states = {f["path"]: f["state"] for f in entry["files"]}
    assert states == {"src/app.py": "applied", "src/new.py": "applied", "src/util.py": "pending"}
    assert entry["state"] == "pending"

    await command(client, "glm.chat.discard", {"proposalId": proposal.proposalId})
    try:
        await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    except Exception as exc:  # noqa: BLE001 - the command's error
        assert "no pending proposal" in str(exc)
    else:
        raise AssertionError("a discarded proposal was applied")
    (entry,) = await command(client, "glm.chat.proposals", {"chatId": done.chatId})
    assert entry["state"] == "applied"
    assert {f["path"]: f["state"] for f in entry["files"]}["src/util.py"] == "discarded"
    assert len(editor.applied) == 1


async def test_an_applied_turn_is_undone_by_a_new_server(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a turn applied before a restart is undone by the next server: the files unchanged
    since are restored (the created one deleted), a file the user changed since is refused
    with the reason and kept; deleting the chat then deletes its proposals."""
    root = workspace(tmp_path)
    first, first_editor, done, proposal = await propose(start_editor, glm_endpoint, root)
    applied = await command(first, "glm.chat.apply", {"proposalId": proposal.proposalId})
    assert len(applied["applied"]) == 3
    app_uri = (root / "src" / "app.py").as_uri()
    (root / "src" / "app.py").write_text(first_editor.text(app_uri))  # the editor saves it
    await stop(first)
    (root / "src" / "util.py").write_text(UTIL.replace("42", "43") + "# mine\n")

    client, editor, _ = await start(start_editor, glm_endpoint, root)
    editor.open(app_uri, APP.replace("'one'", "'two'"))
    undone = await command(client, "glm.chat.undo", {"chatId": done.chatId})
    assert sorted(undone["restored"]) == sorted([app_uri, (root / "src" / "new.py").as_uri()])
    (refused,) = undone["refused"]
    assert refused["uri"].endswith("/src/util.py")
    assert "changed since it was applied" in refused["reason"]
    assert editor.text(app_uri) == APP and not (root / "src" / "new.py").exists()
    assert (root / "src" / "util.py").read_text() == UTIL.replace("42", "43") + "# mine\n"
    (entry,) = await command(client, "glm.chat.proposals", {"chatId": done.chatId})
    states = {f["path"]: f["state"] for f in entry["files"]}
    assert states == {"src/app.py": "undone", "src/new.py": "undone", "src/util.py": "applied"}

    await command(client, "glm.chat.delete", {"chatId": done.chatId})
    assert await command(client, "glm.chat.proposals", {"chatId": done.chatId}) == []
    assert await command(client, "glm.chat.proposals", {}) == []
