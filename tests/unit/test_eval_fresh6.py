"""The unseen ghost-text evaluation family `fresh6` (bench/ghost_eval/fresh6*.py): deterministic,
clean answers judged exact, every class drawn and mixes common, every uncut stream holding the
true text, the order a model writes things in, cut streams, line endings, single code shapes,
where the true text sits in a stream, and the family chosen by name only."""

from __future__ import annotations

import random
import re

from tests.unit.family_checks import check_classes_drawn, check_clean_exact, check_deterministic

from ghost_eval import fresh6_code as shapes
from ghost_eval import fresh6_words as words
from ghost_eval.corruptions import Context
from ghost_eval.fresh6 import CLASSES, FRESH6, build, deltas, render
from ghost_eval.holes import Cut
from ghost_eval.report import GROUPS, parse
from ghost_eval.run import analyze_cut, family_of, sample_holes

LEDGER = (
    "def settle(entries, fee):",
    "    paid = [e.amount for e in entries if e.paid]",
    "    if not paid:",
    "        return 0",
    "    ",
    "",
    "",
    "def report(entries):",
    "    print(settle(entries, 0.1))",
)
BLANK = Cut("python", "ledger.py", "blank", LEDGER, 4, 4, "return sum(paid) - fee")
MID_DOC = (
    "def net(order, fee):",
    "    gross = order.total",
    "    return max(subtract_fee(), 0)",
    "",
)
MID = Cut("python", "ledger.py", "mid", MID_DOC, 2, 28, "gross, fee")
BLOCK_DOC = (
    "static int count(const int *xs, int n) {",
    "\tint k = 0;",
    "\tfor (int i = 0; i < n; i++) {",
    "\t}",
    "\treturn k;",
    "}",
)
BLOCK = Cut("c", "count.c", "block", BLOCK_DOC, 2, 30, "\n\t\tif (xs[i] > 0)\n\t\t\tk++;")
HOLES = (BLANK, MID, BLOCK)
SPACE = re.compile(r"\s+")
DIFF_MARK = re.compile(r"^(\+ ?|-| )", re.M)


def _context(hole: Cut) -> Context:
    return Context(hole, analyze_cut(hole), FRESH6.pools)


def _sample(hole: Cut, n: int, forced: tuple[str, ...] | None = None) -> tuple[list[str], str, str]:
    """(classes, raw stream, finish reason) of sample `n` of `hole`."""
    names, draft = build(hole.expected, _context(hole), random.Random(n), forced)
    return names, render(draft), draft.finish


def _squeezed(text: str) -> str:
    return SPACE.sub("", text)


def _holds_true_text(names: list[str], raw: str, expected: str) -> bool:
    """The true text is in the stream up to whitespace (a diff's line markers taken off)."""
    if "diff_plus" in names:
        raw = DIFF_MARK.sub("", raw.replace("\r", ""))
    return _squeezed(expected) in _squeezed(raw)


def test_the_same_seed_gives_the_same_samples() -> None:
    """Composition and streaming are deterministic: the same holes, seed and sample number give
    the same classes, streams and verdicts; another seed gives other streams; the deltas put
    together are the stream."""
    check_deterministic("fresh6", _sample, deltas, HOLES, BLOCK)


def test_a_clean_sample_is_the_tag_and_the_true_text_judged_exact() -> None:
    """With no class the stream is the opening tag the prompt asks for and the true text,
    finished by `stop`; the true text is judged exact."""
    check_clean_exact(_sample, HOLES)


def test_every_class_is_drawn_and_mixes_are_common() -> None:
    """A default composition over real holes (Python, Lua, C: every hole kind) applies every
    class; about one sample in eight is clean and many samples mix two or three classes."""
    check_classes_drawn(_sample, CLASSES)


def test_every_uncut_stream_holds_the_true_text() -> None:
    """Answerable by construction: whatever is drawn, or forced three at a time, a stream that
    was not cut holds the true text (compared without whitespace, as some classes change only
    whitespace; a diff's line markers taken off); a cut one is finished by `length`."""
    cuts = sample_holes("python", 20, 1414) + sample_holes("lua", 20, 1414)
    pick = random.Random(6)
    for index, hole in enumerate((*HOLES, *cuts)):
        for n in range(6):
            forced = tuple(pick.sample(CLASSES, 3)) if n % 2 else None
            names, raw, finish = _sample(hole, index * 100 + n, forced)
            if "truncate" in names:
                assert finish == "length"
                continue
            assert finish == "stop"
            assert _holds_true_text(names, raw, hole.expected), (names, raw)


