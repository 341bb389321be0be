"""Where a re-indented answer's first line goes when the lines around leave a choice or say
nothing: the column nearest the model's own, or the step the answer's own blocks show."""

from __future__ import annotations

from .hole import Hole, indent_width
from .indent_style import answer_step
from .reference import Reference
from .syntax import code_part, scan

OWN_STEPS = frozenset({2, 3, 4, 8})
"""Steps an answer's own blocks may show for a file that shows none."""


def nearest_column(columns: set[int], model: int, around: int) -> int:
    """The column of `columns` nearest the model's own (`around`, the statement above's, on a
    tie): at a blank line at column 0 in a body, a model that indented its line by a column
    that fits nowhere shifted it by a little, not from the far one (4 between a line at 12
    and the next at 8 is 8)."""
    return min(columns, key=lambda column: (abs(column - model), column != around, column))


def own_step_column(
    lines: list[str], first: int, around: int, hole: Hole, ref: Reference
) -> int | None:
    """The column of a block answer's first line one step of the answer's own under the opener
    at `around`, where the file shows no step (no indented line in view, no sibling block) and
    the answer opens a block of its own one step deeper (`if (x) {` then a line 2 columns in:
    2-column steps); None otherwise."""
    if hole.indent_unit or ref.steps or ref.elsewhere:
        return None
    columns = [indent_width(line) if line.strip() else None for line in lines]
    step = answer_step(lines[first:], columns[first:], hole.language)
    return around + step if step in OWN_STEPS else None


def continuation_shift(lines: list[str], first: int, raw: list[int], target: int, step: int) -> int:
    """How far the lines after a whole-line answer's first line move when none of them says
    (only continuation lines follow): as far as the first line, unless all of them sit deeper
    than the first line as written and whole steps under its target column, and would not after
    the move (`provides X with` one column off, `    impl;` under it right: the model shifted
    the first line alone)."""
    shift = target - raw[first]
    rest = [raw[i] for i in range(first + 1, len(lines)) if lines[i].strip()]
    if not shift or not rest or step <= 0 or min(rest) <= raw[first]:
        return shift

    def on_steps(columns: list[int]) -> bool:
        return all(column > target and (column - target) % step == 0 for column in columns)

    if on_steps(rest) and not on_steps([column + shift for column in rest]):
        return 0
    return shift


def items_shifted_deeper(lines: list[str], first: int, language: str) -> bool:
    """The answer is a list of items (`A = 1,` lines of an enum, an initializer, a table) whose
    first item is complete and whose others all sit on one column deeper than it, each ending
    with a comma but the last: items are siblings, so the model shifted all but the first (a
    declaration continued after a comma ends with `;`, and a call's arguments leave a bracket
    open on the first line)."""
    content = [i for i in range(first, len(lines)) if lines[i].strip()]
    if len(content) < 2 or not lines[first].rstrip().endswith(","):
        return False
    rest = {indent_width(lines[i]) for i in content[1:]}
    if len(rest) != 1 or rest.pop() <= indent_width(lines[first]):
        return False
    codes = [(code_part(lines[i], language) or "").rstrip() for i in content]
    if not codes[0].endswith(",") or any(scan(code, language).open for code in codes):
        return False
    return all(code.endswith(",") for code in codes[1:-1]) and not codes[-1].endswith(";")


def after_top_level_gap(columns: set[int], hole: Hole) -> set[int]:
    """`columns` where a Python blank line follows two blank lines or more and the next line of
    code is at column 0: PEP 8's gap before top-level code, so only column 0 (a statement of the
    class or function above does not come after that gap)."""
    if hole.language != "python" or 0 not in columns:
        return columns
    below = next((line for line in hole.lines_after if line.strip()), None)
    if below is None or indent_width(below):
        return columns
    blanks = 0
    for line in reversed(hole.lines_before):
        if line.strip():
            break
        blanks += 1
    return {0} if blanks >= 2 else columns
