"""Where a block answer stops: the first line that leaves the block being filled.

`limit_scope` runs after `fix_indentation` (`reindent.py`), on an answer already at the
document's columns. A line that closes the block is kept for the later filters to judge, unless
the document closes that block itself on its next line.
"""

from __future__ import annotations

import re

from .answer_lines import is_closer_line, is_comment_line, join_answer, split_answer
from .hole import Hole, Mode, indent_width
from .reference import STATEMENT_LINES
from .reindent import CONTINUATION, cursor_column
from .syntax import code_part, scan

_JUMP = re.compile(r"\s*(?:return|throw|raise|break|continue|exit|goto)\b")
"""A statement after which the next statement at its column is never reached."""
_LABEL = re.compile(r"(?:case\b|default\b|\w+:$)")
_CONDITIONAL = re.compile(r"\b(?:if|unless|when|and|or)\b|&&|\|\|")
_OPEN_ENDS = (",", "\\", "+", "-", "*", "/", "=", "(", "[", "{", ".", "?", ":")


def limit_scope(text: str, hole: Hole) -> str | None:
    """Cut a multi-line answer at the first line that leaves the block being filled.

    A line that closes the block (`}`, `end`) is kept; whether it is wanted is decided later by
    bracket balancing and suffix matching. It is cut when the document already closes that block
    on its next line (a closer on the column of the statement that opened it): the answer would
    close more than the hole opened (`}` echoed from the suffix, at any column).
    """
    if hole.mode is not Mode.MULTI_LINE:
        return text
    broken, lines = split_answer(text)
    cursor = cursor_column(hole, broken)
    if cursor is None:
        return text
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return text
    scope = cursor + indent_width(lines[first])
    jumped = scope if _JUMP.match(lines[first]) and _complete(lines[first], hole) else None
    for index in range(first + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        column = indent_width(line)
        if column < scope:
            closes = is_closer_line(line) and bool(lines[index - 1].strip())
            keep = index + 1 if closes and not _closed_below(hole, broken) else index
            return join_answer(broken, lines[:keep]).rstrip()
        if jumped is not None and column == jumped and _reachable_from(line) is False:
            return join_answer(broken, lines[:index]).rstrip()
        if _JUMP.match(line) and _complete(line, hole):
            jumped = column
        elif not is_comment_line(line.strip()):
            jumped = None
    return text


def jumps_past(line: str, after: str, hole: Hole) -> bool:
    """`line` is a complete jump (`return true;`) and `after`, the next line of code, sits on
    its column where nothing can reach it: written after the jump, it was never the block's."""
    if not _JUMP.match(line) or not _complete(line, hole):
        return False
    return indent_width(after) == indent_width(line) and not _reachable_from(after)


def _reachable_from(line: str) -> bool:
    """A line right after a `return` at its column that code can still reach: a closer, a
    continuation of the statement (`else`, `except`), a label (`case`, `default:`), a
    preprocessor line or a shell `;;`, or a comment (then the line after it decides)."""
    code = line.strip()
    if is_closer_line(code) or CONTINUATION.match(code) or _LABEL.match(code):
        return True
    return code.startswith(("#", ";;")) or is_comment_line(code)


def _complete(line: str, hole: Hole) -> bool:
    """The jump statement ends on its line: no bracket left open, no operator or comma at its
    end, no condition after it (`return nil if x` in Ruby)."""
    code = (code_part(line, hole.language) or line).rstrip()
    if _CONDITIONAL.search(code) or code.endswith(_OPEN_ENDS):
        return False
    state = scan(code, hole.language)
    return not state.open and not state.in_string


def _closed_below(hole: Hole, broken: bool) -> bool:
    """The next line of the document is a plain closer (`}`, `end`, `fi`, not `} else {`) on
    the column of the statement that opens the block being filled."""
    below = hole.next_line
    if below is None or not is_closer_line(below):
        return False
    code = below.strip()
    if code.endswith(("{", ":")) or CONTINUATION.match(code.lstrip("})] ")):
        return False
    return indent_width(below) in _opener_columns(hole, broken)


def _opener_columns(hole: Hole, broken: bool) -> set[int]:
    """Columns of the line that opens the block being filled and of the lines its statement
    continues (`public void f(...)` above `throws E {`), up to `STATEMENT_LINES` lines."""
    above = [ln for ln in hole.lines_before[-STATEMENT_LINES:] if ln.strip()]
    line = hole.line_prefix if broken else (above.pop() if above else "")
    columns = {indent_width(line)}
    while above:
        code = (code_part(above[-1], hole.language) or "").rstrip()
        if not code or is_comment_line(code) or code.endswith((";", "{", "}", ":")):
            break
        columns.add(indent_width(above.pop()))
    return columns
