"""The unseen ghost-text evaluation family `fresh5` (bench/ghost_eval/fresh5*.py): deterministic,
clean answers judged exact, every class drawn in a default run, composed in the order a chat
model writes, single code shapes as described, every stream fixable, and where the true text
sits in a stream."""

from __future__ import annotations

import random
import re

from tests.unit.eval_holes import BLANK, BLOCK, BLOCK_DOC, HOLES, MID

from ghost_eval.corruptions import OPEN_TAG, Context
from ghost_eval.fresh5 import CLASSES, FRESH5, Composer, deltas, render
from ghost_eval.fresh5_shapes import (
    echo_prefix,
    echo_suffix,
    indent_shift,
    over_generate,
    retype_rest,
    tabs_spaces,
)
from ghost_eval.holes import Cut
from ghost_eval.judge import judge
from ghost_eval.report import GROUPS, parse
from ghost_eval.run import analyze_cut, evaluate, family_of, sample_holes

ONLY = dict.fromkeys(CLASSES, 0.0)
WHITESPACE = re.compile(r"\s+")


def _context(hole: Cut) -> Context:
    return Context(hole, analyze_cut(hole), FRESH5.pools)


def _compose(hole: Cut, rates: dict[str, float], n: int) -> tuple[list[str], str, str]:
    """(names, raw stream, finish reason) of sample `n` of `hole` with `rates`."""
    composer = Composer(tuple(rates.items()))
    names, draft = composer(hole.expected, _context(hole), random.Random(n))
    return names, render(draft), draft.finish


def _squeezed(text: str) -> str:
    return WHITESPACE.sub("", text)


def test_the_same_seed_gives_the_same_samples() -> None:
    """Composition and streaming are deterministic: the same holes, seed and sample number give
    the same corruptions, raw streams and verdicts; another seed gives other streams; the
    deltas put together are the stream."""
    first = list(evaluate(list(HOLES) * 4, "fresh5", 1414, samples=2))
    again = list(evaluate(list(HOLES) * 4, "fresh5", 1414, samples=2))
    other = list(evaluate(list(HOLES) * 4, "fresh5", 7, samples=2))
    assert [(o.corruptions, o.raw, o.verdict) for o in first] == [
        (o.corruptions, o.raw, o.verdict) for o in again
    ]
    assert [o.raw for o in first] != [o.raw for o in other]
    raw = _compose(BLOCK, dict.fromkeys(CLASSES, 0.5), 3)[1]
    assert "".join(deltas(raw, random.Random(1))) == raw
    assert deltas(raw, random.Random(1)) == deltas(raw, random.Random(1))


def test_a_clean_sample_is_the_true_text_and_judged_exact() -> None:
    """With no class drawn the stream is the true text, at most after the opening tag the
    prompt asks for, finished by `stop`; the true text itself is judged exact."""
    tagged = untagged = 0
    for hole in HOLES:
        for n in range(20):
            names, raw, finish = _compose(hole, ONLY, n)
            assert names == [] and finish == "stop"
            assert raw in (hole.expected, OPEN_TAG + hole.expected)
            tagged += raw.startswith(OPEN_TAG)
            untagged += not raw.startswith(OPEN_TAG)
            assert judge(raw.removeprefix(OPEN_TAG), hole.expected) == "exact"
    assert tagged and untagged


def test_every_class_is_drawn_in_a_default_run() -> None:
    """A default composition over real holes (Python and Lua, every hole kind) applies every
    class of the family, and some samples stay clean (roughly one in eight)."""
    cuts = sample_holes("python", 30, 1414) + sample_holes("lua", 30, 1414)
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


def test_every_untruncated_stream_holds_the_true_text_up_to_whitespace() -> None:
    """Fixable only: whatever is composed, a stream that was not cut holds the true text
    (compared without whitespace, since some classes change only whitespace)."""
    cuts = sample_holes("python", 20, 1414) + sample_holes("lua", 20, 1414)
    for index, hole in enumerate((*HOLES, *cuts)):
        for n in range(6):
            rates = dict.fromkeys(CLASSES, 0.35)
            names, raw, finish = _compose(hole, rates, index * 100 + n)
            if "truncate" in names:
                assert finish == "length"
                continue
            assert finish == "stop"
            assert _squeezed(hole.expected) in _squeezed(raw), (names, raw)


def test_corruptions_compose_in_the_order_a_model_writes_them() -> None:
    """Forced together: the reasoning, the fence, the echoed text before the cursor, the true
    text, the rest of the line and the closing fence come in that order (compared without
    whitespace, since echoes may be respaced), with a sentence around them."""
    rates = dict(ONLY, think=1.0, fence=1.0, echo_prefix=1.0, retype_rest=1.0, prose=1.0)
    for n in range(30):
        names, raw, _ = _compose(MID, rates, n)
        assert {"think", "fence", "echo_prefix", "retype_rest", "prose"} <= set(names)
        flat = _squeezed(raw)
        at = flat.index("base,rate")
        fences = [i for i in (flat.find("```"), flat.find("~~~")) if i >= 0]
        assert fences and min(fences) < flat.index("apply_discount(") < at
        closers = [flat.find(end) for end in ("</think>", "</thinking>", "</reasoning>")]
        assert max(closers) < min(fences)
        rest = flat.index("),2)", at)
        assert rest == at + len("base,rate")
        assert "```" not in flat[min(fences) + 4 : rest] and "~~~" not in flat[at:rest]


