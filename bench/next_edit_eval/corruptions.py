"""Corruptions: how a chat model damages the rewritten region it was asked for.

The prompt (`glm_lsp.edits.nextedit.prompt`) asks for the whole region rewritten inside
`<rewrite>` tags, shows the region between region marks with a cursor mark, and the file
around it. A `Draft` holds the lines the model means (the true rewritten region) and what it
wraps them in; each corruption changes the draft. `compose` applies 1 to 3 of them (or none:
`clean`), at most one per group, in a fixed order: line damage (echoed marks, echoed lines of
the file around the region, indentation shifted, dedented or retabbed, trailing whitespace),
then the wrapping (fences, missing tags, the original region echoed before the answer), then
`<think>`, prose, and junk tokens last.

Every variant comes from a `Pools`: the `dev` family for tuning, the `heldout` family (its own
sentences, fence spellings, shift sizes, echo sizes) for the headline.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG

from .cases import Case


@dataclass(frozen=True)
class Pools:
    """The variants one family draws from."""

    prose_before: tuple[str, ...]
    prose_after: tuple[str, ...]
    thoughts: tuple[str, ...]
    fence_names: dict[str, tuple[str, ...]]
    fence_places: tuple[str, ...]
    """`inside` the tags, `around` them, or `instead` of them."""
    junk: tuple[str, ...]
    shifts: tuple[float, ...]
    """Indentation shifts in units of the file's step (negative: shallower)."""
    echo_lines: tuple[int, ...]
    echo_labels: tuple[tuple[str, str], ...]
    """(before the echoed original region, before the answer)."""
    trailing: tuple[str, ...]
    """`spaces` on some lines, `no_final_break`, `extra_blank`."""
    clean_share: float


@dataclass
class Draft:
    """A raw answer in parts; `render` joins them."""

    lines: list[str]
    final_break: bool = True
    think: str = ""
    before: str = ""
    tag: bool = True
    fence_open: str = ""
    fence_close: str = ""
    fence_place: str = "inside"
    after: str = ""
    junk: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a corruption may look at: the case and the family's pools."""

    case: Case
    pools: Pools


Corruption = Callable[[Draft, Context, random.Random], Draft | None]
"""Returns the damaged draft, or None when the corruption does not apply to this case."""


