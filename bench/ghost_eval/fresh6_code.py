"""fresh6's code shapes: how the code a chat model writes for a hole differs from the true text.

Each shape takes the code so far (`Code`: its text and whether its first line starts a line of
the file), the hole's `Context` and a random generator, and returns the changed code, or None
when it does not apply to this hole. Every shape keeps the true text recoverable from the code,
the text before the cursor and the text after it: echoes repeat the file's own text, whitespace
changes keep the lines' relative structure or can be read back from the file's indentation, and
added code is the file's own or plainly past the hole (after a line break in single-line mode, a
new unit past the end of the block). A text with the family's marker (`family.MARK`) in it keeps
that marker once: repeated copies are made from the text without it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from glm_lsp.inline import Mode

from . import fresh6_words as words
from .corruptions import Context
from .family import MARK
from .holes import indent
from .lexical import code_lines, is_word, token_boundary

CLOSING_WORDS = re.compile(r"^\s*(\}|\)|\]|end\b|fi\b|done\b|esac\b)")
LINE_KINDS = frozenset({"blank", "block", "block_blank"})


@dataclass(frozen=True)
class Code:
    """The code part of an answer; `line_start`: its first line starts at column 0 of the file
    (else it starts at the cursor)."""

    text: str
    line_start: bool


def plain(text: str) -> str:
    return text.replace(MARK, "")


def _lead(line: str) -> str:
    return line[: indent(line)]


def _unit(ctx: Context) -> str:
    return ctx.unit or "    "


def _cursor_line(ctx: Context) -> str:
    return ctx.cut.lines[ctx.cut.line]


def _answer_depth(code: Code, ctx: Context) -> int:
    """The column where the true text's first code line sits in the file."""
    first = next((ln for ln in plain(ctx.cut.expected).split("\n") if ln.strip()), "")
    if ctx.cut.kind == "block" or (ctx.cut.kind == "blank" and ctx.cut.character == 0):
        return indent(first)
    return indent(_cursor_line(ctx))


def _respaced(prefix: str, rng: random.Random) -> str | None:
    """`prefix` with its spacing changed the way models retype a line."""
    lead, body = _lead(prefix), prefix.lstrip(" \t")
    changes = [
        lead + re.sub(r",(?=\S)", ", ", body),
        lead + re.sub(r"(?<=\S) {2,}(?=\S)", " ", body),
        lead + re.sub(r" ?= ?", "=", body, count=1),
        lead + re.sub(r"(?<=\w)\(", " (", body, count=1),
        lead + lead + body,
        body,
        lead.replace("    ", "\t") + body,
    ]
    rng.shuffle(changes)
    return next((c for c in changes if c != prefix and c.strip()), None)


def _tail_starts(prefix: str) -> list[int]:
    start = indent(prefix)
    return [
        p
        for p in range(start + 1, len(prefix) - 2)
        if token_boundary(prefix, p)
        and not prefix[p].isspace()
        and any(is_word(ch) for ch in prefix[p:])
    ]


