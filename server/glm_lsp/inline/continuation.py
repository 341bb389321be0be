"""Continuation lines of a block answer's first statement at a column nothing explains.

A model that shifted an answer's lines writes a statement's continuation (`&& b` under
`return a &&`, the arguments under a call) at a column the re-indentation cannot read back:
neither whole steps under the statement, nor under a token of a line above it. Its right
depth is unknown, so only the part of the answer before it is sure.
"""

from __future__ import annotations

from .answer_lines import is_closer_line, join_answer, split_answer
from .flat import ends_continued, shallow_continuation
from .hole import Hole, indent_width, width
from .indent_style import document_unit
from .syntax import scan

STEPS_UNDER = (1, 2, 3)
"""Whole steps a continuation line may sit under its statement's first line."""
_OPENERS = frozenset(" \t([{")
JUDGED = 12
"""Continuation lines judged at most (each is judged on a scan of the statement so far)."""


def _token_columns(line: str, column: int) -> set[int]:
    """Columns where a token of `line` (its text starting at `column`) starts: after a space
    or an open bracket. A continuation line may align under any of them."""
    text = line.lstrip(" \t")
    return {
        column + at
        for at, char in enumerate(text)
        if char not in " \t" and (at == 0 or text[at - 1] in _OPENERS)
    }


def unaligned_continuation(
    lines: list[str], columns: list[int], step: int, language: str
) -> int | None:
    """The first continuation line of the answer's first statement (a bracket left open, an
    operator ending the line above) whose column is neither whole steps (`STEPS_UNDER`) under
    the statement's first column nor under a token of a line of the statement above it; None
    without one, or where the file's `step` is unknown. Closers and lines in strings or
    comments are not judged, nor a line after `>` (`template<typename T>` heads a declaration)."""
    content = [index for index, line in enumerate(lines) if line.strip()]
    if step < 2 or len(content) < 2:
        return None
    start = previous = content[0]
    plausible = {columns[start] + k * step for k in STEPS_UNDER}
    plausible |= _token_columns(lines[start], columns[start])
    for index in content[1 : JUDGED + 1]:
        state = scan("\n".join(lines[start:index]), language)
        if state.in_string or state.in_comment:
            return None
        above = lines[previous].rstrip()
        if not (state.open or ends_continued(above, language)) or above.endswith(">"):
            return None
        if not is_closer_line(lines[index]) and columns[index] not in plausible:
            return index
        plausible |= _token_columns(lines[index], columns[index])
        previous = index
    return None


def without_lost_continuation(text: str, hole: Hole, cursor: int | None) -> str | None:
    """The answer up to a continuation line left of its statement (`flat.shallow_continuation`)
    or, when the answer starts a line (`cursor` its column), at a column nothing explains
    (`unaligned_continuation`): its depth is lost, so only the part before it is sure."""
    broken, lines = split_answer(text)
    columns = [indent_width(ln) for ln in lines]
    columns[0] += cursor if cursor is not None else width(hole.line_prefix)
    cut = shallow_continuation(lines, columns, hole.language)
    if cut is None and cursor is not None:
        cut = unaligned_continuation(lines, columns, width(document_unit(hole)), hole.language)
    if cut is None:
        return text
    kept = join_answer(broken, lines[:cut]).rstrip()
    return kept if kept.strip() else None
