"""The code shapes of the `fresh5` family: how a chat model re-types, re-indents or extends the
true text of a hole. Each shape takes the answer as composed so far, the hole's `Context` and a
generator, and returns the damaged answer, or None when it means nothing for this hole (then it
is not applied and not named).

Fixable only: what a shape adds is the file's own text (the line above, the text before or after
the cursor, the lines below, the closer of the enclosing block) or a whole new top-level
function after a blank line; what it changes is whitespace that a reader can put back from the
file (a consistent shift by the file's step, the file's tabs or spaces). A shape draws the same
number of random numbers whatever the true text holds, so that `Family.answer_at` can compose
the same answer again with a marker in it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from .corruptions import Context
from .fresh5_words import CLOSERS, HELPER_NAMES, NEW_FUNCTION, pick
from .holes import indent
from .lexical import is_word

Shape = Callable[[str, Context, random.Random], str | None]

_COMMA = re.compile(r",(?=\S)")
_COMMA_SPACE = re.compile(r", +")
_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")


def respace(text: str, rng: random.Random) -> str:
    """`text` with its spacing changed as a model re-typing it would (a space after commas
    added or dropped, runs of spaces made one, the indentation dropped); `text` itself when no
    change applies."""
    lead = text[: len(text) - len(text.lstrip())]
    rest = text[len(lead) :]
    ways = (
        _COMMA.sub(", ", rest),
        _COMMA_SPACE.sub(",", rest),
        _RUN.sub(" ", rest),
    )
    start = int(rng.random() * len(ways))
    for k in range(len(ways)):
        changed = ways[(start + k) % len(ways)]
        if changed != rest:
            return lead + changed
    return rest if lead and rng.random() < 0.5 else text


def _depth(ctx: Context) -> str:
    """The indentation of the answer's lines: the cursor line's (a block body one step more)."""
    line = ctx.cut.lines[ctx.cut.line]
    own = line[: indent(line)]
    if ctx.cut.kind == "block":
        return own + ctx.unit
    return own


def _following(ctx: Context) -> list[str]:
    """The file's lines after the hole when nothing follows the cursor on its line."""
    if ctx.line_suffix.strip():
        return []
    return ctx.lines_after


def echo_prefix(body: str, ctx: Context, rng: random.Random) -> str | None:
    """The line's text before the cursor written again before the answer: whole, without its
    indentation, only its last tokens, or with its spacing changed."""
    prefix = ctx.line_prefix
    if not prefix.strip():
        return None
    bare = prefix.lstrip()
    starts = [
        i
        for i in range(len(prefix) - len(bare) + 1, len(prefix))
        if is_word(prefix[i]) and not is_word(prefix[i - 1])
    ]
    tails = [prefix[i:] for i in starts if sum(not c.isspace() for c in prefix[i:]) >= 4]
    way = pick(rng, ("whole", "bare", "tail", "spaced"))
    tail = pick(rng, tails) if tails else bare
    spaced = respace(prefix, rng)
    if way == "whole":
        return prefix + body
    if way == "bare":
        return bare + body
    if way == "tail":
        return tail + body
    return (spaced if spaced != prefix else bare) + body


def echo_prev(body: str, ctx: Context, rng: random.Random) -> str | None:
    """The line above written again (as it is or without its indentation), then the cursor
    line's text before the cursor, then the answer."""
    above = [ln for ln in ctx.lines_before if ln.strip()]
    if not above:
        return None
    line = above[-1] if rng.random() < 0.5 else above[-1].strip()
    return line + "\n" + ctx.line_prefix + body


def retype_rest(body: str, ctx: Context, rng: random.Random) -> str | None:
    """A mid-line answer that goes on with the rest of the line (as the file has it, or
    respaced), sometimes ending it with a line break. With `echo_prefix` it is the whole line
    typed again."""
    suffix = ctx.line_suffix
    if not suffix.strip():
        return None
    way = pick(rng, ("rest", "rest", "newline", "spaced"))
    spaced = respace(suffix, rng)
    if way == "newline":
        return body + suffix.rstrip() + "\n"
    if way == "spaced":
        return body + spaced
    return body + suffix


def _suffix_heads(suffix: str) -> list[str]:
    """Strict beginnings of `suffix` that end a token and hold 3 or more visible characters."""
    text = suffix.rstrip()
    out = []
    for i in range(1, len(text)):
        head = text[:i]
        if is_word(text[i - 1]) and is_word(text[i]):
            continue
        if text[i - 1].isspace() or sum(not c.isspace() for c in head) < 3:
            continue
        out.append(head)
    return out


def echo_suffix(body: str, ctx: Context, rng: random.Random) -> str | None:
    """What follows the hole written after the answer: for a mid-line hole the beginning of the
    rest of the line; else the next line or two of the file, as they are, without their
    indentation or respaced."""
    if ctx.line_suffix.strip():
        heads = _suffix_heads(ctx.line_suffix)
        if not heads:
            return None
        head = pick(rng, heads)
        spaced = respace(head, rng)
        return body + (spaced if rng.random() < 0.3 else head)
    nexts = [ln for ln in ctx.lines_after[:4] if ln.strip()]
    if not nexts:
        return None
    count = 1 if len(nexts) == 1 or rng.random() < 0.6 else 2
    way = pick(rng, ("as_is", "bare", "spaced"))
    chosen = nexts[:count]
    if way == "bare":
        chosen = [ln.strip() for ln in chosen]
    elif way == "spaced":
        chosen = [respace(ln, rng) for ln in chosen]
    return body + "\n" + "\n".join(chosen)


