"""Per-document edit history: the user's last edits as small hunks, one per typing burst.

The LSP glue feeds every ``didChange`` content change to ``EditHistory.record`` (positions in
code points, in the document as it was before that change, i.e. the LSP order of applying a
batch of changes). Changes that follow each other within ``BURST_S`` seconds and touch the
text the last hunk wrote (or the text right beside it) are merged into that hunk, so typing
``count`` letter by letter is one hunk ``"" -> "count"``, and typing then deleting a word
leaves nothing. A change elsewhere shifts the older hunks below it so that every hunk's
position stays valid in the current document. Hunks are kept minimal (common leading and
trailing characters trimmed).
"""

from __future__ import annotations

from collections import deque

import attrs

__all__ = ["BURST_S", "MAX_HUNKS", "EditHistory", "Hunk", "end_of", "shift_older"]

BURST_S = 2.0
"""Seconds between two changes that still belong to the same typing burst."""
MAX_HUNKS = 16
"""Hunks kept per document (the prompt uses the last few)."""
MAX_HUNK_CHARS = 4000
"""A hunk whose old or new text is longer (a paste, a formatter run) ends the burst."""

Pos = tuple[int, int]


@attrs.frozen
class Hunk:
    """One burst of edits: ``old_text`` at (start_line, start_char) became ``new_text``.

    The position is in the current document (shifted by later edits above it). ``time`` is
    when the burst's last change was recorded; ``version`` the document version after it.
    """

    uri: str
    start_line: int
    old_text: str
    new_text: str
    time: float
    version: int | None
    start_char: int = 0
    """Column of the hunk's start in code points."""

    @property
    def start(self) -> Pos:
        """(start_line, start_char)."""
        return self.start_line, self.start_char

    @property
    def new_end(self) -> Pos:
        """Where ``new_text`` ends in the current document."""
        return end_of(self.start, self.new_text)


def end_of(start: Pos, text: str) -> Pos:
    """The position right after ``text`` written at ``start``."""
    breaks = text.count("\n")
    if breaks == 0:
        return start[0], start[1] + len(text)
    return start[0] + breaks, len(text) - text.rfind("\n") - 1


def offset_in(text: str, start: Pos, pos: Pos) -> int:
    """The offset in ``text`` (written at ``start``) of document position ``pos``, clamped."""
    if pos <= start:
        return 0
    line, column = start
    index = 0
    while line < pos[0]:
        found = text.find("\n", index)
        if found < 0:
            return len(text)
        index, line, column = found + 1, line + 1, 0
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    return min(index + pos[1] - column, end)


def _trim(start: Pos, old: str, new: str, keep: Pos | None = None) -> tuple[Pos, str, str]:
    """Drop the characters ``old`` and ``new`` share at both ends.

    Where that is ambiguous ("a\n" -> "\n" is "a" deleted before the break or after it),
    ``keep`` (the cursor after the last change) decides: fewer shared characters are dropped
    so that the new text still reaches the cursor and the next keystroke continues the hunk.
    """
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if keep is not None:
        while head > 0 and end_of(start, new[:head]) > keep:
            head -= 1
        while tail > 0 and end_of(start, new[: len(new) - tail]) < keep:
            tail -= 1
    at = end_of(start, old[:head])
    return at, old[head : len(old) - tail], new[head : len(new) - tail]


def _shift(pos: Pos, at: Pos, old: str, new: str) -> Pos:
    """``pos`` (at or after the end of ``old`` written at ``at``) once ``old`` became ``new``."""
    old_end, new_end = end_of(at, old), end_of(at, new)
    if pos[0] == old_end[0]:
        return new_end[0], new_end[1] + pos[1] - old_end[1]
    return pos[0] + new_end[0] - old_end[0], pos[1]


