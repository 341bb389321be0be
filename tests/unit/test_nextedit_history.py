"""EditHistory: typing bursts coalesced into one hunk each, positions kept valid."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from glm_lsp.edits.nextedit.history import EditHistory, Hunk, end_of, offset_in

URI = "file:///w/a.py"


def type_text(history: EditHistory, line: int, char: int, text: str, t0: float) -> float:
    """Type ``text`` one character at a time from (line, char); return the time after it."""
    t = t0
    for ch in text:
        history.record(URI, None, line, char, "", ch, t)
        if ch == "\n":
            line, char = line + 1, 0
        else:
            char += 1
        t += 0.1
    return t


def only(history: EditHistory) -> Hunk:
    hunks = history.hunks(URI)
    assert len(hunks) == 1, hunks
    return hunks[0]


def test_typing_a_word_is_one_hunk() -> None:
    """Ensure a word typed letter by letter is recorded as one hunk "" -> word."""
    history = EditHistory()
    type_text(history, 3, 4, "count", 0.0)
    hunk = only(history)
    assert (hunk.start, hunk.old_text, hunk.new_text) == ((3, 4), "", "count")


def test_typing_then_deleting_leaves_nothing() -> None:
    """Ensure a word typed and then erased with backspace leaves no hunk at all."""
    history = EditHistory()
    t = type_text(history, 0, 0, "ab", 0.0)
    history.record(URI, None, 0, 1, "b", "", t)
    history.record(URI, None, 0, 0, "a", "", t + 0.1)
    assert history.hunks(URI) == []


def test_backspace_into_older_text_extends_the_hunk() -> None:
    """Ensure deleting characters before the typed text merges them into the hunk's old text."""
    history = EditHistory()
    t = type_text(history, 0, 5, "xy", 0.0)
    history.record(URI, None, 0, 4, "o", "", t)
    hunk = only(history)
    assert (hunk.start, hunk.old_text, hunk.new_text) == ((0, 4), "o", "xy")


def test_replacing_a_word_is_one_hunk_with_old_and_new() -> None:
    """Ensure selecting a word and typing its replacement gives old -> new in one hunk."""
    history = EditHistory()
    history.record(URI, 1, 2, 8, "value", "", 0.0)
    type_text(history, 2, 8, "total", 0.1)
    hunk = only(history)
    assert (hunk.start, hunk.old_text, hunk.new_text) == ((2, 8), "value", "total")


def test_a_pause_starts_a_new_hunk() -> None:
    """Ensure changes separated by more than the burst gap are separate hunks."""
    history = EditHistory(burst_s=1.0)
    t = type_text(history, 0, 0, "ab", 0.0)
    type_text(history, 0, 2, "cd", t + 5.0)
    assert [h.new_text for h in history.hunks(URI)] == ["ab", "cd"]


def test_an_edit_elsewhere_starts_a_new_hunk() -> None:
    """Ensure a change away from the last hunk, even within the burst gap, is its own hunk."""
    history = EditHistory()
    t = type_text(history, 0, 0, "ab", 0.0)
    type_text(history, 9, 0, "cd", t)
    assert [(h.start, h.new_text) for h in history.hunks(URI)] == [((0, 0), "ab"), ((9, 0), "cd")]


def test_end_burst_splits_adjacent_changes() -> None:
    """Ensure end_burst (an accepted suggestion) makes the next change a new hunk."""
    history = EditHistory()
    t = type_text(history, 0, 0, "ab", 0.0)
    history.end_burst(URI)
    type_text(history, 0, 2, "cd", t)
    assert [h.new_text for h in history.hunks(URI)] == ["ab", "cd"]


def test_older_hunks_below_move_with_inserted_lines() -> None:
    """Ensure a hunk below a change that adds lines moves down, so its position stays valid."""
    history = EditHistory()
    type_text(history, 10, 4, "x", 0.0)
    history.end_burst(URI)
    history.record(URI, None, 2, 0, "", "a\nb\n", 1.0)
    first, second = history.hunks(URI)
    assert first.start == (12, 4) and second.start == (2, 0)


def test_older_hunks_on_the_same_line_shift_columns() -> None:
    """Ensure a change earlier on the same line shifts the older hunk's column."""
    history = EditHistory()
    type_text(history, 0, 10, "zz", 0.0)
    history.end_burst(URI)
    history.record(URI, None, 0, 2, "ab", "abcd", 1.0)
    assert history.hunks(URI)[0].start == (0, 12)


def test_an_older_hunk_overwritten_is_dropped() -> None:
    """Ensure an older hunk whose text a later change rewrote is no longer reported."""
    history = EditHistory()
    type_text(history, 0, 4, "abc", 0.0)
    history.end_burst(URI)
    history.record(URI, None, 0, 3, " abc ", "-", 1.0)
    assert [h.new_text for h in history.hunks(URI)] == ["-"]


