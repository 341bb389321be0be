"""A seed family: how it builds the raw answer of a sample, and where the true text sits in it.

The `Pools` families (dev, heldout, fresh) compose the shared corruptions of `corruptions.py`;
a family may also bring its own composition and rendering (`Family` with other functions). Where
the true text begins in the raw stream is found by composing again, with the same random state,
an answer whose first visible character is preceded by a marker: the judge's `answerable` needs
it for truncated streams.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from .corruptions import Context, Draft, Pools, compose, deltas, render

MARK = "\ue000"
"""A private-use character no source file or variant pool contains: where the true text begins."""

NO_POOLS = Pools(
    prose_before=(),
    prose_after=(),
    prose_gaps=(),
    prose_inside_tag=0.0,
    thoughts=(),
    think_gaps=(),
    fence_names={},
    fence_closes=(),
    junk=(),
    junk_gaps=(),
    shifts=(),
    echo_chars=(),
    echo_styles=(),
    prev_lines=(),
    suffix_lines=(),
    extra_lines=(),
    tab_width=4,
    delta_sizes=(1, 8),
)
"""Empty pools, for a family that composes from its own modules: run.py hands every family's
pools to `Context`, and such a family reads none of them."""

Composer = Callable[[str, Context, random.Random], tuple[list[str], Draft]]
Renderer = Callable[[Draft], str]


@dataclass(frozen=True)
class Family:
    """The variant pools, the composition and the rendering of one seed family."""

    pools: Pools
    compose: Composer = compose
    render: Renderer = render

    def deltas(self, raw: str, rng: random.Random) -> list[str]:
        return deltas(raw, self.pools, rng)

    def answer_at(self, expected: str, ctx: Context, state: object) -> tuple[str, int | None]:
        """The uncut stream of the sample composed from random `state`, and the index where the
        true text's first visible character is in it (None if the marked composition differs
        from the real one in anything but the marker)."""
        real_rng = random.Random()
        real_rng.setstate(state)  # type: ignore[arg-type]
        _names, real = self.compose(expected, ctx, real_rng)
        full = self.render(replace(real, truncate=None))
        lead = len(expected) - len(expected.lstrip())
        marked_rng = random.Random()
        marked_rng.setstate(state)  # type: ignore[arg-type]
        _names, draft = self.compose(expected[:lead] + MARK + expected[lead:], ctx, marked_rng)
        marked = self.render(replace(draft, truncate=None))
        if marked.count(MARK) != 1 or marked.replace(MARK, "") != full:
            return full, None
        return full, marked.index(MARK)
