"""The next-edit engine's data: the query, the glue's ports, the suggestions, the counters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import attrs

from glm_lsp.errors import GlmLspError
from glm_lsp.llm import GlmClient

__all__ = [
    "DEFAULT_MAX_TOKENS",
    "NextEditContext",
    "NextEditHooks",
    "NextEditQuery",
    "NextEditStats",
    "Suggestion",
]

DEFAULT_MAX_TOKENS = 2048
"""Room for the whole rewritten region (``MAX_REGION_CHARS`` is about 1,000 tokens of code)
and a wrapper; an answer cut off by it suggests nothing."""


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
    """``model`` or ``prefetch`` (a prefetch or a speculation that came true)."""


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
    """Prefetches started after an accept (only when no speculation foresaw it)."""
    prefetch_hits: int = 0
    """Requests answered from a prefetch or a speculation that came true."""
    speculated: int = 0
    """Follow-up requests started when a suggestion was shown (one extra request each)."""
    speculation_hits: int = 0
    """Speculations the next change came true for (the suggestion accepted as shown)."""
    speculation_missed: int = 0
    """Speculations closed because the document changed otherwise."""
    client_shown: int = 0
    """``textDocument/didShowInlineEdit`` notifications (the editor showed a suggestion)."""
    superseded: int = 0
    cancelled: int = 0
    failed: int = 0
    stale: int = 0
    """Edits the LSP glue did not send: the document changed while the model answered."""
