"""The chat agent loop as an editor sees it: several steps, diagnostics, progress, budget, cancel.

The real server runs against the loopback GLM endpoint, whose replies call tools step by step;
the simulated editor (``editor_sim``, VS Code mode) really applies the server's workspace edits
and answers ``glm/diagnostics`` (when it advertised ``experimental.glmDiagnostics``) with what
a language server would report.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import attrs
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.editor_sim import CAPS, Editor, StartEditor, start_editor
from tests.e2e.harness import wait_until
from tests.e2e.test_chat_proposals import mirror_to_disk
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Event, Reply, zai_usage

__all__ = ["start_editor"]

APP = "def total(items):\n    return sum(items)\n\n\nVERSION = 'one'\n"
UTIL = "def helper():\n    return 42\n"
BROKEN = "def total(items):\n    return sum(items\n\n\nVERSION = 'one'\n"
WITH_DIAGNOSTICS = attrs.evolve(CAPS, experimental={"glmDiagnostics": True})
EDITOR_ERROR = '"items" is possibly unbound (from the editor)'


def workspace(tmp_path: Path) -> Path:
    """src/app.py and src/util.py."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text(APP)
    (root / "src" / "util.py").write_text(UTIL)
    return root


@attrs.define
class Session:
    """A server with the simulated editor and what it was sent."""

    client: LanguageClient
    editor: Editor
    events: list[tuple[str, Any]]
    asked: list[dict[str, Any]] = attrs.field(factory=list)
    """The ``glm/diagnostics`` requests, with the editor's texts when each arrived."""


async def start(
    start_editor: StartEditor,
    endpoint: GlmEndpoint,
    root: Path,
    caps: types.ClientCapabilities = WITH_DIAGNOSTICS,
    answer: Any = None,
    **chat: Any,
) -> Session:
    """A server, its editor answering ``glm/diagnostics`` with ``answer(uris)`` (default: one
    error on each file asked about)."""
    settings = {"provider": "custom", "baseUrl": endpoint.url, "chat": chat}
    client, editor = await start_editor(settings, root=root, capabilities=caps)
    session = Session(client, editor, [])
    for name in ("proposal", "done", "progress"):
        client.feature(f"glm/chat/{name}")(
            lambda params, name=name: session.events.append((name, params))
        )
    client.feature("glm/chat/delta")(lambda params: None)
    client.feature("glm/status")(lambda params: None)

    @client.feature("glm/diagnostics")
    async def diagnostics(params: Any) -> Any:
        uris = list(params.uris)
        texts = {u: editor.docs[u].text for u in uris if u in editor.docs}
        session.asked.append({"uris": uris, "texts": texts})
        if answer is not None:
            return await answer(uris)
        error = {
            "range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 9}},
            "severity": 1,
            "source": "pyright",
            "message": EDITOR_ERROR,
        }
        return {"items": [{"uri": u, "diagnostics": [error]} for u in uris]}

    mirror_to_disk(editor)
    for _ in range(200):  # until the workspace settings are in force
        status = await command(client, "glm.status", {})
        if status["provider"] == "custom":
            break
        await asyncio.sleep(0.05)
    return session


async def command(client: LanguageClient, name: str, arg: dict[str, Any]) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=name, arguments=[arg])
    )


async def turn(session: Session, message: str) -> tuple[Any, Any, list[Any]]:
    """Send a message; (done, proposal or None, progress notifications) of its turn."""
    started = await command(session.client, "glm.chat.send", {"message": message})

    def mine(kind: str) -> list[Any]:
        return [p for k, p in session.events if k == kind and p.turnId == started["turnId"]]

    await wait_until(lambda: bool(mine("done")), 30)
    proposals = mine("proposal")
    return mine("done")[0], proposals[0] if proposals else None, mine("progress")


def call(call_id: str, name: str, **args: Any) -> tuple[str, str, str]:
    return (call_id, name, json.dumps(args))


IDS = iter(range(1, 1_000_000))


def edit(search: str, replace: str, path: str = "src/app.py") -> tuple[str, str, str]:
    block = {"search": search, "replace": replace}
    return call(f"e{next(IDS)}", "edit_file", path=path, edits=[block])


def tool_contents(endpoint: GlmEndpoint, request: int) -> list[str]:
    """The tool results the model was sent in request number ``request``."""
    messages = endpoint.requests[request].body["messages"]
    return [m["content"] for m in messages if m["role"] == "tool"]


