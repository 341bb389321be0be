"""The unseen ghost-text family `fresh5` (issue 14, third session of round 2).

Written by an engineer who read neither the filters (`server/glm_lsp/inline/`, `parsing/`) nor
any other family's corruptions: only the harness (`family.py`, `run.py`, `report.py`,
`judge.py`, `holes.py`, `corpus.py`) and the interface of `corruptions.py` (`Context`, `Draft`,
`OPEN_TAG`). Each class is drawn on its own, with its own rate, from a generator salted for this
family; the code shapes (`fresh5_shapes.py`) come first, the words around them
(`fresh5_words.py`) after, the line endings and the cut of a truncated stream last. Rendering
and streaming are the family's own. Every sample stays fixable: a careful reader of the stream
gets back the true text or, for a cut stream, a strict prefix of it.

Filter authors do not read this file nor run the family; the lead runs it once.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from .corruptions import OPEN_TAG, Context, Draft
from .family import NO_POOLS, Family
from .fresh5_shapes import SHAPES
from .fresh5_words import (
    CLOSE_SPELLINGS,
    END_TOKENS,
    FENCE_MARKS,
    FENCE_NAMES,
    FENCE_SPACE,
    PLAIN_REASONING,
    PROSE_AFTER,
    PROSE_BEFORE,
    REASONING_TAGS,
    TAG_SPELLINGS,
    THOUGHTS,
    TRAILING_GAPS,
    pick,
)

SALT = "fresh5:lantern"
WRAPS = ("tag_misspelt", "fence", "think", "prose", "junk", "crlf", "truncate")
CLASSES = (*SHAPES, *WRAPS)
RATES: dict[str, float] = dict.fromkeys(CLASSES, 0.16)
EXCLUSIVE = (("echo_prev", "echo_prefix"), ("retype_rest", "echo_suffix"))
"""When both of a pair are drawn only the first is applied (they would write the same text)."""
TAG_KEPT = 0.8
"""How often the answer begins with the prompt's opening tag (clean samples included)."""


@dataclass
class Draft5(Draft):
    """A raw answer of this family: the shared parts, the tag as spelt, a misspelt closing tag,
    where the fence sits and the line endings."""

    open_tag: str = OPEN_TAG
    close_tag: str = ""
    fence_outside: bool = False
    """The fence opens before the tag (else after it)."""
    crlf: bool = False


def _salted(rng: random.Random) -> random.Random:
    return random.Random(f"{SALT}:{rng.getrandbits(64)}")


def _drawn(rng: random.Random, rates: dict[str, float]) -> set[str]:
    chosen = {name for name in CLASSES if rng.random() < rates.get(name, 0.0)}
    for first, second in EXCLUSIVE:
        if first in chosen:
            chosen.discard(second)
    return chosen


def _fence(d: Draft5, ctx: Context, rng: random.Random) -> bool:
    mark = pick(rng, FENCE_MARKS)
    names = FENCE_NAMES.get(ctx.cut.language, ("",))
    name = pick(rng, (*names, "", ""))
    space = pick(rng, FENCE_SPACE) if name else ""
    d.fence_open = mark + space + name + "\n"
    d.fence_outside = rng.random() < 0.25
    closed = rng.random() < 0.75
    d.fence_close = "\n" + mark + ("\n" if rng.random() < 0.4 else "") if closed else ""
    if rng.random() < 0.6 and d.body.startswith("\n"):
        d.body = d.body[1:]  # a block body's leading line break is then the fence line's
    return True


def _think(d: Draft5, ctx: Context, rng: random.Random) -> bool:
    thought = pick(rng, THOUGHTS)
    opener, closer = pick(rng, REASONING_TAGS)
    label = pick(rng, PLAIN_REASONING)
    gap = pick(rng, ("\n", "\n\n", ""))
    if rng.random() < 0.7:
        d.think = opener + thought + closer + gap
        return True
    d.think = label + (thought or THOUGHTS[0]) + "\n\n"
    if not d.fence_open:
        d.tag = True
    return True


def _prose(d: Draft5, ctx: Context, rng: random.Random) -> bool:
    where = pick(rng, ("before", "after", "both"))
    before = pick(rng, PROSE_BEFORE) + pick(rng, ("\n", "\n\n"))
    after = pick(rng, ("\n", "\n\n")) + pick(rng, PROSE_AFTER)
    if where in ("before", "both"):
        d.before = before
    if where in ("after", "both"):
        d.after = after
    return True


