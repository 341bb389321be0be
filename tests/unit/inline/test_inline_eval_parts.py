"""The ghost-text evaluation's own parts: the strict judge, the hole cutter and the corruptions
(each one does what its docstring says, and they compose as documented)."""

from __future__ import annotations

import random

import pytest

from ghost_eval import corpus
from ghost_eval.corruptions import (
    CORRUPTIONS,
    OPEN_TAG,
    Context,
    Draft,
    Pools,
    applicable,
    compose,
    deltas,
    render,
)
from ghost_eval.dev import DEV
from ghost_eval.heldout import HELDOUT
from ghost_eval.holes import KINDS, Cut, cut, original
from ghost_eval.judge import judge
from ghost_eval.run import sample_holes
from glm_lsp.inline import analyze

SOURCE = [
    "import math",
    "",
    "",
    "def area(radius):",
    "    if radius < 0:",
    '        raise ValueError("negative radius")',
    "    total = round(math.pi * radius ** 2, 2)",
    "    return total",
    "",
    "",
    "def main():",
    "    print(area(2.0))",
]


def _cut(kind: str) -> Cut:
    if kind == "mid":  # round(|math.pi * radius ** 2|, 2)
        line = SOURCE[6]
        start, end = line.index("math"), line.index(", 2)")
        doc = [*SOURCE[:6], line[:start] + line[end:], *SOURCE[7:]]
        return Cut("python", "geo.py", "mid", tuple(doc), 6, start, line[start:end])
    if kind == "block":  # def area(radius):| body removed
        doc = [*SOURCE[:4], *SOURCE[8:]]
        body = "\n" + "\n".join(SOURCE[4:8])
        return Cut("python", "geo.py", "block", tuple(doc), 3, len(SOURCE[3]), body)
    doc = [*SOURCE[:7], "    ", *SOURCE[8:]]  # blank: "    |" where "return total" was
    return Cut("python", "geo.py", "blank", tuple(doc), 7, 4, "return total")


def _context(kind: str, pools: Pools = DEV) -> Context:
    hole_cut = _cut(kind)
    hole = analyze(list(hole_cut.lines), hole_cut.line, hole_cut.character, language="python")
    return Context(hole_cut, hole, pools)


@pytest.mark.parametrize(
    ("shown", "verdict"),
    [
        ("return total + 1", "exact"),
        ("return total", "partial"),
        ("return ", "partial"),
        ("return tot", "harmful"),
        ("return  total + 1", "harmful"),
        ("return total +", "partial"),
        (None, "empty"),
        ("", "empty"),
        ("return total + 1\n", "harmful"),
        ("x", "harmful"),
    ],
)
def test_judge_is_strict(shown: str | None, verdict: str) -> None:
    """Only the cut text is exact; a prefix counts as partial only when it ends between two
    tokens; whitespace differences, a cut word and extra text are harmful; nothing is empty."""
    assert judge(shown, "return total + 1") == verdict


def test_judge_does_not_split_operators_or_numbers() -> None:
    """A prefix ending inside `==` or inside `3.14` is harmful, and a prefix made only of
    whitespace shows nothing useful: empty."""
    assert judge("a =", "a == b") == "harmful"
    assert judge("x = 3.", "x = 3.14") == "harmful"
    assert judge("\n", "\n    return x") == "empty"


def test_holes_put_back_give_the_original_file() -> None:
    """For every kind and several languages, inserting the expected text at the cursor of the
    holed document gives back the file as read from the corpus."""
    for language in ("python", "c", "lua"):
        by_label = {f.label: f for f in corpus.files(language)}
        for hole_cut in sample_holes(language, 12, seed=7):
            source = corpus.usable(by_label[hole_cut.label].read(), language)
            assert original(hole_cut) == source
            assert hole_cut.expected.strip()
    assert {c.kind for c in sample_holes("python", 12, seed=7)} == set(KINDS)


def test_mid_line_holes_keep_a_real_suffix_and_never_sit_inside_a_word() -> None:
    """Mid-line holes leave the rest of the real line after the cursor, and the cursor never
    has word characters on both sides."""
    rng = random.Random(3)
    lines = ["    total = round(apply_discount(price, rate), 2) + fee(x)"] * 30
    for _ in range(20):
        found = cut("mid", lines, rng, "python", "shop.py")
        assert found is not None
        line = found.lines[found.line]
        assert line[found.character :]
        before, after = line[found.character - 1], line[found.character]
        assert not (before.isalnum() and after.isalnum())


def test_clean_answer_is_the_tag_and_the_expected_text() -> None:
    """With no corruption, the model streams the open tag and the exact answer."""
    assert render(Draft(body="return total")) == OPEN_TAG + "return total"


