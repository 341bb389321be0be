"""The code-side classes of the `fresh8` family: what a model does to the text it means to insert.

Each class takes a `Code` (the text before the true text, the true text, the text after it) and
returns it changed. What is added is the file's own text (the lines around the hole, or lines
elsewhere in the file, placed plainly before or past the hole); what is reshaped is whitespace
only, uniformly, so that the window tells how to undo it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from glm_lsp.inline import Mode

from .corruptions import Context
from .holes import indent
from .lexical import code_lines, is_word, token_boundary


@dataclass(frozen=True)
class Code:
    """The code part of a raw answer: `lead` + `text` + `trail`."""

    text: str
    lead: str = ""
    trail: str = ""
    line_echoed: bool = False
    """`lead` ends with the cursor line typed again from its start."""
    lines_used: int = 0
    """How many of the file's lines after the cursor line `trail` already repeats."""


Shape = Callable[[Code, Context, random.Random], Code]


def _own_lines(ctx: Context) -> range:
    """Indices of the true text's lines that start a line of the file (not the cursor's)."""
    return range(1, ctx.cut.expected.count("\n") + 1)


def _pad(ctx: Context) -> str:
    return "\t" if ctx.unit == "\t" else ctx.unit


def _shift_lines(lines: list[str], rows: range, change: Callable[[str], str]) -> list[str]:
    return [change(ln) if i in rows and ln.strip() else ln for i, ln in enumerate(lines)]


def indent_shift(code: Code, ctx: Context, rng: random.Random) -> Code:
    """Lines at the wrong column, all by the same amount: a level deeper or shallower, a few
    spaces off, written relative to the first line, or the first line indented again at a cursor
    that already is."""
    lines = code.text.split("\n")
    rows = _own_lines(ctx)
    filled = [lines[i] for i in rows if lines[i].strip()]
    choice = rng.choice(("deeper", "shallower", "spaces", "relative", "first"))
    extra = rng.randint(1, 3)
    unit = _pad(ctx)
    base = (
        ctx.line_prefix if ctx.cut.kind != "block" else ctx.line_prefix[: indent(ctx.line_prefix)]
    )
    if choice == "shallower" and filled and all(ln.startswith(unit) for ln in filled):
        lines = _shift_lines(lines, rows, lambda ln: ln[len(unit) :])
    elif choice == "relative" and filled and base and all(ln.startswith(base) for ln in filled):
        lines = _shift_lines(lines, rows, lambda ln: ln[len(base) :])
    elif choice == "spaces" and filled:
        lines = _shift_lines(lines, rows, lambda ln: " " * extra + ln)
    elif (choice == "first" or not filled) and ctx.cut.kind != "block" and ctx.line_prefix:
        lines[0] = rng.choice((ctx.line_prefix, unit, " " * extra)) + lines[0]
    else:
        lines = _shift_lines(lines, rows, lambda ln: unit + ln)
    return replace(code, text="\n".join(lines))


def _to_spaces(lead: str, width: int) -> str:
    return lead.replace("\t", " " * width)


def _to_tabs(lead: str, step: int, width: int) -> str:
    """Leading spaces as tabs: one per level, or one per `width` columns (tabstop style)."""
    size = step if width == 0 else width
    tabs, rest = divmod(len(lead.replace("\t", " " * size)), size)
    return "\t" * tabs + " " * rest


