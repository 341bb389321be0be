"""The server's own view of a document while an edit streams into it.

Editors answer ``workspace/applyEdit`` before they send the ``didChange`` the edit caused
(VS Code), or send that ``didChange`` up to ~150 ms later, merged with the user's typing
(Neovim). So the tracker keeps two candidates for the document: ``base`` (what the editor last
reported) and, while an applied edit is unconfirmed, ``pending`` (base plus our edit). When the
editor reports a new version, the candidate closest to the reported text explains it; what is
left over is the user's own change:

* none: the report was the echo of our edit;
* before or after the range: the user typed elsewhere; the range moves with the text;
* inside the range: the user is editing what we are rewriting; the caller must stop.

Comparing text, not counting versions, keeps this right for every client: Neovim's version is
its ``changedtick`` and may jump by more than one per edit.
"""

from __future__ import annotations

import enum

import attrs

from glm_lsp.edits.diff import line_hunks
from glm_lsp.edits.text import Pos, changed_span, position_of, split_lines

__all__ = ["Change", "DocTracker", "Edit"]


@attrs.frozen
class Edit:
    """Replace ``start``..``end`` (code-point positions in the text it was planned on)."""

    start: Pos
    end: Pos
    text: str


class Change(enum.Enum):
    """What a reported document version turned out to be."""

    ECHO = "echo"
    """Exactly our pending edit."""
    NONE = "none"
    """The text did not change (only the version)."""
    OUTSIDE = "outside"
    """The user changed text outside the range (maybe together with our edit)."""
    INSIDE = "inside"
    """The user changed text inside the range."""


@attrs.define
class _Pending:
    text: str
    region: str


class DocTracker:
    """One document and the range being rewritten in it, as offsets into the known text."""

    def __init__(self, text: str, version: int | None, start: int, end: int) -> None:
        self.text = text
        """The document as last reported (or assumed) — edits are planned on this."""
        self.version = version
        self.start = start
        """Offset of the range in ``text``."""
        self.region = text[start:end]
        """The range's current content."""
        self._pending: _Pending | None = None

    @property
    def end(self) -> int:
        """Offset just after the range in ``text``."""
        return self.start + len(self.region)

    @property
    def pending(self) -> bool:
        """An applied edit is waiting for the editor to report it."""
        return self._pending is not None

    def plan(self, target: str) -> list[Edit]:
        """Minimal edits turning the range into ``target``, positioned in ``text``."""
        if self._pending is not None:
            raise RuntimeError("plan() while an edit is unconfirmed")
        hunks = line_hunks(self.region, target)
        if not hunks:
            return []
        lines = split_lines(self.region)
        offsets = [self.start]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        return [
            Edit(
                position_of(self.text, offsets[h.start]),
                position_of(self.text, offsets[h.end]),
                "".join(h.lines),
            )
            for h in hunks
        ]

    def sent(self, target: str) -> None:
        """The editor accepted edits turning the range into ``target``; await its report."""
        text = self.text[: self.start] + target + self.text[self.end :]
        self._pending = _Pending(text, target)

    def assume_applied(self) -> None:
        """Take the pending edit as done (an editor that reports no versions for this file)."""
        if self._pending is not None:
            self.text, self.region = self._pending.text, self._pending.region
            self._pending = None

    def drop_pending(self) -> None:
        """The editor refused the edit: the document is still ``base``."""
        self._pending = None

    def observe(self, version: int | None, text: str) -> Change:
        """Explain a newly reported document and move the range with it."""
        candidates: list[tuple[str, str]] = []
        if self._pending is not None:
            candidates.append((self._pending.text, self._pending.region))
        candidates.append((self.text, self.region))
        best: tuple[int, int, str, str, tuple[int, int, int] | None] | None = None
        for rank, (known, region) in enumerate(candidates):
            span = changed_span(known, text)
            cost = 0 if span is None else (span[1] - span[0]) + (span[2] - span[0])
            if best is None or cost < best[0]:
                best = (cost, rank, known, region, span)
            if span is None:
                break
        assert best is not None
        _, rank, _known, region, span = best
        ours = self._pending is not None and rank == 0
        self._pending = None
        self.region = region
        self.version = version
        self.text = text
        if span is None:
            return Change.ECHO if ours else Change.NONE
        start, old_end, new_end = span
        shift = new_end - old_end
        range_start, range_end = self.start, self.start + len(region)
        if start == old_end:  # a pure insertion
            inside = range_start < start < range_end
        else:
            inside = start < range_end and old_end > range_start
        if inside:
            return Change.INSIDE
        if old_end <= range_start:
            self.start += shift
        return Change.OUTSIDE
