"""The `fresh6` family: raw answers for issue 14's held-out figure, written apart from the filters.

A sample draws its classes with a generator salted for this family: none about one time in
eight (`clean`), else 1 to 3 of the classes that apply to the hole, some excluding others (a
whole rewritten function is not also an echo). The code shapes of `fresh6_code` change the code
first, in `CODE_ORDER`; then the words around it are put in place (`fresh6_words`), from the
inside out as `WRAP_ORDER` says: the tag's spelling, sentences before and after, a fence inside
or outside the tag, a reasoning block first, end tokens last; then Windows line endings; last,
the stream may be cut inside the code.

The host stops at the exact closing tag, so nothing the model writes after it arrives: a
sentence after the answer is inside the tag, unless the tag is misspelled or missing. The
`Draft` of this family carries the code in `body`, everything before it in `before` and after
it in `after`; `render` joins them or, for a cut stream, stops inside `body`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import fresh6_code as shapes
from . import fresh6_words as words
from .corruptions import OPEN_TAG, Context, Draft
from .family import NO_POOLS, Family

SALT = "fresh6/lantern-0412"
CLEAN_SHARE = 0.1
"""Drawn clean; a drawn class that does not apply to the hole leaves a few more samples clean,
about one in eight in all."""
CODE_ORDER = (
    "rewrite",
    "echo_prev",
    "echo_prefix",
    "echo_suffix",
    "over_generate",
    "restate",
    "indent_shift",
    "tabs_spaces",
    "diff_plus",
    "explain_comment",
)
WRAP_ORDER = ("tag", "prose", "fence", "think", "junk", "crlf", "truncate")
CLASSES = CODE_ORDER + WRAP_ORDER
WEIGHTS = {"truncate": 0.7, "crlf": 0.6, "rewrite": 0.7, "diff_plus": 0.7}
_EXCLUSIVE = (
    ("rewrite", ("echo_prev", "echo_prefix", "echo_suffix", "over_generate", "restate")),
    ("diff_plus", ("echo_prev", "echo_prefix", "echo_suffix", "over_generate", "restate")),
    ("diff_plus", ("rewrite", "explain_comment")),
    ("echo_prev", ("echo_prefix",)),
    ("echo_suffix", ("over_generate",)),
)
EXCLUDES: dict[str, set[str]] = {name: set() for name in CLASSES}
for _one, _others in _EXCLUSIVE:
    for _other in _others:
        EXCLUDES[_one].add(_other)
        EXCLUDES[_other].add(_one)

Shape = Callable[[shapes.Code, Context, random.Random], shapes.Code | None]
SHAPES: dict[str, Shape] = {
    "rewrite": shapes.rewrite,
    "echo_prev": shapes.echo_prev,
    "echo_prefix": shapes.echo_prefix,
    "echo_suffix": shapes.echo_suffix,
    "over_generate": shapes.over_generate,
    "restate": shapes.restate,
    "indent_shift": shapes.indent_shift,
    "tabs_spaces": shapes.tabs_spaces,
    "diff_plus": shapes.diff_plus,
    "explain_comment": shapes.explain_comment,
}


def applies(name: str, ctx: Context) -> bool:
    """Whether class `name` can change this hole's answer at all."""
    cut = ctx.cut
    lines, at = cut.lines, cut.line
    if name == "echo_prefix":
        return bool(ctx.line_prefix.strip())
    if name == "echo_prev":
        return any(line.strip() for line in lines[max(0, at - 3) : at])
    if name == "echo_suffix":
        return bool(ctx.line_suffix.strip()) or any(line.strip() for line in lines[at + 1 :])
    if name == "indent_shift":
        return cut.kind in shapes.LINE_KINDS
    if name == "tabs_spaces":
        return cut.kind in shapes.LINE_KINDS and bool(re.search(r"(^|\n)[ \t]", cut.expected))
    if name == "truncate":
        return len(shapes.plain(cut.expected).strip()) >= 2
    return True


