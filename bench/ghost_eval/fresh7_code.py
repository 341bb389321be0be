"""Code shapes of the `fresh7` family: what a chat model does to the code of its answer.

Each shape takes the `Code` built so far (the true text, maybe already damaged), the hole's
`Context` and a random generator, and returns the new `Code`. Added text is the file's own
(echoes of the lines around the hole) or plainly past the hole (statements after a single-line
answer, a new top-level unit after a block); whitespace changes can be read back from the file;
encodings (HTML entities, escaped line breaks, JSON strings, line numbers) can be undone.
Random draws never depend on the true text's characters, only on the hole, so that composing
again with a marker in the true text draws the same numbers.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, replace

from glm_lsp.inline import Mode

from .corruptions import Context
from .fresh7_words import JSON_KEYS, NEW_UNITS, NUMBER_FORMATS, STATEMENTS, language_group
from .lexical import token_boundary

_LEAD = re.compile(r"^[ \t]*")
_ENTITY = re.compile(r"&#?\w+;")
_CLOSERS = ("}", "end", "fi", "done", "esac")
ECHO_REACH = 6
"""How many lines above the cursor an echo of the previous lines may reach."""


@dataclass(frozen=True)
class Code:
    """The code part of an answer, and where its first line sits in the file."""

    text: str
    lines_above: int = 0
    """Whole file lines before the cursor line that the text starts with (echoed)."""
    line_start: bool = False
    """The first line starts where its file line starts (not in the middle of the line)."""


def start(expected: str, ctx: Context) -> Code:
    """The true text, as a model that makes no mistake writes it."""
    return Code(expected, 0, not ctx.line_prefix.strip())


def _lead(line: str) -> str:
    found = _LEAD.match(line)
    return found.group() if found else ""


def _step(ctx: Context) -> str:
    return ctx.unit if ctx.unit else "    "


def _movable(code: Code, lines: list[str]) -> list[int]:
    """Lines whose indentation is the model's to write (not the rest of the cursor line)."""
    return [i for i, ln in enumerate(lines) if ln.strip() and (i > 0 or code.line_start)]


def _shallower(line: str, width: int) -> str | None:
    lead = _lead(line)
    return line[width:] if len(lead) >= width else None


def indent_shift(code: Code, ctx: Context, rng: random.Random) -> Code:
    """All lines (or the first, or all but the first) off by one or two indentation steps."""
    lines = code.text.split("\n")
    movable = _movable(code, lines)
    step = _step(ctx)
    variant = rng.choice(("all", "all", "rest", "first", "first"))
    steps = rng.choice((1, 1, 2, -1, -1))
    if variant == "rest" and len(movable) < 2:
        variant = "first"
    chosen = movable[1:] if variant == "rest" else movable[:1] if variant == "first" else movable
    if variant == "rest" and not ctx.line_prefix.strip() and ctx.line_prefix:
        shifted = [_shallower(lines[i], len(ctx.line_prefix)) for i in chosen]
        if all(s is not None for s in shifted):
            for i, s in zip(chosen, shifted, strict=True):
                lines[i] = s or ""
            return replace(code, text="\n".join(lines))
    if steps < 0:
        shallow = [_shallower(lines[i], len(step)) for i in chosen]
        if all(s is not None for s in shallow) and chosen:
            for i, s in zip(chosen, shallow, strict=True):
                lines[i] = s or ""
            return replace(code, text="\n".join(lines))
    for i in chosen:
        lines[i] = step * abs(steps) + lines[i]
    return replace(code, text="\n".join(lines))


