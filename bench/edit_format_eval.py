"""The evaluation of `edit_file` (issue 16): real changes cut from installed sources of every
language, the search/replace blocks a model would write for them with the drift models
produce, applied through the engine (glm_lsp.chat.edit_blocks) and judged strictly.

Run: `.venv/bin/python bench/edit_format_eval.py [--family dev|heldout] [--cases N]
[--lang python,c,...] [--verbose] [--json]`

`dev` is the family the engine was tuned on; `heldout` has its own seed, files, context
sizes, shifts, whitespace and elision markers. The code is in bench/edit_format_eval/.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.append(str(BENCH))  # appended: bench/secrets.py must not shadow the stdlib secrets

from edit_format_eval.report import main  # noqa: E402

__all__ = ["main"]

if __name__ == "__main__":
    main(sys.argv[1:])
