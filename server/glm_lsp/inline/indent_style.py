"""How the document indents: with tabs or spaces, and by how much at a given depth.

The re-indentation of answers trusts what the document shows over a guessed unit: the bodies of
sibling blocks near the cursor give the step, and the lines around the cursor say whether the
file indents with tabs, spaces, or a mix (then an answer keeps its own whitespace).
"""

from __future__ import annotations

from functools import lru_cache

from .hole import TAB_WIDTH, Hole, aligns_with_tabs, indent_of, indent_width, width
from .syntax import PY_LIKE, open_at, scan
from .tab_reading import (
    answer_space_step,
    expand_gnu_tabs,
    spaces_before_tabs_near,
    tab_aligned,
    tab_columns_by_blocks,
)
from .trigger import opener_kind

STEP_LOOKUP = 60
"""Lines looked at on each side of the cursor for a sibling block's indentation step."""
MIXED = 5
"""Lines indented with tabs and with spaces both make up more than 1/MIXED of the indented
lines around the cursor: the file mixes them, answers keep their own whitespace."""
LOCAL = 8
"""Indented lines next to the cursor that decide the whitespace kind in a mixed file."""
SIBLINGS = 6
"""Sibling blocks whose body steps are collected."""
_OPENER_CHARS = frozenset(":{)|")
_OPENER_WORDS = ("then", "do", "else", "begin", "repeat", "of", "loop", "->")
"""Line ends worth the full block-opener check (besides `:`, `{` and `)`)."""
STEPS = (2, 3, 4, 8)
"""Indentation steps a document can be written with (3 is rare but real)."""
_CONTINUED = ("&&", "||", "+", "-", "=", ",", "\\", "?", "|", "&", " and", " or")
"""Line ends after which the next line continues the statement."""
TAB_LANGUAGES = frozenset({"go", "makefile"})
"""Languages indented with tabs when the file shows no indentation yet."""
SPACE_LANGUAGES = frozenset(
    "python java javascript typescript javascriptreact typescriptreact rust ruby lua".split()
)
"""Languages indented with spaces when the file shows no indentation yet."""


@lru_cache(maxsize=16)
def _indent_counts(hole: Hole) -> tuple[int, int]:
    """Lines around the cursor indented with a tab, and with spaces (comment stars apart)."""
    near = [*hole.lines_before[-80:], hole.line_prefix, *hole.lines_after[:40]]
    tabs = sum(1 for ln in near if ln.startswith("\t"))
    spaces = sum(1 for ln in near if ln.startswith(" ") and not ln.lstrip().startswith("*"))
    if min(tabs, spaces) * MIXED > tabs + spaces:
        return _local_counts(hole) or (tabs, spaces)
    return tabs, spaces


