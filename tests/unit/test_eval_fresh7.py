"""The unseen ghost-text evaluation family `fresh7` (bench/ghost_eval/fresh7*.py): deterministic,
clean answers judged exact, every class drawn and mixes common, every uncut stream holding the
true text once its encodings are undone, the order a model writes things in, cut streams, line
endings, single code shapes, where the true text sits in a stream, and the family chosen by name
only."""

from __future__ import annotations

import html
import json
import random
import re

from tests.unit.eval_holes import BLANK, BLOCK, BLOCK_DOC, HOLES, MID
from tests.unit.family_checks import check_classes_drawn, check_clean_exact, check_deterministic

from ghost_eval import fresh7_code as shapes
from ghost_eval.corruptions import OPEN_TAG, Context
from ghost_eval.fresh7 import CLASSES, FRESH7, build, deltas, render
from ghost_eval.holes import Cut
from ghost_eval.report import GROUPS, parse
from ghost_eval.run import analyze_cut, family_of, sample_holes

SPACE = re.compile(r"\s+")
LINE_NUMBER = re.compile(
    rf"(?m)(^|{re.escape(OPEN_TAG)})L?[ \t]*\d+(?:: | \| |  |│ |\. |:$| \|$|│$|\.$|$)"
)
JSON_VALUE = re.compile(r'": ("(?:[^"\\]|\\.)*")')


def _context(hole: Cut) -> Context:
    return Context(hole, analyze_cut(hole), FRESH7.pools)


def _sample(hole: Cut, n: int, forced: tuple[str, ...] | None = None) -> tuple[list[str], str, str]:
    """(classes, raw stream, finish reason) of sample `n` of `hole`."""
    names, draft = build(hole.expected, _context(hole), random.Random(n), forced)
    return names, render(draft), draft.finish


def _squeezed(text: str) -> str:
    return SPACE.sub("", text)


def _decoded(names: list[str], raw: str) -> str:
    """The stream with the code's encodings undone, as a careful reader undoes them."""
    text = raw.replace("\r\n", "\n")
    if "json_wrap" in names:
        found = JSON_VALUE.search(text)
        assert found is not None, raw
        text = json.loads(found.group(1))
    if "escaped_newlines" in names:
        text = text.replace("\\n", "\n").replace("\\t", "\t")
    if "numbered" in names:
        text = LINE_NUMBER.sub(r"\1", text)
    if "entities" in names:
        text = html.unescape(text)
    return text


