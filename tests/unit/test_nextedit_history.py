"""EditHistory: typing bursts coalesced into one hunk each, positions kept valid."""

from __future__ import annotations

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
