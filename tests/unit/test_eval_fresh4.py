"""The unseen ghost-text evaluation family `fresh4` (bench/ghost_eval/fresh4*.py): deterministic,
clean answers judged exact, every class drawn in a default run, corruptions composed in the
order a chat model writes them, single code shapes, and where the true text sits in a stream."""

from __future__ import annotations

import random

from tests.unit.eval_holes import BLANK, BLOCK, BLOCK_DOC, DOC, MID

from ghost_eval.corruptions import Context
from ghost_eval.fresh4 import CLASSES, FRESH4, Composer, deltas, render
from ghost_eval.fresh4_code import unit_of
from ghost_eval.fresh4_text import TAG
from ghost_eval.holes import Cut
from ghost_eval.judge import judge
from ghost_eval.report import GROUPS, parse
from ghost_eval.run import analyze_cut, evaluate, family_of, sample_holes

ONLY = dict.fromkeys(CLASSES, 0.0)


def _compose(hole: Cut, rates: dict[str, float], n: int) -> tuple[list[str], str, str]:
    """(names, raw stream, finish reason) of sample `n` of `hole` with `rates`."""
    context = Context(hole, analyze_cut(hole), FRESH4.pools)
    names, draft = Composer(tuple(rates.items()))(hole.expected, context, random.Random(n))
    return names, render(draft), draft.finish


def test_the_same_seed_gives_the_same_samples() -> None:
    """Composition and streaming are deterministic: the same hole, seed and sample number give
    the same corruptions, raw stream and verdict; another seed gives other streams; the deltas
    put together are the stream."""
    first = list(evaluate([BLANK, MID, BLOCK] * 4, "fresh4", 1414, samples=2))
    again = list(evaluate([BLANK, MID, BLOCK] * 4, "fresh4", 1414, samples=2))
    other = list(evaluate([BLANK, MID, BLOCK] * 4, "fresh4", 7, samples=2))
    assert [(o.corruptions, o.raw, o.verdict) for o in first] == [
        (o.corruptions, o.raw, o.verdict) for o in again
    ]
    assert [o.raw for o in first] != [o.raw for o in other]
    raw = _compose(BLOCK, dict.fromkeys(CLASSES, 0.5), 3)[1]
    assert "".join(deltas(raw, random.Random(1))) == raw
    assert deltas(raw, random.Random(1)) == deltas(raw, random.Random(1))


def test_a_clean_sample_is_the_true_text_and_judged_exact() -> None:
    """With no class drawn, the stream is the true text, at most after the opening tag the
    prompt asks for, finished by `stop`; the true text itself is judged exact."""
    for hole in (BLANK, MID, BLOCK):
        for n in range(12):
            names, raw, finish = _compose(hole, ONLY, n)
            assert names == [] and finish == "stop"
            assert raw in (hole.expected, TAG + hole.expected)
            assert judge(raw.removeprefix(TAG), hole.expected) == "exact"


def test_every_class_is_drawn_in_a_default_run() -> None:
    """A default composition over real holes (Python and C, every hole kind) applies every
    class of the family, and some samples stay clean (about one in eight)."""
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
    """Forced together: the special token, the reasoning, the fence, the echoed line above, the
    true text, the rest of the line, the closing fence and the trailing token come in that
    order; a truncated stream is a strict prefix of the whole one that stops inside the true
    text (before the closing fence), finished by `length`."""
    rates = dict(ONLY, lead_token=1.0, think=1.0, fence=1.0, echo_prev=1.0, echo_suffix=1.0)
    rates["junk"] = 1.0
    for n in range(20):
        names, raw, _finish = _compose(MID, rates, n)
        assert {"lead_token", "think", "fence", "echo_prev", "echo_suffix", "junk"} <= set(names)
        at = raw.index("base, rate")
        assert raw.index("</think>") < raw.index("```") < raw.index("item.cost") < at
        assert raw.index("), 2)", at) < raw.rindex("```")
    names, raw, finish = _compose(BLOCK, dict(ONLY, truncate=1.0, fence=1.0), 5)
    _names, whole, _ = _compose(BLOCK, dict(ONLY, fence=1.0), 5)
    assert "truncate" in names and finish == "length"
    assert whole.startswith(raw) and len(raw) < len(whole)
    assert raw.count("```") == 1 and "n" in raw[raw.index("```") + 3 :]