def draw(ctx: Context, rng: random.Random) -> list[str]:
    """The classes of one sample, in the order they are applied."""
    if rng.random() < CLEAN_SHARE:
        return []
    wanted = rng.choices((1, 2, 3), weights=(4, 4, 2))[0]
    pool = [name for name in CLASSES if applies(name, ctx)]
    chosen: set[str] = set()
    while pool and len(chosen) < wanted:
        name = rng.choices(pool, weights=[WEIGHTS.get(n, 1.0) for n in pool])[0]
        chosen.add(name)
        pool = [n for n in pool if n != name and n not in EXCLUDES[name]]
    return [name for name in CLASSES if name in chosen]


@dataclass
class Wrapping:
    """The words around the code, from the outside in: `think` first, then text before the
    tag, the opening tag, text inside it before the code; after the code, text inside the tag
    (the stream ends there when the tag is closed rightly), then the misspelled or missing
    closer and what follows it."""

    head: str = ""
    open_tag: str = OPEN_TAG
    inside_before: str = ""
    inside_after: str = ""
    close_tag: str | None = None
    """None: the right closing tag, where the host stops; else what the model wrote instead."""
    outside_after: str = ""
    junk: str = ""

    def before(self) -> str:
        return self.head + self.open_tag + self.inside_before

    def after(self) -> str:
        if self.close_tag is None:
            return self.inside_after + self.junk
        return self.inside_after + self.close_tag + self.outside_after + self.junk


def _fence(code: str, ctx: Context, w: Wrapping, diff: bool, rng: random.Random) -> str:
    if "\n" not in code and "`" not in code and rng.random() < 0.15:
        w.inside_before += "`"
        w.inside_after = "`" + w.inside_after
        return code
    opening, closing = words.fence(ctx.cut.language, ctx.cut.label, diff, rng)
    if code.startswith("\n") and rng.random() < 0.7:
        code = code[1:]
    if rng.random() < 0.55:
        w.inside_before += opening
        w.inside_after = closing + w.inside_after
    else:
        w.head += opening
        w.outside_after = closing + w.outside_after
    return code


def _prose(code: str, w: Wrapping, fenced: bool, rng: random.Random) -> str:
    if "\n" not in code and "`" not in code and not fenced and rng.random() < 0.25:
        lead, end = rng.choice(words.PROSE_INLINE)
        w.inside_before += lead
        w.inside_after = end + w.inside_after
        return code
    sides = rng.choice(("before", "before", "after", "both"))
    if sides in ("before", "both"):
        said = rng.choice(words.PROSE_BEFORE) + rng.choice(words.PROSE_GAPS_BEFORE)
        if rng.random() < 0.5:
            w.head += said
        else:
            w.inside_before = said + w.inside_before
    if sides in ("after", "both"):
        said = rng.choice(words.PROSE_GAPS_AFTER) + rng.choice(words.PROSE_AFTER)
        w.inside_after += said
    return code


def _think(ctx: Context, w: Wrapping, rng: random.Random) -> None:
    opening, closing = rng.choice(words.THINK_TAGS)
    thought = rng.choice(words.THOUGHTS)
    tail = ctx.line_prefix.strip()[-24:]
    if tail and rng.random() < 0.3:
        thought += f" The line so far ends with `{tail}`."
    w.head = opening + thought + closing + rng.choice(words.THINK_GAPS) + w.head


def _tag(w: Wrapping, rng: random.Random) -> None:
    style = rng.choice(("spelled", "spelled", "missing", "own_lines", "unclosed"))
    if style == "missing":
        w.open_tag, w.close_tag = "", ""
    elif style == "own_lines":
        w.open_tag += "\n"
        w.inside_after += "\n"
    elif style == "unclosed":
        w.close_tag = ""
    else:
        w.open_tag, closer = rng.choice(words.TAG_PAIRS)
        w.close_tag = closer if rng.random() < 0.6 else ""


def _junk(language: str, w: Wrapping, rng: random.Random) -> None:
    pool = words.END_TOKENS if rng.random() < 0.65 else words.STRAY
    w.junk = rng.choice(words.JUNK_GAPS) + rng.choice(pool)


