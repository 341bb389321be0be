"""Corruptions: the ways a chat model damages a right answer, as small independent functions.

Each corruption takes the `Draft` of a raw answer (the code the model means, plus what it wraps
it in), the `Context` of the hole and a random generator, and returns the damaged draft.
`compose` applies 1 to 3 of them (or none: the `clean` class) in a fixed order, so that echoes
wrap an already mis-indented answer, fences wrap the echoes, prose and `<think>` go around the
fence, junk goes last and a truncation cuts the finished stream. `render` gives the text the model
streams (the host removes the stop string; a clean answer is `<COMPLETION>` + the answer).

Every variant (sentences, think contents, fence spellings, junk, shift amounts, echo lengths)
comes from a `Pools`: the `dev` family (dev.py) for tuning filters, the `heldout` family
(heldout.py, not to be read by filter authors) for the headline figure.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from glm_lsp.inline import Hole, InlinePrompt, Mode

from .holes import Cut, indent
from .lexical import is_word, token_boundary

OPEN_TAG = InlinePrompt(messages=[]).stop.replace("</", "<", 1)
"""The prompt asks for the answer inside <COMPLETION>...</COMPLETION> and the host stops at the
closing tag: a clean stream is the opening tag and the answer."""


@dataclass(frozen=True)
class Pools:
    """The variants one seed family draws from."""

    prose_before: tuple[str, ...]
    prose_after: tuple[str, ...]
    prose_gaps: tuple[str, ...]
    prose_inside_tag: float
    thoughts: tuple[str, ...]
    think_gaps: tuple[str, ...]
    fence_names: dict[str, tuple[str, ...]]
    fence_closes: tuple[str, ...]
    junk: tuple[str, ...]
    junk_gaps: tuple[str, ...]
    shifts: tuple[float, ...]
    """Indentation shifts in units of the file's step (negative: shallower)."""
    echo_chars: tuple[int, ...]
    echo_styles: tuple[str, ...]
    prev_lines: tuple[int, ...]
    suffix_lines: tuple[int, ...]
    extra_lines: tuple[int, ...]
    tab_width: int
    delta_sizes: tuple[int, int]


@dataclass
class Draft:
    """A raw answer in parts; `render` joins them."""

    body: str
    think: str = ""
    before: str = ""
    tag: bool = True
    fence_open: str = ""
    fence_close: str = ""
    after: str = ""
    junk: str = ""
    truncate: float | None = None
    finish: str = "stop"
    """The host's finish reason at the end of the stream: `stop`, or `length` when cut."""


@dataclass(frozen=True)
class Context:
    """What a corruption may look at: the hole as cut, the trigger's view of it, the pools."""

    cut: Cut
    hole: Hole
    pools: Pools

    @cached_property
    def line_prefix(self) -> str:
        return self.cut.lines[self.cut.line][: self.cut.character]

    @cached_property
    def line_suffix(self) -> str:
        return self.cut.lines[self.cut.line][self.cut.character :]

    @cached_property
    def lines_after(self) -> list[str]:
        return list(self.cut.lines[self.cut.line + 1 : self.cut.line + 40])

    @cached_property
    def lines_before(self) -> list[str]:
        return [ln for ln in self.cut.lines[max(0, self.cut.line - 20) : self.cut.line] if ln]

    @cached_property
    def unit(self) -> str:
        """The file's indentation step as this evaluation sees it (not the pipeline's guess):
        a tab, or the most common increase of indentation from one code line to the next."""
        return file_unit(self.cut.lines)

    @property
    def starts_lines(self) -> bool:
        """The answer has lines of its own (a block body, or a statement on a blank line)."""
        return self.cut.kind in ("block", "blank", "block_blank")


def file_unit(lines: tuple[str, ...]) -> str:
    """A tab when most indented lines start with one, else the most common indentation step."""
    code = [ln for ln in lines if ln.strip()]
    tabs = sum(ln.startswith("\t") for ln in code)
    spaces = sum(ln.startswith(" ") for ln in code)
    if tabs > spaces:
        return "\t"
    steps = Counter(
        indent(b) - indent(a)
        for a, b in zip(code, code[1:], strict=False)
        if 0 < indent(b) - indent(a) <= 8 and not b.startswith("\t")
    )
    return " " * min(steps, key=lambda n: (-steps[n], n)) if steps else "    "


Corruption = Callable[[Draft, Context, random.Random], Draft]
_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


def _restyle(text: str, style: str, ctx: Context) -> str:
    """`text` (an echoed piece of the line before the cursor) with its spacing changed."""
    if style == "strip_indent":
        return text.lstrip()
    if style == "add_indent":
        return ctx.unit + text
    if style == "tab_indent":
        return "\t" + text.lstrip() if text[:1] in " \t" else text
    if style == "comma_space":
        return re.sub(r",(?=\S)", ", ", text)
    if style == "tight_equals":
        return re.sub(r" ?= ?", "=", text)
    if style == "collapse_spaces":
        return _SPACES.sub(" ", text)
    return text


