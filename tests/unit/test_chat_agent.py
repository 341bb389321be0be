"""The agent loop's parts without an editor: get_diagnostics, the per-step changes of autoApply,
the editor's answer to glm/diagnostics, and the progress activity text."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from glm_lsp.chat.diagnostics_tool import EditorDiagnostics, syntax_errors
from glm_lsp.chat.proposals import Draft, FileChange
from glm_lsp.chat.tools import Toolbox
from glm_lsp.chat.turn_input import activity
from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.chat.write_tools import WriteTools, step_changes
from glm_lsp.context import ContextEngine
from glm_lsp.lsp.diagnostics import RememberedDiagnostics, ask_editor, settle, supports_request

APP = "def total(items):\n    return sum(items)\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """src/app.py, notes.txt and an excluded .env."""
    base = tmp_path / "ws"
    (base / "src").mkdir(parents=True)
    (base / "src" / "app.py").write_text(APP)
    (base / "notes.txt").write_text("plain text\n")
    (base / ".env").write_text("TOKEN=sk-live-SECRETSECRET0123456789\n")
    return base


@pytest.fixture
def engine(root: Path) -> Iterator[ContextEngine]:
    eng = ContextEngine(workspace_roots=[str(root)])
    yield eng
    eng.close()


@pytest.fixture
def ws(root: Path, engine: ContextEngine) -> ChatWorkspace:
    return ChatWorkspace(
        [root.as_uri()], excluded=engine.is_excluded, redact=lambda t, p: engine.redact(t, p)
    )


def toolbox(ws: ChatWorkspace, editor: Any = None) -> tuple[Toolbox, Draft]:
    draft = Draft()
    return Toolbox(ws, writer=WriteTools(ws, draft), editor=editor), draft


async def run(box: Toolbox, name: str, **args: Any) -> str:
    return (await box.call(name, json.dumps(args))).text


def test_syntax_errors_finds_broken_python_and_skips_unknown_languages() -> None:
    """Ensure tree-sitter reports an unclosed call with its line, nothing for good code, and
    None for a file kind without a grammar."""
    found = syntax_errors("x = 1\ny = f(2\n\nz = 3\n", "/w/a.py", 10)
    assert found is not None and found[1] >= 1 and found[0][0][0] == 2
    assert syntax_errors("x = 1\n", "/w/a.py", 10) == ([], 0)
    assert syntax_errors("anything (", "/w/notes.txt", 10) is None


async def test_get_diagnostics_separates_the_buffer_and_the_proposal(ws: ChatWorkspace) -> None:
    """Ensure after a broken edit the report lists the editor's diagnostics as of the current
    text and the syntax error as of the proposed text, and says why the editor was not asked
    when it cannot be."""
    asked: list[Sequence[str]] = []

    async def editor(paths: Sequence[str]) -> EditorDiagnostics:
        asked.append(paths)
        diag = {"range": {"start": {"line": 0, "character": 0}}, "severity": 2, "message": "w"}
        return EditorDiagnostics({p: [diag] for p in paths})

    box, _ = toolbox(ws, editor)
    edits = [{"search": "sum(items)", "replace": "sum(items"}]
    await run(box, "edit_file", path="src/app.py", edits=edits)
    text = await run(box, "get_diagnostics", paths=["src/app.py"])
    buffer, proposal = text.split("syntax errors of your proposed text")
    assert "without your proposed edits" in buffer and "line 1: warning: w" in buffer
    assert "line 2: syntax error" in proposal
    assert len(asked) == 1 and asked[0][0].endswith("/src/app.py")

    plain, _ = toolbox(ws)
    text = await run(plain, "get_diagnostics", paths=["src/app.py"])
    assert "the editor was not asked" in text and "syntax errors" not in text


async def test_get_diagnostics_guards_paths(ws: ChatWorkspace) -> None:
    """Ensure excluded files are not checked, paths outside the workspace and bad arguments are
    refused with a reason, and a missing file is said to be missing."""
    box, _ = toolbox(ws)
    text = await run(box, "get_diagnostics", paths=[".env", "src/none.py"])
    assert ".env: excluded" in text and "SECRET" not in text
    assert "src/none.py: does not exist" in text
    assert "outside the workspace" in await run(box, "get_diagnostics", paths=["../x.py"])
    assert "non-empty list" in await run(box, "get_diagnostics", paths=[])
    assert "at most 20 paths" in await run(box, "get_diagnostics", paths=["a"] * 21)


def _apply(files: dict[str, str | None], changes: list[FileChange]) -> None:
    """What an editor does with the step's changes (path -> text; None: no file)."""
    for c in changes:
        assert files.get(c.path) == c.before, c
        if c.change == "create":
            files[c.path] = c.after
        elif c.change == "delete":
            files[c.path] = None
        elif c.change == "rename" and c.new_path is not None:
            files[c.path], files[c.new_path] = None, c.after
        else:
            files[c.path] = c.after


