"""Where a statement of an answer may go: whether a line ends its statement (so the next line
cannot sit deeper), and the columns around the cursor a statement may start at.

Re-indentation (`reindent.py`) trusts a model's relative indentation only where it reads as
code: a line deeper than a complete statement above it (`this.type = type` then
`    this.subtype = subtype`) is no continuation but a shifted line.
"""

from __future__ import annotations

import re

from .answer_lines import is_closer_line, is_comment_line, is_flush_directive
from .hole import Hole, indent_width
from .syntax import PY_LIKE, code_part, scan
from .trigger import opener_kind

_CONTINUES = re.compile(r"(?:[-+*/%&|^=<>?:\\([{,.]|\b(?:and|or|not|in|with|is))$")
"""A line end after which the statement goes on: an operator, a comma, an open bracket."""
_LEADING_OPERATOR = re.compile(r"\s*(?:[-+*/%&|^=<>?:.]|\b(?:and|or|is|in|not)\b)")
_BLOCK_WORD = re.compile(
    r"(?:if|unless|while|until|for|foreach|case|when|elsif|elif|else|def|class|module|begin"
    r"|rescue|ensure|function|switch|try|catch|finally|do|loop|match|with|select|template)\b"
)
"""Keywords that may open a block without a brace or colon (Ruby's `if x`, a C++ template
line): the next line may be deeper."""
_OPERATOR_END = re.compile(r"(?:[-+*/%&|^=<>?:\\([{]|\b(?:and|or|not|in|with))$")
_CONTINUED_END = re.compile(r"(?:[-+*/%&|^=<>\\([{]|(?<!\w)\?|\b(?:and|or|not|in))$")
"""A line end that continues the statement (an operator, an open bracket; not a predicate's
`?` in Ruby, nor a comma or colon: the next item of an enclosing list goes on their column)."""
_SEMICOLON_TERMINATED = frozenset({"c", "cpp", "java", "csharp"})
_SHELL = frozenset({"shellscript", "bash", "sh", "zsh"})
_FLAT_COMMENT = ("//", "-- ", "# ")


def ends_flat(lines: list[str], index: int, first: int, language: str) -> bool:
    """The content line before `lines[index]` is a line comment, or a complete statement: no
    bracket, string or comment left open since `lines[first]`, no operator or comma at its
    end, no block opened by it; and `lines[index]` does not start with an operator (`.then`,
    `+ b`). Then `lines[index]` belongs on its column, not deeper."""
    before = next(ln for ln in reversed(lines[first:index]) if ln.strip())
    stripped = before.strip()
    if stripped.startswith(_FLAT_COMMENT):
        return True
    if stripped.endswith(";") and stripped.count("(") == stripped.count(")"):
        return True
    state = scan("\n".join(lines[first:index]), language)
    if state.open or state.in_string or state.in_comment or state.stray:
        return False
    code = (code_part(before, language) or "").strip()
    if not code or _CONTINUES.search(code) or opener_kind(before, language):
        return False
    if _BLOCK_WORD.match(code) or code.startswith(("@", "#")):
        return False
    if language in _SHELL and ("<<" in code or code.endswith(")")):
        return False
    line = lines[index]
    return not _LEADING_OPERATOR.match(line) or not (code_part(line, language) or "").strip()


def enclosing_columns(hole: Hole, target: int) -> set[int]:
    """Columns of the blocks enclosing the cursor (where code after the block may resume)."""
    columns: set[int] = set()
    current = target
    for line in reversed(hole.lines_before):
        if not line.strip() or is_flush_directive(line, hole.language):
            continue
        column = indent_width(line)
        if column < current:
            columns.add(column)
            current = column
            if column == 0:
                break
    return columns


def enclosing_step(hole: Hole, column: int) -> int | None:
    """How much deeper a statement at `column` sits than the space-indented block opener
    around it (`class X {` at 0, members at 2: 2); None without one."""
    for line in reversed(hole.lines_before):
        if not line.strip() or is_flush_directive(line, hole.language):
            continue
        at = indent_width(line)
        if at < column:
            usable = not line.startswith("\t") and _opens_body(line, hole.language)
            return column - at if usable and column - at in (2, 3, 4, 8) else None
    return None


def continued(previous: str, hole: Hole) -> bool:
    """The code above ends in an operator, or, where `;` ends every statement (C, Java), in
    neither `;` nor a brace (`f(int x)` then `throws E;`): the statement goes on below."""
    if _OPERATOR_END.search(previous):
        return True
    head = previous.lstrip()[:1]
    return (
        hole.language in _SEMICOLON_TERMINATED
        and previous[-1:] not in ";{}:"
        and head not in "#@/*"
    )


def columns_below(hole: Hole, around: int) -> set[int]:
    """Columns left of the statement above where a statement at a blank line may start: the
    next line's and the enclosing blocks', none left of the next line (the block goes on
    there) nor on the column of a closer below (`}`: the statement is inside it)."""
    lines = (ln for ln in hole.lines_after if ln.strip())
    below = next((ln for ln in lines if not is_flush_directive(ln, hole.language)), "")
    floor = indent_width(below) + (1 if below.strip() and is_closer_line(below) else 0)
    found = {indent_width(below), *enclosing_columns(hole, around)}
    return {column for column in found if column >= floor}


def shallow_continuation(lines: list[str], columns: list[int], language: str) -> int | None:
    """The first line that continues the statement above it (a bracket left open, an operator
    at the end of the line before) but sits at or left of that statement's first column: a
    line whose depth the model lost (`return a &&` then `b` under `return`). Closers (`)`,
    `}`, `end`) and lines inside strings and comments are not counted. None without one."""
    start: int | None = None
    previous = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if start is None:
            start = previous = index
            continue
        state = scan("\n".join(lines[start:index]), language)
        if state.in_string or state.in_comment:
            previous = index
            continue
        if not (state.open or ends_continued(lines[previous], language)):
            start = previous = index
            continue
        if columns[index] <= columns[start] and not is_closer_line(line):
            return index
        previous = index
    return None


def ends_continued(line: str, language: str) -> bool:
    """`line` ends with an operator or an open bracket (no block opener, no comment): the
    statement goes on on the next line."""
    code = (code_part(line, language) or "").rstrip()
    ends = bool(_CONTINUED_END.search(code)) and not opener_kind(line, language)
    return ends and not is_comment_line(code)


def flat_after(raw: list[int], lines: list[str], first: int) -> bool:
    """Every line after the first, which continues the editor's indentation, starts at column 0:
    lines the model wrote flat, whose depth (body or code after the block) cannot be read."""
    rest = [raw[i] for i in range(first + 1, len(lines)) if lines[i].strip()]
    return bool(rest) and not any(rest)


def cut_flat_body(lines: list[str], first: int, hole: Hole, cursor: int) -> list[str]:
    """The answer up to a line that opens a block whose next line is not deeper (an answer
    written without its indentation cannot be re-indented: show the part that is sure). The
    first line starts at `cursor`."""
    content = [i for i in range(first, len(lines)) if lines[i].strip()]
    for here, after in zip(content, content[1:], strict=False):
        if not _opens_body(lines[here], hole.language):
            continue
        body = lines[after]
        column = indent_width(lines[here]) + (cursor if here == first else 0)
        if indent_width(body) <= column and not is_closer_line(body):
            return lines[:after]
    return lines


def _opens_body(line: str, language: str) -> bool:
    code = line.rstrip()
    if language in PY_LIKE:
        return code.endswith(":") and opener_kind(line, language) == "strong"
    return code.endswith("{") and opener_kind(line, language) == "strong"
