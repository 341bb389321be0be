"""Next-edit suggestions: ``glm/nextEdit``, its alias ``textDocument/copilotInlineEdit`` and
``glm.nextEdit.accepted``.

Thin glue over ``glm_lsp.edits.nextedit``: read the params (a clear ``InvalidParams`` naming
the field otherwise), check the document is open and at the version the client asks about,
convert the cursor to code points, ask the engine, and answer the edits in the client's
position units. An answer computed for a version the user moved on from is never sent: the
result is empty when the document changed while the request ran. The edit history the engine
prompts with is fed from ``didChange`` (``features/documents.py``). After an accept the next
suggestion is prefetched, so the client's next request is answered at once. Earlier still:
when a suggestion is returned, the follow-up is asked for on the document with it applied
(the engine's speculation), and ``didChange`` tells the engine whether the accept came true.
``textDocument/didShowInlineEdit`` (sent by Copilot's clients) is only counted.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from pygls.exceptions import JsonRpcInvalidParams
from pygls.workspace import TextDocument

from glm_lsp.context import Piece
from glm_lsp.context.files import uri_to_path
from glm_lsp.edits.nextedit import (
    NextEditContext,
    NextEditEngine,
    NextEditHooks,
    NextEditQuery,
    Suggestion,
)
from glm_lsp.edits.nextedit.history import end_of
from glm_lsp.lsp.docstore import LineDocument
from glm_lsp.lsp.positions import code_point_column, encoding_of, units
from glm_lsp.lsp.server import GlmLanguageServer

__all__ = [
    "ACCEPTED_COMMAND",
    "METHODS",
    "NextEditFeature",
    "read_params",
    "register",
    "related_snippets",
]

log = logging.getLogger(__name__)

METHODS = ("glm/nextEdit", "textDocument/copilotInlineEdit")
SHOWN = "textDocument/didShowInlineEdit"
"""One handler, two names (the second for clients written for that next-edit protocol)."""
ACCEPTED_COMMAND = "glm.nextEdit.accepted"
SHAPE = "{textDocument: {uri, version}, position: {line, character}}"
HANDED_OUT = 64
"""Suggestions remembered for ``glm.nextEdit.accepted`` (to prefetch after an accept)."""
APPLY_WAIT_S = 1.0
"""How long a prefetch after an accept waits for the editor's ``didChange`` of the edit."""
APPLY_POLL_S = 0.01
BARE_LF = re.compile(r"(?<!\r)\n")


class _Request:
    """Validated params: uri, version, position in client units."""

    __slots__ = ("character", "line", "uri", "version")

    def __init__(self, uri: str, version: int, line: int, character: int) -> None:
        self.uri, self.version, self.line, self.character = uri, version, line, character


def _field(container: Any, name: str) -> Any:
    if isinstance(container, Mapping):
        return container.get(name)
    return getattr(container, name, None)


