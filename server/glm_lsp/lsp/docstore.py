"""Open documents kept as a line list, so one keystroke costs O(edit), not O(document).

pygls 2.1.1 applies an incremental change by rewriting the whole text in Python (about
0.3 s per keystroke in a 50 MB file) and re-splits it on every ``.lines`` access. Here each
document keeps pygls' own line list (``str.splitlines(keepends=True)``) and a change replaces
only the lines it touches; the full text is joined lazily, once per version, when a consumer
asks for ``.source``. A line list rather than a rope: positions arrive as (line, column), so
finding the edit is an index, and the only non-local cost is the list's pointer shift
(``memmove`` in C, about a millisecond for a million lines).

Positions are converted with pygls' own ``PositionCodec`` on the same lines, so every
encoding (utf-16 by default, utf-8 from Neovim) and every pygls quirk (clamping past the end
of a line or document) gives exactly the text pygls would hold.

Document text is made well-formed (lone surrogates become U+FFFD, columns unchanged) as it
arrives, so nothing downstream fails to encode it.

Unknown URIs never touch the disk: pygls' ``get_text_document`` would build a document that
reads the path on every ``.source`` (``file:///dev/stdin`` blocks the event loop forever), and
a change for a document that was never opened is dropped with one log line.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from glm_lsp.text import well_formed

__all__ = [
    "DocumentNotOpenError",
    "LineDocument",
    "LineWorkspace",
    "Replaced",
    "use_line_documents",
]

log = logging.getLogger(__name__)

LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
"""What ``str.splitlines`` ends a line at (pygls' idea of a line, so ours too)."""


Replaced = tuple[int, int, str, str]
"""One applied change in code points: (start line, start column, old text, new text)."""


class DocumentNotOpenError(LookupError):
    """A request named a document the editor has not opened."""

    def __init__(self, uri: str) -> None:
        super().__init__(f"{uri} is not open in the editor; open it first")
        self.uri = uri


def _ends_line(text: str) -> bool:
    return bool(text) and text[-1] in LINE_BREAKS


class LineDocument(TextDocument):
    """A pygls ``TextDocument`` whose edits cost O(edited lines)."""

    def __init__(self, uri: str, source: str | None = None, **kwargs: Any) -> None:
        text = well_formed(source or "")
        super().__init__(uri, source=text, **kwargs)
        self._lines: list[str] = text.splitlines(True)
        self._source = text
        self.newlines = text.count("\n")
        """How many ``\\n`` the text holds (its line count for the context engine, minus one)."""
        self._replaced: list[Replaced | None] = []

    def take_replaced(self) -> list[Replaced | None]:
        """The changes applied since the last call, oldest first, each with the text it
        replaced (None for a change whose old text is unknown: a reversed or negative range)."""
        taken, self._replaced = self._replaced, []
        return taken

    @property
    def lines(self) -> Sequence[str]:
        """pygls' lines (line breaks kept); the live list, not a copy: do not mutate it."""
        return self._lines

    @property
    def source(self) -> str:
        """The whole text, joined once per version."""
        if self._source is None:
            self._source = "".join(self._lines)
        return self._source

    def text_window(self, first: int, end: int) -> tuple[int, str] | None:
        """(first line, text) of lines ``first`` to ``end`` (exclusive), without joining the
        whole document; None when that would be the whole document, or when its lines are
        not plain ``\\n``-separated (a lone ``\\r``, U+2028...), so pygls' line numbers
        differ from the ones a ``\\n`` split of the window gives."""
        lines = self._lines
        first, end = max(first, 0), min(end, len(lines))
        if first == 0 and end == len(lines):
            return None
        unterminated = 1 if lines and not _ends_line(lines[-1]) else 0
        if len(lines) - unterminated != self.newlines:
            return None
        return first, "".join(lines[first:end])

    def _apply_full_change(self, change: types.TextDocumentContentChangeEvent) -> None:
        text = well_formed(change.text)
        self._replaced.append((0, 0, self.source, text))
        self._set_text(text)

    def _set_text(self, text: str) -> None:
        self._lines = text.splitlines(True)
        self._source = text
        self.newlines = text.count("\n")

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        lines = self._lines
        span = self._position_codec.range_from_client_units(lines, change.range)
        first, start_col = span.start.line, span.start.character
        last, end_col = span.end.line, span.end.character
        text = well_formed(change.text)
        if not lines:
            self._replaced.append((0, 0, "", text))
            self._set_text(text)
            return
        if not 0 <= first <= last < len(lines):
            self._replaced.append(None)
            self._apply_like_pygls(first, start_col, last, end_col, text)
            return
        if first == last:
            # pygls clamps an end past the line to a column that may precede the start.
            old = lines[first][start_col:end_col] if start_col <= end_col else None
        else:
            old = (
                lines[first][start_col:] + "".join(lines[first + 1 : last]) + lines[last][:end_col]
            )
        self._replaced.append(None if old is None else (first, start_col, old, text))
        chunk = lines[first][:start_col] + text + lines[last][end_col:]
        stop = last + 1
        # Joining can merge the chunk with its neighbours into one line (a line that lost its
        # break, or "\r" meeting "\n"): take them in, as pygls' re-split of the whole text would.
        while stop < len(lines) and (
            not _ends_line(chunk) or (chunk[-1] == "\r" and lines[stop].startswith("\n"))
        ):
            chunk += lines[stop]
            stop += 1
        if first > 0 and chunk.startswith("\n") and lines[first - 1].endswith("\r"):
            first -= 1
            chunk = lines[first] + chunk
        removed = sum(line.count("\n") for line in lines[first:stop])
        lines[first:stop] = chunk.splitlines(True)
        self.newlines += chunk.count("\n") - removed
        self._source = None

    def _apply_like_pygls(
        self, first: int, start_col: int, last: int, end_col: int, text: str
    ) -> None:
        """pygls' own rewrite, for ranges it handles oddly (reversed, negative lines)."""
        out: list[str] = []
        for index, line in enumerate(self._lines):
            if index < first or index > last:
                out.append(line)
                continue
            if index == first:
                out.append(line[:start_col])
                out.append(text)
            if index == last:
                out.append(line[end_col:])
        self._set_text("".join(out))


class _OpenDocuments(dict[str, TextDocument]):
    """pygls keys open documents by the *unquoted* URI; features look them up by the URI the
    editor sent (``file:///my%20project/a.py``, as VS Code writes spaces and accents): a key
    that is not found is tried unquoted too."""

    def get(self, uri: str, default: Any = None) -> Any:
        found = super().get(uri)
        if found is None and "%" in uri:
            found = super().get(unquote(uri))
        return default if found is None else found

    def __contains__(self, uri: object) -> bool:
        return isinstance(uri, str) and self.get(uri) is not None

    def __getitem__(self, uri: str) -> TextDocument:
        found: TextDocument | None = self.get(uri)
        if found is None:
            raise KeyError(uri)
        return found


class LineWorkspace(Workspace):
    """pygls' workspace with ``LineDocument``s and no disk reads for unknown URIs."""

    _last_ignored: tuple[str, int] | None = None

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LineDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self._position_codec,
        )

    def get_text_document(self, doc_uri: str) -> TextDocument:
        """The open document; ``DocumentNotOpenError`` instead of pygls' read from disk."""
        doc = self._text_documents.get(unquote(doc_uri))
        if doc is None:
            raise DocumentNotOpenError(doc_uri)
        return doc

    def update_text_document(
        self,
        text_doc: types.VersionedTextDocumentIdentifier,
        change: types.TextDocumentContentChangeEvent,
    ) -> None:
        doc = self._text_documents.get(unquote(text_doc.uri))
        if doc is None:
            ignored = (text_doc.uri, text_doc.version)
            if self._last_ignored != ignored:  # one line per didChange, not per change
                self._last_ignored = ignored
                log.info("ignored a change to %s: the editor never opened it", text_doc.uri)
            return
        if isinstance(doc, LineDocument) and doc.version != text_doc.version:
            doc.take_replaced()  # an older version's changes no one took
        doc.apply_change(change)
        doc.version = text_doc.version

    @classmethod
    def adopt(cls, workspace: Workspace) -> LineWorkspace:
        """The same workspace (folders, encoding, sync kind) with line documents."""
        adopted = cls.__new__(cls)
        adopted.__dict__.update(copy.copy(workspace.__dict__))
        adopted._text_documents = _OpenDocuments()
        for uri, doc in workspace.text_documents.items():
            adopted._text_documents[uri] = adopted._create_text_document(
                doc.uri, doc.source, doc.version, doc.language_id
            )
        return adopted


def use_line_documents(protocol: Any) -> None:
    """Swap pygls' freshly built workspace (at ``initialize``) for a ``LineWorkspace``."""
    workspace = getattr(protocol, "_workspace", None)
    if isinstance(workspace, Workspace) and not isinstance(workspace, LineWorkspace):
        protocol._workspace = LineWorkspace.adopt(workspace)
