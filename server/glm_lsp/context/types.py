"""The context engine's result types and their deterministic prompt rendering.

Kept free of engine logic so the prompt builders (inline, edit, chat) and the
`glm.context.inspect` command can depend on these shapes alone.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

Feature = Literal["inline", "chat", "edit"]

# Sources whose text changes rarely (repository context): rendered first so the
# provider's prefix cache can reuse them (glm-api.md §5.3). Lower rank renders first.
SOURCE_RANK: dict[str, int] = {
    "git-status": 0,
    "import": 1,
    "open-file": 1,
    "git-diff": 2,
    "related": 3,
    "recent-edit": 4,
    "cursor": 5,
}
STABLE_SOURCES = frozenset({"git-status", "import", "open-file", "git-diff"})


@attrs.frozen
class Piece:
    """One block of context text, already redacted, with where it came from.

    `complete` is set when `text` is a whole file (not a window or a truncation).
    """

    source: str
    text: str
    tokens: int
    uri: str | None = None
    path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    stable: bool = False
    complete: bool = False

    def sort_key(self) -> tuple[int, str, int, str]:
        return (
            SOURCE_RANK.get(self.source, 9),
            self.path or "",
            self.start_line if self.start_line is not None else -1,
            self.text,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "tokens": self.tokens, "text": self.text}
        if self.uri is not None:
            out["uri"] = self.uri
        if self.path is not None:
            out["path"] = self.path
        if self.start_line is not None and self.end_line is not None:
            out["startLine"] = self.start_line
            out["endLine"] = self.end_line
        out["stable"] = self.stable
        if self.complete:
            out["complete"] = True
        return out


@attrs.frozen
class Dropped:
    """Something the engine left out, and why (`timeout`, `budget`, `excluded: ...`)."""

    source: str
    reason: str
    uri: str | None = None
    path: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "reason": self.reason}
        if self.uri is not None:
            out["uri"] = self.uri
        if self.path is not None:
            out["path"] = self.path
        return out


@attrs.frozen
class CursorWindow:
    """The text around the cursor within the budget, split where the cursor is.

    `prefix + selection + suffix` is the cursor piece's text. `start_line` and
    `end_line` are the document lines the window spans (0-based, inclusive).
    `redactions` counts secrets replaced in the window: an edit feature must not
    write model output back over redacted text.
    """

    prefix: str
    suffix: str
    selection: str
    start_line: int
    end_line: int
    language_id: str
    path: str | None
    redactions: int = 0
    truncated_prefix: bool = False
    truncated_suffix: bool = False


@attrs.frozen
class ContextResult:
    """Pieces in prompt order (stable first, cursor last) and what was dropped."""

    feature: Feature
    pieces: list[Piece]
    dropped: list[Dropped]
    cursor: CursorWindow | None
    budget_tokens: int
    elapsed_ms: float = 0.0

    @property
    def used_tokens(self) -> int:
        return sum(p.tokens for p in self.pieces)

    def by_source(self, source: str) -> list[Piece]:
        return [p for p in self.pieces if p.source == source]

    def to_json(self) -> dict[str, Any]:
        """The `glm.context.inspect` answer: `{pieces: [...], dropped: [...]}` plus extras."""
        return {
            "pieces": [p.to_json() for p in self.pieces],
            "dropped": [d.to_json() for d in self.dropped],
            "feature": self.feature,
            "budgetTokens": self.budget_tokens,
            "usedTokens": self.used_tokens,
            "elapsedMs": round(self.elapsed_ms, 3),
        }


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def render_piece(piece: Piece, *, cursor: CursorWindow | None = None, marker: str = "") -> str:
    """Render one piece as a tagged block. The cursor piece gets `marker` at the cursor."""
    attrs_text = f'source="{piece.source}"'
    if piece.path is not None:
        attrs_text += f' path="{_attr(piece.path)}"'
    if piece.start_line is not None and piece.end_line is not None:
        attrs_text += f' lines="{piece.start_line + 1}-{piece.end_line + 1}"'
    body = piece.text
    if piece.source == "cursor" and cursor is not None and marker:
        body = cursor.prefix + marker + cursor.selection + cursor.suffix
    return f"<context {attrs_text}>\n{body}\n</context>\n"


def render_pieces(
    pieces: list[Piece],
    *,
    cursor: CursorWindow | None = None,
    marker: str = "",
    include_cursor: bool = True,
) -> str:
    """Render pieces in the given (already deterministic) order; same input, same bytes."""
    return "".join(
        render_piece(p, cursor=cursor, marker=marker)
        for p in pieces
        if include_cursor or p.source != "cursor"
    )
