"""The ghost-text evaluation's answerable column (bench/ghost_eval): which samples no pipeline
could answer (the raw stream holds no complete token of the true text), where the true text
begins in a composed stream, and exact+partial over the answerable samples."""

from __future__ import annotations

import random

from tests.unit.eval_holes import BLANK

from ghost_eval.corruptions import Context
from ghost_eval.holes import Cut
from ghost_eval.judge import answerable, first_token_end
from ghost_eval.report import GROUPS, parse
from ghost_eval.run import Outcome, Tally, analyze_cut, evaluate, family_of
from glm_lsp.inline import Mode

HOLE = BLANK


def test_first_token_end_skips_whitespace_and_keeps_operators_whole() -> None:
    """A token ends at the first token boundary past its first visible character: a word, a
    two-character operator, or one punctuation character; only whitespace gives None."""
    assert first_token_end("\n    return x", 0) == len("\n    return")
    assert first_token_end("== 0", 0) == 2
    assert first_token_end("->next", 0) == 2
    assert first_token_end("(a)", 0) == 1
    assert first_token_end("x = 1", 1) == 3
    assert first_token_end(" \n\t", 0) is None


def test_a_stream_read_to_its_end_is_answerable() -> None:
    """An uncut stream holds the whole true text: always answerable."""
    full = "<COMPLETION>return x"
    assert answerable(full, full, len("<COMPLETION>"))


def test_a_stream_cut_inside_the_first_word_is_not_answerable() -> None:
    """Cut inside the true text's first word (or right at its end, where the stream cannot
    tell the word is complete), nothing right can be shown; one character later it can."""
    full = "<COMPLETION>return x"
    at = len("<COMPLETION>")
    assert not answerable("<COMPLETION>ret", full, at)
    assert not answerable("<COMPLETION>return", full, at)
    assert answerable("<COMPLETION>return ", full, at)


def test_a_stream_cut_inside_a_two_character_operator_is_not_answerable() -> None:
    """`=` of `==` and `-` of `->` are not tokens of the true text when it starts with them."""
    assert not answerable("<COMPLETION>=", "<COMPLETION>== 0)", len("<COMPLETION>"))
    assert not answerable("<COMPLETION>-", "<COMPLETION>->next", len("<COMPLETION>"))
    assert answerable("<COMPLETION>== ", "<COMPLETION>== 0)", len("<COMPLETION>"))


def test_a_stream_cut_before_the_true_text_began_is_not_answerable() -> None:
    """A cut inside an echo of the line before the true text leaves nothing of the answer."""
    full = "<COMPLETION>    x = f(a, b)"
    assert not answerable("<COMPLETION>    x = f", full, full.index("a"))
    assert answerable("<COMPLETION>    x = f(a,", full, full.index("a"))


def test_an_unknown_answer_position_counts_as_answerable() -> None:
    """When the composition cannot say where the true text starts, the sample stays in the
    denominator: the figure can only be lower, never flattered."""
    assert answerable("<COMPLETION>re", "<COMPLETION>return x", None)


def test_answer_position_points_at_the_true_texts_first_token() -> None:
    """For every family, the position `answer_at` finds in the uncut composed stream is where
    the expected text's first token is, whatever corruptions were composed around it."""
    hole = analyze_cut(HOLE)
    for name in ("dev", "heldout", "fresh", "fresh2"):
        family = family_of(name)
        context = Context(HOLE, hole, family.pools)
        found = 0
        for n in range(40):
            state = random.Random(f"test:{name}:{n}").getstate()
            full, at = family.answer_at(HOLE.expected, context, state)
            if at is None:
                continue
            found += 1
            assert full[at:].startswith("return"), (name, n, full)
        assert found >= 30, name


def _outcome(expected: str, verdict: str, *, can_answer: bool) -> Outcome:
    hole = Cut("python", "a.py", "eol", ("x = ",), 0, 4, expected)
    shown = expected if verdict == "exact" else None
    return Outcome(
        hole, "dev", ("truncate",), "", shown, verdict, Mode.MULTI_LINE, False, can_answer
    )


def test_right_over_answerable_leaves_out_only_the_unanswerable_samples() -> None:
    """exact+partial over answerable divides by the samples that were answerable: two right of
    three answerable is 66.7 %, while the strict share stays two of four."""
    tally = Tally()
    tally.add(_outcome("1", "exact", can_answer=True))
    tally.add(_outcome("2", "exact", can_answer=True))
    tally.add(_outcome("3", "harmful", can_answer=True))
    tally.add(_outcome("4", "empty", can_answer=False))
    assert tally.unanswerable_count("dev", "total", "all") == 1
    assert tally.unanswerable_count("dev", "corruption", "truncate") == 1
    right = tally.right_when_answerable("dev", "total", "all")
    assert right is not None and round(right, 1) == 66.7
    assert tally.share("dev", "exact", "partial") == 50.0
    assert tally.right_when_answerable("dev", "language", "go") is None


def test_every_sample_of_a_slice_is_judged_and_marked() -> None:
    """On a small slice every family yields one outcome per hole and answer, and a sample that
    is not truncated is always answerable."""
    for name in GROUPS["all"]:
        outcomes = list(evaluate([HOLE] * 6, name, 1414, samples=2))
        assert len(outcomes) == 12
        assert all(o.answerable for o in outcomes if "truncate" not in o.corruptions)
    assert parse(["--family", "fresh2"]).family == "fresh2"
    assert "fresh2" in GROUPS["all"]
