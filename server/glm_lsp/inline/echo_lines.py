"""Answers that repeat whole lines of the file above the cursor, or a start of one: the
predicates `echo.trim_prefix_echo` drops such answers by."""

from __future__ import annotations

import re

from .hole import Hole, indent_of, indent_width, width
from .restated import is_trivial
from .syntax import squeeze

DISTINCT_CHARS = 12
"""Characters (without whitespace) a line needs to identify a place in the file."""
OPENER_CHARS = 6
"""Characters (without whitespace) of a block opener's start that a body never repeats."""
NEAR_LINES = 8
"""Lines above the cursor whose whole repeat after typed code is an echo."""
LED_CHARS = 4
"""Characters (without whitespace) of a line's start repeated with its own indentation."""
_NON_WORD = re.compile(r"[^\w.]")


def only_lines_above(lines: list[str], hole: Hole) -> bool:
    """Every line of the answer repeats, in order, the lines just above the cursor line."""
    content = [squeeze(ln) for ln in lines if ln.strip()]
    above = [squeeze(ln) for ln in hole.lines_before[-32:] if ln.strip()]
    if not content or len(content) > len(above) or all(is_trivial(c) for c in content):
        return False
    return content == above[len(above) - len(content) :]


def copy_of_line_above(lines: list[str], hole: Hole) -> bool:
    """A one-line answer after code that is the line above as it stands, indentation and all
    (`            ;;` after `        -`): a copied line, however short, never the line's end."""
    content = [ln.rstrip() for ln in lines if ln.strip()]
    above = (hole.prev_line or "").rstrip()
    return len(content) == 1 and content[0][:1].isspace() and content[0] == above


def restates_a_line_above(lines: list[str], hole: Hole) -> bool:
    """A one-line answer after code that is a whole line from just above (up to `NEAR_LINES`
    up), long enough to identify it: the model restarted from there and the stream stopped at
    that line's end (`let x = f(a);` after `g(`); what goes on typed code is not a statement
    the file already has."""
    content = [squeeze(ln) for ln in lines if ln.strip()]
    if len(content) != 1 or len(content[0]) < DISTINCT_CHARS:
        return False
    return content[0] in {squeeze(ln) for ln in hole.lines_before[-NEAR_LINES:] if ln.strip()}


def start_of_line_above(lines: list[str], hole: Hole) -> bool:
    """A one-line answer that is the start of one of the lines just above, cut short (a
    repeat the stream stopped inside): long enough to identify that line, and not the cursor
    line's own start."""
    content = [ln for ln in lines if ln.strip()]
    if len(content) != 1:
        return False
    answer = squeeze(content[0])
    if len(answer) < DISTINCT_CHARS or squeeze(hole.line_prefix).startswith(answer):
        return False
    if hole.line_suffix.strip() or not _NON_WORD.search(answer):
        return False  # a name used again, or a mid-line hole: not a repeated line
    above = [squeeze(ln) for ln in hole.lines_before[-12:] if ln.strip()][-3:]
    return any(len(line) > len(answer) and line.startswith(answer) for line in above)


def start_of_opener(lines: list[str], hole: Hole, broken: bool) -> bool:
    """A block answer that is one line, a strict start of the line opening the block (the
    cursor line, or the line above a blank cursor line), `OPENER_CHARS` or more: a repeat the
    stream stopped inside (`def f(self)` after `def f(self):`, `if (t3 >` after `if (t3 > 1) {`);
    a body that begins so is cut inside its first words and shows nothing sure either."""
    content = [ln for ln in lines if ln.strip()]
    if len(content) != 1:
        return False
    typed = broken or bool(hole.line_prefix.strip())
    opener = squeeze(hole.line_prefix if typed else hole.prev_line or "")
    answer = squeeze(content[0])
    return len(answer) >= OPENER_CHARS and len(opener) > len(answer) and opener.startswith(answer)


def copied_from_above(lines: list[str], hole: Hole, broken: bool) -> bool:
    """A block answer that is only a run of consecutive lines from above the cursor (a repeat
    the stream stopped before it reached the cursor, maybe inside its last line): two lines or
    more, one of them long enough to identify the place, the first one left of the block's body
    (the model restarted from an enclosing line; code repeated in the file, written in the
    body, is an answer)."""
    content = [squeeze(ln) for ln in lines if ln.strip()]
    start = next((ln for ln in lines if ln.strip()), "")
    typed = 0 if broken or hole.line_prefix.strip() else width(hole.line_prefix)
    if typed + indent_width(start) >= hole.target_indent:
        return False
    if len(content) < 2 or all(is_trivial(ln.strip()) for ln in lines if ln.strip()):
        return False
    if max(len(c) for c in content) < DISTINCT_CHARS:
        return False
    above = [squeeze(ln) for ln in hole.lines_before[-32:] if ln.strip()]
    size = len(content)
    if any(above[at : at + size] == content for at in range(len(above) - size + 1)):
        return True
    return _cut_run_above(above, content)


def _cut_run_above(above: list[str], content: list[str]) -> bool:
    """`content` repeats the lines just above the cursor line (squeezed), its last line cut by
    the stream inside the line right above the cursor (`].forEach(` for `].forEach(function
    (method) {`): elsewhere in the file, a cut run may be the start of code that repeats."""
    window = above[len(above) - len(content) :]
    if len(window) != len(content) or window[:-1] != content[:-1]:
        return False
    return window[-1].startswith(content[-1])


def led_start_of_line_above(lines: list[str], hole: Hole) -> bool:
    """A one-line answer after typed code that starts with the indentation of a line just
    above (up to `NEAR_LINES` up) or of the cursor line and goes on with that line's own text,
    whole or cut (`    BYTE` after `    CARD16|`, the line above being `    BYTE pad1;`; led
    by one space only whole, ` * PURPOSE.` after `package org|`): the model restarted from
    that line. Code going on after the cursor never starts with a whole
    line's indentation followed by that line's words."""
    content = [ln.rstrip() for ln in lines if ln.strip()]
    if len(content) != 1 or not hole.line_prefix.strip():
        return False
    answer = content[0]
    lead = indent_of(answer)
    if not lead or len(squeeze(answer)) < LED_CHARS:
        return False
    for line in [*hole.lines_before[-NEAR_LINES:], hole.line_prefix]:
        if indent_of(line) != lead or not line.startswith(answer):
            continue
        if width(lead) >= 2 or line.rstrip() == answer:
            return True
    return False


def led_copy_of_line_above(lines: list[str], hole: Hole) -> bool:
    """A one-line answer after typed code, on a line of its own, that is a whole line from just
    above (up to `NEAR_LINES` up) with its indentation, long enough to identify it: the model
    restarted from there and the stream stopped at that line's end (`  type: "object",` under
    `  schemaType: |`)."""
    content = [ln.rstrip() for ln in lines if ln.strip()]
    if len(content) != 1 or not hole.line_prefix.strip() or not indent_of(content[0]):
        return False
    if len(squeeze(content[0])) < DISTINCT_CHARS:
        return False
    return any(line.rstrip() == content[0] for line in hole.lines_before[-NEAR_LINES:])


def next_line_follows(line: str, hole: Hole) -> bool:
    """`line` is the file's next line below the cursor: after a first line equal to the line
    above, the model wrote the cursor line whole (it repeats the line above) and went on into
    the file, as the line above's repeat would not (`f(s, o);` twice, then `rounds -= 4;`)."""
    below = next((ln for ln in hole.lines_after if ln.strip()), None)
    return below is not None and squeeze(line) == squeeze(below)
