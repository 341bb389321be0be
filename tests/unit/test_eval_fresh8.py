"""The unseen ghost-text evaluation family `fresh8` (bench/ghost_eval/fresh8*.py): deterministic,
clean answers judged exact, exactly issue 14's eleven classes drawn and mixed, every class's
change undone from the window alone, cut streams ending inside the code, where the true text
sits in a stream, and the family chosen by name only."""

from __future__ import annotations

import random
import re
from dataclasses import replace

from tests.unit.eval_holes import BLANK, BLOCK, BLOCK_DOC, HOLES, MID
from tests.unit.family_checks import (
    check_classes_drawn,
    check_clean_exact,
    check_deterministic,
    check_issue_classes,
)

from ghost_eval import fresh8_code as shapes
from ghost_eval.corruptions import OPEN_TAG, Context
from ghost_eval.fresh8 import (
    CLASSES,
    FRESH8,
    Answer,
    applicable,
    build,
    cut_points,
    deltas,
    render,
)
from ghost_eval.holes import Cut
from ghost_eval.lexical import token_boundary
from ghost_eval.report import GROUPS, parse
from ghost_eval.run import analyze_cut, family_of, sample_holes

SPACE = re.compile(r"\s+")
WHITESPACE_CLASSES = {"indent_shift", "tabs_spaces"}


def _context(hole: Cut) -> Context:
    return Context(hole, analyze_cut(hole), FRESH8.pools)


def _sample(hole: Cut, n: int, forced: tuple[str, ...] | None = None) -> tuple[list[str], str, str]:
    """(classes, raw stream, finish reason) of sample `n` of `hole`."""
    names, draft = build(hole.expected, _context(hole), random.Random(n), forced)
    return names, render(draft), draft.finish


def _squeezed(text: str) -> str:
    return SPACE.sub("", text)


def _real_holes() -> list[Cut]:
    cuts = sample_holes("python", 20, 1414) + sample_holes("lua", 20, 1414)
    return cuts + sample_holes("c", 20, 1414) + sample_holes("javascript", 20, 1414)


def test_the_same_seed_gives_the_same_samples() -> None:
    """Composition and streaming are deterministic: the same holes, seed and sample number give
    the same classes, streams and verdicts; another seed gives other streams; the deltas put
    together are the stream."""
    check_deterministic("fresh8", _sample, deltas, HOLES, BLOCK)


def test_a_clean_sample_is_the_tag_and_the_true_text_judged_exact() -> None:
    """With no class the stream is the opening tag the prompt asks for and the true text,
    finished by `stop`; the true text is judged exact."""
    check_clean_exact(_sample, HOLES)


def test_exactly_the_issues_classes_are_drawn_and_mixed() -> None:
    """The family's classes are exactly issue 14's eleven; a default composition over real holes
    applies every one of them, about one sample in eight is clean and many mix two or three."""
    check_issue_classes(CLASSES)
    check_classes_drawn(_sample, CLASSES)


def test_every_uncut_stream_holds_the_true_text() -> None:
    """Answerable by construction: whatever is drawn, or forced three at a time, the code part of
    an uncut stream holds the true text verbatim (a fenced block body may lose its first line
    break, which the cursor at the end of the opener tells), or (when indentation or tabs were
    changed) the same text up to whitespace; it is finished by `stop`, a cut one by `length`."""
    pick = random.Random(8)
    for index, hole in enumerate((*HOLES, *_real_holes())):
        ctx = _context(hole)
        for n in range(6):
            forced = tuple(pick.sample(CLASSES, 3)) if n % 2 else None
            names, draft = build(hole.expected, ctx, random.Random(index * 100 + n), forced)
            raw = render(draft)
            assert isinstance(draft, Answer)
            if "truncate" in names:
                assert draft.finish == "length"
                continue
            assert draft.finish == "stop" and draft.body in raw
            start, end = draft.span
            if WHITESPACE_CLASSES & set(names):
                assert _squeezed(draft.body[start:end]) == _squeezed(hole.expected), names
            elif "fence" in names:
                shown = draft.body[start:end]
                assert shown in (hole.expected, hole.expected.removeprefix("\n")), names
            else:
                assert draft.body[start:end] == hole.expected, names


def test_echoes_and_over_generation_add_only_the_files_own_text() -> None:
    """What the code classes add around the true text is text of the file: the cursor line's
    start (whole, unindented, its last tokens, or respaced), the lines above it, the rest of the
    line and the lines below it, or file lines after a line break past the unit asked for."""
    for hole in (*HOLES, *_real_holes()[::3]):
        ctx = _context(hole)
        file_text = _squeezed("\n".join(hole.lines))
        start = shapes.Code(text=hole.expected)
        for n in range(8):
            rng = random.Random(n)
            if ctx.line_prefix.strip():
                lead = shapes.echo_prefix(start, ctx, rng).lead
                assert lead and _squeezed(ctx.line_prefix).endswith(_squeezed(lead))
            if ctx.lines_before:
                above = shapes.echo_prev(start, ctx, rng).lead
                assert above.endswith("\n" + ctx.line_prefix)
                assert _squeezed(above) in file_text
            if ctx.line_suffix.strip() or any(ln.strip() for ln in ctx.lines_after[:8]):
                trail = shapes.echo_suffix(start, ctx, rng).trail
                assert trail.strip() and _squeezed(trail) in file_text
                assert trail.startswith(ctx.line_suffix)
            if shapes.over_generate_possible(ctx):
                more = shapes.over_generate(start, ctx, rng).trail
                assert more.startswith("\n") and more.strip()
                for line in more.split("\n"):
                    assert _squeezed(line) in file_text, (line, hole.label)


