"""The write tools on a real workspace: they only propose, later calls see the draft, guards
hold; the planning of apply and undo (stale files refused, inverse changes); and the proposal
book over a real chat store (partial apply, undo batches, discard)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from glm_lsp.chat.archive import ChatArchive
from glm_lsp.chat.checkpoints import FileState, invert, line_edits, plan
from glm_lsp.chat.proposal_store import ProposalBook
from glm_lsp.chat.proposals import MAX_TEXT_CHARS, Draft, new_proposal
from glm_lsp.chat.tools import Toolbox
from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.chat.write_tools import WriteTools
from glm_lsp.context import ContextEngine

APP = "import os\n\n\ndef main():\n    return 'one'\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A workspace: src/app.py, src/util.py, an .env file and a link out of the workspace."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text(APP)
    (root / "src" / "util.py").write_text("def helper():\n    return 42\n")
    (root / ".env").write_text("API_KEY=sk-live-SECRETSECRET0123456789\n")
    (tmp_path / "outside").mkdir()
    (root / "out").symlink_to(tmp_path / "outside")
    return root


@pytest.fixture
def engine(repo: Path) -> Iterator[ContextEngine]:
    eng = ContextEngine(workspace_roots=[str(repo)], exclude=["secret/**"])
    yield eng
    eng.close()


def toolbox(repo: Path, engine: ContextEngine, open_texts: dict[str, str] | None = None) -> Toolbox:
    ws = ChatWorkspace(
        [repo.as_uri()],
        excluded=engine.is_excluded,
        redact=lambda text, path: engine.redact(text, path),
        open_texts=lambda: dict(open_texts or {}),
    )
    versions = {path: 7 for path in open_texts or {}}
    return Toolbox(ws, writer=WriteTools(ws, Draft(), versions.get))


async def call(box: Toolbox, name: str, **args: object) -> tuple[str, bool]:
    result = await box.call(name, json.dumps(args))
    return result.text, result.ok


def draft_of(box: Toolbox) -> Draft:
    assert box.writer is not None
    return box.writer.draft


async def test_edit_file_proposes_and_later_reads_see_it(repo: Path, engine: ContextEngine) -> None:
    """Ensure edit_file writes nothing, answers with the diff, and a later read_file and edit_file
    of the same turn work on the proposed text; the change keeps the original as its base."""
    box = toolbox(repo, engine)
    edits = [{"search": "    return 'one'\n", "replace": "    return 'two'\n"}]
    text, ok = await call(box, "edit_file", path="src/app.py", edits=edits)
    assert ok and "proposed" in text and "+    return 'two'" in text
    assert (repo / "src" / "app.py").read_text() == APP
    read, _ = await call(box, "read_file", path="src/app.py")
    assert "return 'two'" in read
    more = [{"search": "import os\n", "replace": "import sys\n"}]
    _, ok = await call(box, "edit_file", path="src/app.py", edits=more)
    assert ok
    (change,) = draft_of(box).files()
    assert change.change == "edit" and change.before == APP
    assert change.after == APP.replace("one", "two").replace("import os", "import sys")


async def test_open_buffer_is_the_text_edited(repo: Path, engine: ContextEngine) -> None:
    """Ensure an open document's unsaved text (not the disk's) is what edit_file changes, and
    the editor's version is recorded with it."""
    path = str(repo / "src" / "app.py")
    box = toolbox(repo, engine, {path: APP.replace("'one'", "'unsaved'")})
    edits = [{"search": "return 'unsaved'", "replace": "return 'edited'"}]
    _, ok = await call(box, "edit_file", path="src/app.py", edits=edits)
    assert ok
    (change,) = draft_of(box).files()
    assert change.version == 7 and "'unsaved'" in (change.before or "")