def echo_prefix(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """The text before the cursor typed again: the whole line, the line without its indentation,
    its last tokens, or the line with its spacing changed."""
    prefix = ctx.line_prefix
    if not prefix.strip():
        return None
    style = rng.choice(("line", "line", "bare", "tail", "tail", "respaced"))
    tails = _tail_starts(prefix)
    if style == "tail" and tails:
        return Code(prefix[rng.choice(tails) :] + code.text, False)
    if style == "respaced":
        changed = _respaced(prefix, rng)
        if changed is not None:
            return Code(changed + code.text, True)
    if style == "bare":
        return Code(prefix.lstrip(" \t") + code.text, True)
    return Code(prefix + code.text, True)


def echo_prev(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """The line(s) above the cursor line typed again, then the cursor line from its start."""
    at = ctx.cut.line
    count = rng.choice((1, 1, 2, 3))
    above = list(ctx.cut.lines[max(0, at - count) : at])
    if not any(line.strip() for line in above):
        return None
    while not above[0].strip():
        above.pop(0)
    return Code("\n".join(above) + "\n" + ctx.line_prefix + code.text, True)


def echo_suffix(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """The text after the cursor typed again: the rest of the line, the next line(s) or both."""
    after = list(ctx.cut.lines[ctx.cut.line + 1 : ctx.cut.line + 8])
    count = rng.choice((1, 1, 2, 3))
    nxt = after[:count]
    while nxt and not nxt[-1].strip() and len(nxt) < len(after):
        nxt.append(after[len(nxt)])
    nxt = nxt if any(line.strip() for line in nxt) else []
    suffix = ctx.line_suffix
    if suffix.strip() and (not nxt or rng.random() < 0.6):
        return Code(code.text + suffix, code.line_start)
    if not nxt:
        return None
    return Code(code.text + suffix + "\n" + "\n".join(nxt), code.line_start)


def _answer_lead(ctx: Context) -> str:
    """The indentation of the line the true text's first line ends up on."""
    if ctx.cut.kind == "blank" and ctx.cut.character == 0:
        return _lead(plain(ctx.cut.expected))
    return _lead(_cursor_line(ctx))


def _same_depth_lines(ctx: Context) -> list[str]:
    here = _cursor_line(ctx)
    depth = len(_answer_lead(ctx))
    at = ctx.cut.line
    first = max(0, at - 30)
    code = code_lines(list(ctx.cut.lines), ctx.cut.language)[first : at + 30]
    near = ctx.cut.lines[first : at + 30]
    return sorted(
        {
            line.strip()
            for line, is_code in zip(near, code, strict=True)
            if is_code and indent(line) == depth and len(line.strip()) >= 3
        }
        - {here.strip(), plain(ctx.cut.expected).strip()}
    )


def _single_extra(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    candidates = _same_depth_lines(ctx)
    if not candidates:
        return None
    lead = _answer_lead(ctx)
    extra = [lead + rng.choice(candidates) for _ in range(rng.choice((1, 1, 2)))]
    return Code(code.text + ctx.line_suffix + "\n" + "\n".join(extra), code.line_start)


def _past_block(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    depth = _answer_depth(code, ctx)
    language = ctx.cut.language
    unit = _unit(ctx)
    if language == "python":
        if depth == 0:
            return None
        made = words.new_unit(language, unit, "", rng)
        if made is None:
            return None
        return Code(code.text + ctx.line_suffix + "\n\n" + made, code.line_start)
    after = list(ctx.cut.lines[ctx.cut.line + 1 : ctx.cut.line + 9])
    end = next((i for i, ln in enumerate(after) if ln.strip() and indent(ln) < depth), None)
    if end is None:
        return None
    made = words.new_unit(language, unit, _lead(after[end]), rng)
    if made is None:
        return None
    own = "\n".join(after[: end + 1])
    return Code(code.text + ctx.line_suffix + "\n" + own + "\n\n" + made, code.line_start)


def over_generate(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """More code than the hole: in single-line mode more statements at the line's depth after a
    line break; in block mode the file's lines down to the end of the block, then a new unit."""
    single = ctx.hole.mode is Mode.SINGLE_LINE and "\n" not in ctx.cut.expected
    return _single_extra(code, ctx, rng) if single else _past_block(code, ctx, rng)


def restate(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """The answer given, then given again after a short lead-in: alone or as the whole line."""
    again = plain(ctx.cut.expected)
    if rng.random() < 0.5:
        again = (ctx.line_prefix.lstrip(" \t") + again + ctx.line_suffix).strip("\n")
    if not again.strip():
        return None
    return Code(code.text + rng.choice(words.RESTATE_LEADS) + again, code.line_start)


def _starts(code: Code) -> list[int]:
    """Indices of the lines of `code` that start a line of the file and hold code."""
    lines = code.text.split("\n")
    return [i for i, ln in enumerate(lines) if ln.strip() and (i > 0 or code.line_start)]


def _shift(lines: list[str], rows: list[int], columns: int, unit: str) -> list[str] | None:
    out = list(lines)
    for i in rows:
        if columns > 0:
            out[i] = unit * (columns // max(1, len(unit))) + out[i]
        elif indent(out[i]) >= -columns and not out[i][:-columns].strip():
            out[i] = out[i][-columns:]
        else:
            return None
    return out


def indent_shift(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """Indentation off: every line one step deeper or shallower, lines flattened by their
    common indentation, only the first line moved, the cursor's indentation typed again on
    the first line, or the lines after the first written relative to it."""
    lines = code.text.split("\n")
    rows = _starts(code)
    unit = _unit(ctx)
    step = len(unit) if unit != "\t" else 1
    cursor_lead = _lead(ctx.line_prefix) if not ctx.line_prefix.strip() else ""
    options: list[list[str] | None] = []
    if rows:
        least = min(indent(lines[i]) for i in rows)
        options.append(_shift(lines, rows, step, unit))
        options.append(_shift(lines, rows, -step, unit))
        if least > step:
            options.append(_shift(lines, rows, -least, unit))
        options.append(_shift(lines, rows[:1], step, unit))
    if not code.line_start and cursor_lead and lines[0].strip():
        options.append([cursor_lead + lines[0], *lines[1:]])
        tail = [i for i in range(1, len(lines)) if lines[i].strip()]
        if tail:
            options.append(_shift(lines, tail, -len(cursor_lead), " "))
    usable = [o for o in options if o is not None and o != lines]
    if not usable:
        return None
    return Code("\n".join(rng.choice(usable)), code.line_start)


def tabs_spaces(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """Tabs written in a file indented with spaces (one per step), or spaces (2, 4 or 8 per
    tab) in a file indented with tabs."""
    lines = code.text.split("\n")
    rows = [i for i in _starts(code) if lines[i][:1] in " \t"]
    if not rows:
        return None
    unit = _unit(ctx)
    per_tab = " " * rng.choice((2, 4, 8))
    out = list(lines)
    for i in rows:
        lead, rest = _lead(lines[i]), lines[i][indent(lines[i]) :]
        out[i] = (lead.replace("\t", per_tab) if unit == "\t" else lead.replace(unit, "\t")) + rest
    if out == lines:
        return None
    return Code("\n".join(out), code.line_start)


def diff_plus(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """The answer written as a unified diff: `+` before each new line, the changed line shown
    with `-` first, a context line or a hunk header sometimes."""
    plus = "+ " if rng.random() < 0.25 else "+"
    kind = ctx.cut.kind
    whole = (("" if code.line_start else ctx.line_prefix) + code.text + ctx.line_suffix).split("\n")
    out: list[str] = []
    at = ctx.cut.line
    if rng.random() < 0.3:
        out.append(f"@@ -{at + 1},1 +{at + 1},{len(whole)} @@")
    if kind == "block":
        out.append(" " + whole[0])
        whole = whole[1:]
    elif at > 0 and ctx.cut.lines[at - 1].strip() and rng.random() < 0.5:
        out.append(" " + ctx.cut.lines[at - 1])
    if kind in ("eol", "mid"):
        out.append("-" + _cursor_line(ctx))
    out += [plus + line for line in whole]
    return Code("\n".join(out), True)


def explain_comment(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """A comment about the answer: on its own line before or after the code, at the end of a
    single-line answer, or a block comment after a mid-line answer in a C-like language."""
    language, kind = ctx.cut.language, ctx.cut.kind
    said = words.comment(language, rng)
    if kind == "eol":
        return Code(code.text + "  " + said, code.line_start)
    if kind == "mid":
        if language in words.C_LIKE and rng.random() < 0.6:
            return Code(code.text + " " + words.block_comment(rng), code.line_start)
        return Code(said + "\n" + code.text, code.line_start)
    lines = code.text.split("\n")
    rows = _starts(code)
    cursor_lead = _lead(ctx.line_prefix) if not ctx.line_prefix.strip() else ""
    if rng.random() < 0.4 and rows:
        return Code(code.text + "\n" + _lead(lines[rows[-1]]) + said, code.line_start)
    if code.line_start or (rows and not lines[0].strip()):
        first = rows[0] if rows else 0
        lines.insert(first, _lead(lines[first]) + said)
        return Code("\n".join(lines), code.line_start)
    return Code(said + "\n" + cursor_lead + code.text, code.line_start)


def _unit_bounds(ctx: Context) -> tuple[int, int] | None:
    """The enclosing top-level unit around the cursor line: (first line, end) within 25 lines."""
    lines, at = ctx.cut.lines, ctx.cut.line
    head = None
    for i in range(at, max(-1, at - 25), -1):
        line = lines[i]
        if line.strip() and indent(line) == 0:
            head = None if CLOSING_WORDS.match(line) else i
            break
    if head is None or (head == at and ctx.cut.kind != "block"):
        return None
    while (
        head > 0
        and lines[head].strip() == "{"
        or (
            head > 0
            and lines[head - 1].strip()
            and not lines[head - 1][:1].isspace()
            and lines[head - 1].rstrip().endswith((",", "(", ")"))
        )
    ):
        head -= 1
    for j in range(at + 1, min(len(lines), at + 26)):
        line = lines[j]
        if line.strip() and indent(line) == 0:
            return head, j + 1 if CLOSING_WORDS.match(line) else j
    return None


def rewrite(code: Code, ctx: Context, rng: random.Random) -> Code | None:
    """The whole enclosing function (or top-level unit) written out again with the answer in
    it, from its first line to its end, instead of only the missing text."""
    bounds = _unit_bounds(ctx)
    if bounds is None:
        return None
    head, end = bounds
    lines, at = ctx.cut.lines, ctx.cut.line
    above = "".join(line + "\n" for line in lines[head:at])
    below = list(lines[at + 1 : end])
    while below and not below[-1].strip():
        below.pop()
    text = above + ctx.line_prefix + code.text + ctx.line_suffix
    if below:
        text += "\n" + "\n".join(below)
    return Code(text, True)
