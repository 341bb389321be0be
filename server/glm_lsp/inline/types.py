"""The values an inline request and its answer are made of (`session.InlineSession`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from glm_lsp.errors import GlmLspError
from glm_lsp.llm import GlmClient

from .trigger import PREFIX_LINES, SUFFIX_LINES, WINDOW_SNAP

__all__ = [
    "InlineHooks",
    "InlineOptions",
    "InlineQuery",
    "InlineStats",
    "Suggestion",
    "window_bounds",
]


@dataclass(frozen=True)
class InlineQuery:
    """One request: document lines and the cursor (document line, code-point column).

    `lines` may be a window of the document (see `window_bounds`): `lines[0]` is document
    line `first_line`.
    """

    uri: str
    lines: Sequence[str]
    line: int
    character: int
    language: str = ""
    invoked: bool = False
    """An explicit trigger (a key asking for a suggestion): no debounce."""
    first_line: int = 0


def window_bounds(line: int) -> tuple[int, int]:
    """The document lines [first, end) that `analyze` reads for a cursor on `line`: a caller
    may split only these out of a large document."""
    first = max(0, line - PREFIX_LINES) // WINDOW_SNAP * WINDOW_SNAP
    return first, line + SUFFIX_LINES + 1


@dataclass(frozen=True)
class InlineOptions:
    """The `inline.*` settings in force for a request."""

    model: str = "glm-4.6"
    debounce_ms: int | None = None
    max_tokens: int | None = None
    first_token_seconds: float = 10.0
    """Ghost text's budget until the first token, every try included; then it gives up
    silently (the user keeps typing; a late suggestion is worthless)."""
    gap_seconds: float = 5.0
    """Ghost text gives up (silently) on a host silent this long mid-answer."""


@dataclass(frozen=True)
class InlineHooks:
    """What the session needs from the server."""

    client: Callable[[], GlmClient | None]
    """The model client, or None (no key: the server says so once)."""
    busy: Callable[[], AbstractContextManager[Any]] = nullcontext
    upstream_failed: Callable[[GlmLspError], None] = lambda _error: None
    upstream_ok: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class Suggestion:
    """Text to insert at the cursor; `id` goes back in `glm.inline.accepted`."""

    id: str
    text: str
    origin: str
    """`cache`, `reuse` or `model`."""


@dataclass
class InlineStats:
    """Local counters (never sent anywhere)."""

    requests: int = 0
    cache_hits: int = 0
    reused: int = 0
    upstream: int = 0
    superseded: int = 0
    abandoned: int = 0
    failed: int = 0
    shown: int = 0
    accepted: int = 0
    accepted_chars: int = 0

    def to_json(self) -> dict[str, int]:
        """camelCase keys, for a status report."""
        out: dict[str, int] = {}
        for name, value in dataclasses.asdict(self).items():
            head, *rest = name.split("_")
            out[head + "".join(part.title() for part in rest)] = value
        return out
