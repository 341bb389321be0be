"""Line splitting, positions and minimal line diffs used by streaming edits."""

from __future__ import annotations

from glm_lsp.edits.diff import Hunk, line_hunks, streaming_target
from glm_lsp.edits.text import changed_span, offset_of, position_of, split_lines


def apply_hunks(old: str, hunks: list[Hunk]) -> str:
    lines = split_lines(old)
    for hunk in reversed(hunks):
        lines[hunk.start : hunk.end] = list(hunk.lines)
    return "".join(lines)


def test_split_lines_only_on_newline() -> None:
    """Ensure lines split on \\n alone (form feeds and U+2028 stay inside a line)."""
    assert split_lines("a\x0cb\u2028c\nd") == ["a\x0cb\u2028c\n", "d"]
    assert split_lines("a\n") == ["a\n"]
    assert split_lines("") == []


def test_positions_and_offsets_round_trip() -> None:
    """Ensure offset <-> (line, column) conversions agree, including the end of the text."""
    text = "ab\ncde\n\nf"
    for offset in range(len(text) + 1):
        assert offset_of(text, position_of(text, offset)) == offset
    assert position_of(text, len(text)) == (3, 1)
    assert offset_of(text, (9, 0)) == len(text)


def test_changed_span_finds_the_one_changed_region() -> None:
    """Ensure the changed span covers exactly the edit (insertion, deletion, replacement)."""
    assert changed_span("abc", "abc") is None
    assert changed_span("abcdef", "abXYdef") == (2, 3, 4)
    assert changed_span("abcdef", "abef") == (2, 4, 2)
    assert changed_span("abc", "abcd") == (3, 3, 4)
    big = "x" * 10000
    assert changed_span(big + "a" + big, big + "b" + big) == (10000, 10001, 10001)


def test_line_hunks_rewrite_only_changed_lines() -> None:
    """Ensure unchanged lines are not part of any hunk and the hunks rebuild the new text."""
    old = "def f(a):\n    x = a + 1\n    y = x * 2\n    return y\n"
    new = "def f(a):\n    x = a + 1\n    y = x * 3\n    return y\n"
    hunks = line_hunks(old, new)
    assert hunks == [Hunk(2, 3, ("    y = x * 3\n",))]
    assert apply_hunks(old, hunks) == new
    assert line_hunks(old, old) == []


def test_line_hunks_handle_insertions_deletions_and_missing_final_break() -> None:
    """Ensure inserted and deleted lines and a range without a final line break diff right."""
    cases = [
        ("a\nb\nc", "a\nX\nb\nc"),
        ("a\nb\nc\n", "a\nc\n"),
        ("a\nb", "a\nb\n"),
        ("", "new\n"),
        ("old\n", ""),
    ]
    for old, new in cases:
        assert apply_hunks(old, line_hunks(old, new)) == new


def test_streaming_target_replaces_reworked_lines_in_place() -> None:
    """Ensure a rewritten line takes the place of the original line it resembles."""
    original = "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n"
    streamed = ["def total(values):\n", "    s = 0\n"]
    assert streaming_target(original, streamed) == (
        "def total(values):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n"
    )


def test_streaming_target_inserts_new_lines_above_the_unreached_original() -> None:
    """Ensure a new line unlike the original (a docstring) is inserted, hiding nothing."""
    original = "def f():\n    return 1\n"
    streamed = ["def f():\n", '    """Return one."""\n']
    assert streaming_target(original, streamed) == 'def f():\n    """Return one."""\n    return 1\n'


def test_streaming_target_ignores_matches_on_trivial_lines() -> None:
    """Ensure a blank or closing-brace line does not count as reaching a far original line."""
    original = "a = 1\nb = 2\n\nc = 3\n"
    streamed = ["totally = 'new'\n", "\n"]
    target = streaming_target(original, streamed)
    assert target.endswith("a = 1\nb = 2\n\nc = 3\n")
