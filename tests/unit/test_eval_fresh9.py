"""The unseen ghost-text evaluation family `fresh9` (bench/ghost_eval/fresh9*.py): deterministic,
clean answers judged exact, exactly the issue's eleven classes all drawn, each class's additions
undone from the window alone, cut streams stopping inside the code, where the true text sits in
a stream, and the family chosen by name only."""

from __future__ import annotations

import random
import re

from tests.unit.eval_holes import BLANK, BLOCK, HOLES, MID
from tests.unit.family_checks import (
    check_classes_drawn,
    check_clean_exact,
    check_deterministic,
    check_issue_classes,
)

from ghost_eval import fresh9_words as words
from ghost_eval.corruptions import OPEN_TAG, Context
from ghost_eval.fresh9 import CLASSES, FRESH9, Raw, build, deltas, render
from ghost_eval.holes import Cut
from ghost_eval.lexical import is_word
from ghost_eval.report import GROUPS, parse
from ghost_eval.run import analyze_cut, family_of, sample_holes

SPACE = re.compile(r"\s+")


def _context(hole: Cut) -> Context:
    return Context(hole, analyze_cut(hole), FRESH9.pools)


def _sample(hole: Cut, n: int, forced: tuple[str, ...] | None = None) -> tuple[list[str], str, str]:
    """(classes, raw stream, finish reason) of sample `n` of `hole`."""
    names, draft = build(hole.expected, _context(hole), random.Random(n), forced)
    return names, render(draft), draft.finish


def _draft(hole: Cut, n: int, name: str) -> Raw:
    names, draft = build(hole.expected, _context(hole), random.Random(n), (name,))
    assert names == [name]
    return draft


def _squeezed(text: str) -> str:
    return SPACE.sub("", text)


def _real_holes() -> list[Cut]:
    cuts = sample_holes("python", 16, 1414) + sample_holes("lua", 16, 1414)
    return [*HOLES, *cuts, *sample_holes("c", 16, 1414)]


def test_the_classes_are_exactly_the_issues_eleven() -> None:
    """The family draws the eleven corruption classes issue 14 names and no class of its own."""
    check_issue_classes(CLASSES)


def test_the_same_seed_gives_the_same_samples() -> None:
    """Composition and streaming are deterministic: the same holes, seed and sample number give
    the same classes, streams and verdicts; another seed gives other streams; the deltas put
    together are the stream."""
    check_deterministic("fresh9", _sample, deltas, HOLES, BLOCK)


def test_a_clean_sample_is_the_tag_and_the_true_text_judged_exact() -> None:
    """With no class the stream is the opening tag the prompt asks for and the true text,
    finished by `stop`; the true text is judged exact."""
    check_clean_exact(_sample, HOLES)


def test_every_class_is_drawn_and_mixes_are_common() -> None:
    """A default composition over real holes (Python, Lua, C: every hole kind) applies every
    class; about one sample in eight is clean and many samples mix two or three classes."""
    check_classes_drawn(_sample, CLASSES)


def test_every_uncut_stream_holds_the_true_text() -> None:
    """Whatever is drawn, or forced three at a time, a stream that was not cut holds the true
    text (compared without whitespace, as two classes change only whitespace) and is finished by
    `stop`; a cut one is finished by `length`."""
    pick = random.Random(9)
    for index, hole in enumerate(_real_holes()):
        for n in range(6):
            forced = tuple(pick.sample(CLASSES, 3)) if n % 2 else None
            names, raw, finish = _sample(hole, index * 100 + n, forced)
            if "truncate" in names:
                assert finish == "length"
                continue
            assert finish == "stop"
            assert _squeezed(hole.expected) in _squeezed(raw), (names, raw)


def test_echoes_add_only_the_files_own_text_around_the_true_text() -> None:
    """Removing what an echo added gives the true text back: the prefix echo adds the end of the
    text before the cursor (spacing aside), the previous-line echo adds lines above the cursor and
    the cursor line's start, the suffix echo adds the text after the cursor."""
    for hole in _real_holes():
        ctx = _context(hole)
        above = _squeezed("\n".join(hole.lines[: hole.line]) + ctx.line_prefix)
        after = _squeezed(ctx.line_suffix + "\n" + "\n".join(ctx.lines_after))
        for n in range(6):
            if ctx.line_prefix.strip():
                body = _draft(hole, n, "echo_prefix").body
                assert body.endswith(hole.expected) and body != hole.expected
                assert _squeezed(ctx.line_prefix).endswith(_squeezed(body[: -len(hole.expected)]))
            if any(ln.strip() for ln in hole.lines[: hole.line]):
                body = _draft(hole, n, "echo_prev").body
                added = body[: -len(hole.expected)]
                assert body.endswith(hole.expected) and added.count("\n") >= 1
                assert above.endswith(_squeezed(added))
            if ctx.line_suffix.strip() or any(ln.strip() for ln in ctx.lines_after[:3]):
                body = _draft(hole, n, "echo_suffix").body
                assert body.startswith(hole.expected) and body != hole.expected
                assert after.startswith(_squeezed(body[len(hole.expected) :]))


