"""The `fresh7` seed family: raw ghost-text answers as chat models stream them, written for
issue 14's held-out figure without reading the filters or the other families.

A sample is clean about one time in eight; otherwise 1 to 3 classes that apply to the hole are
drawn, with a generator salted for this family. The code shapes come first (whitespace, echoes
of the file around the hole, over-generation, then encodings of the code), then what goes
around the code (fences, tag spellings, reasoning, sentences, end tokens), then line endings,
and a truncated stream is cut last, inside the code. The host stops at the exact closing tag,
so nothing after it ever arrives. Every sample stays answerable: what is added is the file's
own text, plainly past the hole, or plainly not code, and every change can be undone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from glm_lsp.inline import InlinePrompt

from . import fresh7_code as shapes
from .corruptions import OPEN_TAG, Context, Draft
from .family import NO_POOLS, Family
from .fresh7_words import (
    EMPTY_THINK,
    FENCE_MARKS,
    FENCE_NAMES,
    GAPS,
    JUNK,
    JUNK_GAPS,
    LEADS,
    TAG_SPELLINGS,
    TAILS,
    THINK_WRAPS,
    THOUGHTS,
)

SALT = "fresh7:kestrel-ledger"
STOP_TAG = InlinePrompt(messages=[]).stop
CODE_SHAPES = {
    "indent_shift": shapes.indent_shift,
    "tabs_spaces": shapes.tabs_spaces,
    "echo_prev": shapes.echo_prev,
    "echo_prefix": shapes.echo_prefix,
    "echo_suffix": shapes.echo_suffix,
    "over_generate": shapes.over_generate,
    "numbered": shapes.numbered,
    "entities": shapes.entities,
    "escaped_newlines": shapes.escaped_newlines,
    "json_wrap": shapes.json_wrap,
}
"""Shapes of the code itself, in the order they are applied."""
WRAPPERS = ("fence", "tag", "think", "prose", "junk", "crlf", "truncate")
CLASSES = (*CODE_SHAPES, *WRAPPERS)
EXCLUSIVE = (
    frozenset({"echo_prev", "echo_prefix"}),
    frozenset({"json_wrap", "escaped_newlines"}),
    frozenset({"json_wrap", "numbered"}),
    frozenset({"json_wrap", "entities"}),
    frozenset({"numbered", "escaped_newlines"}),
)
"""Pairs never drawn together (one already says what the other would)."""
WEIGHTS = {
    "indent_shift": 5,
    "tabs_spaces": 6,
    "echo_prev": 3,
    "echo_prefix": 3,
    "echo_suffix": 3,
    "over_generate": 3,
    "fence": 3,
    "think": 3,
    "prose": 3,
    "numbered": 1,
    "entities": 2,
    "escaped_newlines": 2,
    "json_wrap": 1,
}
"""How often a class is drawn relative to the others (2 when not named): the issue's shapes
are what models do most; the encodings of the code are rarer."""
STARTS_LINES = ("blank", "block", "block_blank")


def _near(ctx: Context) -> str:
    row = ctx.cut.line
    return "\n".join(ctx.cut.lines[max(0, row - shapes.ECHO_REACH) : row + 30])


def applies(name: str, ctx: Context) -> bool:
    """Whether class `name` can be drawn for the hole of `ctx` (never on the true text's
    characters alone in a way a marker in it would change)."""
    expected = ctx.cut.expected
    if name in ("indent_shift", "numbered"):
        return ctx.cut.kind in STARTS_LINES
    if name == "tabs_spaces":
        return shapes.has_indented_lines(expected, ctx)
    if name == "echo_prefix":
        return bool(ctx.line_prefix.strip())
    if name == "echo_prev":
        return bool(shapes.lines_above(ctx, 1))
    if name == "echo_suffix":
        return bool(ctx.line_suffix.strip() or shapes.lines_below(ctx, 1))
    if name == "over_generate":
        return ctx.cut.kind != "mid"
    if name == "entities":
        return any(c in expected for c in "<>&\"'") and not shapes.has_entity(_near(ctx))
    if name == "escaped_newlines":
        return "\n" in expected.strip("\n") and "\\" not in _near(ctx) + expected
    return True


def draw(ctx: Context, rng: random.Random) -> list[str]:
    """None (one time in eight), or 1 to 3 applicable classes that may go together, drawn
    without replacement by their weights."""
    if rng.random() < 0.125:
        return []
    count = rng.choice((1, 1, 2, 2, 3))
    keys = {name: rng.random() ** (1.0 / WEIGHTS.get(name, 2)) for name in CLASSES}
    pool = sorted((name for name in CLASSES if applies(name, ctx)), key=lambda n: -keys[n])
    chosen: list[str] = []
    for name in pool:
        if len(chosen) == count:
            break
        if not any(frozenset({name, other}) in EXCLUSIVE for other in chosen):
            chosen.append(name)
    return [name for name in CLASSES if name in chosen]


@dataclass(frozen=True)
class _Around:
    """What goes around the code: before it, after it (before the stop string)."""

    before: str
    after: str


def _fence(ctx: Context, rng: random.Random, tag: tuple[str, str]) -> tuple[_Around, bool]:
    """The fence around the code, and whether it opens outside the answer tag."""
    mark = rng.choice(FENCE_MARKS)
    names = FENCE_NAMES.get(ctx.cut.language, (ctx.cut.language,))
    name = rng.choice(("", *names, *names))
    outside = rng.random() < 0.35
    opening, closing = f"{mark}{name}\n", f"\n{mark}"
    if outside:
        late = f"{tag[1]}\n{mark}" if tag[1] else ""
        return _Around(opening + tag[0], late), True
    return _Around(tag[0] + opening, closing + tag[1]), False


def _tag(ctx: Context, rng: random.Random, drawn: bool) -> tuple[str, str]:
    """(opening, what arrives after the code) for the answer tags."""
    if not drawn:
        return OPEN_TAG, ""
    variant = rng.choice(("spelled", "spelled", "missing", "own_line", "spelled"))
    spelling = rng.choice(TAG_SPELLINGS)
    if variant == "missing":
        return "", ""
    if variant == "own_line":
        return OPEN_TAG + "\n", ""
    return spelling


def _thought(ctx: Context, rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(EMPTY_THINK)
    opening, closing = rng.choice(THINK_WRAPS)
    above = shapes.lines_above(ctx, 1)
    text = rng.choice(THOUGHTS).format(
        above=(above[-1].strip() if above else "")[:60],
        line=ctx.cut.lines[ctx.cut.line].strip()[:60],
        language=ctx.cut.language,
    )
    return opening + text + closing


def _words(
    names: list[str], ctx: Context, rng: random.Random, around: _Around, tag: tuple[str, str]
) -> tuple[str, str]:
    """Sentences, reasoning and end tokens around the code (fence and tags already there)."""
    before, after = around.before, around.after
    if "prose" in names:
        where = rng.choice(("before", "before", "after", "both"))
        inside = rng.random() < 0.4 and bool(tag[0])
        if where in ("before", "both"):
            lead = rng.choice(LEADS) + rng.choice(GAPS)
            if inside and before.startswith(tag[0]):
                before = tag[0] + lead + before[len(tag[0]) :]
            else:
                before = lead + before
        if where in ("after", "both"):
            tail = rng.choice(GAPS) + rng.choice(TAILS)
            at = after.find(tag[1]) if tag[1] else -1
            after = after[:at] + tail + after[at:] if at >= 0 else after + tail
    if "think" in names:
        before = _thought(ctx, rng) + before
    if "junk" in names:
        after += rng.choice(JUNK_GAPS) + rng.choice(JUNK)
    return before, after


def build(
    expected: str, ctx: Context, rng: random.Random, forced: tuple[str, ...] | None = None
) -> tuple[list[str], Draft]:
    """The classes and the draft of one sample (`forced`: these classes, in the family's
    order, instead of a random draw; the test's way to look at one class)."""
    if forced is None:
        names = draw(ctx, rng)
    else:
        names = [n for n in CLASSES if n in forced and applies(n, ctx)]
    code = shapes.start(expected, ctx)
    for name, shape in CODE_SHAPES.items():
        if name in names:
            code = shape(code, ctx, rng)
    body = code.text
    tag = _tag(ctx, rng, "tag" in names)
    if "fence" in names:
        around, outside = _fence(ctx, rng, tag)
        if body.startswith("\n") and not outside and rng.random() < 0.5:
            body = body[1:]
    else:
        around = _Around(tag[0], tag[1])
    before, after = _words(names, ctx, rng, around, tag)
    if "crlf" in names:
        if "\n" not in before + body + after:
            after += "\n"
        before, body, after = (part.replace("\n", "\r\n") for part in (before, body, after))
    truncate = rng.uniform(0.02, 0.98) if "truncate" in names else None
    finish = "length" if truncate is not None else "stop"
    draft = Draft(body, before=before, after=after, tag=False, truncate=truncate, finish=finish)
    return names, draft


def compose(expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
    """`build` from a generator of this family's own, seeded by the runner's generator."""
    own = random.Random(f"{SALT}:{rng.getrandbits(64)}")
    return build(expected, ctx, own)


def render(d: Draft) -> str:
    """The stream: the words before, the code, the words after; a cut stream stops inside the
    code; nothing after an exact closing tag arrives (the host's stop string)."""
    text = d.before + d.body + d.after
    if d.truncate is not None:
        text = text[: len(d.before) + 1 + int(d.truncate * max(0, len(d.body) - 2))]
    stop = text.find(STOP_TAG)
    return text if stop < 0 else text[:stop]


def deltas(raw: str, rng: random.Random) -> list[str]:
    """`raw` split as a host streams it: pieces of one to a dozen characters, now and then a
    whole line at once."""
    pieces: list[str] = []
    at = 0
    while at < len(raw):
        if rng.random() < 0.1:
            end = raw.find("\n", at)
            size = end + 1 - at if end >= 0 else len(raw) - at
        else:
            size = rng.choice((1, 2, 3, 3, 4, 4, 5, 6, 8, 12))
        pieces.append(raw[at : at + size])
        at += size
    return pieces


@dataclass(frozen=True)
class _Fresh7(Family):
    def deltas(self, raw: str, rng: random.Random) -> list[str]:
        return deltas(raw, rng)


FRESH7: Family = _Fresh7(NO_POOLS, compose=compose, render=render)
