"""Next-edit suggestions: predict the edit that follows from the user's recent edits.

A predicted range rewrite, so it lives in the edits engine and reuses its answer reading
(``edits/answer.py``) and minimal diffs (``edits/diff.py``). No LSP imports:
``lsp/features/next_edit.py`` is the glue. Pieces: ``history`` (the user's edits as hunks, one
per typing burst), ``region`` (the lines the model may rewrite, cache-friendly boundaries),
``prompt`` (the messages), ``propose`` (answer -> smallest edits, with the guards) and
``engine`` (debounce, context port, streaming, cancellation, prefetch, statistics).
"""

from __future__ import annotations

from glm_lsp.edits.nextedit.engine import (
    NextEditContext,
    NextEditEngine,
    NextEditHooks,
    NextEditQuery,
    NextEditStats,
    Suggestion,
)
from glm_lsp.edits.nextedit.history import EditHistory, Hunk
from glm_lsp.edits.nextedit.prompt import build_messages
from glm_lsp.edits.nextedit.propose import Proposed, propose
from glm_lsp.edits.nextedit.region import Region, region_around

__all__ = [
    "EditHistory",
    "Hunk",
    "NextEditContext",
    "NextEditEngine",
    "NextEditHooks",
    "NextEditQuery",
    "NextEditStats",
    "Proposed",
    "Region",
    "Suggestion",
    "build_messages",
    "propose",
    "region_around",
]
