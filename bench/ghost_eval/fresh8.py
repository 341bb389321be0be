"""The `fresh8` seed family: issue 14's eleven corruption classes, with realisations of its own.

Written without reading the filters nor the earlier families' pools, to be run once unseen. It
draws exactly the issue's classes (`CLASSES`), composing 1 to 3 of them per sample (about one
sample in eight clean) with a generator salted for this family:

- code classes (`fresh8_code.py`): the true text's whitespace reshaped (`indent_shift`,
  `tabs_spaces`), the file's own text typed again before it (`echo_prefix`, `echo_prev`) or
  after it (`echo_suffix`, `over_generate`);
- wrapping classes (`fresh8_words.py`): `fence`, `prose`, `think`, `junk` around the code;
- `truncate`: the stream cut between two characters of one token, inside the code.

The code classes apply first (reshaping, then echoes before, then text after), then the
wrappers from the inside out, so any mix reads in the order a model writes it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from . import fresh8_code as code
from . import fresh8_words as words
from .corruptions import Context, Draft
from .family import NO_POOLS, Family
from .lexical import token_boundary

CLASSES = (
    "echo_prefix",
    "echo_prev",
    "echo_suffix",
    "indent_shift",
    "tabs_spaces",
    "fence",
    "think",
    "prose",
    "over_generate",
    "junk",
    "truncate",
)
_CODE: dict[str, code.Shape] = {
    "indent_shift": code.indent_shift,
    "tabs_spaces": code.tabs_spaces,
    "echo_prefix": code.echo_prefix,
    "echo_prev": code.echo_prev,
    "echo_suffix": code.echo_suffix,
    "over_generate": code.over_generate,
}
_WRAP: dict[str, Callable[[Draft, Context, random.Random], Draft]] = {
    "fence": words.fence,
    "prose": words.prose,
    "think": words.think,
    "junk": words.junk,
}
ORDER = (*_CODE, *_WRAP, "truncate")
"""The order in which the classes are applied (and listed in a sample)."""
CLEAN_SHARE = 0.125
COUNT_WEIGHTS = {1: 45, 2: 35, 3: 20}


@dataclass
class Answer(Draft):
    """A raw answer in parts, knowing where the true text sits in its body."""

    span: tuple[int, int] = (0, 0)


def applicable(name: str, ctx: Context) -> bool:
    """Whether class `name` can change this hole's answer in a way the window lets one undo."""
    kind = ctx.cut.kind
    if name in ("indent_shift", "tabs_spaces"):
        return kind == "block" or (kind in ("blank", "block_blank") and bool(ctx.line_prefix))
    if name == "echo_prefix":
        return bool(ctx.line_prefix.strip())
    if name == "echo_prev":
        return bool(ctx.lines_before)
    if name == "echo_suffix":
        return bool(ctx.line_suffix.strip()) or any(ln.strip() for ln in ctx.lines_after[:8])
    if name == "over_generate":
        return code.over_generate_possible(ctx)
    if name == "truncate":
        text = ctx.cut.expected
        return any(not token_boundary(text, i) for i in range(1, len(text)))
    return True


def build(
    expected: str, ctx: Context, rng: random.Random, forced: tuple[str, ...] | None = None
) -> tuple[list[str], Answer]:
    """The classes drawn (or `forced`, those applicable) and the raw answer they make."""
    own = random.Random(f"fresh8/{rng.getrandbits(64)}")
    names = [n for n in ORDER if applicable(n, ctx)]
    if forced is not None:
        chosen = {n for n in forced if n in names}
    elif own.random() < CLEAN_SHARE:
        chosen = set()
    else:
        count = own.choices(list(COUNT_WEIGHTS), weights=list(COUNT_WEIGHTS.values()))[0]
        chosen = set(own.sample(names, min(count, len(names))))
    shaped = code.Code(text=expected)
    for name, shape in _CODE.items():
        if name in chosen:
            shaped = shape(shaped, ctx, own)
    body = shaped.lead + shaped.text + shaped.trail
    span = (len(shaped.lead), len(shaped.lead) + len(shaped.text))
    draft: Draft = Answer(body=body, span=span)
    for name, wrap in _WRAP.items():
        if name in chosen:
            draft = wrap(draft, ctx, own)
    assert isinstance(draft, Answer)
    dropped = len(body) - len(draft.body)  # a fence may take the code's first line break
    answer = replace(draft, span=(max(0, span[0] - dropped), span[1] - dropped))
    if "truncate" in chosen:
        answer = replace(answer, truncate=own.random(), finish="length")
    return [n for n in ORDER if n in chosen], answer


def compose(expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
    names, draft = build(expected, ctx, rng)
    return names, draft


def cut_points(body: str, span: tuple[int, int], anywhere: bool = False) -> list[int]:
    """Where a cut stream may end in `body`: inside a token of the true text (or, `anywhere`,
    of the code around it too); anywhere in the code when the true text has no such place."""
    inside = [i for i in range(span[0] + 1, span[1]) if not token_boundary(body, i)]
    if inside and not anywhere:
        return inside
    return [i for i in range(1, len(body)) if not token_boundary(body, i)]


TRUE_TEXT_CUTS = 0.85
"""The share of cut streams that end inside the true text (the others anywhere in the code)."""


def render(d: Draft) -> str:
    """The text the model streams: reasoning, prose, the tag, the fence, the code and what
    follows it; a cut stream ends inside a token of the code."""
    head = words.opens_with_tag(d)
    tail = d.body + d.fence_close + d.after + d.junk
    if d.truncate is None:
        return head + tail
    span = d.span if isinstance(d, Answer) else (0, len(d.body))
    anywhere = d.truncate >= TRUE_TEXT_CUTS
    share = (
        d.truncate / TRUE_TEXT_CUTS
        if not anywhere
        else (d.truncate - TRUE_TEXT_CUTS) / (1 - TRUE_TEXT_CUTS)
    )
    points = cut_points(d.body, span, anywhere) or [max(1, len(d.body) - 1)]
    return head + d.body[: points[min(len(points) - 1, int(share * len(points)))]]


def deltas(raw: str, rng: random.Random) -> list[str]:
    """`raw` split as a stream delivers it: mostly a few characters, sometimes a line or more."""
    pieces: list[str] = []
    at = 0
    while at < len(raw):
        if rng.random() < 0.15:
            end = raw.find("\n", at + 1)
            size = (end - at + 1) if end > 0 else len(raw) - at
        else:
            size = rng.randint(1, 7)
        pieces.append(raw[at : at + size])
        at += size
    return pieces


@dataclass(frozen=True)
class Fresh8(Family):
    """The family, streaming its answers with its own piece sizes."""

    def deltas(self, raw: str, rng: random.Random) -> list[str]:
        return deltas(raw, rng)


FRESH8 = Fresh8(pools=NO_POOLS, compose=compose, render=render)
__all__ = ["CLASSES", "FRESH8", "build", "deltas", "render"]
