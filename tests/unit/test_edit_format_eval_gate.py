"""The CI gate of issue 16's edit format: a small, fixed slice of the held-out edit_file
evaluation. Real changes are cut from installed sources (Python's standard library and
site-packages, the Neovim runtime's Lua, bash-completion scripts), the blocks a model would
write for them carry every drift class of the held-out family, and the strict judge allows no
wrongly applied edit. The full run is `python bench/edit_format_eval.py --family heldout`
(docs/chat.md, "The edit format")."""

from __future__ import annotations

from collections import Counter

from edit_format_eval.drift import CLASSES, REFUSED
from edit_format_eval.report import describe, evaluate

LANGUAGES = ("python", "lua", "shellscript")
PER_DRIFT = 4
MIN_CASES = 100


def test_held_out_slice_applies_no_edit_wrongly() -> None:
    """On 4 held-out cases per drift class and language, no edit is applied wrongly; every
    case of a class that must be refused (short anchor, typo, wrong line) is refused, and the
    clean blocks all apply exactly. Too few cases (a machine without the sources) fails."""
    outcomes = evaluate("heldout", PER_DRIFT, LANGUAGES)
    assert len(outcomes) >= MIN_CASES, f"only {len(outcomes)} cases: are the test extras installed?"
    wrong = [describe(o) for o in outcomes if o.verdict == "wrong"]
    assert not wrong, f"{len(wrong)} applied wrongly:\n" + "\n\n".join(wrong[:5])
    by_class = Counter((o.case.drift, o.verdict) for o in outcomes)
    for drift in CLASSES:
        if drift in REFUSED:
            assert by_class[(drift, "exact")] == 0, drift
    assert by_class[("clean", "refused")] == 0
