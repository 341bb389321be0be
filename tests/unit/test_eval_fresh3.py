"""The unseen ghost-text evaluation family `fresh3` (bench/ghost_eval/fresh3*.py): deterministic,
clean answers judged exact, every corruption class drawn in a default run, corruptions composed
in the order a chat model writes them, and where the true text sits in a composed stream."""

from __future__ import annotations

import random

from tests.unit.eval_holes import BLANK, BLOCK, MID

from ghost_eval.corruptions import Context
from ghost_eval.fresh3 import CLASSES, FRESH3, Composer, deltas, render
from ghost_eval.fresh3_text import TAG
from ghost_eval.holes import Cut
from ghost_eval.judge import judge
from ghost_eval.report import GROUPS, parse
from ghost_eval.run import analyze_cut, evaluate, family_of, sample_holes

ONLY = {name: 0.0 for name in CLASSES}


def _compose(hole: Cut, rates: dict[str, float], n: int) -> tuple[list[str], str, str]:
    """(names, raw stream, finish reason) of sample `n` of `hole` with `rates`."""
    context = Context(hole, analyze_cut(hole), FRESH3.pools)
    names, draft = Composer(tuple(rates.items()))(hole.expected, context, random.Random(n))
    return names, render(draft), draft.finish


def test_the_same_seed_gives_the_same_samples() -> None:
    """Composition and streaming are deterministic: the same hole, seed and sample number give
    the same corruptions, raw stream, deltas and verdict; another seed gives other streams."""
    first = list(evaluate([BLANK, MID, BLOCK] * 4, "fresh3", 1414, samples=2))
    again = list(evaluate([BLANK, MID, BLOCK] * 4, "fresh3", 1414, samples=2))
    other = list(evaluate([BLANK, MID, BLOCK] * 4, "fresh3", 7, samples=2))
    assert [(o.corruptions, o.raw, o.verdict) for o in first] == [
        (o.corruptions, o.raw, o.verdict) for o in again
    ]
    assert [o.raw for o in first] != [o.raw for o in other]
    raw = _compose(BLOCK, dict.fromkeys(CLASSES, 0.5), 3)[1]
    assert "".join(deltas(raw, random.Random(1))) == raw
    assert deltas(raw, random.Random(1)) == deltas(raw, random.Random(1))


def test_a_clean_sample_is_the_true_text_and_judged_exact() -> None:
    """With no corruption drawn, the stream is the true text, at most after the opening tag the
    prompt asks for; the true text itself is judged exact."""
    for hole in (BLANK, MID, BLOCK):
        for n in range(12):
            names, raw, finish = _compose(hole, ONLY, n)
            assert names == [] and finish == "stop"
            assert raw in (hole.expected, TAG + hole.expected)
            assert judge(raw.removeprefix(TAG), hole.expected) == "exact"


def test_every_corruption_class_is_drawn_in_a_default_run() -> None:
    """A default composition over real holes (Python and C, every hole kind) draws every class
    of the family, and about one sample in eight stays clean."""
    cuts = sample_holes("python", 30, 1414) + sample_holes("c", 30, 1414)
    assert len(cuts) >= 50
    seen: set[str] = set()
    clean = total = 0
    for index, hole in enumerate(cuts):
        for n in range(3):
            names, _raw, _finish = _compose(hole, dict(Composer().rates), index * 10 + n)
            seen.update(names)
            clean += not names
            total += 1
    assert seen == set(CLASSES)
    assert 0.04 < clean / total < 0.3


def test_corruptions_compose_in_the_order_a_model_writes_them() -> None:
    """Forced together, reasoning comes first, then the prose, the fence, the echoed line
    above, the true text, the rest of the line, the closing fence and the special token; a
    truncated stream is a strict prefix of the whole one, finished by `length`."""
    rates = dict(ONLY, think=1.0, prose=1.0, fence=1.0, echo_prev=1.0, echo_suffix=1.0)
    rates["junk"] = 1.0
    for n in range(30):
        names, raw, _finish = _compose(MID, rates, n)
        if not {"think", "fence", "prose", "echo_prev", "echo_suffix", "junk"} <= set(names):
            continue
        at = raw.index("base, rate")
        assert "</think>" in raw[:at]
        assert "    base = item.cost" in raw[:at] or "base = item.cost\n" in raw[:at]
        assert ")" in raw[at + len("base, rate") :]
    names, raw, finish = _compose(BLOCK, dict(ONLY, truncate=1.0, fence=1.0), 5)
    _names, whole, _ = _compose(BLOCK, dict(ONLY, fence=1.0), 5)
    assert "truncate" in names and finish == "length"
    assert whole.startswith(raw) and len(raw) < len(whole)


def test_code_shapes_change_the_code_as_described() -> None:
    """Single shapes on known holes: the whole line for a mid-line hole, the line above before
    the answer, spaces for tabs in a tab-indented C file, a block body that does not start on a
    new line."""
    names, raw, _ = _compose(MID, dict(ONLY, whole_line=1.0), 2)
    assert names == ["whole_line"]
    assert raw.removeprefix(TAG).strip() == "return round(apply_discount(base, rate), 2)"
    names, raw, _ = _compose(BLANK, dict(ONLY, echo_prev=1.0), 2)
    assert names == ["echo_prev"]
    assert raw.removeprefix(TAG).lstrip().startswith("subtotal = subtotal * (1 - rate)\n")
    names, raw, _ = _compose(BLOCK, dict(ONLY, tabs_spaces=1.0), 2)
    assert names == ["tabs_spaces"] and "\t" not in raw and "n += i;" in raw
    names, raw, _ = _compose(BLOCK, dict(ONLY, newline=1.0), 2)
    assert names == ["newline"] and raw.removeprefix(TAG).startswith("\t\tn += i;")


def test_the_true_text_is_found_in_composed_streams() -> None:
    """`answer_at` finds where the true text starts in the uncut stream for most compositions
    (its first word sits there), so truncated samples get their answerable mark."""
    for hole, word in ((BLANK, "return"), (MID, "base"), (BLOCK, "n")):
        context = Context(hole, analyze_cut(hole), FRESH3.pools)
        found = 0
        for n in range(40):
            state = random.Random(f"test:fresh3:{n}").getstate()
            full, at = FRESH3.answer_at(hole.expected, context, state)
            if at is None:
                continue
            found += 1
            assert full[at:].startswith(word), (n, full)
        assert found >= 30, hole.kind


def test_fresh3_is_named_on_its_own_and_stays_out_of_all() -> None:
    """`--family fresh3` runs the family; `all` (the development families that filter authors
    measure) does not include it."""
    assert parse(["--family", "fresh3"]).family == "fresh3"
    assert family_of("fresh3") is FRESH3
    assert "fresh3" not in GROUPS["all"] and "fresh3" not in GROUPS["both"]