async def test_refusals_reach_the_model(repo: Path, engine: ContextEngine) -> None:
    """Ensure a missing search, an excluded file, a path outside the workspace (also through a
    link), creating an existing file and editing a missing one are refused with a reason, and
    nothing is proposed."""
    box = toolbox(repo, engine)
    cases = [
        ("edit_file", {"path": "src/app.py", "edits": [{"search": "nope()", "replace": "x"}]}),
        ("edit_file", {"path": ".env", "edits": [{"search": "API", "replace": "X"}]}),
        ("create_file", {"path": "../evil.py", "content": "x"}),
        ("create_file", {"path": "out/evil.py", "content": "x"}),
        ("create_file", {"path": "src/app.py", "content": "x"}),
        ("edit_file", {"path": "src/none.py", "edits": [{"search": "a", "replace": "b"}]}),
        ("delete_file", {"path": ".env"}),
    ]
    for name, args in cases:
        text, ok = await call(box, name, **args)
        assert not ok and text.startswith("error:"), (name, args, text)
        assert "SECRET" not in text
    assert "excluded" in (await call(box, "delete_file", path=".env"))[0]
    assert not draft_of(box)


async def test_create_rename_delete_are_seen_by_later_calls(
    repo: Path, engine: ContextEngine
) -> None:
    """Ensure created files can be read back, a renamed file is found only under its new name,
    a deleted file is gone, and deleting a file created in the same turn leaves no change."""
    box = toolbox(repo, engine)
    assert (await call(box, "create_file", path="src/new.py", content="x = 1\n"))[1]
    assert "x = 1" in (await call(box, "read_file", path="src/new.py"))[0]
    assert (await call(box, "rename_file", path="src/util.py", new_path="src/helpers.py"))[1]
    assert "helper" in (await call(box, "read_file", path="src/helpers.py"))[0]
    assert not (await call(box, "read_file", path="src/util.py"))[1]
    assert (await call(box, "delete_file", path="src/new.py"))[1]
    assert (await call(box, "delete_file", path="src/app.py"))[1]
    kinds = {c.shown: c.change for c in draft_of(box).files()}
    assert kinds == {"src/util.py": "rename", "src/app.py": "delete"}
    assert not (repo / "src" / "helpers.py").exists() and (repo / "src" / "app.py").exists()


async def test_plan_refuses_stale_files_and_undo_inverts(repo: Path, engine: ContextEngine) -> None:
    """Ensure apply planning refuses a file whose text changed since the proposal and a create
    whose target appeared, lets the others through, and undo's inverse changes restore them."""
    box = toolbox(repo, engine)
    edits = [{"search": "return 42", "replace": "return 43"}]
    await call(box, "edit_file", path="src/util.py", edits=edits)
    await call(box, "edit_file", path="src/app.py", edits=[{"search": "os", "replace": "re"}])
    await call(box, "create_file", path="src/new.py", content="y = 2\n")
    proposal = new_proposal("c", "t", draft_of(box))
    assert proposal is not None
    util, app, new = (str(repo / "src" / n) for n in ("util.py", "app.py", "new.py"))
    states = {
        util: FileState("def helper():\n    return 42\n", 3),
        app: FileState(APP + "# typed by the user\n", 4),
        new: FileState(None),
    }
    steps, refused = plan(proposal.files, states)
    assert [s.change.path for s in steps] == [util, new] and steps[0].version == 3
    assert [c.path for c, _ in refused] == [app] and "changed since" in refused[0][1]
    states[new] = FileState("someone else's\n")
    assert [c.path for c, _ in plan(proposal.files, states)[1]] == [app, new]
    back = [invert(s.change) for s in steps]
    assert [(b.change, b.before, b.after) for b in back][1] == ("delete", "y = 2\n", None)
    after = {util: FileState("def helper():\n    return 43\n", 5), new: FileState("y = 2\n")}
    assert plan(back, after)[1] == []


def test_line_edits_touch_only_changed_lines() -> None:
    """Ensure the text edits of an applied change cover the changed lines only and rebuild the
    new text, also at a last line without a newline."""
    before, after = "a\nb\nc\nd", "a\nB\nc\nd!"
    edits = line_edits(before, after)
    text = before
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    assert text == after
    assert all(before[s:e] in ("b\n", "d") for s, e, _ in edits)