def test_step_changes_bring_the_files_from_step_to_step() -> None:
    """Ensure each step writes only what changed since the last one, whatever the draft did
    (edit twice, create then rename, delete a file edited in a step before), and the files end
    as the draft says."""
    files: dict[str, str | None] = {"/w/a.py": "a0\n", "/w/b.py": "b0\n"}
    draft = Draft()
    written: dict[str, FileChange] = {}

    def step() -> list[FileChange]:
        out = step_changes(written, draft)
        _apply(files, [s for _, s, _ in out])
        written.update({k: state for k, _, state in out})
        return [s for _, s, _ in out]

    draft.record_text("/w/a.py", "a.py", "a0\n", 1, "a1\n")
    draft.record_text("/w/c.py", "c.py", None, None, "c1\n")
    assert [s.change for s in step()] == ["edit", "create"]
    draft.record_text("/w/a.py", "a.py", "a1\n", None, "a2\n")
    draft.rename("/w/c.py", "c.py", "/w/d.py", "d.py", "c1\n", None)
    draft.delete("/w/b.py", "b.py", "b0\n", None)
    kinds = sorted(s.change for s in step())
    assert kinds == ["create", "delete", "delete", "edit"]
    assert files == {"/w/a.py": "a2\n", "/w/b.py": None, "/w/c.py": None, "/w/d.py": "c1\n"}
    assert step() == []
    edited = next(s for s in step_changes({}, draft) if s[0] == "/w/a.py")[1]
    assert (edited.before, edited.after) == ("a0\n", "a2\n")  # the turn's whole change


async def test_ask_editor_reports_errors_and_time_outs_with_the_remembered_ones() -> None:
    """Ensure an editor that fails or does not answer in time yields the remembered diagnostics
    and a problem naming what happened; a good answer is read by URI; no sender: the reason."""
    remembered = RememberedDiagnostics()
    remembered.remember("file:///w/a.py", [{"message": "old"}])
    uris = {"/w/a.py": "file:///w/a.py"}

    async def fail(params: dict[str, Any]) -> Any:
        raise RuntimeError("boom")

    async def slow(params: dict[str, Any]) -> Any:
        await asyncio.sleep(60)

    async def good(params: dict[str, Any]) -> Any:
        assert params == {"uris": ["file:///w/a.py"]}
        return {"items": [{"uri": "file:///w/a.py", "diagnostics": [{"message": "new"}]}]}

    failed = await ask_editor(fail, uris, remembered)
    assert failed.source == "remembered" and "boom" in (failed.problem or "")
    assert failed.by_path["/w/a.py"][0]["message"] == "old"
    late = await ask_editor(slow, uris, remembered, timeout=0.05)
    assert "did not answer" in (late.problem or "")
    fresh = await ask_editor(good, uris, remembered, applied=["/w/a.py"])
    assert fresh.problem is None and fresh.by_path["/w/a.py"][0]["message"] == "new"
    assert fresh.applied == frozenset({"/w/a.py"})
    assert "does not support" in ((await ask_editor(None, uris, remembered)).problem or "")


async def test_settle_waits_for_the_new_version_at_most_the_bound() -> None:
    """Ensure settle returns once the written file's version moved, and also when it never
    does (bounded), never hanging."""
    versions = {"/w/a.py": 1}
    asyncio.get_running_loop().call_later(0.05, versions.__setitem__, "/w/a.py", 2)
    await settle({"/w/a.py": 1}, versions.get, wait=5, delay=0)
    assert versions["/w/a.py"] == 2
    await settle({"/w/b.py": 3}, lambda _p: 3, wait=0.05, delay=0)


def test_capability_and_activity_texts() -> None:
    """Ensure only experimental.glmDiagnostics = true counts, and progress activities name the
    tool's target (shortened, whatever the model sent)."""
    assert supports_request({"glmDiagnostics": True})
    assert not supports_request({"glmDiagnostics": "yes"}) and not supports_request(None)
    assert activity("read_file", '{"path": "src/a.py"}') == "reading src/a.py"
    assert activity("get_diagnostics", '{"paths": ["a", "b"]}') == "checking diagnostics of a, b"
    assert activity("edit_file", "not json") == "editing ."
    assert len(activity("read_file", json.dumps({"path": "x" * 500}))) < 100
    assert activity("mystery", "{}") == "running mystery"
