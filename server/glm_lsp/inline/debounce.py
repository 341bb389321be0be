"""Moved to ``glm_lsp.debounce`` (shared with the next-edit engine); re-exported here."""

from __future__ import annotations

from glm_lsp.debounce import DEFAULT_S, FACTOR, GAPS, MAX_GAP_S, MAX_S, MIN_S, Debouncer

__all__ = ["DEFAULT_S", "FACTOR", "GAPS", "MAX_GAP_S", "MAX_S", "MIN_S", "Debouncer"]