async def test_read_edit_diagnostics_fix_turn(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a turn that reads, makes a broken edit, checks diagnostics and fixes it gets the
    editor's diagnostics of the buffer and the syntax error of its proposed text (each said to
    be of which text), ends with the fixed proposal, and sends progress with a rising step and
    rising tokens, naming what it does."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls([call("r1", "read_file", path="src/app.py")]),
        Reply.tool_calls(
            [
                edit("    return sum(items)", "    return sum(items"),
                call("d1", "get_diagnostics", paths=["src/app.py"]),
            ]
        ),
        Reply.tool_calls([edit("    return sum(items\n", "    return sum(items) or 0\n")]),
        Reply.stream(["Fixed."]),
    )
    session = await start(start_editor, glm_endpoint, root)
    app_uri = (root / "src" / "app.py").as_uri()
    session.editor.open(app_uri, APP)
    done, proposal, progress = await turn(session, "make total safe")
    assert done.finishReason == "stop" and done.steps == 4
    assert proposal is not None and done.proposalId == proposal.proposalId
    (changed,) = proposal.files
    assert changed.text == APP.replace("sum(items)", "sum(items) or 0")

    (report,) = [t for t in tool_contents(glm_endpoint, 2) if "diagnostics of" in t]
    editor_part, proposal_part = report.split("syntax errors of your proposed text")
    assert "current text in the editor (without your proposed edits)" in editor_part
    assert f"line 2: error: {EDITOR_ERROR} [pyright]" in editor_part
    assert "line 2: syntax error" in proposal_part and "the editor has not seen it" in proposal_part
    assert session.asked and session.asked[0]["uris"] == [app_uri]
    assert session.editor.applied == [] and session.editor.text(app_uri) == APP

    steps = [p.step for p in progress]
    tokens = [p.tokens for p in progress]
    assert steps == sorted(steps) and steps[0] == 1 and steps[-1] == 4
    assert tokens == sorted(tokens) and tokens[-1] > tokens[0]
    assert {p.maxSteps for p in progress} == {8} and {p.tokenBudget for p in progress} == {200000}
    activities = [getattr(p, "activity", None) for p in progress]
    for wanted in (
        "reading src/app.py",
        "editing src/app.py",
        "checking diagnostics of src/app.py",
    ):
        assert wanted in activities


async def test_client_without_glm_diagnostics_still_gets_syntax_errors(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an editor that did not advertise glmDiagnostics is never sent the request, and the
    model is told why and still gets the syntax errors of its proposed text."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls(
            [
                edit("    return sum(items)", "    return sum(items"),
                call("d1", "get_diagnostics", paths=["src/app.py"]),
            ]
        ),
        Reply.stream(["Done."]),
    )
    session = await start(start_editor, glm_endpoint, root, caps=CAPS)
    done, proposal, _ = await turn(session, "break it")
    assert done.finishReason == "stop" and proposal is not None
    (report,) = [t for t in tool_contents(glm_endpoint, 1) if "diagnostics of" in t]
    assert "does not support glm/diagnostics" in report
    assert "syntax errors of your proposed text" in report and "line 2: syntax error" in report
    assert session.asked == []


