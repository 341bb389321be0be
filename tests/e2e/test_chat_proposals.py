"""Agent edits in chat as an editor sees them: proposals, apply, conflicts, undo, discard.

The real server runs against the loopback GLM endpoint, whose replies call the write tools; the
simulated editor (``editor_sim``, VS Code mode) really applies the server's workspace edits to
its documents, and a hook here mirrors files that are not open, created, renamed or deleted to
the disk, as an editor saving them would.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import attrs
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.editor_sim import CAPS, Doc, Editor, StartEditor, start_editor
from tests.e2e.harness import wait_until
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

__all__ = ["start_editor"]

APP = "def total(items):\n    return sum(items)\n\n\nVERSION = 'one'\n"
UTIL = "def helper():\n    return 42\n"


def workspace(tmp_path: Path) -> Path:
    """src/app.py (to be opened), src/util.py and src/old.py (left closed), an .env file."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text(APP)
    (root / "src" / "util.py").write_text(UTIL)
    (root / "src" / "old.py").write_text("OLD = 0\n")
    (root / ".env").write_text("TOKEN=sk-live-SECRETSECRET0123456789\n")
    return root


def mirror_to_disk(editor: Editor) -> None:
    """Closed files the server edits are read from disk first and written back after; created,
    renamed and deleted files follow on disk."""

    def before(_: Editor, params: types.ApplyWorkspaceEditParams) -> None:
        for change in params.edit.document_changes or []:
            if isinstance(change, types.TextDocumentEdit):
                uri = change.text_document.uri
                path = Path(uri.removeprefix("file://"))
                if uri not in editor.docs and path.exists():
                    editor.docs[uri] = Doc(uri, path.read_text(), opened=False)

    def after(_: Editor, record: Any) -> None:
        for change in record.params.edit.document_changes or []:
            if isinstance(change, (types.CreateFile, types.TextDocumentEdit)):
                uri = (
                    change.uri if isinstance(change, types.CreateFile) else change.text_document.uri
                )
                doc = editor.docs[uri]
                if not doc.opened:
                    Path(uri.removeprefix("file://")).write_text(doc.text)
            elif isinstance(change, types.RenameFile):
                old, new = (u.removeprefix("file://") for u in (change.old_uri, change.new_uri))
                Path(old).rename(new)
                editor.docs.pop(change.old_uri, None)
            elif isinstance(change, types.DeleteFile):
                Path(change.uri.removeprefix("file://")).unlink()
                editor.docs.pop(change.uri, None)

    editor.before_apply = before
    editor.on_apply = after


async def start(
    start_editor: StartEditor,
    endpoint: GlmEndpoint,
    root: Path,
    caps: types.ClientCapabilities = CAPS,
    **chat: Any,
) -> tuple[LanguageClient, Editor, list[tuple[str, Any]]]:
    """A server with the simulated editor; the events list gets proposals and dones."""
    settings = {"provider": "custom", "baseUrl": endpoint.url, "chat": chat}
    client, editor = await start_editor(settings, root=root, capabilities=caps)
    events: list[tuple[str, Any]] = []
    client.feature("glm/chat/proposal")(lambda params: events.append(("proposal", params)))
    client.feature("glm/chat/done")(lambda params: events.append(("done", params)))
    client.feature("glm/chat/delta")(lambda params: None)
    client.feature("glm/status")(lambda params: None)
    mirror_to_disk(editor)
    for _ in range(200):  # until the workspace settings are in force
        status = await command(client, "glm.status", {})
        if status["provider"] == "custom":
            break
        await asyncio.sleep(0.05)
    return client, editor, events


async def command(client: LanguageClient, name: str, arg: dict[str, Any]) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=name, arguments=[arg])
    )


async def turn(
    client: LanguageClient, events: list[tuple[str, Any]], message: str
) -> tuple[Any, Any]:
    """Send a message; (done, proposal or None) of its turn."""
    started = await command(client, "glm.chat.send", {"message": message})
    mine = lambda: [(k, p) for k, p in events if p.turnId == started["turnId"]]  # noqa: E731
    await wait_until(lambda: any(k == "done" for k, _ in mine()), 20)
    done = next(p for k, p in mine() if k == "done")
    proposal = next((p for k, p in mine() if k == "proposal"), None)
    return done, proposal


