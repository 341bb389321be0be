"""Reviewing a chat turn's proposed changes in real VS Code (code-server) with the built extension.

The loopback GLM endpoint plays an agent: for "bump the version" it calls ``edit_file`` on two
open files, then ``create_file``, then answers; for "make the helper return 43" it edits one
file (then 44). The driver (``editors/vscode/e2e/proposals.mjs``) works the proposal card in
the chat panel: Diff, Accept on one file, a conflicting edit typed into the other file before
Accept all, Undo, Reject all on the second turn's proposal, and "GLM: Accept Proposal" then
"GLM: Undo Last Chat Change" from the command palette on the third. Install first with
``bash editors/vscode/e2e/install.sh``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.vscode.conftest import vscode
from tests.vscode.harness import VsCodeSession, scenario_result

pytestmark = [pytest.mark.vscode, pytest.mark.timeout(300)]

APP = "def total(items):\n    return sum(items)\n\n\nVERSION = 'one'\n"
UTIL = "def helper():\n    return 42\n"
NEW = "NEW = 1\n"
USER_TEXT = "# mine\n"
BAD_JSON = '{"a": 1 "b": 2}\n'


def _last_turn(body: Any) -> tuple[str, int]:
    """The last user message and how many tool results follow it (the turn's step so far)."""
    messages = body.get("messages", []) if isinstance(body, dict) else []
    last = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
    user = json.dumps(messages[last].get("content")) if last >= 0 else ""
    tools = sum(1 for m in messages[last + 1 :] if m.get("role") == "tool")
    return user, tools


def _edit(call_id: str, path: str, search: str, replace: str) -> tuple[str, str, str]:
    edits = [{"search": search, "replace": replace}]
    return call_id, "edit_file", json.dumps({"path": path, "edits": edits})


def _model(body: Any) -> Reply | None:
    """An agent: edit two files, then create one, then answer (one step per request); later
    turns edit one file."""
    user, tools = _last_turn(body)
    if "bump the version" in user:
        if tools == 0:
            return Reply.tool_calls(
                [
                    _edit("e1", "app.py", "VERSION = 'one'", "VERSION = 'two'"),
                    _edit("e2", "util.py", "return 42", "return 43"),
                ]
            )
        if tools == 2:
            create = json.dumps({"path": "new.py", "content": NEW})
            return Reply.tool_calls([("c1", "create_file", create)])
        return Reply.stream(["Bumped the version and added new.py."])
    if "check bad.json" in user:
        if tools == 0:
            check = json.dumps({"paths": ["bad.json"]})
            return Reply.tool_calls([("d1", "get_diagnostics", check)])
        return Reply.stream(["bad.json ", "misses ", "a comma."], delay=0.2, first_delay=0.5)
    if "make the helper return 44" in user:
        if tools == 0:
            return Reply.tool_calls([_edit("e4", "util.py", "return 42", "return 44")])
        return Reply.stream(["The helper now returns 44."])
    if "make the helper return 43" in user:
        if tools == 0:
            return Reply.tool_calls([_edit("e3", "util.py", "return 42", "return 43")])
        return Reply.stream(["The helper now returns 43."])
    return None


Run = tuple[VsCodeSession, dict[str, Any], GlmEndpoint]


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    """One session: both files open, the chat panel driven through the whole review. Ghost
    text and next edits are off, so typing during the review sends the model nothing else;
    editors open as real tabs (no preview tab for the diff to replace)."""
    with GlmEndpoint() as endpoint:
        endpoint.handler = _model
        files = {"app.py": APP, "util.py": UTIL, "bad.json": BAD_JSON}
        quiet = {
            "glm.inline.enabled": False,
            "glm.nextEdit.enabled": False,
            "workbench.editor.enablePreview": False,
        }
        with vscode(
            "vscode_proposals",
            endpoint_url=endpoint.url,
            api_key="e2e-key",
            files=files,
            settings=quiet,
        ) as session:
            result = session.drive(
                [
                    {
                        "name": "chat_proposals",
                        "workspace": str(session.workspace),
                        "file": "app.py",
                        "other": "util.py",
                        "created": "new.py",
                        "message": "bump the version",
                        "oldLine": "VERSION = 'one'",
                        "newLine": "VERSION = 'two'",
                        "otherOld": "return 42",
                        "otherNew": "return 43",
                        "userText": USER_TEXT,
                        "rejectMessage": "make the helper return 43",
                        "paletteMessage": "make the helper return 44",
                        "paletteLine": "return 44",
                    },
                    {
                        "name": "chat_progress_diagnostics",
                        "jsonFile": "bad.json",
                        "message": "check bad.json for problems",
                        "expectAnswer": "bad.json misses a comma.",
                    },
                    {
                        "name": "proposals_after_reload",
                        "chatTitle": "bump the version",
                        "file": "app.py",
                        "other": "util.py",
                        "created": "new.py",
                        "otherNew": "return 43",
                    },
                ],
                timeout=280,
            )
            yield session, result, endpoint


def test_proposal_review_diff_accept_conflict_undo_reject(run: Run) -> None:
    """Ensure the chat panel shows a turn's proposal as a card (three files with kinds and
    counts, nothing written); Diff opens VS Code's diff editor with the proposed line against the
    current text; Accept on one file changes only that buffer; a file the user typed into after
    the proposal is refused by Accept all with the reason in the card and a warning, keeping the
    user's text, while the created file is written; Undo restores the accepted file and removes
    the created one; Reject all on a second proposal leaves every file as it was; the palette's
    Accept Proposal applies a third and Undo Last Chat Change restores it."""
    session, result, endpoint = run
    scenario_result(session, result, "chat_proposals")
    turns = [_last_turn(r.body) for r in endpoint.requests]
    assert ("bump the version" in turns[0][0]) and turns[0][1] == 0, turns[:1]
    assert any("make the helper" in user for user, _ in turns)
    # On disk too (whether or not VS Code saved the buffers): the user's text, never the
    # refused or rejected change; the undone turn left no file behind.
    assert (session.workspace / "util.py").read_text() in (UTIL, USER_TEXT + UTIL)
    assert (session.workspace / "app.py").read_text() == APP
    assert not (session.workspace / "new.py").exists()


def _tool_results(endpoint: GlmEndpoint, name: str) -> list[str]:
    """The tool messages the model was sent after calling ``name``."""
    ids: set[str] = set()
    out: list[str] = []
    for request in endpoint.requests:
        for m in request.body.get("messages", []) if isinstance(request.body, dict) else []:
            for call in m.get("tool_calls") or []:
                if call.get("function", {}).get("name") == name:
                    ids.add(call.get("id"))
            if m.get("role") == "tool" and m.get("tool_call_id") in ids:
                out.append(str(m.get("content")))
    return out


def test_diagnostics_come_from_vscode_and_progress_is_shown(run: Run) -> None:
    """Ensure the extension advertises glmDiagnostics and answers glm/diagnostics with what VS
    Code shows: a get_diagnostics call on a JSON file with a missing comma gives the model VS
    Code's own JSON error; the running turn shows "step n/8 · tokens/200k tokens" and the
    "checking diagnostics of bad.json" activity, and the line goes when the turn is done."""
    session, result, endpoint = run
    scenario_result(session, result, "chat_progress_diagnostics")
    results = _tool_results(endpoint, "get_diagnostics")
    assert results, "the model never got the get_diagnostics result"
    assert any("comma" in r.lower() for r in results), results


def test_cards_come_back_after_reload(run: Run) -> None:
    """Ensure that after "Developer: Reload Window" (a new extension host and server) choosing the
    chat shows each turn's proposal card again from glm.chat.proposals, with the stored states
    (restored, still pending, discarded), and that Diff shows the stored proposed text."""
    session, result, _ = run
    scenario_result(session, result, "proposals_after_reload")