def test_draft_folds_successive_changes_of_one_file() -> None:
    """Ensure a delete then a create of one path is an edit of the original, a rename back to
    the original path is an edit, and a created file renamed is a create at the new path."""
    draft = Draft()
    draft.delete("/w/a.py", "a.py", "old\n", 3)
    draft.record_text("/w/a.py", "a.py", None, None, "new\n")
    draft.rename("/w/b.py", "b.py", "/w/c.py", "c.py", "b\n", None)
    draft.rename("/w/c.py", "c.py", "/w/b.py", "b.py", "b\n", None)
    draft.record_text("/w/n.py", "n.py", None, None, "n\n")
    draft.rename("/w/n.py", "n.py", "/w/m.py", "m.py", "n\n", None)
    got = {(c.path, c.change, c.before, c.after, c.version) for c in draft.files()}
    assert got == {
        ("/w/a.py", "edit", "old\n", "new\n", 3),
        ("/w/m.py", "create", None, "n\n", None),
    }
    assert draft.view("/w/n.py") is None and draft.view("/w/m.py") == (True, "n\n")


async def test_partial_apply_keeps_the_rest_pending_and_undo_finds_the_turn() -> None:
    """Ensure applying some files of a stored proposal leaves the others pending under the same
    id, the applied ones are found for undo by chat (last applied turn), turn and proposal, an
    undone file is no longer offered, and a discarded proposal is gone with an error naming the
    remedy."""
    archive = await ChatArchive.open(None)
    try:
        await archive.run(lambda s: s.create_chat("chat", "t"), "create")
        book = ProposalBook(archive.run)
        draft = Draft()
        draft.record_text("/w/a.py", "a.py", "a\n", 1, "A\n")
        draft.record_text("/w/b.py", "b.py", "b\n", None, "B\n")
        proposal = await book.add("chat", "turn", draft)
        assert proposal is not None
        await book.applied(proposal, [proposal.files[0]])
        again = await book.get(proposal.proposal_id)
        assert [f.path for f in again.pending] == ["/w/b.py"] and again.state == "pending"
        (batch,) = await book.to_undo("chat", None, None)
        assert batch[0].proposal_id == proposal.proposal_id
        assert [(f.path, f.before, f.after) for f in batch[1]] == [("/w/a.py", "a\n", "A\n")]
        assert await book.to_undo("chat", "other", None) == []
        assert len(await book.to_undo("", None, proposal.proposal_id)) == 1
        await book.discard(proposal.proposal_id)
        with pytest.raises(KeyError, match="ask for the change again"):
            await book.get(proposal.proposal_id)
        await book.undone(batch[0], batch[1])
        assert await book.to_undo("chat", None, None) == []
        (listed,) = await book.listing("chat")
        assert listed.state == "undone"
        assert [f.status for f in listed.files] == ["undone", "discarded"]
        assert await book.add("chat", "turn", Draft()) is None
    finally:
        await archive.aclose()


def test_a_proposed_text_is_bounded() -> None:
    """Ensure a change whose resulting text would pass MAX_TEXT_CHARS is refused (the model
    reads why), so no stored proposal holds an unbounded text."""
    draft = Draft()
    with pytest.raises(ValueError, match="longer than"):
        draft.record_text("/w/a.py", "a.py", "a\n", None, "x" * (MAX_TEXT_CHARS + 1))
    assert draft.files() == []


async def test_a_proposal_already_written_is_stored_applied() -> None:
    """Ensure a proposal whose changes chat.autoApply already wrote is stored applied: nothing
    left to apply, and undo finds all its files as one checkpoint."""
    archive = await ChatArchive.open(None)
    try:
        await archive.run(lambda s: s.create_chat("chat", "t"), "create")
        book = ProposalBook(archive.run)
        draft = Draft()
        draft.record_text("/w/a.py", "a.py", "a\n", 1, "A\n")
        draft.record_text("/w/n.py", "n.py", None, None, "n\n")
        proposal = await book.add("chat", "turn", draft, written=True)
        assert proposal is not None and proposal.state == "applied"
        with pytest.raises(KeyError):
            await book.get(proposal.proposal_id)
        (batch,) = await book.to_undo("chat", "turn", None)
        assert [f.path for f in batch[1]] == ["/w/a.py", "/w/n.py"]
    finally:
        await archive.aclose()