class EditHistory:
    """The recent hunks of every open document."""

    def __init__(self, *, burst_s: float = BURST_S, max_hunks: int = MAX_HUNKS) -> None:
        self.burst_s = burst_s
        self.max_hunks = max_hunks
        self._hunks: dict[str, deque[Hunk]] = {}
        self._open: dict[str, bool] = {}

    def record(
        self,
        uri: str,
        version: int | None,
        start_line: int,
        start_char: int,
        old_text: str,
        new_text: str,
        now: float,
    ) -> None:
        """The text ``old_text`` at (start_line, start_char) was replaced by ``new_text``.

        Positions are code points in the document before this change; ``now`` is any
        monotonic clock in seconds. Whole-document replacements should not be recorded
        (call ``end_burst`` instead): they are not the user typing.
        """
        if old_text == new_text:
            return
        hunks = self._hunks.setdefault(uri, deque(maxlen=self.max_hunks))
        # Editors that send whole lines (Neovim) are read as the characters that changed.
        at, old_text, new_text = _trim((start_line, start_char), old_text, new_text)
        last = hunks[-1] if hunks else None
        if last is not None and self._open.get(uri, False) and now - last.time <= self.burst_s:
            merged = _merge(last, at, old_text, new_text, now, version)
            if merged is not None:
                hunks.pop()
                shift_older(hunks, at, old_text, new_text)
                if merged.old_text != merged.new_text:
                    hunks.append(merged)
                self._open[uri] = _small(merged)
                return
        shift_older(hunks, at, old_text, new_text)
        hunk = Hunk(uri, at[0], old_text, new_text, now, version, at[1])
        hunks.append(hunk)
        self._open[uri] = _small(hunk)

    def end_burst(self, uri: str) -> None:
        """The next change starts a new hunk (an accepted suggestion, a save, a paste)."""
        self._open[uri] = False

    def hunks(self, uri: str) -> list[Hunk]:
        """The document's hunks, oldest first (the last one is the user's last edit)."""
        return list(self._hunks.get(uri, ()))

    def last(self, uri: str) -> Hunk | None:
        """The user's last edit, or None."""
        hunks = self._hunks.get(uri)
        return hunks[-1] if hunks else None

    def forget(self, uri: str) -> None:
        """The document closed (or was replaced as a whole): drop its history."""
        self._hunks.pop(uri, None)
        self._open.pop(uri, None)


def shift_older(hunks: deque[Hunk], at: Pos, old: str, new: str) -> None:
    """Move the hunks after a change (``old`` at ``at`` became ``new``) so their positions stay
    valid; drop the ones it overlapped. In place."""
    end = end_of(at, old)
    kept: list[Hunk] = []
    for hunk in hunks:
        if hunk.new_end <= at:
            kept.append(hunk)
        elif hunk.start >= end:
            line, char = _shift(hunk.start, at, old, new)
            kept.append(attrs.evolve(hunk, start_line=line, start_char=char))
        # else: the change rewrote part of an older hunk; that hunk no longer describes
        # the document, so it is dropped.
    hunks.clear()
    hunks.extend(kept)


def _small(hunk: Hunk) -> bool:
    return len(hunk.old_text) <= MAX_HUNK_CHARS and len(hunk.new_text) <= MAX_HUNK_CHARS


def _merge(last: Hunk, at: Pos, old: str, new: str, now: float, version: int | None) -> Hunk | None:
    """``last`` followed by the change, as one hunk; None when the change is not beside it."""
    hs, he = last.start, last.new_end
    ce = end_of(at, old)
    if at > he or ce < hs:
        return None
    old_before = old[: offset_in(old, at, hs)] if at < hs else ""
    old_after = old[offset_in(old, at, he) :] if ce > he else ""
    new_before = last.new_text[: offset_in(last.new_text, hs, at)] if at > hs else ""
    new_after = last.new_text[offset_in(last.new_text, hs, ce) :] if ce < he else ""
    start = min(at, hs)
    merged_old = old_before + last.old_text + old_after
    merged_new = new_before + new + new_after
    keep = end_of(at, new)
    start, merged_old, merged_new = _trim(start, merged_old, merged_new, keep)
    return Hunk(last.uri, start[0], merged_old, merged_new, now, version, start[1])