def _junk(d: Draft5, ctx: Context, rng: random.Random) -> bool:
    token = pick(rng, END_TOKENS)
    gap = pick(rng, TRAILING_GAPS)
    way = pick(rng, ("token", "token", "spaces", "lines"))
    d.junk = {"token": gap + token, "spaces": pick(rng, (" ", "  ", "\t")), "lines": "\n\n\n"}[way]
    return True


def _tag_misspelt(d: Draft5, ctx: Context, rng: random.Random) -> bool:
    way = pick(rng, ("open", "twice", "close", "open_close"))
    spelt = pick(rng, TAG_SPELLINGS)
    closing = pick(rng, CLOSE_SPELLINGS)
    again = pick(rng, ("", "\n"))
    d.tag = True
    if way in ("open", "open_close"):
        d.open_tag = spelt
    if way == "twice":
        d.open_tag = OPEN_TAG + again + OPEN_TAG
    if way in ("close", "open_close"):
        d.close_tag = closing
    return True


def _crlf(d: Draft5, ctx: Context, rng: random.Random) -> bool:
    d.crlf = True
    return "\n" in render(d)


def _truncate(d: Draft5, ctx: Context, rng: random.Random) -> bool:
    share = 0.3 + 0.65 * rng.random()
    if len(d.body.strip()) < 2:
        return False
    d.truncate = share
    d.finish = "length"
    return True


_WRAPPERS = {
    "tag_misspelt": _tag_misspelt,
    "fence": _fence,
    "think": _think,
    "prose": _prose,
    "junk": _junk,
    "crlf": _crlf,
    "truncate": _truncate,
}


class Composer:
    """Composes one sample: the classes drawn with `rates`, applied in the family's order."""

    def __init__(self, rates: Sequence[tuple[str, float]] = tuple(RATES.items())) -> None:
        self.rates = dict(rates)

    def __call__(self, expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft5]:
        own = _salted(rng)
        chosen = _drawn(own, self.rates)
        draft = Draft5(body=expected, tag=own.random() < TAG_KEPT)
        names: list[str] = []
        for name, shape in SHAPES.items():
            if name in chosen:
                changed = shape(draft.body, ctx, own)
                if changed is not None:
                    draft.body = changed
                    names.append(name)
        for name, wrap in _WRAPPERS.items():
            if name in chosen:
                saved = (draft.crlf, draft.truncate, draft.finish)
                if wrap(draft, ctx, own):
                    names.append(name)
                else:
                    draft.crlf, draft.truncate, draft.finish = saved
        return names, draft


def _lines(text: str, crlf: bool) -> str:
    return text.replace("\n", "\r\n") if crlf else text


def render(d: Draft) -> str:
    """The text the model streams for draft `d` (the host has removed the stop string); a cut
    stream stops inside the answer's code."""
    open_tag = d.open_tag if isinstance(d, Draft5) else OPEN_TAG
    close_tag = d.close_tag if isinstance(d, Draft5) else ""
    outside = isinstance(d, Draft5) and d.fence_outside
    crlf = isinstance(d, Draft5) and d.crlf
    tag = open_tag if d.tag else ""
    opening = d.fence_open + tag if outside else tag + d.fence_open
    head = _lines(d.think + d.before + opening, crlf)
    body = _lines(d.body, crlf)
    if d.truncate is not None and len(body) > 1:
        return head + body[: max(1, min(len(body) - 1, int(d.truncate * len(body))))]
    return head + body + _lines(d.fence_close + close_tag + d.after + d.junk, crlf)


_SIZES = (1, 2, 3, 3, 4, 5, 7, 9, 12, 16)


def deltas(raw: str, rng: random.Random) -> list[str]:
    """`raw` split as a host streams it: short pieces of varied size, now and then a whole
    line at once."""
    pieces: list[str] = []
    at = 0
    while at < len(raw):
        if rng.random() < 0.1:
            end = raw.find("\n", at) + 1 or len(raw)
        else:
            end = at + pick(rng, _SIZES)
        pieces.append(raw[at:end])
        at = end
    return pieces


@dataclass(frozen=True)
class Fresh5(Family):
    """The family: its own composition, rendering and streaming."""

    def deltas(self, raw: str, rng: random.Random) -> list[str]:
        return deltas(raw, rng)


FRESH5 = Fresh5(NO_POOLS, Composer(), render)
