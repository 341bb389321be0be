"""The `fresh2` family's corruptions (see fresh2.py): the same kinds as corruptions.py, written
separately, with their own shapes. Filter authors do not read this module."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from glm_lsp.inline import Mode

from .corruptions import Context, Draft
from .holes import indent

_CHAIN = re.compile(r"[\w.]*\w[\w.]*\($|[\w.]+$")
_ASSIGN = re.compile(r"(?<=[\w\])])\s*=\s*(?=[\w\[(\"'])")


@dataclass
class Draft2(Draft):
    """A raw answer with the extra shapes of this family."""

    crlf: bool = False
    """Line ends written as CR LF."""
    operator_cut: bool = False
    """A truncation prefers to cut inside a two-character operator."""


def _lines(ctx: Context) -> tuple[str, ...]:
    return ctx.cut.lines


def _dedent(lines: list[str]) -> list[str]:
    filled = [ln for ln in lines if ln.strip()]
    common = min((indent(ln) for ln in filled), default=0)
    return [ln[common:] if ln.strip() else ln for ln in lines]


def _rescale(line: str, old: int, new: int) -> str:
    lead = indent(line)
    if not line.strip() or "\t" in line[:lead]:
        return line
    steps, rest = divmod(lead, old)
    return " " * (steps * new + rest) + line[lead:]


def indent_shift(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """Indentation the model gets wrong: the snippet dedented to column 0, written with another
    indentation width, one step deeper, or with the cursor's indentation written again (a
    statement on a blank line: that indentation again, one step, or one space in front)."""
    shape = rng.choice(("dedent", "width", "deeper", "again"))
    if ctx.cut.kind == "blank":
        shape = rng.choice(("again", "deeper", "space"))
    head, _, rest = d.body.partition("\n") if ctx.cut.kind == "block" else ("", "", d.body)
    lines = rest.split("\n")
    unit = len(ctx.unit) if ctx.unit != "\t" else 0
    if shape == "width" and unit:
        new = 2 if unit != 2 else rng.choice((4, 3))
        lines = [_rescale(ln, unit, new) for ln in lines]
    elif shape == "deeper":
        pad = ctx.unit
        lines = [pad + ln if ln.strip() else ln for ln in lines]
    elif shape == "again" and ctx.line_prefix and not ctx.line_prefix.strip():
        lines[0] = ctx.line_prefix + lines[0]
    elif shape == "space":
        lines[0] = " " + lines[0]
    else:
        if ctx.cut.kind == "block_blank" and lines:
            lines[0] = ctx.line_prefix + lines[0]  # the body as the model sees it, then dedented
        lines = _dedent(lines)
    body = "\n".join(lines)
    return replace(d, body=head + "\n" + body if ctx.cut.kind == "block" else body)


def tabs_spaces(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """Whitespace style: tabs for spaces (whole or mixed with spaces), spaces of another width
    for tabs, and sometimes CR LF line ends."""
    lines = d.body.split("\n")
    width = ctx.pools.tab_width
    mixed = rng.random() < 0.4
    for i, line in enumerate(lines):
        lead = line[: indent(line)]
        if not line.strip() or (i == 0 and ctx.cut.kind not in ("blank", "block_blank")):
            continue
        if i == 0:
            lead = ctx.line_prefix + lead if not lead else lead
        if "\t" in lead:
            swapped = lead.replace("\t", " " * width)
        elif mixed and len(lead) >= 8:
            swapped = "\t" * (len(lead) // 8) + " " * (len(lead) % 8)
        else:
            step = len(ctx.unit) if ctx.unit != "\t" else width
            swapped = "\t" * (len(lead) // step) + " " * (len(lead) % step)
        lines[i] = swapped + line[indent(line) :]
    return replace(d, body="\n".join(lines), crlf=rng.random() < 0.35)


_KEYWORD_PAREN = re.compile(r"\b(if|for|while|switch|catch|return)(\s?)\(")


def _restyle(echo: str, style: str) -> str:
    if style == "keyword_paren":
        return _KEYWORD_PAREN.sub(lambda m: m.group(1) + ("" if m.group(2) else " ") + "(", echo)
    if style == "comma_tight":
        return echo.replace(", ", ",")
    if style == "spaced_ops":
        return _ASSIGN.sub(" = ", echo)
    return echo


def echo_prefix(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer restates the code before the cursor: the whole line (as is, dedented, or on a
    new line first), or the call or name chain it is in, sometimes restyled."""
    before = ctx.line_prefix
    shape = rng.choice(ctx.pools.echo_styles)
    chain = _CHAIN.search(before.rstrip()) if before.rstrip() == before else None
    if shape == "chain" and chain and chain.group(0) != before.strip():
        echo = chain.group(0)
    elif shape == "newline" and before.strip():
        echo = "\n" + before
    elif shape == "dedented":
        echo = before.lstrip()
    else:
        echo = before
    if rng.random() < 0.4:
        echo = _restyle(echo, rng.choice(("keyword_paren", "comma_tight", "spaced_ops")))
    return replace(d, body=echo + d.body)