def test_the_same_seed_gives_the_same_samples() -> None:
    """Composition and streaming are deterministic: the same holes, seed and sample number give
    the same classes, streams and verdicts; another seed gives other streams; the deltas put
    together are the stream."""
    check_deterministic("fresh7", _sample, deltas, HOLES, BLOCK)


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
    was not cut holds the true text once line endings, JSON, escaped line breaks, line numbers
    and HTML entities are undone (compared without whitespace, as some classes change only
    whitespace); a cut one is finished by `length`."""
    cuts = sample_holes("python", 20, 1414) + sample_holes("lua", 20, 1414)
    cuts += sample_holes("javascript", 20, 1414)
    pick = random.Random(7)
    for index, hole in enumerate((*HOLES, *cuts)):
        for n in range(6):
            forced = tuple(pick.sample(CLASSES, 3)) if n % 2 else None
            names, raw, finish = _sample(hole, index * 100 + n, forced)
            if "truncate" in names:
                assert finish == "length"
                continue
            assert finish == "stop"
            decoded = _decoded(names, raw)
            assert _squeezed(hole.expected) in _squeezed(decoded), (names, raw)


def test_classes_come_in_the_order_a_model_writes_them() -> None:
    """Forced together on a mid-line hole: the reasoning comes first, then the fence, the text
    before the cursor typed again, the true text and the rest of the line, in that order."""
    forced = ("fence", "echo_prefix", "echo_suffix", "prose")
    for n in range(30):
        names, raw, _ = _sample(MID, n, (*forced, "think"))
        _, plain, _ = _sample(MID, n, forced)
        assert names == ["echo_prefix", "echo_suffix", "fence", "think", "prose"]
        assert raw.endswith(plain) and len(raw) > len(plain)
        assert MID.expected not in raw[: -len(plain)]
        flat = _squeezed(plain)
        at = flat.index("base,rate")
        fences = [i for i in (flat.find("```"), flat.find("~~~")) if i >= 0]
        assert fences and min(fences) < flat.index("apply_discount(") < at
        assert flat[:at].endswith("apply_discount(")
        assert flat[at + len("base,rate") :].startswith("),2)")


def test_a_cut_stream_stops_inside_the_code() -> None:
    """A cut stream is a strict prefix of the uncut one, finished by `length`, that keeps the
    words before the code and stops inside it."""
    for hole in HOLES:
        for n in range(15):
            forced = ("truncate", "prose", "fence") if n % 2 else ("truncate",)
            names, draft = build(hole.expected, _context(hole), random.Random(n), forced)
            raw = render(draft)
            whole = draft.before + draft.body + draft.after
            assert "truncate" in names and draft.finish == "length"
            assert whole.startswith(raw)
            assert len(draft.before) < len(raw) < len(draft.before + draft.body)


def test_windows_line_endings_leave_no_bare_line_feed() -> None:
    """CRLF: every line feed follows a carriage return, and without them the stream is the one
    composed without the class."""
    for hole in (BLOCK, MID):
        for n in range(10):
            names, raw, _ = _sample(hole, n, ("crlf", "prose"))
            _, plain, _ = _sample(hole, n, ("prose",))
            assert names == ["prose", "crlf"]
            assert raw.count("\n") == raw.count("\r\n") > 0
            assert raw.replace("\r\n", "\n") == plain


def test_single_code_shapes_change_the_code_as_described() -> None:
    """Echoes repeat the file's own text around the true text; whitespace shapes change only
    whitespace; encodings (line numbers, entities, escaped line breaks, JSON) give the true text
    back when undone; over-generation goes on past the block's closing line."""
    blank, mid, block = (_context(h) for h in HOLES)
    for n in range(12):
        start = shapes.start(MID.expected, mid)
        echoed = shapes.echo_prefix(start, mid, random.Random(n)).text
        assert echoed.endswith(MID.expected) and echoed != MID.expected
        assert _squeezed(echoed[: -len(MID.expected)]) in _squeezed(mid.line_prefix)
        rest = shapes.echo_suffix(start, mid, random.Random(n)).text
        assert rest.startswith(MID.expected + "), 2)")
        prev = shapes.echo_prev(start, mid, random.Random(n)).text
        assert prev.endswith(mid.line_prefix + MID.expected)
        assert prev.split("\n")[-2] == MID.lines[1]
        body = shapes.start(BLOCK.expected, block)
        tabs = shapes.tabs_spaces(body, block, random.Random(n)).text
        assert tabs != BLOCK.expected and _squeezed(tabs) == _squeezed(BLOCK.expected)
        moved = shapes.indent_shift(body, block, random.Random(n)).text
        assert moved != BLOCK.expected
        assert [ln.strip() for ln in moved.split("\n")] == [
            ln.strip() for ln in BLOCK.expected.split("\n")
        ]
        listed = shapes.numbered(body, block, random.Random(n)).text
        assert LINE_NUMBER.sub("", listed) == BLOCK.expected
        assert listed.split("\n")[1].startswith(("4", "L4", "   4", "  4"))
        marked = shapes.entities(body, block, random.Random(n)).text
        assert "&quot;" in marked and html.unescape(marked) == BLOCK.expected
        flat = shapes.escaped_newlines(body, block, random.Random(n)).text
        assert "\n" not in flat and flat.replace("\\n", "\n").replace("\\t", "\t") == (
            BLOCK.expected
        )
        wrapped = shapes.json_wrap(body, block, random.Random(n)).text
        found = JSON_VALUE.search(wrapped)
        assert found is not None and json.loads(found.group(1)) == BLOCK.expected
        more = shapes.over_generate(body, block, random.Random(n)).text
        assert more.startswith(BLOCK.expected + "\n" + BLOCK_DOC[3] + "\n\n")
        assert more[len(BLOCK.expected) :].split("\n")[3][:1] not in ("", " ", "\t")
    line = shapes.over_generate(shapes.start(BLANK.expected, blank), blank, random.Random(0))
    assert line.text.startswith(BLANK.expected + "\n    ")


def test_the_true_text_is_found_in_composed_streams() -> None:
    """`answer_at` finds where the true text starts in the uncut stream (its first word sits
    there, or its JSON or entity spelling), so cut samples get their answerable mark."""
    for hole, word in ((BLANK, "return"), (MID, "base"), (BLOCK, "n")):
        found = 0
        for n in range(40):
            state = random.Random(f"test:fresh7:{n}").getstate()
            full, at = FRESH7.answer_at(hole.expected, _context(hole), state)
            if at is None:
                continue
            found += 1
            assert full[at:].startswith(word), (n, full)
        assert found >= 35, hole.kind


def test_fresh7_is_run_only_when_named() -> None:
    """`--family fresh7` runs the family; `all` and `both`, the development families that
    filter authors measure, and the default do not include it."""
    assert parse(["--family", "fresh7"]).family == "fresh7"
    assert family_of("fresh7") is FRESH7
    assert "fresh7" not in GROUPS["all"] and "fresh7" not in GROUPS["both"]
    assert parse([]).family != "fresh7"
