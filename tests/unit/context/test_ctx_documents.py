"""Documents and activity: edited ranges (merge, shift, expiry) and visited files."""

from __future__ import annotations

from glm_lsp.context.documents import RECENT_EDIT_SECONDS, Activity, DocumentStore


class Clock:
    """A settable time source, so expiry is tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def spans(activity: Activity, uri: str) -> list[tuple[int, int]]:
    return [(r.start, r.end) for r in activity.recent_edits(uri)]


def test_adjacent_and_overlapping_edits_merge() -> None:
    """Typing on consecutive lines yields one range, a distant edit another."""
    a = Activity(Clock())
    for line in (10, 11, 12):
        a.record_edit("u", [(line, line)], 0)
    a.record_edit("u", [(40, 41)], 0)
    assert sorted(spans(a, "u")) == [(10, 12), (40, 41)]


def test_inserted_lines_shift_older_ranges_below() -> None:
    """Inserting three lines above an earlier edit moves that edit down by three."""
    a = Activity(Clock())
    a.record_edit("u", [(50, 50)], 0)
    a.record_edit("u", [(5, 8)], 3)
    assert sorted(spans(a, "u")) == [(5, 8), (53, 53)]


def test_edits_expire_after_ten_minutes() -> None:
    """Ranges older than ten minutes are forgotten; newer ones stay."""
    clock = Clock()
    a = Activity(clock)
    a.record_edit("old", [(1, 1)], 0)
    clock.now += RECENT_EDIT_SECONDS - 1
    a.record_edit("new", [(2, 2)], 0)
    clock.now += 2
    assert spans(a, "old") == []
    assert spans(a, "new") == [(2, 2)]
    assert a.edited_uris() == ["new"]


def test_visited_is_most_recent_first() -> None:
    """Open, edit and focus all count as visits; the latest comes first."""
    clock = Clock()
    a = Activity(clock)
    for uri in ("a", "b", "c"):
        clock.now += 1
        a.visit(uri)
    clock.now += 1
    a.record_edit("a", [(0, 0)], 0)
    assert a.visited() == ["a", "c", "b"]


def test_document_store_tracks_versions_and_line_delta() -> None:
    """A change replaces the text, keeps the language and reports the line-count change."""
    store = DocumentStore()
    store.open("file:///x.py", "a\nb\n", "python", 1)
    doc, delta = store.change("file:///x.py", "a\nnew\nb\nc\n", 2)
    assert (doc.version, doc.language_id, delta) == (2, "python", 2)
    assert doc.lines == ["a", "new", "b", "c", ""]
    assert doc.path == "/x.py"


def test_patched_lines_match_a_fresh_split() -> None:
    """Patching the line list after an edit gives exactly what splitting the new text gives."""
    import random

    rng = random.Random(3)
    store = DocumentStore()
    lines = [f"line {i} " + "x" * (i % 7) for i in range(300)]
    store.open("u", "\n".join(lines), "python", 1)
    for version in range(2, 200):
        doc = store.get("u")
        assert doc is not None
        old = doc.lines
        start = rng.randrange(len(old))
        removed = rng.randrange(0, 3)
        added = [f"new {version}-{k}" for k in range(rng.randrange(0, 4))] or [""]
        new_lines = old[:start] + added + old[start + removed + 1 :]
        text = "\n".join(new_lines)
        patched, _ = store.change("u", text, version, [(start, start + len(added) - 1)])
        assert patched.lines == text.split("\n")
        assert start == 0 or patched.lines[0] is old[0], "a single-range edit is patched"


def test_wrong_range_falls_back_to_split() -> None:
    """A range that does not describe the edit is detected; the text is split instead."""
    store = DocumentStore()
    store.open("u", "a\nb\nc\nd", "python", 1)
    assert store.get("u") is not None and store.get("u").lines  # type: ignore[union-attr]
    doc, _ = store.change("u", "a\nb\nc\nD!", 2, [(0, 0)])
    assert doc._lines is None
    assert doc.lines == ["a", "b", "c", "D!"]


def test_incrementally_redacted_lines_match_full_redaction() -> None:
    """After one-line edits, reused redaction equals redacting the new text from scratch."""
    from glm_lsp.context.secrets import Redactor

    red = Redactor()
    store = DocumentStore()
    lines = [f"value_{i} = {i}" for i in range(50)]
    store.open("u", "\n".join(lines), "python", 1)
    doc = store.get("u")
    assert doc is not None
    doc.redacted(red, "PYTHON", [])
    lines[10] = 'token = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"'
    doc, _ = store.change("u", "\n".join(lines), 2, [(10, 10)])
    incremental = doc.redacted(red, "PYTHON", [])
    full, _ = red.redact_lines(lines, 0, len(lines), kind="PYTHON")
    assert incremental == full
    assert "ghp_1234567890" not in "\n".join(incremental)
    lines.insert(20, "extra = 1")
    doc, _ = store.change("u", "\n".join(lines), 3, [(20, 20)])
    assert doc.redacted(red, "PYTHON", []) == red.redact_lines(lines, 0, len(lines))[0]