def unit_of(lines: tuple[str, ...]) -> str:
    """A tab when most indented lines start with one, else the most common indentation step."""
    code = [ln for ln in lines if ln.strip()]
    if sum(ln.startswith("\t") for ln in code) > sum(ln.startswith(" ") for ln in code):
        return "\t"
    steps: Counter[int] = Counter()
    for a, b in zip(code, code[1:], strict=False):
        step = _indent(b) - _indent(a)
        if step > 0:
            steps[step] += 1
    return " " * (steps.most_common(1)[0][0] if steps else 4)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def cursor_mark(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """The cursor mark echoed where the cursor was (or at the end of a random line)."""
    if not d.lines:
        return None
    case = ctx.case
    row = case.cursor[0] - case.region.start_line
    if 0 <= row < len(d.lines) and case.cursor[1] <= len(d.lines[row]):
        col = case.cursor[1]
    else:
        row = rng.randrange(len(d.lines))
        col = len(d.lines[row])
    d.lines[row] = d.lines[row][:col] + CURSOR + d.lines[row][col:]
    return d


def region_marks(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """The region marks of the prompt echoed around the lines."""
    d.lines = [REGION_OPEN, *d.lines, REGION_CLOSE]
    return d


def echo_above(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """Lines of the file just above the region (shown in the prompt) echoed first."""
    start = ctx.case.region.start_line
    count = min(rng.choice(ctx.pools.echo_lines), start)
    if count == 0:
        return None
    d.lines = [*ctx.case.lines[start - count : start], *d.lines]
    return d


def echo_below(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """Lines of the file just below the region echoed after the answer."""
    end = ctx.case.region.end_line
    below = ctx.case.lines[end : end + rng.choice(ctx.pools.echo_lines)]
    if not below or all(not ln.strip() for ln in below):
        return None
    d.lines = [*d.lines, *below]
    return d


def indent_shift(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """Every non-blank line shifted by the same amount (a whole or half step)."""
    unit = unit_of(ctx.case.lines)
    amount = rng.choice(ctx.pools.shifts)
    pad = unit * int(abs(amount)) if unit == "\t" else " " * int(len(unit) * abs(amount))
    if not pad or not any(ln.strip() for ln in d.lines):
        return None
    if amount > 0:
        d.lines = [pad + ln if ln.strip() else ln for ln in d.lines]
        return d
    if any(ln.strip() and not ln.startswith(pad) for ln in d.lines):
        return None
    d.lines = [ln[len(pad) :] if ln.strip() else ln for ln in d.lines]
    return d


def dedent(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """The lines' common indentation dropped."""
    code = [ln for ln in d.lines if ln.strip()]
    common = min((_indent(ln) for ln in code), default=0)
    if common == 0:
        return None
    d.lines = [ln[common:] if ln.strip() else ln for ln in d.lines]
    return d


def retab(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """Indentation written with the other character (tabs for spaces or spaces for tabs)."""
    unit = unit_of(ctx.case.lines)
    width = 4 if unit == "\t" else len(unit)
    out = []
    for ln in d.lines:
        lead = ln[: _indent(ln)]
        if unit == "\t":
            new = lead.replace("\t", " " * width)
        else:
            new = "\t" * (len(lead) // width) + " " * (len(lead) % width)
        out.append(new + ln[len(lead) :])
    if out == d.lines:
        return None
    d.lines = out
    return d


def trailing(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """Trailing spaces on some lines, the final line break dropped, or a blank line added."""
    kind = rng.choice(ctx.pools.trailing)
    if kind == "spaces" and d.lines:
        for row in rng.sample(range(len(d.lines)), k=min(2, len(d.lines))):
            d.lines[row] += " "
    elif kind == "no_final_break" and d.lines:
        d.final_break = False
    else:
        d.lines = [*d.lines, ""]
    d.notes.append(kind)
    return d


def fence(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """A markdown fence, inside the tags, around them or instead of them."""
    names = ctx.pools.fence_names.get(ctx.case.change.language, ("",))
    d.fence_open = f"```{rng.choice(names)}\n"
    d.fence_close = "```\n"
    d.fence_place = rng.choice(ctx.pools.fence_places)
    if d.fence_place == "instead":
        d.tag = False
    return d


def no_tag(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """The tags forgotten: the bare region."""
    d.tag = False
    return d


def echo_region(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """The original region echoed first (labelled, fenced), then the answer."""
    label_before, label_answer = rng.choice(ctx.pools.echo_labels)
    original = "".join(ln + "\n" for ln in ctx.case.region.lines)
    d.before = f"{label_before}\n```\n{original}```\n{label_answer}\n" + d.before
    return d


def think(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """A `<think>` block first."""
    d.think = f"<think>\n{rng.choice(ctx.pools.thoughts)}\n</think>\n"
    return d


def prose(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """A sentence before the answer, after it, or both."""
    where = rng.choice(("before", "after", "both"))
    if where in ("before", "both"):
        d.before += rng.choice(ctx.pools.prose_before) + "\n"
    if where in ("after", "both"):
        d.after = "\n" + rng.choice(ctx.pools.prose_after) + "\n"
    return d


def junk(d: Draft, ctx: Context, rng: random.Random) -> Draft | None:
    """An end-of-text or role token after the answer."""
    d.junk = rng.choice(ctx.pools.junk)
    return d


GROUPS: tuple[tuple[tuple[str, Corruption], ...], ...] = (
    (("cursor_mark", cursor_mark), ("region_marks", region_marks)),
    (("echo_above", echo_above), ("echo_below", echo_below)),
    (("indent_shift", indent_shift), ("dedent", dedent), ("retab", retab)),
    (("trailing", trailing),),
    (("fence", fence), ("no_tag", no_tag)),
    (("echo_region", echo_region),),
    (("think", think),),
    (("prose", prose),),
    (("junk", junk),),
)
"""At most one corruption per group, applied in this order."""
NAMES = tuple(name for group in GROUPS for name, _ in group)


def compose(ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
    """The corruptions applied (none: clean) and the damaged draft of the case's answer."""
    draft = Draft(list(ctx.case.rewritten))
    if rng.random() < ctx.pools.clean_share:
        return [], draft
    chosen = set(rng.sample(range(len(GROUPS)), k=rng.choice((1, 2, 2, 3))))
    names: list[str] = []
    for index, group in enumerate(GROUPS):
        if index not in chosen:
            continue
        name, corrupt = rng.choice(group)
        damaged = corrupt(replace(draft, lines=list(draft.lines)), ctx, rng)
        if damaged is not None:
            draft = damaged
            names.append(name)
    return names, draft


def render(d: Draft) -> str:
    """The text the model streams."""
    body = "\n".join(d.lines) + ("\n" if d.final_break and d.lines else "")
    code = body
    if d.fence_open and d.fence_place in ("inside", "instead"):
        code = d.fence_open + body + d.fence_close
    if d.tag:
        code = f"<{TAG}>\n{code}</{TAG}>"
        if d.fence_open and d.fence_place == "around":
            code = d.fence_open + code + "\n" + d.fence_close
    return d.think + d.before + code + d.after + d.junk
