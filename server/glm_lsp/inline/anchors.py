"""Lines of a whole-line answer that say where the lines after its first one belong: the line
closing the first line's bracket, and first lines whose body follows without a brace."""

from __future__ import annotations

import re

from .answer_lines import is_closer_line
from .hole import indent_width
from .syntax import code_part, scan
from .trigger import opener_kind

_BRACELESS = re.compile(r"^\s*(?:(?:if|for|while|foreach)\b.*\)|else|do)\s*$")


def braceless(code: str, language: str) -> bool:
    """`if (x)` / `for (...)` / `else` with its body on the next line (not `if (x) f()`)."""
    if _BRACELESS.match(code) is None:
        return False
    return "(" not in code or _closes_at_end(code, code.index("("), language)


def _closes_at_end(code: str, start: int, language: str) -> bool:
    """The parenthesis opened at `start` closes at the very end of `code`."""
    for end in range(start + 1, len(code)):
        if code[end] == ")" and not scan(code[start : end + 1], language).open:
            return end == len(code) - 1
    return False


def closer_anchor(lines: list[str], first: int, opened: int, language: str) -> int | None:
    """The line that closes the last bracket the first line leaves open (it sits on the first
    line's column), if the answer has it."""
    for index in range(first + 1, len(lines)):
        if lines[index].strip() and is_closer_line(lines[index]):
            before = scan("\n".join(lines[first:index]) + "\n", language)
            if len(before.open) == opened and not before.in_string and not before.in_comment:
                return index
    return None


def anchor_off(lines: list[str], first: int, target: int, step: int, language: str) -> bool:
    """The answer's own anchors say its lines after the first are not where they belong, with
    its first line on `target`: the line closing the first line's last open bracket sits on
    neither that column nor the column of the line above it (`)` of a call at 16 under
    arguments at 20, the call at 12), or the body of a block the first line opens is off the
    file's `step` (5 columns under `for ...:` in a 4-column file; `step` 0 when unknown)."""
    opened = len(scan(lines[first], language).open)
    closing = closer_anchor(lines, first, opened, language) if opened else None
    if closing is not None:
        above = next(ln for ln in reversed(lines[:closing]) if ln.strip())
        column = indent_width(lines[closing])
        return column != target and column != indent_width(above)
    code = (code_part(lines[first], language) or "").rstrip()
    strong = code.endswith("{") or opener_kind(lines[first], language) == "strong"
    if not step or opened or not strong:
        return False
    body = next((ln for ln in lines[first + 1 :] if ln.strip()), None)
    offset = indent_width(body) - target if body is not None else 0
    return offset > 0 and offset % step != 0