def test_classes_come_in_the_order_a_model_writes_them() -> None:
    """Forced together on a mid-line hole: the reasoning block, the fence (or inline
    backticks), the text before the cursor typed again, the true text and the rest of the line
    come in that order."""
    forced = ("think", "fence", "echo_prefix", "echo_suffix", "prose")
    for n in range(30):
        names, raw, _ = _sample(MID, n, forced)
        assert set(forced) <= set(names)
        flat = _squeezed(raw)
        at = flat.index("gross,fee")
        think_end = max(flat.find(_squeezed(end)) for _start, end in words.THINK_TAGS)
        fence = flat.find("`", think_end)
        fence = fence if fence >= 0 else flat.find("~~~", think_end)
        assert 0 <= think_end < fence < at - len("fee(")
        assert flat[:at].endswith("fee(")
        assert flat[at + len("gross,fee") :].startswith("),0)")


def test_a_cut_stream_stops_inside_the_code() -> None:
    """A cut stream is a strict prefix of the uncut one, finished by `length`, that keeps the
    words before the code and stops inside it."""
    for hole in HOLES:
        for n in range(15):
            names, draft = build(hole.expected, _context(hole), random.Random(n), ("truncate",))
            raw = render(draft)
            whole = draft.before + draft.body + draft.after
            assert names == ["truncate"] and draft.finish == "length"
            assert whole.startswith(raw)
            assert len(draft.before) < len(raw) < len(draft.before + draft.body)


def test_windows_line_endings_leave_no_bare_line_feed() -> None:
    """CRLF: every line feed follows a carriage return, and without them the stream is the one
    composed without the class."""
    for n in range(10):
        names, raw, _ = _sample(BLOCK, n, ("crlf", "prose"))
        _, plain, _ = _sample(BLOCK, n, ("prose",))
        assert names == ["prose", "crlf"]
        assert raw.count("\n") == raw.count("\r\n") > 0
        assert raw.replace("\r\n", "\n") == plain


def test_single_code_shapes_change_the_code_as_described() -> None:
    """Echoes repeat the file's own text around the true text, whitespace shapes change only
    whitespace, a diff marks the new lines with `+`, a restated answer holds the true text
    twice, a rewritten function holds the whole unit around the answer."""
    blank, mid, block = (_context(h) for h in HOLES)
    for n in range(12):
        code = shapes.Code(MID.expected, False)
        echoed = shapes.echo_prefix(code, mid, random.Random(n))
        assert echoed is not None and echoed.text.endswith(MID.expected)
        assert _squeezed(echoed.text[: -len(MID.expected)]) in _squeezed(mid.line_prefix)
        rest = shapes.echo_suffix(code, mid, random.Random(n))
        assert rest is not None and rest.text.startswith(MID.expected + "), 0)")
        body = shapes.Code(BLOCK.expected, False)
        tabs = shapes.tabs_spaces(body, block, random.Random(n))
        assert tabs is not None and "\t" not in tabs.text
        assert _squeezed(tabs.text) == _squeezed(BLOCK.expected)
        moved = shapes.indent_shift(body, block, random.Random(n))
        assert moved is not None and moved.text != BLOCK.expected
        assert [ln.strip() for ln in moved.text.split("\n")] == [
            ln.strip() for ln in BLOCK.expected.split("\n")
        ]
        diff = shapes.diff_plus(body, block, random.Random(n))
        assert diff is not None
        added = [ln for ln in diff.text.split("\n") if ln.startswith("+")]
        assert [ln.lstrip("+ \t") for ln in added] == ["if (xs[i] > 0)", "k++;"]
        again = shapes.restate(shapes.Code(BLANK.expected, False), blank, random.Random(n))
        assert again is not None and again.text.count(BLANK.expected) == 2
    whole = shapes.rewrite(shapes.Code(BLANK.expected, False), blank, random.Random(0))
    assert whole is not None
    assert whole.text == "\n".join(LEDGER[:4]) + "\n    " + BLANK.expected


def test_the_true_text_is_found_in_composed_streams() -> None:
    """`answer_at` finds where the true text starts in the uncut stream (its first word sits
    there), so cut samples get their answerable mark."""
    for hole, word in ((BLANK, "return"), (MID, "gross"), (BLOCK, "if")):
        found = 0
        for n in range(40):
            state = random.Random(f"test:fresh6:{n}").getstate()
            full, at = FRESH6.answer_at(hole.expected, _context(hole), state)
            if at is None:
                continue
            found += 1
            assert full[at:].startswith(word), (n, full)
        assert found >= 35, hole.kind


def test_fresh6_is_run_only_when_named() -> None:
    """`--family fresh6` runs the family; `all` and `both`, the development families that
    filter authors measure, do not include it."""
    assert parse(["--family", "fresh6"]).family == "fresh6"
    assert family_of("fresh6") is FRESH6
    assert "fresh6" not in GROUPS["all"] and "fresh6" not in GROUPS["both"]
    assert parse([]).family != "fresh6"