def test_a_truncated_stream_stops_inside_the_answer() -> None:
    """A cut stream is a strict prefix of the whole one, finished by `length`, that stops
    inside the code (before the closing fence), with the fence and tag before it kept."""
    for n in range(20):
        names, raw, finish = _compose(BLOCK, dict(ONLY, truncate=1.0, fence=1.0), n)
        _names, whole, _ = _compose(BLOCK, dict(ONLY, fence=1.0), n)
        assert "truncate" in names and finish == "length"
        assert whole.startswith(raw) and len(raw) < len(whole)
        mark = "~~~" if raw.lstrip(OPEN_TAG).startswith("~~~") else "```"
        assert raw.count(mark) == 1


def test_crlf_streams_have_no_bare_line_feed() -> None:
    """Windows line endings: every line feed of the stream is preceded by a carriage return,
    and without them the stream is the one composed without the class."""
    for n in range(10):
        names, raw, _ = _compose(BLOCK, dict(ONLY, crlf=1.0), n)
        _, plain, _ = _compose(BLOCK, ONLY, n)
        assert names == ["crlf"]
        assert raw.count("\n") == raw.count("\r\n") > 0
        assert raw.replace("\r\n", "\n") == plain


def test_code_shapes_change_the_code_as_described() -> None:
    """Single shapes on known holes: the text before the cursor typed again, the rest of the
    line typed again after a mid-line answer, a strict beginning of that rest, tabs written as
    spaces (on every indented line or every other one), the indentation of a block body
    shifted by the file's step."""
    blank, mid, block = (_context(h) for h in HOLES)
    for n in range(12):
        got = echo_prefix(MID.expected, mid, random.Random(n))
        assert got is not None and got.endswith(MID.expected) and got != MID.expected
        assert _squeezed(got[: -len(MID.expected)]) in _squeezed(mid.line_prefix)
        rest = retype_rest(MID.expected, mid, random.Random(n))
        assert rest is not None and rest.startswith(MID.expected)
        assert _squeezed(rest).endswith("),2)")
        head = echo_suffix(MID.expected, mid, random.Random(n))
        assert head is not None and head.startswith(MID.expected)
        assert _squeezed(mid.line_suffix).startswith(_squeezed(head[len(MID.expected) :]))
        assert len(_squeezed(head)) < len(_squeezed(MID.expected + mid.line_suffix))
        spaces = tabs_spaces(BLOCK.expected, block, random.Random(n))
        assert spaces is not None and "\t" not in spaces.split("\n")[1]
        assert _squeezed(spaces) == _squeezed(BLOCK.expected)
        shifted = indent_shift(BLOCK.expected, block, random.Random(n))
        assert shifted is not None and shifted != BLOCK.expected
        assert {ln.strip() for ln in shifted.split("\n")} == {
            ln.strip() for ln in BLOCK.expected.split("\n")
        }
    assert echo_prefix(BLANK.expected, blank, random.Random(0)) is None


def test_over_generation_is_the_files_own_text_or_a_new_function() -> None:
    """Over-generated text after the answer is the closer of the enclosing block or the next
    lines as the file has them, or a new top-level function after a blank line."""
    block = _context(BLOCK)
    for n in range(20):
        got = over_generate(BLOCK.expected, block, random.Random(n))
        assert got is not None and got.startswith(BLOCK.expected + "\n")
        extra = got[len(BLOCK.expected) + 1 :]
        lines = extra.split("\n")
        own = lines == list(BLOCK_DOC[3 : 3 + len(lines)])
        assert own or (extra.startswith("\n") and extra.lstrip("\n")[0] not in " \t"), extra
    assert over_generate(MID.expected, _context(MID), random.Random(0)) is None


def test_the_true_text_is_found_in_composed_streams() -> None:
    """`answer_at` finds where the true text starts in the uncut stream for most compositions
    (its first word sits there), so truncated samples get their answerable mark."""
    for hole, word in ((BLANK, "return"), (MID, "base"), (BLOCK, "n")):
        found = 0
        for n in range(40):
            state = random.Random(f"test:fresh5:{n}").getstate()
            full, at = FRESH5.answer_at(hole.expected, _context(hole), state)
            if at is None:
                continue
            found += 1
            assert full[at:].startswith(word), (n, full)
        assert found >= 30, hole.kind


def test_fresh5_is_named_on_its_own_and_stays_out_of_all() -> None:
    """`--family fresh5` runs the family; `all` and `both` (the development families that
    filter authors measure) do not include it."""
    assert parse(["--family", "fresh5"]).family == "fresh5"
    assert family_of("fresh5") is FRESH5
    assert "fresh5" not in GROUPS["all"] and "fresh5" not in GROUPS["both"]