def _header_index(ctx: Context) -> int | None:
    """The nearest line above the cursor with less indentation than the cursor line."""
    here = indent(ctx.cut.lines[ctx.cut.line]) if ctx.cut.lines[ctx.cut.line].strip() else None
    depth = here if here is not None else len(ctx.line_prefix)
    for back in range(1, 8):
        at = ctx.cut.line - back
        if at < 0:
            return None
        line = _lines(ctx)[at]
        if line.strip() and indent(line) < depth:
            return at
    return None


def echo_prev(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer starts further up: from the enclosing header line, or with the previous
    lines (blank lines dropped, or everything dedented), then the cursor line from its start."""
    shape = rng.choice(("header", "squeezed", "dedented"))
    count = rng.choice(ctx.pools.prev_lines)
    above = _lines(ctx)[max(0, ctx.cut.line - 30) : ctx.cut.line]
    start = _header_index(ctx) if shape == "header" else None
    if start is not None:
        previous = list(_lines(ctx)[start : ctx.cut.line])
    else:
        previous = [ln for ln in above if ln.strip()][-count:]
    echoed = "\n".join([*previous, ctx.line_prefix + d.body])
    if shape == "dedented":
        echoed = "\n".join(_dedent(echoed.split("\n")))
    return replace(d, body=echoed)


def echo_suffix(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The answer runs on into the code after the cursor: the rest of the line and the lines up
    to the block's closing line, or the next lines dedented."""
    shape = rng.choice(("closer", "dedented", "rest"))
    tail = ctx.line_suffix
    after = ctx.lines_after
    if shape == "closer":
        depth = indent(ctx.cut.lines[ctx.cut.line]) + (ctx.cut.kind == "block")
        taken: list[str] = []
        for line in after[:8]:
            taken.append(line)
            if line.strip() and indent(line) < depth:
                break
        tail += "\n" + "\n".join(taken) if taken else ""
    elif shape == "dedented" and after:
        count = rng.choice(ctx.pools.suffix_lines)
        tail += "\n" + "\n".join(ln.lstrip() for ln in after[:count])
    elif not tail.strip() and after:
        tail += "\n" + after[0]
    return replace(d, body=d.body + tail)


UNITS = {
    "python": "def _helper(value):\n    return value",
    "javascript": "function helper(value) {\n  return value;\n}",
    "typescript": "export function helper(value: unknown): unknown {\n  return value;\n}",
    "lua": "local function helper(value)\n  return value\nend",
    "c": "static int helper(int value)\n{\n\treturn value;\n}",
    "cpp": "inline int helper(int value) {\n  return value;\n}",
    "java": "private static int helper(int value) {\n    return value;\n}",
    "shellscript": 'helper() {\n  printf "%s\\n" "$1"\n}',
    "go": "func helper(value int) int {\n\treturn value\n}",
    "rust": "fn helper(value: i32) -> i32 {\n    value\n}",
    "ruby": "def helper(value)\n  value\nend",
}
TAILS = {
    "python": "return None",
    "lua": "return nil",
    "shellscript": "return 0",
    "go": "return nil",
    "ruby": "nil",
    "rust": "return;",
}


def over_generate(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The model does not stop: it repeats its line (a loop), adds a return past what it was
    asked for, or writes a new unit of code after a blank line."""
    shape = rng.choice(("repeat", "tail", "unit"))
    if shape == "repeat" and ctx.hole.mode is Mode.MULTI_LINE:
        shape = rng.choice(("tail", "unit"))  # a repeated body line could be the body's own
    last = ctx.cut.expected.split("\n")[-1]
    here = ctx.line_prefix + ctx.cut.expected.split("\n")[0]
    if ctx.hole.mode is Mode.MULTI_LINE and ctx.cut.kind != "block" and ctx.lines_before:
        here = ctx.lines_before[-1]  # past the block: at the opener's depth
    depth = here[: indent(here)]
    if shape == "repeat":
        line = last if "\n" in ctx.cut.expected else ctx.line_prefix + last
        times = rng.choice(ctx.pools.extra_lines)
        return replace(d, body=d.body + ("\n" + line) * times)
    if shape == "tail":
        extra = depth + TAILS.get(ctx.cut.language, "return 0;")
        return replace(d, body=d.body + "\n" + extra)
    unit = UNITS.get(ctx.cut.language, UNITS["c"])
    return replace(d, body=d.body + "\n\n" + unit)