def echo_prefix(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer repeats what precedes the cursor: the whole line, or its last few characters,
    sometimes with its spacing or indentation changed."""
    before = ctx.line_prefix
    if before.strip() and rng.random() < 0.4:
        wanted = rng.choice(ctx.pools.echo_chars)
        start = max(indent(before), len(before) - wanted)
        while start > indent(before) and not token_boundary(before, start):
            start -= 1
        echo = before[start:]
    else:
        echo = before
    if rng.random() < 0.5:
        echo = _restyle(echo, rng.choice(ctx.pools.echo_styles), ctx)
    return replace(d, body=echo + d.body)


def echo_prev(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer starts with the previous line(s) (blank lines between them kept, as in the
    file), then the cursor line from its start."""
    count = rng.choice(ctx.pools.prev_lines)
    above = list(ctx.cut.lines[max(0, ctx.cut.line - 40) : ctx.cut.line])
    starts = [i for i, line in enumerate(above) if line.strip()]
    previous = above[starts[-count] if len(starts) >= count else starts[0] :]
    head = ctx.line_prefix
    body = d.body
    if head.strip() and body.lstrip().startswith(head.strip()):
        head = ""
    return replace(d, body="\n".join(previous) + "\n" + head + body)


def echo_suffix(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer goes on with the code after the cursor: the rest of the line, then the next
    lines as they are in the file."""
    count = rng.choice(ctx.pools.suffix_lines)
    following = ctx.lines_after[:count]
    tail = ctx.line_suffix
    if following and (not tail or rng.random() < 0.5):
        tail += "\n" + "\n".join(following)
    return replace(d, body=d.body + tail)


def _reindent(line: str, columns: int, ctx: Context) -> str:
    if not line.strip():
        return line
    if columns >= 0:
        tabs, spaces = divmod(columns, ctx.pools.tab_width)
        pad = "\t" * tabs + " " * spaces if ctx.unit == "\t" else " " * columns
        return pad + line
    return line[min(-columns, indent(line)) :]


def _columns(ctx: Context, rng: random.Random) -> int:
    step = ctx.pools.tab_width if ctx.unit == "\t" else len(ctx.unit)
    shift = rng.choice(ctx.pools.shifts)
    return max(1, round(abs(shift) * step)) * (1 if shift > 0 else -1)


def indent_shift(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer's lines start at the wrong column: all of them, or only the first (a statement
    or body starting at the cursor on a blank line gets whitespace in front of it)."""
    columns = _columns(ctx, rng)
    lines = d.body.split("\n")
    first_only = rng.random() < 0.4 or len(lines) == 1
    if ctx.cut.kind == "blank" or (ctx.cut.kind == "block_blank" and first_only):
        if columns < 0 and indent(lines[0]) == 0:
            columns = -columns
        lines[0] = _reindent(lines[0], columns, ctx)
        return replace(d, body="\n".join(lines))
    for i in range(1 if ctx.cut.kind == "block" else 0, len(lines)):
        lines[i] = _reindent(lines[i], columns, ctx)
        if first_only and lines[i].strip():
            break
    return replace(d, body="\n".join(lines))


def tabs_spaces(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer indents with tabs in a file of spaces, or with spaces in a file of tabs."""
    width = ctx.pools.tab_width

    def swap(lead: str) -> str:
        if ctx.unit == "\t":
            return lead.replace("\t", " " * width)
        step = len(ctx.unit)
        return "\t" * (len(lead) // step) + " " * (len(lead) % step)

    lines = d.body.split("\n")
    if ctx.cut.kind in ("blank", "block_blank"):
        lines[0] = swap(ctx.line_prefix or ctx.unit) + lines[0].lstrip(" \t")
    for i in range(1, len(lines)):
        lead = lines[i][: indent(lines[i])]
        lines[i] = swap(lead) + lines[i][len(lead) :]
    return replace(d, body="\n".join(lines))


def _statement_lines(ctx: Context) -> list[str]:
    lines = ctx.cut.lines
    return [
        ln
        for i, ln in enumerate(lines)
        if abs(i - ctx.cut.line) > 3
        and 3 <= len(ln.strip()) <= 80
        and any(is_word(ch) for ch in ln)
        and not ln.rstrip().endswith(("{", ":", "(", ",", "\\"))
        and not ln.lstrip().startswith(("}", "#", "//", "/*", "*", "--", "end", "@"))
    ]


def over_generate(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The model keeps writing: more statements at the cursor line's depth (single line), or
    past the end of the block: the code that follows in the file, or a new unit of code."""
    count = rng.choice(ctx.pools.extra_lines)
    here = ctx.line_prefix + ctx.cut.expected.split("\n")[0]  # the cursor line as it was
    if ctx.hole.mode is Mode.MULTI_LINE and ctx.cut.kind != "block" and ctx.lines_before:
        here = ctx.lines_before[-1]  # the opener: past the block means at its depth
    depth = here[: indent(here)]
    if ctx.hole.mode is Mode.MULTI_LINE and rng.random() < 0.5:
        following = ctx.lines_after[: count + 4]
        return replace(d, body=d.body + "\n" + "\n".join(following))
    pool = _statement_lines(ctx) or [depth + "pass"]
    extra = [depth + rng.choice(pool).lstrip() for _ in range(count)]
    if ctx.hole.mode is Mode.MULTI_LINE:
        closer = next((ln for ln in ctx.lines_after if ln.strip()), "")
        if indent(closer) <= len(depth) and not is_word(closer.strip()[:1] or "a"):
            extra = [closer, "", *extra]
        else:
            extra = ["", *extra]
    return replace(d, body=d.body + "\n" + "\n".join(extra))


def fence(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer inside a markdown fence, with or without a language, with or without the tag."""
    names = ctx.pools.fence_names.get(ctx.cut.language, ("",)) + ("",)
    body = d.body
    if body.startswith("\n") and rng.random() < 0.5:
        body = body[1:]
    return replace(
        d,
        body=body,
        fence_open="```" + rng.choice(names) + "\n",
        fence_close=rng.choice(ctx.pools.fence_closes),
        tag=rng.random() < 0.5,
    )


def prose(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """Explanations before and/or after the code, separated by a line break or a blank line."""
    where = rng.choice(("before", "after", "both"))
    pools = ctx.pools
    if where in ("before", "both"):
        sentence = rng.choice(pools.prose_before) + rng.choice(pools.prose_gaps)
        if rng.random() < pools.prose_inside_tag:
            d = replace(d, fence_open=sentence + d.fence_open)
        else:
            d = replace(d, before=sentence)
    if where in ("after", "both"):
        d = replace(d, after=rng.choice(pools.prose_gaps) + rng.choice(pools.prose_after))
    return d


def think(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """A `<think>` block before the answer, followed by a line break or not."""
    thought = rng.choice(ctx.pools.thoughts)
    return replace(d, think=f"<think>{thought}</think>" + rng.choice(ctx.pools.think_gaps))


def junk(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """Trailing junk: a closing tag the host did not strip, stray backticks, end-of-text tokens."""
    return replace(d, junk=rng.choice(ctx.pools.junk_gaps) + rng.choice(ctx.pools.junk))


def truncate(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The stream stops mid-token somewhere after the answer began (max_tokens, a dropped
    connection): the right outcome is then a prefix of the answer, or nothing. The host says
    `length` (a dropped connection is an error: the server shows nothing then)."""
    return replace(d, truncate=rng.random(), finish="length")


CORRUPTIONS: dict[str, Corruption] = {
    "indent_shift": indent_shift,
    "tabs_spaces": tabs_spaces,
    "echo_prefix": echo_prefix,
    "echo_prev": echo_prev,
    "echo_suffix": echo_suffix,
    "over_generate": over_generate,
    "fence": fence,
    "prose": prose,
    "think": think,
    "junk": junk,
    "truncate": truncate,
}
"""In the order `compose` applies them."""


def applicable(name: str, ctx: Context) -> bool:
    """Whether corruption `name` means something for this hole."""
    if name in ("indent_shift", "tabs_spaces"):
        return ctx.starts_lines and (ctx.cut.kind == "block" or bool(ctx.line_prefix))
    if name == "echo_prefix":
        return bool(ctx.line_prefix)
    if name == "echo_prev":
        return bool(ctx.lines_before)
    if name == "echo_suffix":
        return bool(ctx.line_suffix.strip()) or any(ln.strip() for ln in ctx.lines_after[:3])
    return True


def compose(expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
    """1 to 3 applicable corruptions (none one time in eight) applied to the right answer."""
    names = [n for n in CORRUPTIONS if applicable(n, ctx)]
    count = 0 if rng.random() < 0.125 else rng.choice((1, 1, 2, 2, 3))
    chosen = set(rng.sample(names, min(count, len(names))))
    draft = Draft(body=expected)
    for name, corrupt in CORRUPTIONS.items():
        if name in chosen:
            draft = corrupt(draft, ctx, rng)
    return [n for n in CORRUPTIONS if n in chosen], draft


def render(d: Draft) -> str:
    """The text the model streams for draft `d`."""
    head = d.think + d.before + (OPEN_TAG if d.tag else "") + d.fence_open
    tail = d.body + d.fence_close + d.after + d.junk
    if d.truncate is not None and len(tail) > 1:
        target = max(1, int(d.truncate * len(tail)))
        inside = [i for i in range(1, len(tail)) if is_word(tail[i - 1]) and is_word(tail[i])]
        tail = tail[: min(inside, key=lambda i: abs(i - target)) if inside else target]
    return head + tail


def deltas(raw: str, pools: Pools, rng: random.Random) -> list[str]:
    """`raw` split the way a stream delivers it: pieces of a few characters."""
    low, high = pools.delta_sizes
    pieces: list[str] = []
    at = 0
    while at < len(raw):
        size = rng.randint(low, high)
        pieces.append(raw[at : at + size])
        at += size
    return pieces
