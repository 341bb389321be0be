"""Lines of a whole-line answer that say where the lines after its first one belong: the line
closing the first line's bracket, and first lines whose body follows without a brace."""

from __future__ import annotations

import re

from .answer_lines import is_closer_line
from .syntax import scan

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