def tabs_spaces(code: Code, ctx: Context, rng: random.Random) -> Code:
    """Tabs in a file indented with spaces, or spaces in a file of tabs: on every line of the
    answer that starts a line (a tab per level, or per eight columns), or on the first line,
    whose cursor is already indented."""
    width = rng.choice((4, 4, 2, 8))
    tabstop = rng.choice((0, 0, 8))
    lines = code.text.split("\n")
    rows = [i for i in _own_lines(ctx) if indent(lines[i]) and lines[i].strip()]

    def swap(lead: str, stop: int) -> str:
        if ctx.unit == "\t":
            return _to_spaces(lead, width)
        return _to_tabs(lead, len(ctx.unit), stop)

    def changes(stop: int) -> bool:
        return any(
            swap(lines[i][: indent(lines[i])], stop) != lines[i][: indent(lines[i])] for i in rows
        )

    if not changes(tabstop):
        tabstop = 0
    first = ctx.cut.kind != "block" and bool(ctx.line_prefix)
    if first and (not changes(tabstop) or rng.random() < 0.3):
        lead = swap(ctx.line_prefix, tabstop)
        if lead == ctx.line_prefix:
            lead = " " * width if ctx.unit == "\t" else "\t"
        lines[0] = lead + lines[0]
    for i in rows:
        cut = indent(lines[i])
        lines[i] = swap(lines[i][:cut], tabstop) + lines[i][cut:]
    return replace(code, text="\n".join(lines))


_RESPACINGS: tuple[Callable[[str], str], ...] = (
    lambda s: re.sub(r",(?=[^\s,])", ", ", s),
    lambda s: s.replace(", ", ","),
    lambda s: re.sub(r"(?<=[\w)\]]) = (?=[\w(\[\"'])", "=", s),
    lambda s: re.sub(r"(?<=\w)=(?=[\w(\[\"'])", " = ", s),
    lambda s: re.sub(r"\( ?", "( ", s, count=1),
    lambda s: re.sub(r"(?<=\S) {2,}(?=\S)", " ", s),
)


def echo_prefix(code: Code, ctx: Context, rng: random.Random) -> Code:
    """The answer types again what precedes the cursor: the whole line, the line without its
    indentation, its last few tokens from a token boundary, or the line with its spacing
    changed."""
    before = ctx.line_prefix
    start = indent(before)
    choice = rng.choice(("line", "stripped", "tail", "tail", "respaced"))
    if choice == "tail":
        starts = [
            i
            for i in range(start + 1, len(before) - 2)
            if token_boundary(before, i)
            and not before[i].isspace()
            and any(is_word(ch) for ch in before[i:])
        ]
        if starts:
            at = rng.choice(starts[-4:])
            return replace(code, lead=before[at:])
        choice = "stripped"
    if choice == "respaced":
        respaced = rng.choice(_RESPACINGS)(before)
        if respaced != before:
            return replace(code, lead=respaced, line_echoed=True)
        choice = "stripped"
    echo = before[start:] if choice == "stripped" else before
    return replace(code, lead=echo, line_echoed=True)


def echo_prev(code: Code, ctx: Context, rng: random.Random) -> Code:
    """The answer starts one, two or three lines up (the blank lines between kept), then the
    cursor line from its start; sometimes the first repeated line loses its indentation."""
    above = list(ctx.cut.lines[max(0, ctx.cut.line - 40) : ctx.cut.line])
    starts = [i for i, line in enumerate(above) if line.strip()]
    count = min(rng.choice((1, 1, 1, 2, 2, 3)), len(starts))
    previous = above[starts[-count] :]
    if rng.random() < 0.3:
        previous[0] = previous[0].lstrip()
    cursor_line = code.lead if code.line_echoed else ctx.line_prefix
    return replace(code, lead="\n".join(previous) + "\n" + cursor_line, line_echoed=True)


def _following(ctx: Context, skip: int, wanted: int) -> list[str]:
    """The file's lines after the cursor line, from `skip` on, up to `wanted` non-blank ones."""
    out: list[str] = []
    for line in ctx.lines_after[skip:]:
        out.append(line)
        if line.strip():
            wanted -= 1
            if wanted == 0:
                break
    return out if any(ln.strip() for ln in out) else []


def echo_suffix(code: Code, ctx: Context, rng: random.Random) -> Code:
    """After the answer, the code that follows the cursor as it is in the file: the rest of the
    line, the next lines, or both."""
    rest = ctx.line_suffix
    lines = _following(ctx, 0, rng.choice((1, 1, 2, 3)))
    if rest.strip() and (not lines or rng.random() < 0.5):
        return replace(code, trail=rest + code.trail)
    tail = rest + "\n" + "\n".join(lines)
    return replace(code, trail=tail + code.trail, lines_used=len(lines))


