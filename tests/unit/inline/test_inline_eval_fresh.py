"""The evaluation's `fresh` seed family: it is wired into the command line, its pools differ from
the dev family's, and on real holes every corruption drawn from it yields a raw answer (no
figures are asserted here: the family is measured only by `bench/inline_eval.py`)."""

from __future__ import annotations

import random

from ghost_eval.corruptions import (
    CORRUPTIONS,
    OPEN_TAG,
    Context,
    Draft,
    applicable,
    compose,
    deltas,
    render,
)
from ghost_eval.dev import DEV
from ghost_eval.fresh import FRESH
from ghost_eval.report import parse
from ghost_eval.run import FAMILIES, analyze_cut, sample_holes

LANGUAGES = ("python", "javascript", "c", "lua")


def _contexts() -> list[Context]:
    return [
        Context(hole_cut, analyze_cut(hole_cut), FRESH)
        for language in LANGUAGES
        for hole_cut in sample_holes(language, 15, seed=14)
    ]


def test_fresh_family_is_on_the_command_line() -> None:
    """`--family fresh` runs the fresh pools; `all` adds it to dev and held-out, while `both`
    stays dev and held-out."""
    assert FAMILIES["fresh"] is FRESH
    assert parse(["--family", "fresh"]).family == "fresh"
    assert parse(["--family", "all"]).family == "all"
    assert parse(["--family", "both"]).family == "both"


def test_fresh_pools_share_no_variant_with_dev() -> None:
    """No prose, thought, junk string, shift, echo length or style, line count, tab width or
    stream piece size of the fresh family is one of dev's, and fences are spelled differently."""
    for name in (
        "prose_before",
        "prose_after",
        "thoughts",
        "junk",
        "shifts",
        "echo_chars",
        "echo_styles",
        "prev_lines",
        "suffix_lines",
        "extra_lines",
    ):
        assert not set(getattr(DEV, name)) & set(getattr(FRESH, name)), name
    assert FRESH.tab_width != DEV.tab_width
    assert FRESH.delta_sizes != DEV.delta_sizes
    assert FRESH.fence_names.keys() == DEV.fence_names.keys()
    for language, names in DEV.fence_names.items():
        assert not set(names) & set(FRESH.fence_names[language]), language


def test_every_corruption_alone_yields_a_raw_answer() -> None:
    """Each corruption, drawn from the fresh pools on every real hole it applies to, gives a
    raw answer that keeps code of the expected text; each one applies to some hole."""
    used: set[str] = set()
    for index, ctx in enumerate(_contexts()):
        for name, corrupt in CORRUPTIONS.items():
            if not applicable(name, ctx):
                continue
            used.add(name)
            draft = corrupt(Draft(ctx.cut.expected), ctx, random.Random(f"{name}:{index}"))
            raw = render(draft)
            assert raw.strip(), (name, ctx.cut.label)
            if name != "truncate":
                assert ctx.cut.expected.strip().split()[0] in raw, (name, ctx.cut.label)
    assert used == set(CORRUPTIONS)


def test_fresh_family_composes_into_streamable_answers() -> None:
    """compose with the fresh pools picks applicable corruptions in order, renders a non-empty
    stream, and the stream's pieces (within the family's sizes) rebuild it."""
    low, high = FRESH.delta_sizes
    order = list(CORRUPTIONS)
    for index, ctx in enumerate(_contexts()):
        for n in range(3):
            rng = random.Random(f"fresh-test:{index}:{n}")
            names, draft = compose(ctx.cut.expected, ctx, rng)
            assert names == sorted(names, key=order.index)
            assert all(applicable(name, ctx) for name in names)
            raw = render(draft)
            assert raw.strip() and (names or raw == OPEN_TAG + ctx.cut.expected)
            pieces = deltas(raw, FRESH, rng)
            assert "".join(pieces) == raw
            assert all(low <= len(p) <= high for p in pieces[:-1])