async def test_token_budget_ends_the_turn_cleanly(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a step that spends the turn's token budget ends the turn: its tool calls are not
    run, no further request is sent, finishReason is token_budget and done says why."""
    root = workspace(tmp_path)
    costly = Reply.tool_calls([edit("VERSION = 'one'", "VERSION = 'two'")])
    final = costly.steps[1]
    assert isinstance(final, Event) and isinstance(final.data, dict)
    final.data["usage"] = zai_usage(prompt=900, completion=200)
    glm_endpoint.enqueue(costly, Reply.stream(["never asked"]))
    session = await start(start_editor, glm_endpoint, root, tokenBudget=1000)
    done, proposal, progress = await turn(session, "bump the version")
    assert done.finishReason == "token_budget" and proposal is None
    assert "budget" in done.notice and "1,100" in done.notice
    assert len(glm_endpoint.requests) == 1
    assert progress[0].tokenBudget == 1000
    assert (root / "src" / "app.py").read_text() == APP


async def test_cancel_during_a_tool_step_proposes_nothing(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a turn cancelled while its get_diagnostics waits for the editor ends cancelled,
    exactly one done, with no proposal for the edit it had made, and nothing written."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls(
            [
                edit("VERSION = 'one'", "VERSION = 'two'"),
                call("d1", "get_diagnostics", paths=["src/app.py"]),
            ]
        ),
        Reply.stream(["never asked"]),
    )
    never, answered = asyncio.Event(), asyncio.Event()

    async def hang(uris: list[str]) -> Any:
        try:
            await never.wait()
        finally:  # answered, or cancelled by the server's $/cancelRequest
            answered.set()

    session = await start(start_editor, glm_endpoint, root, answer=hang)
    started = await command(session.client, "glm.chat.send", {"message": "bump"})
    await wait_until(lambda: bool(session.asked), 20)
    await command(session.client, "glm.chat.cancel", {"chatId": started["chatId"]})
    await wait_until(lambda: any(k == "done" for k, _ in session.events), 20)
    await asyncio.sleep(0.3)  # a second done or a late proposal would arrive by now
    kinds = [k for k, _ in session.events if k != "progress"]
    assert kinds == ["done"] and session.events[-1][1].finishReason == "cancelled"
    assert session.editor.applied == [] and len(glm_endpoint.requests) == 1
    assert (root / "src" / "app.py").read_text() == APP
    await asyncio.wait_for(answered.wait(), 5)  # the server cancelled its request


async def test_auto_apply_writes_each_step_and_undo_restores_the_turn(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure with chat.autoApply each step's edit is written at once (versioned), the editor is
    asked for diagnostics only once it holds the edit (and the model is told so), the turn's
    proposal comes at the end as applied, and one undo restores every file as before."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls([edit("VERSION = 'one'", "VERSION = 'two'")]),
        Reply.tool_calls(
            [
                edit("VERSION = 'two'", "VERSION = 'three'"),
                edit("return 42", "return 43", path="src/util.py"),
                call("d1", "get_diagnostics", paths=["src/app.py"]),
            ]
        ),
        Reply.stream(["Bumped."]),
    )
    session = await start(start_editor, glm_endpoint, root, autoApply=True)
    app_uri = (root / "src" / "app.py").as_uri()
    session.editor.open(app_uri, APP)
    done, proposal, _ = await turn(session, "bump the version twice")
    bumped = APP.replace("'one'", "'three'")
    assert done.finishReason == "stop" and proposal is not None
    assert len(session.editor.applied) == 2
    versions = [
        op.text_document.version
        for a in session.editor.applied
        for op in a.params.edit.document_changes or []
        if isinstance(op, types.TextDocumentEdit) and op.text_document.uri == app_uri
    ]
    assert versions == [1, 2]
    assert session.asked[0]["texts"][app_uri] == bumped
    (report,) = [t for t in tool_contents(glm_endpoint, 2) if "diagnostics of" in t]
    assert "holds your applied edits" in report and "syntax errors" not in report
    assert session.editor.text(app_uri) == bumped
    assert (root / "src" / "util.py").read_text() == UTIL.replace("42", "43")
    files = {f.path: f for f in proposal.files}
    assert "-VERSION = 'one'\n+VERSION = 'three'" in files["src/app.py"].diff

    listed = await command(session.client, "glm.chat.proposals", {"chatId": done.chatId})
    assert [p["state"] for p in listed] == ["applied"]
    await wait_until(lambda: session.editor.docs[app_uri].version == 3)
    undone = await command(session.client, "glm.chat.undo", {"chatId": done.chatId})
    assert len(undone["restored"]) == 2 and undone["refused"] == []
    assert session.editor.text(app_uri) == APP
    assert (root / "src" / "util.py").read_text() == UTIL


async def test_auto_apply_cancel_rolls_back_the_written_steps(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure with chat.autoApply a turn cancelled after a written step puts every written file
    back (open and closed), proposes nothing and sends one done; a file the user typed into
    since is left as it is and named in done's notice."""
    root = workspace(tmp_path)
    slow = Reply.stream(["Still ", "thinking "] * 40, delay=0.1)
    glm_endpoint.enqueue(
        Reply.tool_calls(
            [
                edit("VERSION = 'one'", "VERSION = 'two'"),
                edit("return 42", "return 43", path="src/util.py"),
                call("c1", "create_file", path="src/new.py", content="NEW = 1\n"),
            ]
        ),
        slow,
    )
    session = await start(start_editor, glm_endpoint, root, autoApply=True)
    app_uri = (root / "src" / "app.py").as_uri()
    session.editor.open(app_uri, APP)
    started = await command(session.client, "glm.chat.send", {"message": "bump"})
    await wait_until(lambda: len(glm_endpoint.requests) == 2, 20)
    assert (root / "src" / "new.py").read_text() == "NEW = 1\n"
    assert (root / "src" / "util.py").read_text() == UTIL.replace("42", "43")
    await wait_until(lambda: session.editor.docs[app_uri].version == 2)
    session.editor.user_edit(app_uri, 0, 0, "# mine\n")
    await wait_until(lambda: session.editor.docs[app_uri].version == 3)
    await command(session.client, "glm.chat.cancel", {"chatId": started["chatId"]})
    await wait_until(lambda: any(k == "done" for k, _ in session.events), 20)
    await asyncio.sleep(0.3)  # a second done or a late proposal would arrive by now
    dones = [p for k, p in session.events if k == "done"]
    assert [k for k, _ in session.events if k == "proposal"] == [] and len(dones) == 1
    assert dones[0].finishReason == "cancelled"
    assert not (root / "src" / "new.py").exists()
    assert (root / "src" / "util.py").read_text() == UTIL
    assert session.editor.text(app_uri) == "# mine\n" + APP.replace("'one'", "'two'")
    assert "src/app.py was left as it is" in dones[0].notice


async def test_auto_apply_cancel_leaves_no_changed_file(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure with chat.autoApply a turn cancelled mid-answer after writing an open file leaves
    it exactly as before the turn, and done has no notice (nothing was left)."""
    root = workspace(tmp_path)
    slow = Reply.stream(["Still ", "thinking "] * 40, delay=0.1)
    glm_endpoint.enqueue(Reply.tool_calls([edit("VERSION = 'one'", "VERSION = 'two'")]), slow)
    session = await start(start_editor, glm_endpoint, root, autoApply=True)
    app_uri = (root / "src" / "app.py").as_uri()
    session.editor.open(app_uri, APP)
    started = await command(session.client, "glm.chat.send", {"message": "bump"})
    await wait_until(lambda: len(glm_endpoint.requests) == 2, 20)
    assert session.editor.text(app_uri) == APP.replace("'one'", "'two'")
    await command(session.client, "glm.chat.cancel", {"chatId": started["chatId"]})
    await wait_until(lambda: any(k == "done" for k, _ in session.events), 20)
    (done,) = [p for k, p in session.events if k == "done"]
    assert done.finishReason == "cancelled" and getattr(done, "notice", None) is None
    assert session.editor.text(app_uri) == APP
    assert (root / "src" / "app.py").read_text() == APP


async def test_editor_error_on_glm_diagnostics_is_told_to_the_model(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an editor answering glm/diagnostics with an error does not fail the turn: the
    model is told the editor failed, and the turn goes on to its answer."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls([call("d1", "get_diagnostics", paths=["src/util.py"])]),
        Reply.stream(["Looked."]),
    )

    async def fail(uris: list[str]) -> Any:
        raise RuntimeError("no diagnostics today")

    session = await start(start_editor, glm_endpoint, root, answer=fail)
    done, proposal, _ = await turn(session, "check util")
    assert done.finishReason == "stop" and proposal is None
    (report,) = tool_contents(glm_endpoint, 1)
    assert "answered glm/diagnostics with an error" in report
    assert "src/util.py:" in report and "last reported" in report


async def test_max_steps_setting_caps_the_turn(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure chat.maxSteps = 2 ends a model that keeps calling tools after two requests with
    tool_limit, and progress reports maxSteps 2."""
    root = workspace(tmp_path)
    read = Reply.tool_calls([call("r1", "read_file", path="src/app.py")])
    glm_endpoint.enqueue(read, Reply.tool_calls([call("r2", "read_file", path="src/util.py")]))
    session = await start(start_editor, glm_endpoint, root, maxSteps=2)
    done, _, progress = await turn(session, "read everything")
    assert done.finishReason == "tool_limit" and done.steps == 2
    assert len(glm_endpoint.requests) == 2 and {p.maxSteps for p in progress} == {2}
