"""Ghost-text evaluation: holes cut from real code in many languages, raw model answers built by
composing independent corruptions, run through the server's inline pipeline, judged strictly.

Run: `.venv/bin/python bench/inline_eval.py [--family dev|heldout|fresh|fresh2|fresh3|fresh4|
fresh5|fresh6|fresh7|fresh8|fresh9|both|all] [--holes N] [--samples K] [--seed S]
[--lang python,c,...] [--verbose] [--json]`

The default family is `heldout`; filters are tuned with `--family dev`. `fresh` and `fresh2` are
held-out families written after the filters (since used for development too); `fresh3` is the
unseen family of issue 14's headline, run only when named (filter authors neither read nor run
it); `fresh4` to `fresh7` are likewise run only when named (each was unseen until its one
honest run; fresh7 was run at dc2ff47; fresh8 and fresh9, two families drawing only the
issue's eleven classes written apart from each other, at 5348593; all are development families
since).
`both` runs dev and held-out, `all` the four development families (not fresh3). Under the
headlines, `ANSWERABLE` gives exact+partial over the samples whose raw stream holds a complete
token of the true text.
Method, classes and figures: docs/evaluation.md. The code is in bench/ghost_eval/.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from ghost_eval.report import main  # noqa: E402

__all__ = ["main"]

if __name__ == "__main__":
    main(sys.argv[1:])
