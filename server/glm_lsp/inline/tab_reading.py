"""How wide the tabs of an answer are, where the document does not say.

A model that mixes tabs into an answer for a space-indented file means a tab as one step of
its own, as 8 columns (a terminal's tab stop), or as one column each. The answer's own blocks
tell which: a block's body sits one step under its opener, and nothing sits deeper than a
statement that ended with `;`. `indent_style.match_whitespace_kind` asks here before it reads
each tab as one of the file's steps.
"""

from __future__ import annotations

from math import gcd

from .hole import TAB_WIDTH, Hole, indent_of, width
from .syntax import code_part
from .trigger import opener_kind

SEMICOLON_TERMINATED = frozenset({"c", "cpp", "java", "csharp"})
READINGS = (1, 2, 4, 8)
"""Columns a tab may stand for: one column (a tab per column), a step, a terminal's stop."""


def answer_space_step(lines: list[str], hole: Hole | None) -> int:
    """The space step of an answer written with spaces for a tab-indented file: the largest of
    8, 4, 3 and 2 that divides every indentation, 8 only when the first line reads right with
    8-column tabs (or 4-column ones cannot read it either): `        x` is one tab or two."""
    widths = [len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.startswith(" ") and ln.strip()]
    common = 0
    for size in widths:
        common = gcd(common, size)
    steps = [s for s in (8, 4, 3, 2) if common and common % s == 0]
    if not steps:
        return TAB_WIDTH
    if steps[0] == 8 and hole is not None and TAB_WIDTH in steps:
        levels = hole.target_indent // TAB_WIDTH
        if widths[0] == levels * TAB_WIDTH and widths[0] != levels * 8:
            return TAB_WIDTH
    return steps[0]


def expand_gnu_tabs(lines: list[str]) -> list[str]:
    """Leading tabs read as 8 columns (the only reading of `\t    x`: a tab, then half a step)."""
    fixed = []
    for line in lines:
        lead = indent_of(line)
        columns = 0
        for char in lead:
            columns = (columns // 8 + 1) * 8 if char == "\t" else columns + 1
        fixed.append(" " * columns + line[len(lead) :] if "\t" in lead else line)
    return fixed


def tab_aligned(lead: str, unit: str, stray: bool = False) -> bool:
    """Tabs then at least a step of spaces, or spaces then a tab: a file that aligns with
    8-column tabs (GNU style), whose whitespace cannot be converted step for step. With
    `stray` (no line near the cursor is led by spaces then a tab), spaces before the tabs are
    the model's stray ones and say nothing."""
    tabs = lead.lstrip(" ")
    if tabs != lead and "\t" in tabs:
        return not (stray and not tabs.strip("\t"))
    spaces = len(lead) - len(lead.rstrip(" "))
    return "\t" in lead and spaces >= max(2, width(unit) if unit != "\t" else TAB_WIDTH)


def spaces_before_tabs_near(hole: Hole) -> bool:
    """Some line near the cursor is led by spaces then a tab (`  \tx`): the file's own."""
    near = [*hole.lines_before[-40:], *hole.lines_after[:40]]
    return any(" \t" in indent_of(line) for line in near)


def _columns(lines: list[str], tab: int) -> list[int | None]:
    """Each line's column with a leading tab `tab` columns wide (None for a blank line)."""
    found: list[int | None] = []
    for line in lines:
        if not line.strip():
            found.append(None)
            continue
        lead = indent_of(line)
        tabs = len(lead) - len(lead.lstrip("\t"))
        found.append(tabs * tab + len(lead) - tabs)
    return found


def _verdict(
    lines: list[str], columns: list[int | None], step: int, language: str
) -> tuple[int, int]:
    """(bodies one step under their opener, lines that break the answer's blocks) over the
    pairs of consecutive code lines that hold a tab-led line. The first line is left out when
    its column is the cursor's (`columns[0]` None). A statement going on after a word is not
    judged in an answer with a block comment (its lines of text end in words)."""
    good = bad = 0
    content = [i for i, column in enumerate(columns) if column is not None]
    prose = any("/*" in line or line.lstrip().startswith("*") for line in lines)
    for here, after in zip(content, content[1:], strict=False):
        if not (lines[here].startswith("\t") or lines[after].startswith("\t")):
            continue
        code = (code_part(lines[here], language) or "").rstrip()
        offset = (columns[after] or 0) - (columns[here] or 0)
        if code.endswith("{") or opener_kind(lines[here], language) == "strong":
            good, bad = (good + 1, bad) if offset == step else (good, bad + 1)
        elif code.endswith(";") and code.count("(") == code.count(")") and offset > 0:
            bad += 1
        elif not prose and _goes_on(code, language):
            good, bad = (good + 1, bad) if offset > 0 else (good, bad + 1)
    return good, bad


def _goes_on(code: str, language: str) -> bool:
    """In a language whose statements end with `;`, a code line ending in a word (`provides X
    with`): the statement goes on, deeper, on the next line. (After an operator the next line
    may sit on the column of the continuation line before it.)"""
    if language not in SEMICOLON_TERMINATED or not (code[-1:].isalnum() or code[-1:] == "_"):
        return False
    return not code.lstrip().startswith(("@", "#", "//", "/*", "*"))


def tab_columns_by_blocks(
    lines: list[str], step: int, whole_first: bool, language: str
) -> int | None:
    """The one width of a tab (`READINGS`) under which the answer's blocks read right, when a
    tab read as one `step` breaks them: `if x:` with its body under a tab at the `if`'s column
    (the tab was 8 columns), a body under `{` eleven tabs in from a `{` seven in (a tab per
    column). None when one step reads right, or no single other reading does. The first line
    counts only when it is a whole line (`whole_first`), not one continued after the cursor."""
    kept = lines if whole_first else ["", *lines[1:]]
    if step < 2 or not any(line.startswith("\t") for line in kept):
        return None
    good, bad = _verdict(kept, _columns(kept, step), step, language)
    if not bad:
        return None
    readings: dict[tuple[int | None, ...], int] = {}
    for tab in READINGS:
        columns = _columns(kept, tab)
        good, bad = _verdict(kept, columns, step, language)
        if good and not bad:
            readings.setdefault(tuple(columns), tab)
    return next(iter(readings.values())) if len(readings) == 1 else None