def test_typed_newlines_stay_in_one_hunk() -> None:
    """Ensure typing across a line break (Enter, then more) is one multi-line hunk."""
    history = EditHistory()
    type_text(history, 4, 0, "if x:\n    y", 0.0)
    hunk = only(history)
    assert hunk.new_text == "if x:\n    y" and hunk.new_end == (5, 5)


def test_forget_and_limits() -> None:
    """Ensure forget drops a document's history and at most max_hunks are kept."""
    history = EditHistory(max_hunks=3)
    for i in range(5):
        history.record(URI, i, i * 10, 0, "", "x", float(i * 10))
    assert [h.start_line for h in history.hunks(URI)] == [20, 30, 40]
    assert history.last(URI) is not None and history.last(URI).version == 4  # type: ignore[union-attr]
    history.forget(URI)
    assert history.hunks(URI) == [] and history.last(URI) is None


def test_positions_helpers() -> None:
    """Ensure end_of and offset_in agree on multi-line text."""
    text = "ab\ncde\nf"
    assert end_of((2, 3), text) == (4, 1)
    assert offset_in(text, (2, 3), (3, 1)) == 4
    assert offset_in(text, (2, 3), (2, 4)) == 1
    assert offset_in(text, (2, 3), (9, 0)) == len(text)


def test_whole_line_changes_are_read_as_the_changed_characters() -> None:
    """Ensure an editor that sends the whole line (Neovim) gives the same hunks as one that
    sends characters: typing is one hunk, and an older hunk on the same line survives."""
    history = EditHistory()
    history.record(URI, 1, 0, 0, "", "zz", 0.0)
    history.end_burst(URI)
    line = "zz = 1"
    for i, ch in enumerate("abc"):
        history.record(URI, 2 + i, 0, 0, line + "\n", line + ch + "\n", 1.0 + i * 0.1)
        line += ch
    assert [(h.start, h.old_text, h.new_text) for h in history.hunks(URI)] == [
        ((0, 0), "", "zz"),
        ((0, 6), "", "abc"),
    ]


def _offset(text: str, line: int, col: int) -> int:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts[line] + col


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


@settings(max_examples=300, deadline=None)
@given(
    start=st.text(alphabet="ab\n", max_size=12),
    cursor=st.integers(min_value=0, max_value=12),
    keys=st.lists(st.sampled_from(["x", "y", "\n", "BS", "DEL"]), max_size=16),
)
def test_one_burst_of_typing_is_one_hunk_that_reverts_to_the_start(
    start: str, cursor: int, keys: list[str]
) -> None:
    """Ensure any burst of typing, backspaces and forward deletes at a moving cursor is
    recorded as at most one hunk, and that reverting it gives back the text before the burst
    (no hunk when the burst changed nothing)."""
    history = EditHistory()
    text, at = start, min(cursor, len(start))
    for i, key in enumerate(keys):
        if key == "BS":
            a, b, new = at - 1, at, ""
        elif key == "DEL":
            a, b, new = at, at + 1, ""
        else:
            a, b, new = at, at, key
        if a < 0 or b > len(text):
            continue
        line, col = _position(text, a)
        history.record(URI, i, line, col, text[a:b], new, i * 0.01)
        text = text[:a] + new + text[b:]
        at = a + len(new)
    hunks = history.hunks(URI)
    assert len(hunks) <= 1
    if not hunks:
        assert text == start
        return
    hunk = hunks[0]
    a = _offset(text, hunk.start_line, hunk.start_char)
    assert text[a : a + len(hunk.new_text)] == hunk.new_text
    assert text[:a] + hunk.old_text + text[a + len(hunk.new_text) :] == start


@settings(max_examples=300, deadline=None)
@given(
    start=st.text(alphabet="ab\n", max_size=16),
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=20),
            st.integers(min_value=0, max_value=3),
            st.text(alphabet="xy\n", max_size=3),
            st.booleans(),
        ),
        max_size=12,
    ),
)
def test_every_hunk_kept_is_where_it_says_in_the_document(
    start: str, edits: list[tuple[int, int, str, bool]]
) -> None:
    """Ensure that after any edits anywhere (bursts ended at random), every hunk still
    reported holds its new text at its position in the current document."""
    history = EditHistory()
    text = start
    for i, (where, length, new, pause) in enumerate(edits):
        a = min(where, len(text))
        b = min(a + length, len(text))
        line, col = _position(text, a)
        history.record(URI, i, line, col, text[a:b], new, float(i))
        text = text[:a] + new + text[b:]
        if pause:
            history.end_burst(URI)
    for hunk in history.hunks(URI):
        a = _offset(text, hunk.start_line, hunk.start_char)
        assert text[a : a + len(hunk.new_text)] == hunk.new_text, hunk