def test_whitespace_classes_change_only_whitespace_at_line_starts() -> None:
    """Indentation shifts and tabs/spaces swaps change the answer, yet each of its lines is the
    true line once its leading whitespace is set aside."""
    want = [ln.strip() for ln in BLOCK.expected.split("\n")]
    for hole in (BLOCK, *[h for h in _real_holes() if h.kind in ("block", "block_blank")]):
        truth = [ln.strip() for ln in hole.expected.split("\n")]
        for name in ("indent_shift", "tabs_spaces"):
            for n in range(8):
                body = _draft(hole, n, name).body
                assert [ln.strip() for ln in body.split("\n")] == truth, (name, body)
                if hole is BLOCK:
                    assert body != hole.expected and truth == want


def test_over_generation_goes_on_past_the_true_text_on_new_lines() -> None:
    """Over-generation keeps the true text whole and adds whole lines after it: lines of the
    file, a new top-level unit of the language, or nothing but blank lines between them."""
    for hole in _real_holes():
        file_lines = {ln.strip() for ln in hole.lines}
        trailer = {ln.strip() for ln in words.TRAILERS.get(hole.language, ())}
        for n in range(6):
            body = _draft(hole, n, "over_generate").body
            assert body.startswith(hole.expected + "\n")
            for line in body[len(hole.expected) + 1 :].split("\n"):
                assert line.strip() in file_lines | trailer | {"", "pass", "return"}, body


def test_wrappers_add_only_what_is_plainly_not_code() -> None:
    """A fence, reasoning, prose or junk removed, the stream is the tag and the true text (a
    block's leading line break may go inside a fence): what they add is fence marks, reasoning
    spellings, sentences and end tokens."""
    for hole in HOLES:
        for n in range(20):
            d = _draft(hole, n, "fence")
            assert d.fence_open.startswith(("```", "````", "~~~", "``` ")) and d.fence_close
            assert d.body in (hole.expected, hole.expected.removeprefix("\n"))
            t = _draft(hole, n, "think")
            raw = render(t)
            assert raw.replace(t.think, "") == OPEN_TAG + hole.expected
            assert any(t.think.startswith(o) for o, _ in words.THINK_SPELLINGS)
            p = _draft(hole, n, "prose")
            assert render(p) == p.before + OPEN_TAG + p.fence_open + hole.expected + p.after
            lead = (p.before + p.fence_open).strip()
            assert lead in (*words.PROSE_BEFORE, "") and p.after.strip() in (*words.PROSE_AFTER, "")
            assert lead or p.after
            j = _draft(hole, n, "junk")
            assert render(j) == OPEN_TAG + hole.expected + j.junk
            assert j.junk.strip() in words.JUNK


def test_a_fence_is_inside_the_tag_before_it_or_without_it() -> None:
    """Fences are drawn inside the tag, opened before the tag, and with no tag at all; the
    code follows the opener and the closer follows the code."""
    seen = set()
    for n in range(60):
        d = _draft(MID, n, "fence")
        raw = render(d)
        where = "before_tag" if d.fence_before_tag else "inside" if d.tag else "no_tag"
        seen.add(where)
        head = {
            "before_tag": d.fence_open + OPEN_TAG,
            "inside": OPEN_TAG + d.fence_open,
            "no_tag": d.fence_open,
        }[where]
        assert raw == head + MID.expected + d.fence_close
    assert seen == {"before_tag", "inside", "no_tag"}


def test_a_cut_stream_stops_mid_token_inside_the_code() -> None:
    """A cut stream is a strict prefix of the uncut one, finished by `length`, that keeps all
    the words before the code and stops between two word characters of the code."""
    for hole in (BLANK, MID, BLOCK):
        for n in range(20):
            forced = ("truncate", "prose", "fence", "think") if n % 2 else ("truncate",)
            names, draft = build(hole.expected, _context(hole), random.Random(n), forced)
            raw = render(draft)
            whole = render(Raw(**{**vars(draft), "truncate": None}))
            head = whole[: whole.index(draft.body)]
            assert "truncate" in names and draft.finish == "length"
            assert whole.startswith(raw) and len(head) < len(raw) < len(head + draft.body)
            code = raw[len(head) :]
            assert is_word(code[-1]) and is_word(draft.body[len(code)])


def test_the_true_text_is_found_in_composed_streams() -> None:
    """`answer_at` finds where the true text starts in the uncut stream (its first word sits
    there), so cut samples get their answerable mark."""
    for hole, word in ((BLANK, "return"), (MID, "base"), (BLOCK, "n")):
        found = 0
        for n in range(40):
            state = random.Random(f"test:fresh9:{n}").getstate()
            full, at = FRESH9.answer_at(hole.expected, _context(hole), state)
            if at is None:
                continue
            found += 1
            assert full[at:].startswith(word), (n, full)
        assert found >= 38, hole.kind


def test_fresh9_is_run_only_when_named() -> None:
    """`--family fresh9` runs the family; `all` and `both`, the development families that
    filter authors measure, and the default do not include it."""
    assert parse(["--family", "fresh9"]).family == "fresh9"
    assert family_of("fresh9") is FRESH9
    assert "fresh9" not in GROUPS["all"] and "fresh9" not in GROUPS["both"]
    assert parse([]).family != "fresh9"
