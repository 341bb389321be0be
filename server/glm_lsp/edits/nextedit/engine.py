"""The next-edit engine: one suggestion request per edit pause, streamed, cancellable.

``NextEditEngine.suggest(query)`` waits for the edit pause (the adaptive ``Debouncer`` shared
with inline completions), gathers related context through a port the glue hands in, cuts the
region around the cursor, prompts the model with the edit history (``EditHistory``, which the
glue feeds from ``didChange``), streams the answer with thinking disabled, stops reading at the
closing tag, and turns the answer into edits with ``propose``. Cancelling the caller closes
the upstream stream at once; a newer request for the same document supersedes an older one.
``prefetch(query)`` (after an accept) computes the next suggestion in the background, so the
next ``suggest`` for the same document version can return it without waiting.

No LSP imports: ``lsp/features/next_edit.py`` converts positions and results, and drops a
suggestion whose ``version`` is no longer the document's (stale).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import attrs

from glm_lsp.debounce import Debouncer
from glm_lsp.edits.nextedit.history import EditHistory
from glm_lsp.errors import GlmLspError
from glm_lsp.llm import GlmClient

__all__ = [
    "NextEditContext",
    "NextEditEngine",
    "NextEditHooks",
    "NextEditQuery",
    "NextEditStats",
    "Suggestion",
]

DEFAULT_MAX_TOKENS = 1024


@attrs.frozen
class NextEditQuery:
    """One request: the whole document and the cursor (code points)."""

    uri: str
    version: int | None
    """The document version ``lines`` belong to; suggestions carry it back."""
    lines: Sequence[str]
    """The whole document, one entry per line (line breaks kept or not)."""
    line: int
    character: int
    language: str = ""
    path: str = ""
    """The path shown to the model (workspace-relative if the glue knows it); "" = from uri."""
    model: str = "glm-4.6"
    max_tokens: int = DEFAULT_MAX_TOKENS
    invoked: bool = False
    """Asked for explicitly (no debounce)."""
    debounce_ms: int | None = None
    """A configured wait; None = adaptive."""


@attrs.frozen
class NextEditContext:
    """What the glue's context port answers for a query."""

    related: Sequence[tuple[str, str]] = ()
    """(path or label, text) snippets, already redacted."""
    path: str | None = None
    """The file's display path, or None to keep the query's."""


@attrs.frozen
class NextEditHooks:
    """What the engine needs from the server (ports, so the engine imports no LSP)."""

    client: Callable[[], GlmClient | None]
    """The model client, or None (no key: nothing is suggested)."""
    context: Callable[[NextEditQuery], Awaitable[NextEditContext | None]] | None = None
    """Related context for a query; None from it means the file may not be sent (excluded)."""
    redact: Callable[[str, int, str], str] = lambda _uri, _first_line, text: text
    """(uri, first document line, text) -> the text with secrets masked."""
    busy: Callable[[], AbstractContextManager[Any]] = nullcontext
    upstream_failed: Callable[[GlmLspError], None] = lambda _error: None
    upstream_ok: Callable[[], None] = lambda: None


@attrs.frozen
class Suggestion:
    """One suggested edit; ``id`` goes back in ``glm.nextEdit.accepted``.

    The range is in code points in the document at ``version``. ``region_start`` /
    ``region_end`` (exclusive) and ``region_text`` are the lines the model saw: the glue drops
    the suggestion when the document moved on (version) or when those lines no longer read
    ``region_text`` (the user typed there since the request).
    """

    id: str
    uri: str
    version: int | None
    start_line: int
    start_char: int
    end_line: int
    end_char: int
    text: str
    region_start: int
    region_end: int
    region_text: str
    origin: str = "model"
    """``model`` or ``prefetch``."""


@attrs.define
class NextEditStats:
    """Local counters (never sent anywhere); ``stats()`` gives them as a dict."""

    requests: int = 0
    upstream: int = 0
    suggested: int = 0
    """Edits handed out."""
    empty: int = 0
    """Requests answered with no edit."""
    dropped: int = 0
    """Edits removed by a guard (undo, outside the region, junk)."""
    accepted: int = 0
    prefetched: int = 0
    prefetch_hits: int = 0
    superseded: int = 0
    cancelled: int = 0
    failed: int = 0


class NextEditEngine:
    """Next-edit suggestions for every document of one server."""

    def __init__(
        self,
        hooks: NextEditHooks,
        *,
        history: EditHistory | None = None,
        debouncer: Debouncer | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hooks = hooks
        self.history = history if history is not None else EditHistory()
        """Fed by the glue (``history.record`` at every change)."""
        self.debouncer = debouncer if debouncer is not None else Debouncer()
        self.counters = NextEditStats()
        self._clock = clock

    async def suggest(self, query: NextEditQuery) -> list[Suggestion]:
        """The edits worth suggesting at the query's cursor ([] when none).

        Cancelling the caller closes the upstream stream. A prefetched answer for the same
        uri and version is returned at once.
        """
        raise NotImplementedError

    def prefetch(self, query: NextEditQuery) -> None:
        """Start computing the suggestion for ``query`` in the background (after an accept)."""
        raise NotImplementedError

    def accepted(self, suggestion_id: str) -> bool:
        """Count an accepted edit; False when the id is not one recently handed out."""
        raise NotImplementedError

    def stats(self) -> dict[str, int]:
        """The counters, for ``glm.status``."""
        return attrs.asdict(self.counters)

    def forget(self, uri: str) -> None:
        """The document closed: cancel its requests, drop its history and prefetch."""
        raise NotImplementedError

    def close(self) -> None:
        """Cancel everything (server shutdown)."""
        raise NotImplementedError
