"""Open documents and what the user did recently (edited ranges, visited files).

The LSP layer feeds these from didOpen/didChange/didClose/didFocus; the engine
reads them to pick the cursor window, recent-edit snippets and neighbouring files.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol

import attrs

from .files import uri_to_path
from .secrets import Redactor, Span

RECENT_EDIT_SECONDS = 600.0
MAX_RANGES_PER_FILE = 20
MAX_VISITED = 50
MERGE_GAP_LINES = 1


class TextSource(Protocol):
    """An editor document that joins its text only when asked (``docstore.LineDocument``)."""

    newlines: int

    @property
    def source(self) -> str: ...


@attrs.define
class Document:
    """One open document; `text` is read lazily and `lines` split lazily, once per version.

    With a live ``TextSource`` the text is read on first use, which must happen on the event
    loop while this version is current (every reader takes it right after ``store.get``).
    """

    uri: str
    _text: str | None
    language_id: str
    version: int
    path: str | None = None
    _live: TextSource | None = attrs.field(default=None, repr=False)
    _lines: list[str] | None = attrs.field(default=None, repr=False)
    _redacted: list[str] | None = attrs.field(default=None, repr=False)
    _plain: bool = attrs.field(default=True, repr=False)
    _base: tuple[list[str], int, int, int] | None = attrs.field(default=None, repr=False)
    _patch: tuple[list[str], list[str] | None, int, int, int] | None = attrs.field(
        default=None, repr=False
    )
    _count: int | None = attrs.field(default=None, repr=False)
    _edit: tuple[list[str], int, int, int] | None = attrs.field(default=None, repr=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._live.source if self._live is not None else ""
            self._live = None
        return self._text

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            patch, self._patch = self._patch, None
            if patch is not None:
                old, old_redacted, start, end, count = patch
                patched = patch_lines(old, self.text, start, end, count)
                if patched is not None:
                    self._lines, tail = patched
                    self._edit = (old, start, len(self._lines) - (len(old) - tail), tail)
                    if old_redacted is not None:
                        self._base = (old_redacted, start, end, tail)
            if self._lines is None:
                self._lines = self.text.split("\n")
        return self._lines

    @property
    def edit(self) -> tuple[list[str], int, int, int] | None:
        """How `lines` came from the previous version's: (its lines, start, stop, tail), the
        new `lines[start:stop]` replacing the old `[start:tail]`; None when split whole."""
        _ = self.lines
        return self._edit

    def line_count(self) -> int:
        """``len(lines)`` without splitting."""
        if self._lines is not None:
            return len(self._lines)
        if self._count is None:
            self._count = self.text.count("\n") + 1
        return self._count

    def adopt(self, redacted: list[str], *, plain: bool) -> None:
        """Take redacted lines computed elsewhere (background preparation of this version)."""
        if self._redacted is None and len(redacted) == len(self.lines):
            self._redacted = redacted
            self._plain = plain
            self._base = None

    def redacted(self, redactor: Redactor, kind: str, blocks: Sequence[Span]) -> list[str]:
        """`lines` with secrets replaced, once per version; after a one-range edit only
        the edited lines are scanned (the rest is reused from the previous version)."""
        if self._redacted is None:
            lines = self.lines
            base = self._base
            if base is not None and not blocks:
                old, start, end, tail = base
                mid, _ = redactor.redact_lines(lines, start, end + 1, kind=kind)
                candidate = old[:start] + mid + old[tail:]
                if len(candidate) == len(lines):
                    self._redacted = candidate
            if self._redacted is None:
                self._redacted, _ = redactor.redact_lines(
                    lines, 0, len(lines), kind=kind, blocks=blocks
                )
            self._plain = not blocks
            self._base = None
        return self._redacted


@attrs.define
class EditRange:
    """Lines [start, end] (0-based, inclusive) edited last at `when`."""

    start: int
    end: int
    when: float


class Activity:
    """Recently edited line ranges per file and recently visited files."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._edits: dict[str, list[EditRange]] = {}
        self._visited: OrderedDict[str, float] = OrderedDict()

    def visit(self, uri: str) -> None:
        self._visited[uri] = self._clock()
        self._visited.move_to_end(uri)
        while len(self._visited) > MAX_VISITED:
            self._visited.popitem(last=False)

    def forget(self, uri: str) -> None:
        self._edits.pop(uri, None)

    def record_edit(self, uri: str, ranges: list[tuple[int, int]], line_delta: int) -> None:
        """Record edited ranges (post-change lines); shift older ranges below one edit."""
        now = self._clock()
        existing = self._edits.setdefault(uri, [])
        if len(ranges) == 1 and line_delta:
            edit_start = ranges[0][0]
            for r in existing:
                if r.start > edit_start:
                    r.start = max(edit_start, r.start + line_delta)
                    r.end = max(r.start, r.end + line_delta)
        for start, end in ranges:
            start, end = min(start, end), max(start, end)
            existing.append(EditRange(max(0, start), max(0, end), now))
        self._edits[uri] = _merge(existing)[-MAX_RANGES_PER_FILE:]
        self.visit(uri)

    def recent_edits(self, uri: str) -> list[EditRange]:
        """Ranges edited within the last ten minutes, oldest first."""
        cutoff = self._clock() - RECENT_EDIT_SECONDS
        ranges = [r for r in self._edits.get(uri, []) if r.when >= cutoff]
        if not ranges:
            self._edits.pop(uri, None)
        return sorted(ranges, key=lambda r: (r.when, r.start))

    def edited_uris(self) -> list[str]:
        """Files with recent edits, most recently edited first."""
        cutoff = self._clock() - RECENT_EDIT_SECONDS
        latest = {
            uri: max(r.when for r in rs)
            for uri, rs in self._edits.items()
            if rs and max(r.when for r in rs) >= cutoff
        }
        return sorted(latest, key=lambda u: (-latest[u], u))

    def visited(self) -> list[str]:
        """Visited files, most recent first."""
        return list(reversed(self._visited))


