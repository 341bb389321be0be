"""Where a block answer stops: the first line that leaves the block being filled.

`limit_scope` runs after `fix_indentation` (`reindent.py`), on an answer already at the
document's columns. A line that closes the block is kept for the later filters to judge, unless
the document closes that block itself on its next line.
"""

from __future__ import annotations

from .answer_lines import is_closer_line, is_comment_line, join_answer, split_answer
from .hole import Hole, Mode, indent_width
from .reindent import CONTINUATION, STATEMENT_LINES, cursor_column
from .syntax import code_part


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
    for index in range(first + 1, len(lines)):
        line = lines[index]
        if line.strip() and indent_width(line) < scope:
            closes = is_closer_line(line) and bool(lines[index - 1].strip())
            keep = index + 1 if closes and not _closed_below(hole, broken) else index
            return join_answer(broken, lines[:keep]).rstrip()
    return text


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