def test_each_corruption_does_what_it_says() -> None:
    """Each corruption alone changes the raw answer in its documented way, keeping the answer."""
    rng = random.Random(5)
    mid = _context("mid")
    expected = mid.cut.expected
    echoed = render(CORRUPTIONS["echo_prefix"](Draft(expected), mid, rng))
    assert echoed.endswith(expected) and len(echoed) > len(OPEN_TAG + expected)
    assert render(CORRUPTIONS["echo_suffix"](Draft(expected), mid, rng)).startswith(
        OPEN_TAG + expected + ", 2)"
    )
    previous = render(CORRUPTIONS["echo_prev"](Draft(expected), mid, rng))
    assert previous.startswith(OPEN_TAG + '        raise ValueError("negative radius")\n')
    fenced = CORRUPTIONS["fence"](Draft(expected), mid, rng)
    assert fenced.fence_open.startswith("```") and "```" in fenced.fence_close
    thought = render(CORRUPTIONS["think"](Draft(expected), mid, rng))
    assert thought.startswith("<think>") and thought.endswith(expected)
    junk = render(CORRUPTIONS["junk"](Draft(expected), mid, rng))
    assert junk.startswith(OPEN_TAG + expected) and junk[len(OPEN_TAG + expected) :].strip()
    prose = render(CORRUPTIONS["prose"](Draft(expected), mid, rng))
    assert expected in prose and len(prose) > len(OPEN_TAG + expected) + 10


def test_truncation_cuts_inside_a_word_after_the_answer_began() -> None:
    """A truncated stream is a prefix of the full one that ends between two word characters."""
    ctx = _context("block")
    for seed in range(10):
        draft = CORRUPTIONS["truncate"](Draft(ctx.cut.expected), ctx, random.Random(seed))
        raw = render(draft)
        full = render(Draft(ctx.cut.expected))
        assert full.startswith(raw) and raw != full
        assert full[len(raw) - 1].isalnum() and full[len(raw)].isalnum()


def test_indentation_corruptions_touch_only_line_starts() -> None:
    """A shift or a tab swap changes the leading whitespace of the answer's lines, never their
    code; a blank-line statement gets whitespace in front of it."""
    block = _context("block")
    for name in ("indent_shift", "tabs_spaces"):
        for seed in range(6):
            body = CORRUPTIONS[name](Draft(block.cut.expected), block, random.Random(seed)).body
            assert body != block.cut.expected
            assert [x.strip() for x in body.split("\n")] == [
                x.strip() for x in block.cut.expected.split("\n")
            ]
    blank = _context("blank")
    shifted = CORRUPTIONS["indent_shift"](Draft("return total"), blank, random.Random(1)).body
    assert shifted.strip() == "return total" and shifted[0] in " \t"


def test_compose_applies_one_to_three_applicable_corruptions_in_order() -> None:
    """compose picks 1-3 corruptions that apply to the hole (or none: about one in eight),
    lists them in application order, and gives the same answer for the same seed."""
    ctx = _context("mid")
    order = list(CORRUPTIONS)
    counts = []
    for seed in range(400):
        names, draft = compose(ctx.cut.expected, ctx, random.Random(seed))
        assert len(names) <= 3
        assert names == sorted(names, key=order.index)
        assert all(applicable(name, ctx) for name in names)
        assert compose(ctx.cut.expected, ctx, random.Random(seed)) == (names, draft)
        counts.append(len(names))
    assert "indent_shift" not in [
        n for s in range(50) for n in compose(ctx.cut.expected, ctx, random.Random(s))[0]
    ]
    assert 0.05 < counts.count(0) / len(counts) < 0.2
    assert {1, 2, 3} <= set(counts)


def test_families_differ_in_every_variant_pool() -> None:
    """The held-out family shares no prose, thought, junk string, shift amount or echo length
    with the dev family, and spells fences differently."""
    for name in ("prose_before", "prose_after", "thoughts", "junk", "shifts", "echo_chars"):
        assert not set(getattr(DEV, name)) & set(getattr(HELDOUT, name)), name
    for language, names in DEV.fence_names.items():
        assert not set(names) & set(HELDOUT.fence_names[language]), language


def test_deltas_rebuild_the_raw_answer() -> None:
    """The streamed pieces concatenate to the raw answer, each within the family's sizes."""
    raw = OPEN_TAG + "\n    return total\n```"
    pieces = deltas(raw, HELDOUT, random.Random(2))
    assert "".join(pieces) == raw
    low, high = HELDOUT.delta_sizes
    assert all(len(p) <= high for p in pieces) and all(len(p) >= low for p in pieces[:-1])


def test_a_truncated_stream_ends_with_the_length_finish_reason() -> None:
    """Clean answers end with the host's `stop`; a truncated one with `length` (max_tokens), the
    reason the session hands to StreamStop.finish."""
    ctx = _context("mid")
    assert Draft(ctx.cut.expected).finish == "stop"
    cut_short = CORRUPTIONS["truncate"](Draft(ctx.cut.expected), ctx, random.Random(1))
    assert cut_short.finish == "length"


def test_block_holes_from_the_blank_line_under_the_opener() -> None:
    """A `block_blank` hole leaves the body's indentation on the line under the opener, the
    cursor after it; the answer is the body from its first code; put back, it is the file."""
    found = 0
    for hole_cut in sample_holes("python", 40, seed=11):
        if hole_cut.kind != "block_blank":
            continue
        found += 1
        line = hole_cut.lines[hole_cut.line]
        assert not line.strip() and hole_cut.character == len(line)
        assert hole_cut.expected[:1] not in (" ", "\t", "\n")
        assert original(hole_cut)[hole_cut.line].startswith(line + hole_cut.expected.split("\n")[0])
    assert found