def _statements(ctx: Context) -> list[str]:
    """Simple code lines of the file, away from the hole."""
    lines = ctx.cut.lines
    flags = code_lines(list(lines), ctx.cut.language)
    return [
        ln.strip()
        for i, ln in enumerate(lines)
        if flags[i]
        and abs(i - ctx.cut.line) > 4
        and 4 <= len(ln.strip()) <= 70
        and is_word(ln.strip()[0])
        and not ln.rstrip().endswith(("{", ":", "(", ",", "\\", "[", "="))
    ]


def _depth(ctx: Context) -> int:
    """The indentation of the code being completed (a block's body, or the cursor line)."""
    expected = ctx.cut.expected
    if ctx.cut.kind == "block" and "\n" in expected:
        return indent(expected.split("\n")[1])
    line = ctx.line_prefix + expected.split("\n")[0]
    return indent(line)


def _past_block(ctx: Context, skip: int, rng: random.Random) -> list[str]:
    """The file's lines after the hole up to and past the line that ends the enclosing code
    (or, with none in sight, up to a few lines past the first one with code)."""
    depth = _depth(ctx)
    after = ctx.lines_after[skip:]
    end = next((i for i, ln in enumerate(after) if ln.strip() and indent(ln) < depth), None)
    if end is None:
        end = next((i for i, ln in enumerate(after[:8]) if ln.strip()), None)
        if end is None:
            return []
    lines = after[: end + 1 + rng.randint(0, 3)]
    while not lines[-1].strip():
        lines.pop()
    return lines


_CLOSER = re.compile(r"^\s*([\]})]|(end|fi|done|esac)\b)")


def over_generate(code: Code, ctx: Context, rng: random.Random) -> Code:
    """The model writes on past the unit it was asked for: after a line break in single-line
    mode (statements seen elsewhere in the file, or the lines that follow); in block mode the
    file's code past the end of the enclosing block, or its closing line then an earlier unit
    of the file again."""
    cursor = ctx.cut.lines[ctx.cut.line]
    statements = _statements(ctx)
    if ctx.hole.mode is not Mode.MULTI_LINE:
        following = _following(ctx, code.lines_used, rng.randint(1, 3))
        if statements and (not following or rng.random() < 0.5):
            depth = cursor[: indent(cursor)]
            extra = [depth + rng.choice(statements) for _ in range(rng.randint(1, 3))]
            return replace(code, trail=code.trail + "\n" + "\n".join(extra))
        following = following or _following(ctx, 0, 2)
        return replace(code, trail=code.trail + "\n" + "\n".join(following))
    past = _past_block(ctx, code.lines_used, rng)
    outer = _earlier_unit(ctx, rng)
    if outer and (not past or (code.lines_used == 0 and rng.random() < 0.4)):
        closer = [ln for ln in past[:1] if _CLOSER.match(ln)]
        return replace(code, trail=code.trail + "\n" + "\n".join([*closer, "", *outer]))
    past = past or _past_block(ctx, 0, rng)
    return replace(code, trail=code.trail + "\n" + "\n".join(past))


def _earlier_unit(ctx: Context, rng: random.Random) -> list[str]:
    """A few lines from higher up in the file, starting shallower than the code completed."""
    depth = _depth(ctx)
    above = ctx.cut.lines[: max(0, ctx.cut.line - 3)]
    flags = code_lines(list(above), ctx.cut.language)
    starts = [
        i
        for i, ln in enumerate(above)
        if flags[i] and ln.strip() and indent(ln) < depth and is_word(ln.strip()[0])
    ]
    if not starts:
        return []
    first = rng.choice(starts)
    return list(above[first : first + rng.randint(2, 5)])


def over_generate_possible(ctx: Context) -> bool:
    if ctx.hole.mode is Mode.MULTI_LINE:
        return bool(_past_block(ctx, 0, random.Random(0))) or bool(
            _earlier_unit(ctx, random.Random(0))
        )
    return bool(_statements(ctx)) or any(ln.strip() for ln in ctx.lines_after)
