"""The CI gate of issue 14: a small, fixed slice of the held-out ghost-text evaluation.

Holes are cut from real code the project's own install puts on the machine (the venv, the
VS Code npm installs of editors/vscode/e2e/install.sh, the Neovim wheel, the system's C and C++
headers), answers are damaged by the held-out corruption family and run through the pipeline as
the server runs it. The full run is `python bench/inline_eval.py` (docs/evaluation.md).
"""

from __future__ import annotations

from ghost_eval.report import SEED, collect
from ghost_eval.run import Tally, evaluate

REQUIRED = ("python", "javascript", "typescript", "lua", "c", "cpp")
OPTIONAL = ("java", "shellscript", "go", "rust", "ruby")
HOLES_PER_LANGUAGE = 36
MAX_HARMFUL_PCT = 2.0


def test_held_out_slice_shows_at_most_two_percent_harmful_text() -> None:
    """On a fixed held-out slice (36 holes per language, 6 required languages and every optional
    one found), at most 2 % of the suggestions shown would change the code into something that
    was not there; a missing corpus fails the gate instead of shrinking it."""
    cuts, found, _absent = collect([*REQUIRED, *OPTIONAL], HOLES_PER_LANGUAGE, SEED)
    missing = [lang for lang in REQUIRED if found.get(lang, 0) < HOLES_PER_LANGUAGE]
    assert missing == [], f"corpus missing or too small for {missing}: run scripts/test.sh"
    assert len(found) >= 6
    tally = Tally()
    harmful: list[str] = []
    for outcome in evaluate(cuts, "heldout", SEED):
        tally.add(outcome)
        if outcome.verdict == "harmful":
            harmful.append(f"{outcome.cut.language}/{outcome.cut.kind} {outcome.corruptions}")
    share = tally.share("heldout", "harmful")
    assert share <= MAX_HARMFUL_PCT, f"{share:.2f} % harmful: {harmful[:20]}"
