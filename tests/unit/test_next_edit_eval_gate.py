"""The CI gate of issue 15: a small, fixed slice of the held-out next-edit evaluation.

Cases come from this repository's own history (a clean clone has it): file changes of the
held-out commits, replayed hunk by hunk, the fake model answering the true next hunk wrapped in
the held-out corruption family, run through `propose` as the engine runs it and judged
strictly. The full run is `python bench/next_edit_eval.py` (docs/evaluation.md).
"""

from __future__ import annotations

from next_edit_eval import corpus
from next_edit_eval.report import SEED, collect, describe
from next_edit_eval.run import Tally, evaluate

CASES = 400
SAMPLES = 2
MIN_CASES = 300
MAX_HARMFUL_PCT = 2.0


def test_held_out_slice_of_own_history_shows_at_most_two_percent_harmful_edits() -> None:
    """On 400 held-out cases of this repository's history (two corrupted answers each, seed
    1515), at most 2 % of the outcomes are harmful (an edit that does not lead to the true next
    state, or any edit where nothing was right); a short history fails instead of shrinking."""
    own = corpus.corpora(include_mirrors=False)
    assert own, "no .git beside bench/: run the gate from a clone, not an export"
    cases, found = collect(own, CASES, SEED, "heldout")
    assert len(cases) >= MIN_CASES, (
        f"only {found} cases: the clone's history is too short; fetch it whole "
        "(git fetch --unshallow, or actions/checkout with fetch-depth: 0)"
    )
    tally = Tally()
    harmful: list[str] = []
    for outcome in evaluate(cases, "heldout", SEED, SAMPLES):
        tally.add(outcome)
        if outcome.verdict == "harmful":
            harmful.append(describe(outcome))
    share = tally.share("heldout", "harmful")
    assert share <= MAX_HARMFUL_PCT, f"{share:.2f} % harmful:\n" + "\n".join(harmful[:10])
