"""Repo-aware context engine: budgeted, ordered, redacted context for every feature.

No LSP imports: the LSP layer forwards document events to `ContextEngine` and asks
it for a `ContextResult` (see docs/context.md).
"""

from __future__ import annotations

from .budget import FeatureBudget, default_budgets
from .engine import ContextEngine
from .tokens import estimate_tokens
from .types import ContextResult, CursorWindow, Dropped, Feature, Piece, render_piece, render_pieces

__all__ = [
    "ContextEngine",
    "ContextResult",
    "CursorWindow",
    "Dropped",
    "Feature",
    "FeatureBudget",
    "Piece",
    "default_budgets",
    "estimate_tokens",
    "render_piece",
    "render_pieces",
]
