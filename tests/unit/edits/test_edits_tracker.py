"""DocTracker: planning edits on the known text and explaining what the editor reports."""

from __future__ import annotations

from glm_lsp.edits.text import offset_of
from glm_lsp.edits.tracker import Change, DocTracker, Edit

DOC = "import os\n\ndef f():\n    return 1\n\nprint(f())\n"
RANGE = (DOC.index("def"), DOC.index("\nprint"))


def apply(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        start, end = offset_of(text, edit.start), offset_of(text, edit.end)
        text = text[:start] + edit.text + text[end:]
    return text


def tracker() -> DocTracker:
    return DocTracker(DOC, 1, *RANGE)


def test_plan_positions_edits_in_the_document() -> None:
    """Ensure planned edits, applied to the document, turn the range into the target only."""
    t = tracker()
    target = "def f():\n    return 2\n"
    edits = t.plan(target)
    assert edits == [Edit((3, 0), (4, 0), "    return 2\n")]
    assert apply(DOC, edits) == DOC.replace("return 1", "return 2")


def test_echo_of_our_edit_is_recognised() -> None:
    """Ensure the editor's report of exactly our edit counts as its echo and moves the base."""
    t = tracker()
    target = "def f():\n    return 2\n"
    new_doc = apply(DOC, t.plan(target))
    t.sent(target)
    assert t.observe(2, new_doc) is Change.ECHO
    assert (t.version, t.text, t.region, t.pending) == (2, new_doc, target, False)


def test_user_edit_before_the_range_shifts_it() -> None:
    """Ensure typing above the range (merged with our echo, as Neovim does) shifts the range."""
    t = tracker()
    target = "def f():\n    return 2\n"
    ours = apply(DOC, t.plan(target))
    t.sent(target)
    reported = "import sys\n" + ours
    assert t.observe(5, reported) is Change.OUTSIDE
    assert t.text[t.start : t.end] == target
    assert t.start == RANGE[0] + len("import sys\n")


def test_user_edit_after_the_range_leaves_it() -> None:
    """Ensure typing below the range keeps the range where it is."""
    t = tracker()
    reported = DOC + "# more\n"
    assert t.observe(2, reported) is Change.OUTSIDE
    assert (t.start, t.region) == (RANGE[0], DOC[RANGE[0] : RANGE[1]])


def test_user_edit_inside_the_range_is_reported() -> None:
    """Ensure a change of text within the range is reported as INSIDE."""
    t = tracker()
    reported = DOC.replace("return 1", "return 10")
    assert t.observe(2, reported) is Change.INSIDE


def test_refused_edit_with_user_change_is_explained_by_the_base() -> None:
    """Ensure that when our edit did not land (Neovim drops stale edits) the user's change is
    measured against the base text, not against our edit."""
    t = tracker()
    target = "def f():\n    return 2\n"
    t.plan(target)
    t.sent(target)
    reported = "# top\n" + DOC
    assert t.observe(3, reported) is Change.OUTSIDE
    assert t.region == DOC[RANGE[0] : RANGE[1]]
    assert t.text[t.start : t.end] == t.region


def test_insertion_at_the_range_start_is_outside() -> None:
    """Ensure a new line typed right above the range's first line shifts the range."""
    t = tracker()
    reported = DOC[: RANGE[0]] + "# note\n" + DOC[RANGE[0] :]
    assert t.observe(2, reported) is Change.OUTSIDE
    assert t.text[t.start : t.end] == t.region


def test_version_only_change_is_none() -> None:
    """Ensure a new version with the same text changes nothing."""
    t = tracker()
    assert t.observe(7, DOC) is Change.NONE
    assert t.version == 7
