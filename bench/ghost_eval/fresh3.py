"""Family `fresh3`: raw answers composed from what chat models do when asked to fill a hole.

Written after the filters and without reading them (nor the other families' corruptions): the
headline figure of issue 14 is measured on it, once, by the lead. Filter authors do not open
`fresh3*.py` and do not run `--family fresh3`.

A sample starts from the true text and goes through layers, each corruption drawn independently
with its rate in `RATES` (about two per sample, one sample in eight clean):

1. code (`fresh3_shapes`), from the true text outwards: `indent_shift`, `whole_line` (mid-line
   holes), `echo_prefix`, `echo_prev`, `newline`, `echo_suffix`, `over_generate`, `tabs_spaces`;
2. around the code (`fresh3_wrap`): `fence`, `prose`, the `<COMPLETION>` tag the prompt asks for
   (present in two answers of three, not a corruption) and its odd shapes `wrapper`, `think`,
   `junk`;
3. `truncate`: the stream cut (finish reason `length`), in the true text or anywhere.

The stream is then split into deltas as hosts send them: a few characters each, or a line each,
or all at once. Randomness: run.py seeds each sample with `fresh3:<seed>:<hole>:<answer>`; the
family mixes in its own `SALT`, so no other family draws the same numbers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from . import fresh3_shapes as shapes
from . import fresh3_wrap as wrap
from .corruptions import Context, Draft
from .family import NO_POOLS, Family
from .fresh3_shapes import Code, Scene, weighted

SALT = 31_2026_1206
RATES: dict[str, float] = {
    "indent_shift": 0.13,
    "echo_prev": 0.10,
    "whole_line": 0.30,
    "echo_prefix": 0.14,
    "newline": 0.08,
    "echo_suffix": 0.15,
    "over_generate": 0.20,
    "tabs_spaces": 0.10,
    "fence": 0.28,
    "prose": 0.22,
    "wrapper": 0.10,
    "think": 0.14,
    "junk": 0.16,
    "truncate": 0.12,
}
"""Chance that each corruption is drawn for a sample (`whole_line` applies to mid-line holes
only, so it is drawn more often there)."""
CLASSES = tuple(RATES)
TAGGED = 0.65
"""Share of answers that open with the `<COMPLETION>` tag the prompt asks for."""

Shape = Callable[[Code, Scene, random.Random], Code | None]
CODE_SHAPES: tuple[tuple[str, Shape], ...] = (
    ("indent_shift", shapes.indent_shift),
    ("whole_line", shapes.whole_line),
    ("echo_prefix", shapes.echo_prefix),
    ("echo_prev", shapes.echo_prev),
    ("newline", shapes.newline),
    ("echo_suffix", shapes.echo_suffix),
    ("over_generate", shapes.over_generate),
    ("tabs_spaces", shapes.tabs_spaces),
)
_WHOLE_LINE_REPLACES = ("echo_prefix", "echo_suffix")


@dataclass(frozen=True)
class Composer:
    """Composes fresh3 answers with the given corruption rates (tests pass their own)."""

    rates: tuple[tuple[str, float], ...] = tuple(RATES.items())

    def __call__(self, expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
        own = random.Random(f"fresh3:{SALT}:{rng.getrandbits(64)}")
        rates = dict(self.rates)
        drawn = {name: own.random() < rates.get(name, 0.0) for name in CLASSES}
        tagged = own.random() < TAGGED
        scene = Scene.of(ctx.cut)
        names: list[str] = []
        code = Code("", expected, "", ctx.cut.character == 0)
        for name, shape in CODE_SHAPES:
            if not drawn[name]:
                continue
            changed = shape(code, scene, own)
            if changed is not None and changed.text() != code.text():
                code = changed
                names.append(name)
                if name == "whole_line":
                    drawn.update(dict.fromkeys(_WHOLE_LINE_REPLACES, False))
        stream = wrap.Stream("", code, "")
        stream, wrapped = wrap.around(stream, scene, own, drawn, tagged)
        names += wrapped
        full = stream.text()
        truncate: float | None = None
        if drawn["truncate"]:
            at = wrap.cut_at(stream, own)
            if at is not None:
                truncate = at / len(full)
                names.append("truncate")
        finish = "stop" if truncate is None else "length"
        return names, Draft(full, "", "", False, "", "", "", "", truncate, finish)


def render(draft: Draft) -> str:
    """The stream the host sent: the composed text, cut where `truncate` says (a share of it)."""
    if draft.truncate is None:
        return draft.body
    return draft.body[: round(len(draft.body) * draft.truncate)]


SIZES = (1, 2, 3, 3, 4, 4, 4, 5, 6, 8, 11)


def deltas(raw: str, rng: random.Random) -> list[str]:
    """`raw` in the pieces a host streams: tokens of a few characters (most hosts), a line per
    delta (proxies that buffer lines), or the whole answer in one delta."""
    mode = weighted(rng, (("tokens", 85), ("lines", 10), ("whole", 5)))
    if mode == "whole" or not raw:
        return [raw]
    if mode == "lines":
        return raw.splitlines(keepends=True)
    pieces: list[str] = []
    at = 0
    while at < len(raw):
        size = SIZES[min(int(rng.random() * len(SIZES)), len(SIZES) - 1)]
        pieces.append(raw[at : at + size])
        at += size
    return pieces


@dataclass(frozen=True)
class Fresh3(Family):
    """A family with its own composition, rendering and streaming."""

    def deltas(self, raw: str, rng: random.Random) -> list[str]:
        return deltas(raw, rng)


FRESH3 = Fresh3(NO_POOLS, Composer(), render)
