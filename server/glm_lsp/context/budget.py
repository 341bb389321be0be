"""Per-feature budgets, the priority order and the final deterministic ordering.

Inline completion gets a small, fast budget (the cursor window plus a few
snippets, 15 ms per source); edit sits in between; chat may use the model's
context window minus its output reserve. The cursor window is always kept;
other candidates are admitted in priority order until the budget is spent.
"""

from __future__ import annotations

from typing import Literal

import attrs

from .types import STABLE_SOURCES, Dropped, Feature, Piece

PIECE_OVERHEAD_TOKENS = 12

# Lower admits first when the budget is tight.
PRIORITY: dict[str, int] = {
    "recent-edit": 1,
    "related": 2,
    "import": 3,
    "git-diff-current": 4,
    "git-status": 5,
    "open-file": 6,
    "git-diff": 7,
}


@attrs.frozen
class FeatureBudget:
    """Limits for one feature; `total_tokens` includes the cursor window."""

    total_tokens: int
    cursor_tokens: int
    prefix_share: float
    deadline_s: float
    related_files: int
    recent_edits: int
    recent_edit_context: int
    imports: int
    import_mode: Literal["outline", "full"]
    import_tokens: int
    open_files: int
    open_file_tokens: int
    git_status: bool
    git_diff_scope: Literal["none", "current", "all"]
    git_diff_tokens: int
    git_diff_total: int

    def with_total(self, total: int) -> FeatureBudget:
        """The same limits scaled to a caller-given total."""
        cursor = min(
            self.cursor_tokens, max(64, int(total * self.cursor_tokens / self.total_tokens))
        )
        return attrs.evolve(self, total_tokens=max(total, 64), cursor_tokens=cursor)


def default_budgets(
    context_window: int = 200_000, output_reserve: int = 32_768
) -> dict[Feature, FeatureBudget]:
    chat_total = max(8_192, context_window - output_reserve)
    return {
        "inline": FeatureBudget(
            total_tokens=2_048,
            cursor_tokens=1_280,
            prefix_share=0.75,
            deadline_s=0.015,
            related_files=3,
            recent_edits=3,
            recent_edit_context=2,
            imports=3,
            import_mode="outline",
            import_tokens=200,
            open_files=0,
            open_file_tokens=0,
            git_status=False,
            git_diff_scope="current",
            git_diff_tokens=300,
            git_diff_total=300,
        ),
        "edit": FeatureBudget(
            total_tokens=16_000,
            cursor_tokens=8_000,
            prefix_share=0.6,
            deadline_s=0.3,
            related_files=5,
            recent_edits=5,
            recent_edit_context=3,
            imports=4,
            import_mode="full",
            import_tokens=2_000,
            open_files=0,
            open_file_tokens=0,
            git_status=False,
            git_diff_scope="current",
            git_diff_tokens=1_500,
            git_diff_total=1_500,
        ),
        "chat": FeatureBudget(
            total_tokens=chat_total,
            cursor_tokens=min(24_000, chat_total // 2),
            prefix_share=0.6,
            deadline_s=1.0,
            related_files=8,
            recent_edits=10,
            recent_edit_context=3,
            imports=6,
            import_mode="full",
            import_tokens=4_000,
            open_files=10,
            open_file_tokens=4_000,
            git_status=True,
            git_diff_scope="all",
            git_diff_tokens=4_000,
            git_diff_total=16_000,
        ),
    }


@attrs.frozen
class Candidate:
    """A piece waiting for admission; `kind` picks its priority, `score` breaks ties."""

    piece: Piece
    kind: str
    score: float = 0.0

    def key(self) -> tuple[int, float, str, int]:
        p = self.piece
        return (
            PRIORITY.get(self.kind, 9),
            -self.score,
            p.path or p.uri or "",
            p.start_line if p.start_line is not None else -1,
        )


def fit(candidates: list[Candidate], available: int) -> tuple[list[Piece], list[Dropped]]:
    """Admit candidates in priority order while they fit; drop the rest as `budget`."""
    kept: list[Piece] = []
    dropped: list[Dropped] = []
    remaining = available
    for cand in sorted(candidates, key=Candidate.key):
        cost = cand.piece.tokens + PIECE_OVERHEAD_TOKENS
        if cost <= remaining:
            kept.append(cand.piece)
            remaining -= cost
        else:
            dropped.append(Dropped(cand.piece.source, "budget", cand.piece.uri, cand.piece.path))
    return kept, dropped


def prompt_order(pieces: list[Piece]) -> list[Piece]:
    """Stable repository context first (sorted by path), volatile text last, cursor last."""
    stamped = [
        p
        if p.stable == (p.source in STABLE_SOURCES)
        else attrs.evolve(p, stable=p.source in STABLE_SOURCES)
        for p in pieces
    ]
    return sorted(stamped, key=Piece.sort_key)


SNIPPET_SOURCES = frozenset({"related", "recent-edit"})


def dedupe(pieces: list[Piece]) -> tuple[list[Piece], list[Dropped]]:
    """Drop snippets of files that are already included whole."""
    whole = {p.uri for p in pieces if p.complete and p.uri}
    kept: list[Piece] = []
    dropped: list[Dropped] = []
    seen_whole: set[str] = set()
    for p in pieces:
        if p.source in SNIPPET_SOURCES and p.uri in whole:
            dropped.append(Dropped(p.source, "duplicate", p.uri, p.path))
        elif p.source == "open-file" and p.uri in seen_whole:
            dropped.append(Dropped(p.source, "duplicate", p.uri, p.path))
        else:
            if p.complete and p.uri:
                seen_whole.add(p.uri)
            kept.append(p)
    return kept, dropped