def tabs_spaces(code: Code, ctx: Context, rng: random.Random) -> Code:
    """Tabs in a file indented with spaces, or spaces in a file indented with tabs, on every
    indented line or every other one."""
    every = rng.random() < 0.7
    tab_width = rng.choice((2, 4, 4, 8))
    unit = _step(ctx)
    lines = code.text.split("\n")
    indented = [i for i in _movable(code, lines) if _lead(lines[i])]
    for turn in (every, True):
        out = list(lines)
        for k, i in enumerate(indented):
            if not turn and k % 2:
                continue
            lead = _lead(out[i])
            if unit == "\t":
                new = lead.replace("\t", " " * tab_width)
            else:
                columns = len(lead.expandtabs(len(unit)))
                new = "\t" * (columns // len(unit)) + " " * (columns % len(unit))
            out[i] = new + out[i][len(lead) :]
        if out != lines:
            return replace(code, text="\n".join(out))
    return code


def _tail_starts(prefix: str) -> list[int]:
    """Where an echoed tail of the cursor line may begin: a token after a space or bracket."""
    lead = len(_lead(prefix))
    return [
        p
        for p in range(lead + 1, len(prefix))
        if not prefix[p].isspace()
        and prefix[p - 1] in " \t([{,=:"
        and token_boundary(prefix, p)
        and len(prefix) - p <= 40
    ]


def _respaced(prefix: str, ctx: Context, choice: int) -> str:
    lead = _lead(prefix)
    options = [
        prefix.lstrip(" \t"),
        _step(ctx) + prefix,
        re.sub(r",\s+", ",", prefix),
        re.sub(r"\s*=\s*", " = ", re.sub(r"\s+=\s+", "=", prefix)),
        lead + re.sub(r"(?<=\S) (?=\S)", "  ", prefix[len(lead) :]),
    ]
    changed = [o for o in options if o != prefix]
    return changed[choice % len(changed)] if changed else prefix


def echo_prefix(code: Code, ctx: Context, rng: random.Random) -> Code:
    """The text before the cursor typed again: the whole line, its tail, or respaced."""
    prefix = ctx.line_prefix
    variant = rng.choice(("whole", "whole", "tail", "respaced"))
    choice = rng.randrange(100)
    starts = _tail_starts(prefix)
    if variant == "tail" and starts:
        at = starts[choice % len(starts)]
        return Code(prefix[at:] + code.text, code.lines_above, False)
    echo = _respaced(prefix, ctx, choice) if variant == "respaced" else prefix
    return Code(echo + code.text, code.lines_above, True)


def lines_above(ctx: Context, wanted: int) -> list[str]:
    """Up to `wanted` non-empty file lines right above the cursor line (with blank lines between
    them), starting at a non-empty one."""
    row = ctx.cut.line
    taken: list[str] = []
    found = 0
    at = row - 1
    while at >= 0 and found < wanted and row - at <= ECHO_REACH:
        taken.insert(0, ctx.cut.lines[at])
        found += bool(ctx.cut.lines[at].strip())
        at -= 1
    while taken and not taken[0].strip():
        taken.pop(0)
    return taken


def echo_prev(code: Code, ctx: Context, rng: random.Random) -> Code:
    """The line(s) above the cursor typed again, then the cursor line from its start."""
    above = lines_above(ctx, rng.choice((1, 1, 2, 3)))
    text = "\n".join([*above, ctx.line_prefix + code.text])
    return Code(text, len(above), True)


def lines_below(ctx: Context, wanted: int) -> list[str]:
    """The file lines after the cursor line, up to the `wanted`-th non-empty one."""
    taken: list[str] = []
    found = 0
    for line in ctx.cut.lines[ctx.cut.line + 1 : ctx.cut.line + 30]:
        if found >= wanted:
            break
        taken.append(line)
        found += bool(line.strip())
    while taken and not taken[-1].strip():
        taken.pop()
    return taken


def echo_suffix(code: Code, ctx: Context, rng: random.Random) -> Code:
    """The text after the cursor typed again: the rest of the line, or it and the next lines."""
    rest = ctx.line_suffix
    only_line = rng.random() < 0.5
    below = lines_below(ctx, rng.choice((1, 1, 2, 3)))
    if rest.strip() and (only_line or not below):
        return replace(code, text=code.text + rest)
    return replace(code, text="\n".join([code.text + rest, *below]))


def _closer_below(ctx: Context) -> str | None:
    """The next non-empty line when it closes the block the hole is in (`}`, `end`...)."""
    below = lines_below(ctx, 1)
    if not below:
        return None
    line = below[-1]
    row = ctx.cut.lines[ctx.cut.line]
    deeper = len(_lead(row)) > len(_lead(line)) or ctx.cut.kind == "block"
    return line if deeper and line.strip().startswith(_CLOSERS) else None


def over_generate(code: Code, ctx: Context, rng: random.Random) -> Code:
    """Single-line: more statements after a line break. Otherwise: past the block's end, the
    block's closing line and a new top-level unit after blank lines."""
    group = language_group(ctx.cut.language)
    count = rng.choice((1, 1, 2))
    statements = rng.sample(STATEMENTS[group], count)
    unit = rng.choice(NEW_UNITS[group])
    if ctx.hole.mode is Mode.SINGLE_LINE and "\n" not in ctx.cut.expected:
        indent = _lead(ctx.cut.lines[ctx.cut.line]) or _lead(ctx.cut.expected)
        return replace(code, text=code.text + "".join(f"\n{indent}{s}" for s in statements))
    closer = _closer_below(ctx)
    gap = "\n\n\n" if group == "python" else "\n\n"
    text = code.text + (f"\n{closer}" if closer else "") + gap + unit
    return replace(code, text=text)


def numbered(code: Code, ctx: Context, rng: random.Random) -> Code:
    """Every line led by its line number in the file, as in a numbered listing."""
    fmt = rng.choice(NUMBER_FORMATS)
    first = ctx.cut.line + 1 - code.lines_above
    out: list[str] = []
    for j, line in enumerate(code.text.split("\n")):
        if j == 0 and not code.line_start:
            out.append(line)
            continue
        mark = fmt.format(n=first + j)
        out.append(mark + line if line else mark.rstrip())
    return replace(code, text="\n".join(out))


def entities(code: Code, ctx: Context, rng: random.Random) -> Code:
    """`<`, `>` and `&` (and sometimes quotes) written as HTML entities."""
    quotes = rng.random() < 0.5
    apostrophe = rng.choice(("&#39;", "&#x27;", "&apos;"))
    text = code.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quotes or text == code.text:
        text = text.replace('"', "&quot;").replace("'", apostrophe)
    return replace(code, text=text)


def escaped_newlines(code: Code, ctx: Context, rng: random.Random) -> Code:
    """The whole answer on one line, its line breaks (and sometimes tabs) written `\\n`."""
    text = code.text.replace("\n", "\\n")
    if rng.random() < 0.5:
        text = text.replace("\t", "\\t")
    return replace(code, text=text)


def json_wrap(code: Code, ctx: Context, rng: random.Random) -> Code:
    """The answer as a JSON string in an object, compact or pretty, sometimes in a json fence."""
    key = rng.choice(JSON_KEYS)
    style = rng.choice(("compact", "pretty", "fenced", "language"))
    value = json.dumps(code.text, ensure_ascii=False)
    if style == "compact":
        text = f'{{"{key}": {value}}}'
    elif style == "language":
        text = f'{{"{key}": {value}, "language": "{ctx.cut.language}"}}'
    else:
        text = f'{{\n  "{key}": {value}\n}}'
        if style == "fenced":
            text = f"```json\n{text}\n```"
    return replace(code, text=text)


def has_indented_lines(expected: str, ctx: Context) -> bool:
    """Whether the true text has a line whose indentation the model writes itself."""
    lines = expected.split("\n")
    return any(_lead(lines[i]) for i in _movable(start(expected, ctx), lines))


def has_entity(text: str) -> bool:
    """Whether `text` already holds something that reads as an HTML entity."""
    return bool(_ENTITY.search(text))