def _merge(ranges: list[EditRange]) -> list[EditRange]:
    """Merge overlapping or adjacent ranges; result sorted by last edit time."""
    by_start = sorted(ranges, key=lambda r: (r.start, r.end))
    merged: list[EditRange] = []
    for r in by_start:
        if merged and r.start <= merged[-1].end + MERGE_GAP_LINES:
            last = merged[-1]
            last.end = max(last.end, r.end)
            last.when = max(last.when, r.when)
        else:
            merged.append(EditRange(r.start, r.end, r.when))
    return sorted(merged, key=lambda r: (r.when, r.start))


def patch_lines(
    old: list[str], text: str, start: int, end: int, count: int
) -> tuple[list[str], int] | None:
    """`text` split into lines, reusing `old` outside the changed lines [start, end].

    Returns the lines and the index in `old` where the unchanged tail starts, or None
    (the caller splits) unless the result provably has the right shape: the line count,
    total length and the lines bordering the change all match `text`.
    """
    tail = end + 1 - (count - len(old))
    if not (0 <= start <= end < count) or not (start <= tail <= len(old)):
        return None
    offset = sum(map(len, old[:start])) + start
    if offset > len(text) or (start and text[offset - 1] != "\n"):
        return None
    stop = offset
    for _ in range(end - start + 1):
        nl = text.find("\n", stop)
        stop = len(text) + 1 if nl < 0 else nl + 1
    lines = old[:start] + text[offset : stop - 1].split("\n") + old[tail:]
    if len(lines) != count or sum(map(len, lines)) + count - 1 != len(text):
        return None
    if tail < len(old) and not text.startswith(old[tail], stop):
        return None
    if lines[-1] != text[text.rfind("\n") + 1 :]:
        return None
    return lines, tail


class DocumentStore:
    """uri -> Document for the documents open in the editor."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}

    def open(self, uri: str, text: str, language_id: str, version: int) -> Document:
        doc = Document(uri, text, language_id, version, uri_to_path(uri))
        doc._count = text.count("\n") + 1
        self._docs[uri] = doc
        return doc

    def change(
        self,
        uri: str,
        text: str | TextSource,
        version: int,
        ranges: list[tuple[int, int]] | None = None,
    ) -> tuple[Document, int]:
        """Replace the text; returns the new document and the change in line count.

        ``text`` may be the editor's live document: then nothing here is O(document) (its
        text is joined and split only when a feature reads it). With one changed range and
        the old lines at hand, the new line list is patched instead of re-split (a 5,000-line
        file costs ~1 ms to split on every keystroke).
        """
        old = self._docs.get(uri)
        language = old.language_id if old else ""
        if isinstance(text, str):
            doc = Document(uri, text, language, version, uri_to_path(uri))
            new_count = text.count("\n") + 1
        else:
            doc = Document(uri, None, language, version, uri_to_path(uri), live=text)
            new_count = text.newlines + 1
        delta = 0
        if old is not None:
            old_lines = old._lines
            delta = new_count - old.line_count()
            if old_lines is not None and ranges is not None and len(ranges) == 1:
                start, end = ranges[0]
                base = old._redacted if old._redacted is not None and old._plain else None
                doc._patch = (old_lines, base, start, end, new_count)
        doc._count = new_count
        self._docs[uri] = doc
        return doc, delta

    def close(self, uri: str) -> None:
        self._docs.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def uris(self) -> list[str]:
        return list(self._docs)
