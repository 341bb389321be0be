"""The edits streaming right now, per document, so a second edit into the same file is refused.

Two streams rewriting one range would each see the other's edits as the user typing inside
their range: both would stop and report "you edited inside the range", which is not what
happened. Two streams into different ranges of one file fare no better: each applied edit
moves the document's version, so the editor refuses the other stream's versioned edits until
it gives up and restores its range. An edit therefore claims its document and range before it
asks the model; a second claim on a document with an edit still streaming is refused up front
with a message that says what is going on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from glm_lsp.edits.text import position_of
from glm_lsp.edits.tracker import DocTracker

__all__ = ["ALREADY_STREAMING", "ALREADY_STREAMING_ELSEWHERE", "ActiveEdits", "RangeBusy"]

ALREADY_STREAMING = (
    "another GLM edit is already streaming into this range; wait for it to finish or cancel it"
)
ALREADY_STREAMING_ELSEWHERE = (
    "another GLM edit is already streaming into this file (lines {first}-{last}); wait for it "
    "to finish or cancel it: two edits at once would refuse each other's versioned changes"
)


class RangeBusy(Exception):
    """The document has an edit still streaming (into this range or another one)."""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Half-open ranges overlap; an empty range (an insertion point) also clashes at an end."""
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def _lines(tracker: DocTracker) -> tuple[int, int]:
    """First and last line (0-based) of the tracker's range in its text."""
    return position_of(tracker.text, tracker.start)[0], position_of(tracker.text, tracker.end)[0]


def _clash(mine: DocTracker, other: DocTracker) -> bool:
    if mine.text is other.text or mine.text == other.text:
        return _overlap((mine.start, mine.end), (other.start, other.end))
    # Planned on different versions of the document: compare whole lines.
    (a0, a1), (b0, b1) = _lines(mine), _lines(other)
    return a0 <= b1 and b0 <= a1


class ActiveEdits:
    """uri -> the trackers of the edits streaming into it."""

    def __init__(self) -> None:
        self._by_uri: dict[str, list[DocTracker]] = {}

    @contextmanager
    def claim(self, uri: str, tracker: DocTracker) -> Iterator[None]:
        """Hold ``tracker``'s range while the block runs; ``RangeBusy`` while another edit of
        the document streams (the message says whether it is in this range)."""
        held = self._by_uri.setdefault(uri, [])
        if any(_clash(tracker, other) for other in held):
            raise RangeBusy(ALREADY_STREAMING)
        if held:
            first, last = _lines(held[0])
            raise RangeBusy(ALREADY_STREAMING_ELSEWHERE.format(first=first + 1, last=last + 1))
        held.append(tracker)
        try:
            yield
        finally:
            held.remove(tracker)
            if not held:
                del self._by_uri[uri]