def edit_and_create() -> Reply:
    edits = [{"search": "VERSION = 'one'", "replace": "VERSION = 'two'"}]
    return Reply.tool_calls(
        [
            ("c1", "edit_file", json.dumps({"path": "src/app.py", "edits": edits})),
            ("c2", "create_file", json.dumps({"path": "src/new.py", "content": "NEW = 1\n"})),
            (
                "c3",
                "edit_file",
                json.dumps(
                    {
                        "path": "src/util.py",
                        "edits": [{"search": "return 42", "replace": "return 43"}],
                    }
                ),
            ),
        ]
    )


async def test_proposal_then_apply_then_undo(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a turn whose model edits an open file, a closed file and creates one ends with a
    proposal (diffs, kinds, the open file's version) before done and changes nothing; apply
    sends one versioned applyEdit with a CreateFile; undo restores every file."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(edit_and_create(), Reply.stream(["Changed."]))
    client, editor, events = await start(start_editor, glm_endpoint, root)
    app_uri = (root / "src" / "app.py").as_uri()
    editor.open(app_uri, APP)
    done, proposal = await turn(client, events, "bump the version")
    assert proposal is not None and done.proposalId == proposal.proposalId
    assert [k for k, _ in events] == ["proposal", "done"]
    files = {f.path: f for f in proposal.files}
    assert {p: f.change for p, f in files.items()} == {
        "src/app.py": "edit",
        "src/new.py": "create",
        "src/util.py": "edit",
    }
    assert "-VERSION = 'one'\n+VERSION = 'two'" in files["src/app.py"].diff
    assert files["src/app.py"].version == 1 and files["src/util.py"].version is None
    assert files["src/new.py"].text == "NEW = 1\n"
    assert editor.applied == [] and editor.text(app_uri) == APP
    assert not (root / "src" / "new.py").exists()

    result = await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    assert sorted(result["applied"]) == sorted(f.uri for f in proposal.files)
    assert result["refused"] == []
    (sent,) = [a.params for a in editor.applied]
    ops = sent.edit.document_changes or []
    assert any(isinstance(op, types.CreateFile) for op in ops)
    versions = {
        op.text_document.uri: op.text_document.version
        for op in ops
        if isinstance(op, types.TextDocumentEdit)
    }
    assert versions[app_uri] == 1
    assert editor.text(app_uri) == APP.replace("'one'", "'two'")
    assert (root / "src" / "new.py").read_text() == "NEW = 1\n"
    assert (root / "src" / "util.py").read_text() == UTIL.replace("42", "43")

    chat_id = done.chatId
    await wait_until(lambda: editor.docs[app_uri].version == 2)
    undone = await command(client, "glm.chat.undo", {"chatId": chat_id})
    assert len(undone["restored"]) == 3 and undone["refused"] == []
    assert editor.text(app_uri) == APP
    assert not (root / "src" / "new.py").exists()
    assert (root / "src" / "util.py").read_text() == UTIL


async def test_user_edit_between_proposal_and_apply_is_refused(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a file the user typed into after the proposal is refused with a reason naming it,
    while the proposal's other files apply; the user's text stays."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(edit_and_create(), Reply.stream(["Changed."]))
    client, editor, events = await start(start_editor, glm_endpoint, root)
    app_uri = (root / "src" / "app.py").as_uri()
    editor.open(app_uri, APP)
    _, proposal = await turn(client, events, "bump the version")
    assert proposal is not None
    editor.user_edit(app_uri, 0, 0, "# mine\n")
    await wait_until(lambda: editor.docs[app_uri].version == 2)
    result = await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    assert app_uri not in result["applied"] and len(result["applied"]) == 2
    (refused,) = result["refused"]
    assert (
        refused["uri"] == app_uri
        and "src/app.py was changed since the proposal" in (refused["reason"])
    )
    assert editor.text(app_uri) == "# mine\n" + APP


async def test_discard_and_files_subset(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure apply with `files` writes only those, and a discarded proposal can no longer be
    applied (the error says so) and nothing more is written."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(edit_and_create(), Reply.stream(["Changed."]))
    client, editor, events = await start(start_editor, glm_endpoint, root)
    _, proposal = await turn(client, events, "bump the version")
    assert proposal is not None
    util_uri = (root / "src" / "util.py").as_uri()
    arg = {"proposalId": proposal.proposalId, "files": [util_uri]}
    result = await command(client, "glm.chat.apply", arg)
    assert result == {"applied": [util_uri], "refused": []}
    await command(client, "glm.chat.discard", {"proposalId": proposal.proposalId})
    try:
        await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    except Exception as exc:  # noqa: BLE001 - the command's error
        assert "no pending proposal" in str(exc)
    else:
        raise AssertionError("a discarded proposal was applied")
    assert len(editor.applied) == 1 and not (root / "src" / "new.py").exists()
    assert (root / "src" / "app.py").read_text() == APP


async def test_excluded_and_outside_paths_are_refused_by_the_tools(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure edit_file on an excluded file and create_file outside the workspace are refused
    by the tools (the model reads why), and the turn proposes nothing."""
    root = workspace(tmp_path)
    env_edit = {"path": ".env", "edits": [{"search": "TOKEN", "replace": "X"}]}
    glm_endpoint.enqueue(
        Reply.tool_calls(
            [
                ("c1", "edit_file", json.dumps(env_edit)),
                ("c2", "create_file", json.dumps({"path": "../evil.py", "content": "x\n"})),
            ]
        ),
        Reply.stream(["Could not."]),
    )
    client, editor, events = await start(start_editor, glm_endpoint, root)
    done, proposal = await turn(client, events, "change the secrets")
    assert proposal is None and getattr(done, "proposalId", None) is None
    tools = [m for m in glm_endpoint.requests[1].body["messages"] if m["role"] == "tool"]
    assert "excluded" in tools[0]["content"] and "outside the workspace" in tools[1]["content"]
    assert "SECRET" not in json.dumps(glm_endpoint.requests[1].body)
    assert editor.applied == [] and not (tmp_path / "evil.py").exists()


async def test_auto_apply_writes_at_turn_end(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure chat.autoApply applies the proposal before done, without a command."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(edit_and_create(), Reply.stream(["Changed."]))
    client, editor, events = await start(start_editor, glm_endpoint, root, autoApply=True)
    _, proposal = await turn(client, events, "bump the version")
    assert proposal is not None and len(editor.applied) == 1
    assert (root / "src" / "new.py").read_text() == "NEW = 1\n"
    assert (root / "src" / "app.py").read_text() == APP.replace("'one'", "'two'")


async def test_rename_edit_delete_apply_and_undo(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a rename followed by an edit of the renamed file, and a delete, are proposed as
    rename/delete with the edited text, applied as an edit then RenameFile and a DeleteFile, and
    undone (renamed back with the old text, the deleted file recreated)."""
    root = workspace(tmp_path)
    rename = {"path": "src/util.py", "new_path": "src/helpers.py"}
    edit = {"path": "src/helpers.py", "edits": [{"search": "return 42", "replace": "return 7"}]}
    glm_endpoint.enqueue(
        Reply.tool_calls(
            [
                ("c1", "rename_file", json.dumps(rename)),
                ("c2", "edit_file", json.dumps(edit)),
                ("c3", "delete_file", json.dumps({"path": "src/old.py"})),
            ]
        ),
        Reply.stream(["Moved."]),
    )
    client, editor, events = await start(start_editor, glm_endpoint, root)
    done, proposal = await turn(client, events, "move the helper")
    assert proposal is not None
    files = {f.path: f for f in proposal.files}
    assert files["src/util.py"].change == "rename"
    assert files["src/util.py"].newUri == (root / "src" / "helpers.py").as_uri()
    assert files["src/util.py"].text == UTIL.replace("42", "7")
    assert files["src/old.py"].change == "delete"
    result = await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    assert len(result["applied"]) == 2 and result["refused"] == []
    ops = [type(op).__name__ for op in editor.applied[0].params.edit.document_changes or []]
    assert ops == ["TextDocumentEdit", "RenameFile", "DeleteFile"]
    assert not (root / "src" / "util.py").exists() and not (root / "src" / "old.py").exists()
    assert (root / "src" / "helpers.py").read_text() == UTIL.replace("42", "7")
    undone = await command(client, "glm.chat.undo", {"proposalId": proposal.proposalId})
    assert len(undone["restored"]) == 2 and undone["refused"] == []
    assert (root / "src" / "util.py").read_text() == UTIL
    assert (root / "src" / "old.py").read_text() == "OLD = 0\n"
    assert not (root / "src" / "helpers.py").exists()
    try:
        await command(client, "glm.chat.undo", {"chatId": done.chatId})
    except Exception as exc:  # noqa: BLE001 - the command's error
        assert "nothing to undo" in str(exc)
    else:
        raise AssertionError("undone twice")


async def test_undo_refuses_a_file_changed_since_apply(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure undo leaves a file the user changed after the apply as it is (the reason says so)
    and restores the others."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(edit_and_create(), Reply.stream(["Changed."]))
    client, editor, events = await start(start_editor, glm_endpoint, root)
    app_uri = (root / "src" / "app.py").as_uri()
    editor.open(app_uri, APP)
    done, proposal = await turn(client, events, "bump the version")
    assert proposal is not None
    await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    await wait_until(lambda: editor.docs[app_uri].version == 2)
    editor.user_edit(app_uri, 0, 0, "# mine\n")
    await wait_until(lambda: editor.docs[app_uri].version == 3)
    undone = await command(client, "glm.chat.undo", {"chatId": done.chatId, "turnId": done.turnId})
    assert len(undone["restored"]) == 2
    (refused,) = undone["refused"]
    assert refused["uri"] == app_uri and "changed since it was applied" in refused["reason"]
    assert editor.text(app_uri) == "# mine\n" + APP.replace("'one'", "'two'")
    assert not (root / "src" / "new.py").exists()


async def test_editor_without_resource_operations_gets_the_edits_only(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an editor that declares no resource operations gets the text edits (versioned),
    and the file to create is refused with a reason naming what the editor lacks."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(edit_and_create(), Reply.stream(["Changed."]))
    edit_caps = types.WorkspaceEditClientCapabilities(document_changes=True)
    assert CAPS.workspace is not None
    workspace_caps = attrs.evolve(CAPS.workspace, workspace_edit=edit_caps)
    caps = attrs.evolve(CAPS, workspace=workspace_caps)
    client, editor, events = await start(start_editor, glm_endpoint, root, caps)
    _, proposal = await turn(client, events, "bump the version")
    assert proposal is not None
    result = await command(client, "glm.chat.apply", {"proposalId": proposal.proposalId})
    assert len(result["applied"]) == 2
    (refused,) = result["refused"]
    assert refused["uri"].endswith("/src/new.py") and "resourceOperations" in refused["reason"]
    ops = editor.applied[0].params.edit.document_changes or []
    assert {type(op).__name__ for op in ops} == {"TextDocumentEdit"}
    assert (root / "src" / "app.py").read_text() == APP.replace("'one'", "'two'")
    assert not (root / "src" / "new.py").exists()


async def test_cancelled_turn_proposes_nothing(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a turn cancelled after its model changed files ends cancelled with no proposal,
    and nothing was written."""
    root = workspace(tmp_path)
    slow = Reply.stream(["Still ", "writing ", "the ", "answer"] * 20, delay=0.1)
    glm_endpoint.enqueue(edit_and_create(), slow)
    client, editor, events = await start(start_editor, glm_endpoint, root)
    started = await command(client, "glm.chat.send", {"message": "bump the version"})
    await wait_until(lambda: len(glm_endpoint.requests) == 2)
    await command(client, "glm.chat.cancel", {"chatId": started["chatId"]})
    await wait_until(lambda: any(k == "done" for k, _ in events))
    assert [k for k, _ in events] == ["done"] and events[0][1].finishReason == "cancelled"
    assert editor.applied == [] and not (root / "src" / "new.py").exists()
    assert (root / "src" / "app.py").read_text() == APP
