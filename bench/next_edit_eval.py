"""Next-edit evaluation: real edit sequences from git histories, replayed hunk by hunk as
typing; the fake model answers the true next hunk (the region rewritten) wrapped in composed
corruptions; the server's `propose` turns it into edits; a strict judge grades them.

Run: `.venv/bin/python bench/next_edit_eval.py
[--family dev|heldout|heldout2|heldout3|heldout4|both] [--cases N] [--samples K] [--seed S]
[--corpus a,b] [--own] [--verbose] [--json]`

Corpora: this repository's history (always; a clean clone has it) and every mirror snapshot
under /work/.mirror (GLM_EVAL_MIRRORS) when present; the report names those it used. Method,
classes and figures: docs/evaluation.md ("Next-edit evaluation"). Code: bench/next_edit_eval/.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from next_edit_eval.report import main  # noqa: E402

__all__ = ["main"]

if __name__ == "__main__":
    main(sys.argv[1:])