def over_generate(body: str, ctx: Context, rng: random.Random) -> str | None:
    """The answer goes on: the closer of the enclosing block that the file already has, the
    file's next few lines, or a whole new top-level function after a blank line."""
    after = _following(ctx)
    if not after and ctx.line_suffix.strip():
        return None
    nexts = [ln for ln in after if ln.strip()]
    depth = len(_depth(ctx))
    closer = bool(nexts) and nexts[0].strip() in CLOSERS and indent(nexts[0]) < depth
    run = 2 + int(rng.random() * 3)
    lines = after[:run]
    way = pick(rng, ("closer", "next", "function"))
    name = pick(rng, HELPER_NAMES)
    if way == "closer" and closer:
        return body + "\n" + nexts[0]
    if way in ("closer", "next") and sum(1 for ln in lines if ln.strip()) >= 1:
        return body + "\n" + "\n".join(lines)
    template = NEW_FUNCTION.get(ctx.cut.language)
    if template is None:
        return None
    gap = "\n\n\n" if ctx.cut.language == "python" else "\n\n"
    return body + gap + template.format(name=name)


def _body_lines(lines: list[str], kind: str) -> list[int]:
    """The answer's non-blank lines, but the line break that opens a block body."""
    first = 1 if kind == "block" else 0
    return [i for i in range(first, len(lines)) if lines[i].strip()]


def _shallower(lines: list[str], ctx: Context) -> bool:
    """One step less on the answer's lines: a block body one step out; the lines after the
    first of an answer typed at an indented cursor as if the cursor were at column 0; else
    every line one step out. False when a line has not that indentation to lose."""
    prefix = ctx.line_prefix
    if ctx.cut.kind != "block" and prefix and not prefix.strip():
        rest, lose = _body_lines(lines, ctx.cut.kind)[1:], prefix
    else:
        rest, lose = _body_lines(lines, ctx.cut.kind), ctx.unit
    if not rest or not all(lines[i].startswith(lose) for i in rest):
        return False
    for i in rest:
        lines[i] = lines[i][len(lose) :]
    return True


def indent_shift(body: str, ctx: Context, rng: random.Random) -> str | None:
    """The answer's indentation off: the cursor's indentation typed again before a blank-line
    answer, every line one step deeper (the whole answer shifted), one step shallower, or at
    one flat depth when the lines that carry indentation all share it."""
    if not ctx.starts_lines:
        return None
    lines = body.split("\n")
    own = _body_lines(lines, ctx.cut.kind)
    unit = ctx.unit
    way = pick(rng, ("lead", "deeper", "shallower", "flat"))
    prefix = ctx.line_prefix
    indented = [i for i in own if indent(lines[i])]
    if way == "lead" and ctx.cut.kind != "block" and prefix and not prefix.strip():
        lines[0] = prefix + lines[0]
    elif way == "shallower" and _shallower(lines, ctx):
        pass
    elif way == "flat" and len(indented) >= 2 and len({indent(lines[i]) for i in indented}) == 1:
        for i in indented:
            lines[i] = lines[i].lstrip(" \t")
    else:
        for i in own:
            lines[i] = unit + lines[i]
    changed = "\n".join(lines)
    return changed if changed != body else None


def _spaces_for_tabs(lead: str, width: int) -> str:
    return lead.replace("\t", " " * width)


def _tabs_for_spaces(lead: str, unit: str) -> str:
    step = len(unit)
    count = len(lead) - len(lead.lstrip(" "))
    return "\t" * (count // step) + " " * (count % step) + lead[count:]


def tabs_spaces(body: str, ctx: Context, rng: random.Random) -> str | None:
    """Tabs written as spaces (2, 4 or 8 a tab) in a tab-indented file, or spaces as tabs (one
    per step of the file) in a space-indented one; on every indented line or every other one."""
    unit = ctx.unit
    width = pick(rng, (2, 4, 8))
    every_other = rng.random() < 0.25
    lines = body.split("\n")
    out: list[str] = []
    seen = 0
    for line in lines:
        lead = line[: indent(line)]
        if lead and line.strip():
            seen += 1
            if not every_other or seen % 2:
                new = (
                    _spaces_for_tabs(lead, width) if unit == "\t" else _tabs_for_spaces(lead, unit)
                )
                line = new + line[len(lead) :]
        out.append(line)
    changed = "\n".join(out)
    return changed if changed != body else None


SHAPES: dict[str, Shape] = {
    "indent_shift": indent_shift,
    "tabs_spaces": tabs_spaces,
    "retype_rest": retype_rest,
    "echo_suffix": echo_suffix,
    "over_generate": over_generate,
    "echo_prev": echo_prev,
    "echo_prefix": echo_prefix,
}
"""In the order they are composed: whitespace first, then what comes after the answer, then
what comes before it."""