def _whole(value: Any, name: str, method: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise JsonRpcInvalidParams(f"{method}: {name} must be an integer; params are {SHAPE}")
    if value < 0:
        raise JsonRpcInvalidParams(f"{method}: {name} must not be negative, got {value}")
    return value


def read_params(method: str, params: Any) -> _Request:
    """The request's params, or ``InvalidParams`` naming what is wrong and the shape."""
    document = _field(params, "textDocument")
    position = _field(params, "position")
    if document is None or position is None:
        missing = "textDocument" if document is None else "position"
        raise JsonRpcInvalidParams(f"{method}: {missing} is missing; params are {SHAPE}")
    uri = _field(document, "uri")
    if not isinstance(uri, str) or not uri:
        raise JsonRpcInvalidParams(
            f"{method}: textDocument.uri must be a string; params are {SHAPE}"
        )
    version = _whole(_field(document, "version"), "textDocument.version", method)
    line = _whole(_field(position, "line"), "position.line", method)
    character = _whole(_field(position, "character"), "position.character", method)
    return _Request(uri, version, line, character)


def _document(ls: GlmLanguageServer, method: str, request: _Request) -> TextDocument:
    doc: TextDocument | None = ls.workspace.text_documents.get(request.uri)
    if doc is None:
        raise JsonRpcInvalidParams(
            f"{method}: {request.uri} is not open in the editor; send didOpen first"
        )
    last = doc.newlines if isinstance(doc, LineDocument) else doc.source.count("\n")
    if request.line > last:
        raise JsonRpcInvalidParams(
            f"{method}: position.line {request.line} is past the end of the document "
            f"(its last line is {last})"
        )
    return doc


def _plain(line: str) -> str:
    return line.rstrip("\r\n")


def _query(
    ls: GlmLanguageServer, doc: TextDocument, version: int, line: int, character: int
) -> NextEditQuery:
    """The engine's query at (line, character) in code points; a snapshot of the lines (the
    live list changes with the next keystroke)."""
    settings = ls.settings
    return NextEditQuery(
        uri=doc.uri,
        version=version,
        lines=tuple(doc.lines),
        line=line,
        character=character,
        language=(doc.language_id or "").lower(),
        path=uri_to_path(doc.uri) or "",
        model=settings.next_edit_model,
        debounce_ms=settings.inline.debounce_ms,
    )


def _position(lines: Sequence[str], line: int, char: int, encoding: str) -> dict[str, int]:
    text = _plain(lines[line]) if line < len(lines) else ""
    return {"line": line, "character": units(text[:char], encoding)}


def _line_breaks(text: str, lines: Sequence[str], line: int) -> str:
    """``text`` with the document's line break (``\\r\\n`` where the edit's line has one)."""
    if "\n" not in text or not lines:
        return text
    probe = lines[min(line, len(lines) - 1)]
    if not probe.endswith(("\n", "\r")) and 0 < line <= len(lines) - 1:
        probe = lines[line - 1]  # the last line has no break: the one above tells
    return BARE_LF.sub("\r\n", text) if probe.endswith("\r\n") else text


def _item(suggestion: Suggestion, uri: str, lines: Sequence[str], encoding: str) -> dict[str, Any]:
    start = _position(lines, suggestion.start_line, suggestion.start_char, encoding)
    end = _position(lines, suggestion.end_line, suggestion.end_char, encoding)
    return {
        "range": {"start": start, "end": end},
        "text": _line_breaks(suggestion.text, lines, suggestion.start_line),
        "textDocument": {"uri": uri, "version": suggestion.version},
        "command": {
            "title": "GLM: next edit accepted",
            "command": ACCEPTED_COMMAND,
            "arguments": [{"id": suggestion.id}],
        },
    }


def _current(ls: GlmLanguageServer, uri: str, version: int | None) -> bool:
    """The document is still open at ``version``."""
    doc = ls.workspace.text_documents.get(uri)
    return doc is not None and doc.version == version


def related_snippets(pieces: Sequence[Piece], uri: str) -> list[tuple[str, str]]:
    """(label, text) of the context pieces worth a snippet, in the engine's order: not the
    cursor window nor recent edits of the document itself (the prompt shows its lines and
    its edit history), and each text once (a file both open and recently edited)."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []
    for piece in pieces:
        if piece.source == "cursor" or (piece.source == "recent-edit" and piece.uri == uri):
            continue
        snippet = (piece.path or piece.uri or piece.source, piece.text)
        if snippet not in seen:
            seen.add(snippet)
            out.append(snippet)
    return out


class NextEditFeature:
    """The engine, the suggestions handed out (for prefetch after an accept) and the glue."""

    def __init__(self, server: GlmLanguageServer) -> None:
        self.server = server
        self.engine = NextEditEngine(
            NextEditHooks(
                client=lambda: server.model_client(background=True),
                context=self._context,
                redact=self._redact,
                busy=lambda: server.status.busy("next edit"),
                upstream_failed=server.upstream_failed,
                upstream_ok=server.upstream_ok,
            )
        )
        self.handed_out: OrderedDict[str, Suggestion] = OrderedDict()

    async def _context(self, query: NextEditQuery) -> NextEditContext | None:
        engine = self.server.context
        if await engine.is_excluded(query.uri) is not None:
            return None
        try:
            result = await engine.build(query.uri, query.line, query.character, "inline")
        except Exception:  # noqa: BLE001 - a suggestion without related context still helps
            log.exception("next edit: context build failed for %s", query.uri)
            return NextEditContext()
        path = result.cursor.path if result.cursor is not None else None
        return NextEditContext(related=related_snippets(result.pieces, query.uri), path=path)

    def _redact(self, uri: str, first_line: int, text: str) -> str:
        return self.server.context.redact_window(uri, first_line, text, "")[0]

    async def answer(self, method: str, params: Any) -> dict[str, Any]:
        """The result of ``glm/nextEdit`` (and its alias) for raw ``params``."""
        ls = self.server
        request = read_params(method, params)
        doc = _document(ls, method, request)
        if not ls.settings.next_edit.enabled or doc.version != request.version:
            return {"edits": []}
        current = _plain(doc.lines[request.line]) if request.line < len(doc.lines) else ""
        column = code_point_column(current, request.character, encoding_of(ls.workspace))
        query = _query(ls, doc, request.version, request.line, column)
        suggestions = await self.engine.suggest(query)
        if not _current(ls, doc.uri, request.version):
            self.engine.counters.stale += len(suggestions)
            return {"edits": []}  # the user moved on while the model answered
        encoding = encoding_of(ls.workspace)
        for suggestion in suggestions:
            self.handed_out[suggestion.id] = suggestion
            while len(self.handed_out) > HANDED_OUT:
                self.handed_out.popitem(last=False)
        if suggestions:
            first = min(suggestions, key=lambda s: (s.start_line, s.start_char))
            inserted = _line_breaks(first.text, query.lines, first.start_line)
            self.engine.speculate(query, first, inserted)
        return {"edits": [_item(s, request.uri, query.lines, encoding) for s in suggestions]}

    def accepted(self, suggestion_id: str) -> None:
        """Count the accept and prefetch the suggestion that follows it."""
        self.engine.accepted(suggestion_id)
        suggestion = self.handed_out.pop(suggestion_id, None)
        if suggestion is not None and self.server.settings.next_edit.enabled:
            self.server.spawn(self._prefetch_after(suggestion))

    async def _prefetch_after(self, suggestion: Suggestion) -> None:
        """Once the editor's ``didChange`` for the accepted edit arrived, prefetch the next
        suggestion at the end of the inserted text."""
        ls = self.server
        waited = 0.0
        while _current(ls, suggestion.uri, suggestion.version) and waited < APPLY_WAIT_S:
            await asyncio.sleep(APPLY_POLL_S)
            waited += APPLY_POLL_S
        doc = ls.workspace.text_documents.get(suggestion.uri)
        if doc is None or doc.version == suggestion.version:
            return
        line, character = end_of((suggestion.start_line, suggestion.start_char), suggestion.text)
        if line < max(len(doc.lines), 1):
            self.engine.prefetch(_query(ls, doc, doc.version, line, character))


def _suggestion_id(args: tuple[Any, ...]) -> str:
    arg = args[0] if args else None
    raw = _field(arg, "id") if arg is not None else None
    if not isinstance(raw, str) or not raw:
        raise ValueError("takes {id}: the id from the edit's command arguments")
    return raw


def register(server: GlmLanguageServer) -> None:
    """The next-edit requests and the acceptance command."""
    feature = NextEditFeature(server)
    server.next_edit = feature.engine
    server.on_shutdown(feature.engine.close)

    @server.feature(METHODS[0])
    async def next_edit(ls: GlmLanguageServer, params: Any) -> dict[str, Any]:
        return await feature.answer(METHODS[0], params)

    @server.feature(METHODS[1])
    async def copilot_inline_edit(ls: GlmLanguageServer, params: Any) -> dict[str, Any]:
        return await feature.answer(METHODS[1], params)

    @server.feature(SHOWN)
    def shown(ls: GlmLanguageServer, params: Any) -> None:
        feature.engine.shown()

    @server.command(ACCEPTED_COMMAND)
    def accepted(ls: GlmLanguageServer, *args: Any) -> None:
        feature.accepted(_suggestion_id(args))