def _local_counts(hole: Hole) -> tuple[int, int] | None:
    """In a file that mixes tabs and spaces, the kind of the indented lines nearest the cursor
    when they all agree (`LOCAL` of them: a function written with spaces in a file whose other
    functions use tabs); None when they do not, or are too few."""
    before = [ln for ln in hole.lines_before[-3 * LOCAL :] if ln[:1] in " \t" and ln.strip()]
    after = [ln for ln in hole.lines_after[: 2 * LOCAL] if ln[:1] in " \t" and ln.strip()]
    near = [*before[-LOCAL:], *after[: LOCAL // 2]]
    near = [ln for ln in near if not ln.lstrip().startswith("*")]
    kinds = {ln[0] for ln in near}
    if len(near) < LOCAL or len(kinds) != 1 or any(len(set(indent_of(ln))) > 1 for ln in near):
        return None
    return (len(near), 0) if kinds == {"\t"} else (0, len(near))


def document_unit(hole: Hole) -> str:
    """The whitespace indentation is written with: a tab, or spaces of the file's step (4 when
    unknown); "" when the file mixes tabs and spaces (answers keep their own)."""
    tabs, spaces = _indent_counts(hole)
    unit = hole.indent_unit
    known = unit if unit == "\t" or width(unit) in STEPS else ""
    if min(tabs, spaces) * MIXED > tabs + spaces:
        return ""
    if tabs and not spaces:
        return "\t"
    if spaces and not tabs:
        return known if known != "\t" and known else " " * TAB_WIDTH
    if not tabs and not spaces:
        near = [*hole.lines_before[-60:], *hole.lines_after[:60]]
        tabbed = hole.language in TAB_LANGUAGES or aligns_with_tabs(near)
        return "\t" if tabbed else known or " " * TAB_WIDTH
    return known or ("\t" if tabs > spaces else " " * TAB_WIDTH)


def match_whitespace_kind(
    lines: list[str],
    unit: str,
    hole: Hole | None = None,
    base: int | None = None,
    whole_first: bool = True,
) -> list[str]:
    """An answer indented only with tabs for a file (almost) without tab indentation gets one
    step of spaces per level, and one indented only with spaces in a file (almost) without
    space indentation gets tabs (a tab is one step; spaces count in the answer's own step); an
    answer with every other line or more led by tabs, for a file with no tab-led line in view,
    has them read as a step each (models mix their own tabs into lines copied with spaces), and
    the same holds for space-led lines mixed into an answer for a tab file.
    An answer with a tab then spaces (`\t    x`) for a space-indented file reads its tabs as 8
    columns (spaces before a tab, in a space file with no line led so, are the model's stray
    ones and no sign of that). In a file that mixes both the answer is left as it is. Tabs
    written one per
    column (`_tabs_are_columns`, `base` the column of the answer's level) become one space
    each, in a mixed file too when the cursor's own whitespace is `base` spaces."""
    tabs, spaces = _indent_counts(hole) if hole is not None else (0, 0)
    if not tabs and not spaces and hole is not None and hole.language in SPACE_LANGUAGES:
        spaces = 1  # no indented line in view: the language's own habit
    tab_led = [i for i, ln in enumerate(lines) if ln.startswith("\t") and ln.strip()]
    space_led = [i for i, ln in enumerate(lines) if ln.startswith(" ") and ln.strip()]
    stray = hole is not None and bool(spaces and not tabs) and not spaces_before_tabs_near(hole)
    if any(tab_aligned(indent_of(ln), unit, stray) for ln in lines):
        space_file = bool(unit and unit != "\t" and spaces and tabs * MIXED <= spaces)
        return expand_gnu_tabs(lines) if space_file and tab_led and _gnu(lines) else lines
    fixed = list(lines)
    if unit == "\t" and (tabs or not spaces) and spaces * MIXED <= tabs and space_led:
        if tab_led and (spaces or 2 * len(space_led) < len(tab_led)):
            return fixed  # space lines the file has (or an odd one): the answer copies them
        step = answer_space_step([lines[i] for i in space_led], hole)
        for index in space_led:
            lead = indent_of(lines[index])
            count, rest = divmod(len(lead), step)
            fixed[index] = "\t" * count + " " * rest + lines[index][len(lead) :]
    elif unit and unit != "\t" and spaces and tabs * MIXED <= spaces and tab_led:
        if not tabs and (read := _tab_read_by_blocks(lines, hole, whole_first)):
            return [" " * (read * _tabs(ln)) + ln.lstrip("\t") for ln in lines]
        if space_led and (tabs or 2 * len(tab_led) < len(space_led)):
            return fixed  # tab lines the file has (or an odd one): the answer copies them
        per_tab = " " if _tabs_are_columns([lines[i] for i in tab_led], base, width(unit)) else unit
        for index in tab_led:
            lead = indent_of(lines[index])
            levels = len(lead) - len(lead.lstrip("\t"))
            fixed[index] = per_tab * levels + lead.lstrip("\t") + lines[index][len(lead) :]
    elif not unit and tab_led and not space_led and _spaced_cursor(hole, base):
        if _tabs_are_columns([lines[i] for i in tab_led], base, TAB_WIDTH):
            fixed = [ln.replace("\t", " ", len(ln) - len(ln.lstrip("\t"))) for ln in lines]
    return fixed


def _gnu(lines: list[str]) -> bool:
    """Leads of tabs then spaces, never spaces then a tab (`\t    x`: 8-column tabs)."""
    leads = [indent_of(ln) for ln in lines if ln.strip()]
    return any(" " in lead for lead in leads) and all(" " not in lead.rstrip(" ") for lead in leads)


def _tabs(line: str) -> int:
    return len(line) - len(line.lstrip("\t"))


def _tab_read_by_blocks(lines: list[str], hole: Hole | None, whole_first: bool) -> int:
    """Columns per tab the answer's blocks call for (`tab_columns_by_blocks`), 0 when they do not
    say: the file's step, or where the file shows none, the answer's own space step."""
    if hole is None:
        return 0
    step = width(hole.indent_unit) if hole.indent_unit.strip(" ") == "" else 0
    step = step or answer_space_step([ln for ln in lines if ln.startswith(" ")], None)
    return tab_columns_by_blocks(lines, step, whole_first, hole.language) or 0


def _spaced_cursor(hole: Hole | None, base: int | None) -> bool:
    """The cursor sits on a blank line after `base` spaces (in a file that mixes tabs and
    spaces, the whitespace the editor typed is the one sure column)."""
    prefix = hole.line_prefix if hole is not None else ""
    return bool(base) and prefix == " " * (base or 0)


def _tabs_are_columns(tab_led: list[str], base: int | None, step: int) -> bool:
    """Tab-led answer lines for a space file written with a tab per column (a body at 8
    columns as 8 tabs): the fewest tabs of a code line are the answer's level (`base`) or one
    step deeper, read as columns, and too many to be levels; every count is that many plus
    whole steps. Comment continuation lines (` * text`) align freely and decide nothing."""
    if base is None or step < 2:
        return False
    counts = [len(ln) - len(ln.lstrip("\t")) for ln in tab_led if not ln.lstrip().startswith("*")]
    if not counts:
        return False
    low = min(counts)
    if low not in (base, base + step) or low <= base // step + 1:
        return False
    return all((count - low) % step == 0 for count in counts)


def gnu_document(hole: Hole) -> bool:
    """Lines near the cursor indented with a tab then spaces (`\t  x`, GNU style: 8-column
    tabs, which the column counts here, at 4, do not read), unless the lines next to the
    cursor all agree on one kind of whitespace."""
    near = [*hole.lines_before[-80:], *hole.lines_after[:40]]
    gnu = any(ln.startswith("\t") and indent_of(ln).lstrip("\t").startswith(" ") for ln in near)
    return gnu and _local_counts(hole) is None


@lru_cache(maxsize=16)
def sibling_bodies(hole: Hole, column: int | None) -> tuple[str, ...]:
    """The indentation steps (as written) of the bodies of other blocks opened at `column`
    (any column: None) near the cursor, nearest first: the document's own steps."""
    found: list[str] = []
    before = hole.lines_before[-STEP_LOOKUP:]
    after = hole.lines_after[:STEP_LOOKUP]
    for lines, order in ((before, range(len(before) - 1, -1, -1)), (after, range(len(after)))):
        for index in order:
            line = lines[index]
            tail = line.rstrip()
            if tail[-1:] not in _OPENER_CHARS and not tail.endswith(_OPENER_WORDS):
                if "#" not in tail and "//" not in tail and "--" not in tail:
                    continue
            at = indent_width(line)
            if (column is not None and at != column) or not _opens_block(line, hole.language):
                continue
            body = next((ln for ln in lines[index + 1 :] if ln.strip()), None)
            if body is None or body.lstrip().startswith("*"):
                continue
            if indent_width(body) - at in STEPS:
                found.append(indent_of(body)[len(indent_of(line)) :])
                if len(found) >= SIBLINGS:
                    return tuple(found)
    return tuple(found)


def _opens_block(line: str, language: str) -> bool:
    if opener_kind(line, language) != "strong":
        return False
    return language not in PY_LIKE or line.rstrip().endswith(":")


def _alignments(fixed: list[str], first: int, cursor: int, language: str) -> set[int]:
    """Columns where a continuation line aligns with a bracket the answer so far leaves open
    with code after it on its line: right after the bracket, or on that code (the first line
    starts at `cursor`). A bracket ending its line opens a block or a hanging indent."""
    lines = fixed[first:]
    text = "\n".join(lines)
    found: set[int] = set()
    for at in open_at(text, language):
        row = text.count("\n", 0, at)
        start = text.rfind("\n", 0, at) + 1
        line = lines[row]
        after = line[at - start + 1 :]
        if not after.strip():
            continue
        lead = indent_of(line)
        column = width(lead) + (at - start - len(lead)) + 1 + (cursor if row == 0 else 0)
        found.update((column, column + len(after) - len(after.lstrip(" "))))
    return found


def realigned(lines: list[str], first: int, cursor: int, unit: str, language: str) -> list[str]:
    """`lines` with the continuation lines a model aligned with a bracket of its first line as
    if that line began at column 0 moved right by `cursor`, where the first line does begin
    (`f(a,` at 12, `  b)` under `(` counted from 0 -> under the real `(`). Space files only."""
    if not cursor or unit == "\t" or not any(ln.startswith(" ") for ln in lines[first + 1 :]):
        return lines
    written = _alignments(lines, first, 0, language)
    placed = _alignments(lines, first, cursor, language)
    fixed = list(lines)
    for index in range(first + 1, len(lines)):
        column = indent_width(lines[index])
        if lines[index].strip() and column in written - placed and column + cursor in placed:
            fixed[index] = " " * (column + cursor) + lines[index].lstrip(" \t")
    return fixed


def continuation_column(  # noqa: PLR0913 - the answer so far and the line being placed
    fixed: list[str], first: int, cursor: int, raw: int, delta: int, hole: Hole
) -> int:
    """The column of an answer line written at `raw` when the answer moves by `delta`.

    A model that shifted only the first line of a statement left its continuation lines
    aligned with the right column: a line that aligns with an open bracket of the re-indented
    lines above only where it stands keeps its column.
    """
    column = max(0, raw + delta)
    if not delta:
        return column
    aligns = _alignments(fixed, first, cursor, hole.language)
    return raw if raw in aligns and column not in aligns else column


def answer_step(lines: list[str], columns: list[int | None], language: str) -> int | None:
    """The step the answer indents its own blocks by: the most common step from a line opening
    a block (`{`, `:` in Python, `then`, ...) to the next line, when it is deeper. The first
    line does not count: its column is the one models get wrong alone."""
    content = [i for i, column in enumerate(columns) if column is not None]
    start = columns[content[0]] or 0 if content else 0
    content = content[: next((n for n, i in enumerate(content) if (columns[i] or 0) < start), None)]
    steps: list[int] = []
    for here, after in zip(content[1:], content[2:], strict=False):
        code = lines[here].rstrip()
        if not (code.endswith("{") or _opens_block(lines[here], language)):
            continue
        step = (columns[after] or 0) - (columns[here] or 0)
        if step > 0:
            steps.append(step)
    if not steps:
        return None
    best = max(steps, key=steps.count)
    tied = {s for s in steps if steps.count(s) == steps.count(best)}
    return best if len(tied) == 1 else None


def _hanging_step(
    lines: list[str], columns: list[int | None], base: int, target: int, step: int
) -> int | None:
    """The model's step read from its hanging indents (a line ending in an open bracket, the
    next line deeper) when they all agree on one smaller than the file's and its first line
    sits on the same level in both (`base` in the model's steps, `target` in the file's)."""
    found = {
        (columns[after] or 0) - (columns[here] or 0)
        for here, after in zip(range(len(lines)), range(1, len(lines)), strict=False)
        if columns[here] is not None
        and columns[after] is not None
        and lines[here].rstrip().endswith(("(", "[", "{"))
    }
    if len(found) != 1:
        return None
    hanging = found.pop()
    return hanging if 0 < hanging < step and base * step == target * hanging else None


def _rescaled(offset: int, model: int, step: int) -> int:
    """`offset` columns written with `model`-column steps, in `step`-column steps (a remainder,
    alignment inside a step, scales too)."""
    sign = -1 if offset < 0 else 1
    levels, rest = divmod(abs(offset), model)
    return sign * (levels * step + round(rest * step / model))


def map_levels(  # noqa: PLR0913 - the answer, where its first line goes, and the file's step
    lines: list[str], first: int, cursor: int, target: int, step: int, hole: Hole
) -> list[str]:
    """Lines of a block answer whose own step differs from the file's (`step`): every line goes
    to the file's column for the model's level. The model's level of the first line is its own
    column when the answer starts on a line of its own (`cursor` 0), else the column of the
    next line on the same level (an absolute column in the model's own steps).

    The model's step comes from the blocks it opens; without one, from the ratio of a line on
    the first line's level to the cursor's column (`reject(` at 6 under a first line at 12,
    `new Error(` at 8 after it: 2-column steps for a 4-column file), when a line sits between
    the two columns (else the model only shifted the rest). Lines after a blank line may be
    over-generation and decide nothing. Lines keep their whitespace kind; the caller converts.
    """
    columns = [indent_width(ln) if ln.strip() else None for ln in lines]
    columns[first] = cursor + (columns[first] or 0)
    model = answer_step(lines, columns, hole.language)
    later = [i for i in range(first + 1, len(lines)) if columns[i] is not None]
    level = next((i for i in later if _statement_line(lines, first, i, hole.language)), None)
    base = columns[first] if not cursor else None
    if model is None and cursor and level is not None and lines[level - 1].strip():
        seen = columns[level] or 0
        low, high = sorted((seen, target))
        between = any(low < (columns[i] or 0) < high for i in later)
        if between and 0 < seen and target % step == 0 and (seen * step) % target == 0:
            guess = seen * step // target
            model = guess if guess in STEPS else None
    if model is None and base:
        model = _hanging_step(lines, columns, base, target, step)
    if model is None or model == step or model not in STEPS:
        return lines
    if base is None:
        if level is not None:
            base = columns[level]
        elif min((columns[i] or 0 for i in later), default=target) >= target:
            base = target
        elif (target * model) % step == 0:
            base = target * model // step
        else:
            return lines
    fixed = list(lines)
    for index in later if cursor else [first, *later]:
        column = target + _rescaled((columns[index] or 0) - (base or 0), model, step)
        text = lines[index].lstrip(" \t")
        fixed[index] = (" " * max(0, column - (cursor if index == first else 0))) + text
    return fixed


def _statement_line(lines: list[str], first: int, index: int, language: str) -> bool:
    """Line `index` starts a statement on the level of the answer's first line: nothing is
    open before it, and it does not close a block."""
    state = scan("\n".join(lines[first:index]) + "\n", language)
    if state.open or state.in_string or state.in_comment:
        return False
    previous = next(ln for ln in reversed(lines[:index]) if ln.strip()).rstrip()
    if previous.endswith(_CONTINUED) or _opens_block(previous, language):
        return False
    stripped = lines[index].strip()
    return not stripped.startswith(("}", ")", "]", "end", "fi", "done", "else", "elif", "*"))
