"""The edits streaming right now, per document, so a second edit into the same range is refused.

Two streams rewriting one range would each see the other's edits as the user typing inside
their range: both would stop and report "you edited inside the range", which is not what
happened. An edit claims its range before it asks the model; a claim that overlaps one still
streaming is refused up front with a message that says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from glm_lsp.edits.text import position_of
from glm_lsp.edits.tracker import DocTracker

__all__ = ["ALREADY_STREAMING", "ActiveEdits", "RangeBusy"]

ALREADY_STREAMING = (
    "another GLM edit is already streaming into this range; wait for it to finish or cancel it"
)


class RangeBusy(Exception):
    """The range overlaps an edit that is still streaming."""

    def __init__(self) -> None:
        super().__init__(ALREADY_STREAMING)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Half-open ranges overlap; an empty range (an insertion point) also clashes at an end."""
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def _clash(mine: DocTracker, other: DocTracker) -> bool:
    if mine.text is other.text or mine.text == other.text:
        return _overlap((mine.start, mine.end), (other.start, other.end))
    # Planned on different versions of the document: compare whole lines.
    lines = [
        (position_of(t.text, t.start)[0], position_of(t.text, t.end)[0]) for t in (mine, other)
    ]
    return lines[0][0] <= lines[1][1] and lines[1][0] <= lines[0][1]


class ActiveEdits:
    """uri -> the trackers of the edits streaming into it."""

    def __init__(self) -> None:
        self._by_uri: dict[str, list[DocTracker]] = {}

    @contextmanager
    def claim(self, uri: str, tracker: DocTracker) -> Iterator[None]:
        """Hold ``tracker``'s range while the block runs; ``RangeBusy`` if it is taken."""
        held = self._by_uri.setdefault(uri, [])
        if any(_clash(tracker, other) for other in held):
            raise RangeBusy
        held.append(tracker)
        try:
            yield
        finally:
            held.remove(tracker)
            if not held:
                del self._by_uri[uri]