def _wrap(code: str, ctx: Context, names: list[str], rng: random.Random) -> tuple[str, Wrapping]:
    """The words of the drawn wrapping classes around `code` (the text of the code may lose the
    line break a fence makes redundant)."""
    w = Wrapping()
    if "tag" in names:
        _tag(w, rng)
    if "prose" in names:
        code = _prose(code, w, "fence" in names, rng)
        if w.close_tag is not None and rng.random() < 0.5:
            w.outside_after += rng.choice(words.PROSE_GAPS_AFTER) + rng.choice(words.PROSE_AFTER)
    if "fence" in names:
        code = _fence(code, ctx, w, "diff_plus" in names, rng)
    if "think" in names:
        _think(ctx, w, rng)
    if "junk" in names:
        _junk(ctx.cut.language, w, rng)
    return code, w


def build(
    expected: str, ctx: Context, rng: random.Random, forced: Sequence[str] | None = None
) -> tuple[list[str], Draft]:
    """The classes applied and the draft of one sample; `forced` names the classes instead of
    drawing them (those that do not apply to the hole are left out)."""
    own = random.Random(f"{SALT}:{rng.getrandbits(64)}")
    if forced is None:
        drawn = draw(ctx, own)
    else:
        drawn = [n for n in CLASSES if n in forced and applies(n, ctx)]
    names: list[str] = []
    code = shapes.Code(expected, ctx.cut.kind == "blank" and ctx.cut.character == 0)
    for name in CODE_ORDER:
        if name in drawn:
            changed = SHAPES[name](code, ctx, own)
            if changed is not None:
                code = changed
                names.append(name)
    names += [name for name in WRAP_ORDER[:-2] if name in drawn]
    text, w = _wrap(code.text, ctx, names, own)
    before, after = w.before(), w.after()
    if "crlf" in drawn and "\n" in before + text + after:
        before, text, after = (part.replace("\n", "\r\n") for part in (before, text, after))
        names.append("crlf")
    draft = Draft(body=text, before=before, after=after, tag=False)
    if "truncate" in drawn and len(text) >= 2:
        draft.truncate = own.uniform(0.08, 0.95)
        draft.finish = "length"
        names.append("truncate")
    return names, draft


def compose(expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
    """One sample with its classes drawn."""
    return build(expected, ctx, rng)


def cut_at(body: str, share: float) -> int:
    """Where a stream cut at `share` of the code stops: inside it, never at its ends."""
    return min(len(body) - 1, max(1, int(share * len(body))))


def render(d: Draft) -> str:
    """The text the model streams: the words before, the code, the words after; a cut stream
    stops inside the code."""
    if d.truncate is None:
        return d.before + d.body + d.after
    return d.before + d.body[: cut_at(d.body, d.truncate)]


_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def deltas(raw: str, rng: random.Random) -> list[str]:
    """`raw` as a host streams it: a token or a few per delta, a few characters, or larger
    chunks from a buffering proxy."""
    own = random.Random(f"{SALT}:stream:{rng.getrandbits(32)}")
    style = own.choice(("tokens", "tokens", "chars", "chunks"))
    pieces: list[str] = []
    if style == "tokens":
        tokens = _TOKENS.findall(raw)
        while tokens:
            take = own.randint(1, 3)
            pieces.append("".join(tokens[:take]))
            tokens = tokens[take:]
        return pieces
    low, high = (1, 6) if style == "chars" else (8, 40)
    at = 0
    while at < len(raw):
        size = own.randint(low, high)
        pieces.append(raw[at : at + size])
        at += size
    return pieces


@dataclass(frozen=True)
class Fresh6(Family):
    """The family as run.py drives it: its own composition, rendering and streaming."""

    def deltas(self, raw: str, rng: random.Random) -> list[str]:
        return deltas(raw, rng)


FRESH6 = Fresh6(NO_POOLS, compose=compose, render=render)