def test_code_shapes_change_the_code_as_described() -> None:
    """Single shapes on known holes: the line above and the cursor line before a blank-line
    answer, spaces for tabs in a tab-indented C file, a block body begun without its line
    break, an answer wrapped in backticks, a one-step shift of a block body."""
    names, raw, _ = _compose(BLANK, dict(ONLY, echo_prev=1.0), 2)
    assert names == ["echo_prev"]
    assert raw.removeprefix(TAG).lstrip().startswith("subtotal = subtotal * (1 - rate)\n")
    names, raw, _ = _compose(BLOCK, dict(ONLY, tabs_spaces=1.0), 2)
    assert names == ["tabs_spaces"] and "\t" not in raw and "n += i;" in raw
    names, raw, _ = _compose(BLOCK, dict(ONLY, newline=1.0), 2)
    assert names == ["newline"] and raw.removeprefix(TAG).lstrip("\t").startswith("n += i;")
    names, raw, _ = _compose(MID, dict(ONLY, backticks=1.0), 2)
    assert names == ["backticks"] and raw.removeprefix(TAG) == "`base, rate`"
    for n in range(10):
        names, raw, _ = _compose(BLOCK, dict(ONLY, indent_shift=1.0), n)
        body = raw.removeprefix(TAG)
        assert names == ["indent_shift"] and body != BLOCK.expected
        assert body.replace("\t", "").strip() == BLOCK.expected.replace("\t", "").strip()


def test_a_repeated_tag_leaves_the_true_text_around_it() -> None:
    """The opening tag written again, at the start or before a later line of a block body:
    removing the tags gives the true text."""
    for n in range(10):
        names, raw, _ = _compose(BLOCK, dict(ONLY, tag_echo=1.0), n)
        assert names == ["tag_echo"] and raw.count(TAG) == 2
        assert raw.replace(TAG, "") == BLOCK.expected


def test_over_generation_borrows_whole_statements() -> None:
    """Over-generated code after a blank-line answer is a whole statement of the file at the
    answer's depth, never a comment or an opener."""
    for n in range(10):
        names, raw, _ = _compose(BLANK, dict(ONLY, over_generate=1.0), n)
        assert names == ["over_generate"]
        extra = raw.removeprefix(TAG).removeprefix(BLANK.expected)
        assert extra.strip() == "subtotal = sum(prices)"


def test_the_file_step_is_read_from_the_file() -> None:
    """The indentation step is a tab in a tab-indented file and the common step of a file
    indented by spaces (a shift is never by an artifact such as one space)."""
    assert unit_of(BLOCK_DOC) == "\t"
    assert unit_of(DOC) == "    "
    assert unit_of(("a {", "  b {", "    c;", "  }", "}")) == "  "


def test_the_true_text_is_found_in_composed_streams() -> None:
    """`answer_at` finds where the true text starts in the uncut stream for most compositions
    (its first word sits there), so truncated samples get their answerable mark."""
    for hole, word in ((BLANK, "return"), (MID, "base"), (BLOCK, "n")):
        context = Context(hole, analyze_cut(hole), FRESH4.pools)
        found = 0
        for n in range(40):
            state = random.Random(f"test:fresh4:{n}").getstate()
            full, at = FRESH4.answer_at(hole.expected, context, state)
            if at is None:
                continue
            found += 1
            assert full[at:].lstrip("`").startswith(word), (n, full)
        assert found >= 30, hole.kind


def test_fresh4_is_named_on_its_own_and_stays_out_of_all() -> None:
    """`--family fresh4` runs the family; `all` and `both` (the development families that
    filter authors measure) do not include it."""
    assert parse(["--family", "fresh4"]).family == "fresh4"
    assert family_of("fresh4") is FRESH4
    assert "fresh4" not in GROUPS["all"] and "fresh4" not in GROUPS["both"]