def test_whitespace_classes_change_only_whitespace_uniformly() -> None:
    """`indent_shift` moves the answer's lines (or its first line, at an indented cursor) by one
    amount; `tabs_spaces` swaps tabs and spaces in indentation; both leave every line's code as
    it was and change something."""
    for hole in (BLOCK, BLANK, *_real_holes()):
        ctx = _context(hole)
        if not applicable("indent_shift", ctx):
            continue
        start = shapes.Code(text=hole.expected)
        for n in range(6):
            for shape in (shapes.indent_shift, shapes.tabs_spaces):
                text = shape(start, ctx, random.Random(n)).text
                old, new = hole.expected.split("\n"), text.split("\n")
                assert [ln.strip() for ln in new] == [ln.strip() for ln in old]
                assert text != hole.expected, (shape, hole.expected)
            moved = shapes.indent_shift(start, ctx, random.Random(n)).text.split("\n")
            deltas_ = {
                len(a) - len(b)
                for i, (a, b) in enumerate(zip(moved, hole.expected.split("\n"), strict=True))
                if b.strip() and a != b and i > 0
            }
            assert len(deltas_) <= 1
    tabbed = shapes.tabs_spaces(shapes.Code(text=BLOCK.expected), _context(BLOCK), random.Random(1))
    assert "\t" not in tabbed.text and _squeezed(tabbed.text) == _squeezed(BLOCK.expected)


def test_wrappers_leave_the_code_untouched_and_add_no_code() -> None:
    """Fences, reasoning, prose and junk change nothing of the code: the stream holds the true
    text once, whole (a fenced block body may lose its first line break), and the words around
    it do not repeat it; junk follows the whole answer."""
    for hole in HOLES:
        ctx = _context(hole)
        for n in range(40):
            names, draft = build(hole.expected, ctx, random.Random(n), ("fence", "think", "prose"))
            raw = render(draft)
            assert names == ["fence", "prose", "think"]
            body = draft.body
            assert body in (hole.expected, hole.expected.removeprefix("\n"))
            head, _, tail = raw.partition(body)
            assert _squeezed(body) not in _squeezed(head + tail)
            names, draft = build(hole.expected, ctx, random.Random(n), ("junk",))
            assert render(draft).startswith(OPEN_TAG + hole.expected)
            assert draft.junk.strip() and "subtotal" not in draft.junk


def test_a_cut_stream_stops_inside_a_token_of_the_code() -> None:
    """A cut stream is what precedes the code and a prefix of the code that ends between two
    characters of one token, mostly inside the true text; it is finished by `length`."""
    inside_true = total = 0
    for hole in (*HOLES, *_real_holes()[::4]):
        ctx = _context(hole)
        for n in range(10):
            forced = ("truncate", "prose", "echo_prefix") if n % 2 else ("truncate", "fence")
            names, draft = build(hole.expected, ctx, random.Random(n), forced)
            if "truncate" not in names:
                continue
            raw = render(draft)
            whole = render(replace(draft, truncate=None))
            at = whole.index(draft.body)
            head = whole[:at]
            assert draft.finish == "length" and raw.startswith(head)
            cut = len(raw) - len(head)
            assert 0 < cut < len(draft.body) and draft.body.startswith(raw[len(head) :])
            assert not token_boundary(draft.body, cut)
            total += 1
            inside_true += draft.span[0] < cut < draft.span[1]
    assert total > 100 and inside_true / total > 0.7
    assert cut_points("ab cd", (0, 5)) == [1, 4]


def test_the_true_text_is_found_in_composed_streams() -> None:
    """`answer_at` finds where the true text starts in the uncut stream (its first word sits
    there), so cut samples get their answerable mark."""
    for hole, word in ((BLANK, "return"), (MID, "base"), (BLOCK, "n")):
        for n in range(40):
            state = random.Random(f"test:fresh8:{n}").getstate()
            full, at = FRESH8.answer_at(hole.expected, _context(hole), state)
            assert at is not None, (n, full)
            assert full[at:].startswith(word), (n, full)


def test_over_generation_in_block_mode_goes_past_the_block() -> None:
    """In block mode, the model's extra code follows the body's end: the block's closing line
    from the file (then, maybe, an earlier unit of the file), never more lines at the body's
    depth before it."""
    ctx = _context(BLOCK)
    for n in range(20):
        more = shapes.over_generate(shapes.Code(text=BLOCK.expected), ctx, random.Random(n))
        added = more.trail.split("\n")[1:]
        assert added[0] == BLOCK_DOC[3] or not added[0].startswith("\t\t"), added


def test_fresh8_is_run_only_when_named() -> None:
    """`--family fresh8` runs the family; `all` and `both`, the development families that
    filter authors measure, and the default do not include it."""
    assert parse(["--family", "fresh8"]).family == "fresh8"
    assert family_of("fresh8") is FRESH8
    assert "fresh8" not in GROUPS["all"] and "fresh8" not in GROUPS["both"]
    assert parse([]).family != "fresh8"
