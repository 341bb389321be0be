"""Indentation of multi-line answers: put the block at the cursor's depth, keep it in scope.

An answer that starts on a line of its own is written as full lines; one that starts at a cursor
on a blank line has its first line continue after the whitespace already typed. Models get this
wrong in three ways: the whole block at the wrong column (column 0, or shifted), only its first
line at the wrong column, or the first line indented again on top of the cursor's indentation.
`fix_indentation` trusts the model's relative indentation and normalises only the base: the
first line goes where the editor's whitespace, a sibling block's step (`indent_style`) or the
lines around say, and the rest follows it (or stays, when only the first line was off).
`scope.limit_scope` then cuts the answer where it leaves the block being filled.
"""

from __future__ import annotations

import re

from .anchors import anchor_off, braceless, closer_anchor
from .answer_column import (
    after_top_level_gap,
    continuation_shift,
    items_shifted_deeper,
    nearest_column,
    own_step_column,
)
from .answer_lines import is_closer_line, is_comment_line, join_answer, split_answer
from .comment_stars import align_stars
from .continuation import without_lost_continuation
from .flat import (
    columns_below,
    continued,
    cut_flat_body,
    enclosing_columns,
    ends_flat,
    flat_after,
)
from .hole import TAB_WIDTH, Hole, Mode, indent_of, indent_width, make_indent, width
from .indent_style import (
    continuation_column,
    document_unit,
    gnu_document,
    map_levels,
    match_whitespace_kind,
    realigned,
)
from .reference import Reference, reference, with_enclosing_step
from .syntax import code_part, scan
from .trigger import opener_kind

_BRANCH_WORDS = r"else|elif|elsif|elseif|except|catch|finally|rescue|ensure"
CONTINUATION = re.compile(rf"^(?:{_BRANCH_WORDS}|when|case|default)\b")
_BRANCH = re.compile(rf"(?:{_BRANCH_WORDS})\b")
"""A branch of a statement above it in the answer, on that statement's column."""
_CONTINUES = re.compile(r"(?:[-+*/%&|^=<>?:\\([{]|\b(?:and|or|not|in|with))$")
_LEADING_OPERATOR = re.compile(r"\s*(?:[-+*/%&|^=<>?:]|\.(?!\.\.)|\b(?:and|or)\b)")


def cursor_column(hole: Hole, broken: bool) -> int | None:
    """Column where the answer's first line starts in the document, or None when the first line
    continues code already on the cursor line (no indentation to fix)."""
    if broken:
        return 0
    if hole.line_prefix.strip():
        return None
    return width(hole.line_prefix)


def _consistent(  # noqa: PLR0913 - the answer, where it goes, and the file's step
    lines: list[str], target: int, first_column: int, first: int, hole: Hole, step: int
) -> bool:
    """Whether the answer reads right as written (absolute indentation).

    The first line must sit on the target column and a line opening a block must be followed by
    a deeper one, less than two of the file's steps (`step`, 0 unknown) deeper. The first line
    that leaves the block is a sign of a column-0 answer when a bracket or string is still open;
    otherwise it ends the block when it closes the block, when a line inside the block came
    before it, or when it sits on the column of an enclosing block (column 0 only after a blank
    line and when the block being filled is at top level, since column 0 is exactly where a
    column-0 answer would put it).
    """
    if first_column != target or items_shifted_deeper(lines, first, hole.language):
        return False
    if anchor_off(lines, first, target, step, hole.language):
        return False
    previous = first_column
    opener = opener_kind(lines[first], hole.language) == "strong"
    inside = False
    for index in range(first + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        column = indent_width(line)
        deep = step and column - previous >= 2 * step
        if (opener and (column <= previous or deep)) or (
            column > previous and ends_flat(lines, index, first, hole.language)
        ):
            return False
        if column >= target and _BRANCH.match(line.strip()) and not _aligned(lines, first, index):
            return False
        if column < target:
            state = scan("\n".join(lines[first:index]), hole.language)
            if state.open or state.in_string:
                return False
            if is_closer_line(line) or inside:
                return True
            enclosing = enclosing_columns(hole, target)
            if column > 0:
                return column in enclosing
            after_blank = not lines[index - 1].strip()
            return after_blank and max(enclosing, default=0) == 0
        inside = inside or not _goes_on(lines, first, index, hole.language)
        previous = column
        opener = opener_kind(line, hole.language) == "strong"
    return True


def _aligned(lines: list[str], first: int, index: int) -> bool:
    """`lines[index]` sits on the column of a line of the answer before it (a branch such as
    `else:` goes under its `if`)."""
    column = indent_width(lines[index])
    return any(indent_width(ln) == column for ln in lines[first:index] if ln.strip())


def _goes_on(lines: list[str], first: int, index: int, language: str) -> bool:
    """`lines[index]`, deeper than the first line, continues the statement above it (it starts
    with an operator, the line above ends with one, or a bracket is open): no line of the block
    yet, so a line left of the block after it is no sign the block ended."""
    if indent_width(lines[index]) <= indent_width(lines[first]):
        return False
    if _LEADING_OPERATOR.match(lines[index]):
        return True
    before = next(ln for ln in reversed(lines[first:index]) if ln.strip())
    if _CONTINUES.search((code_part(before, language) or "").rstrip()):
        return True
    return bool(scan("\n".join(lines[first:index]), language).open)


def _base_column(  # noqa: PLR0913 - the hole, what the file says, and the answer
    hole: Hole, ref: Reference, cursor: int, lines: list[str], first: int, unit: str
) -> int:
    """The column where the answer's first line (`line`) must start.

    Whitespace the editor typed on a blank line is trusted; otherwise the document says (the
    step of a sibling block, or the indentation of the lines around), and the model's own
    column is kept when the document cannot say and the model's is plausible. A lone closer
    (`}`, `end`, `fi`) goes on the column of a block around the statement above.
    """
    line = lines[first]
    around, model = ref.column, cursor + indent_width(line)
    if cursor > 0:
        if hole.mode is Mode.MULTI_LINE and ref.opens and cursor <= around:
            return hole.target_indent
        return cursor
    if hole.mode is Mode.MULTI_LINE:
        if not (ref.opens or hole.new_line):
            return max(hole.target_indent, cursor)
        known = {width(hole.indent_unit)} if unit and hole.indent_unit == unit else set()
        if model - around in ((ref.steps | known) or {2, 4, 8}):
            return model
        own = own_step_column(lines, first, around, hole, ref)
        return own if own is not None else around + (ref.step or width(unit) or TAB_WIDTH)
    if ref.opens:
        steps = ref.steps or {width(unit) or TAB_WIDTH}
        return model if model - around in steps else around + (ref.step or min(steps))
    outer = enclosing_columns(hole, around)
    if outer and is_closer_line(line) and line.lstrip()[:1] not in ")]":
        return model if model in outer else max(outer)
    plausible = after_top_level_gap({around, *columns_below(hole, around)}, hole)
    previous = (code_part(hole.prev_line or "", hole.language) or "").rstrip()
    if model in plausible or (continued(previous, hole) and around < model <= around + 8):
        return model
    if around and not hole.target_indent:
        return nearest_column(plausible, model, around) if model else around
    return hole.target_indent


def _rest_shift(  # noqa: PLR0913 - the answer, where its first line goes, and how
    lines: list[str], first: int, raw: list[int], target: int, step: int, hole: Hole, broken: bool
) -> int | None:
    """How far the lines after the first must move for a first line at `target`, read from an
    anchor among them: the line closing the first line's bracket (on `target`), the body of a
    block the first line opens (one step deeper), or the next statement (on `target`). None
    without an anchor. Models shift the first line alone, the whole block, or all but it.

    Continuation lines (inside brackets, strings or comments, after a line ending in an
    operator, or starting with one) are aligned freely and are no anchor; nor is a shallower
    line after a blank line (code after the block).
    """
    lang = hole.language
    opened = len(scan(lines[first], lang).open)
    closing = closer_anchor(lines, first, opened, lang) if opened else None
    if closing is not None:
        return target - raw[closing]
    code = (code_part(lines[first], lang) or "").rstrip()
    if code.endswith(("{", "(", "[")) or opener_kind(lines[first], lang) or braceless(code, lang):
        body = next((i for i in range(first + 1, len(lines)) if lines[i].strip()), None)
        return None if body is None else target + step - raw[body]
    previous = lines[first]
    first_column = raw[first] if broken else target
    for index in range(first + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        state = scan("\n".join(lines[first:index]) + "\n", lang)
        if not lines[index - 1].strip() and raw[index] < first_column:
            return None
        if state.in_string or state.in_comment:
            previous = line
            continue
        depth = len(state.open)
        code = (code_part(previous, lang) or "").rstrip()
        continues = _CONTINUES.search(code) and not is_comment_line(code)
        free = depth or continues or _LEADING_OPERATOR.match(line)
        if not opened and not free and not is_closer_line(line):
            if not CONTINUATION.match(line.strip()):
                return target - raw[index]
        previous = line
    return None


def _block_shift(  # noqa: PLR0913 - the answer, where its first line goes, and how
    lines: list[str],
    first: int,
    raw: list[int],
    place: tuple[int, int, int],
    hole: Hole,
    broken: bool,
) -> int:
    """How far the lines after the first move (`place`: target column, step, cursor column).
    A statement left of a first line that retyped the cursor's whitespace stays left of it."""
    target, step, cursor = place
    delta = _rest_shift(lines, first, raw, target, step, hole, broken)
    if delta and delta > 0 and not broken and 0 < cursor == raw[first]:
        return 0
    if delta is None:
        return continuation_shift(lines, first, raw, target, step) if broken else 0
    return delta


def fix_indentation(text: str, hole: Hole) -> str | None:
    """`_fix_indentation`; in a GNU-style file (8-column tabs) only up to the first line after
    the first whose whitespace it would change: those columns cannot be read there."""
    fixed = _fix_indentation(text, hole)
    if fixed is not None and hole.mode is Mode.MULTI_LINE:
        fixed = without_lost_continuation(fixed, hole, cursor_column(hole, fixed[:1] == "\n"))
    if fixed is not None and hole.mode is Mode.MULTI_LINE:
        fixed = align_stars(fixed, hole, cursor_column(hole, fixed.startswith("\n")))
    if fixed is not None and " \t" in fixed:
        fixed = _without_spaces_before_tabs(fixed, hole)
    if fixed is None or not gnu_document(hole) or "\t" not in text:
        return fixed
    pairs = list(zip(text.split("\n"), fixed.split("\n"), strict=False))
    start = 2 if text.startswith("\n") else 1
    for index in range(start, len(pairs)):
        if pairs[index][0] != pairs[index][1]:
            return "\n".join(new for _, new in pairs[:index]).rstrip() or None
    return fixed


def _without_spaces_before_tabs(text: str, hole: Hole) -> str:
    """Answer lines led by spaces then a tab (`  \tx`, a tab stop wide) written as one tab, where
    no line near the cursor is led so: the model's stray spaces, invisible but not the file's.
    Where no line near the cursor is led by spaces, the spaces go whatever their width (a shift
    of the whole answer by spaces before its tabs). The first line too when the cursor is at
    column 0 (its lead is the line's whole lead)."""
    near = [*hole.lines_before[-40:], *hole.lines_after[:40]]
    if any(" \t" in indent_of(line) for line in near):
        return text
    spaced = any(line.startswith(" ") and line.strip() for line in near)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        lead = indent_of(line)
        if (index or not hole.line_prefix) and " \t" in lead:
            tabs = make_indent(width(lead), "\t") if spaced else lead.lstrip(" ")
            lines[index] = tabs + line[len(lead) :]
    return "\n".join(lines)


def _fix_indentation(text: str, hole: Hole) -> str | None:
    """Re-indent an answer that starts on its own line so it sits at the column the document
    asks for, keeping the model's relative indentation. When the first line types the cursor's
    whitespace again (`        x` after the editor's 8 columns) and a later statement sits
    left of it, the model wrote whole lines: that statement left the block (it is not moved
    into it)."""
    broken, lines = split_answer(text)
    cursor = cursor_column(hole, broken)
    ref = reference(hole, broken) if cursor is not None else None
    unit = document_unit(hole)
    if ref is not None and ref.sibling and unit:
        unit = "\t" if "\t" in ref.sibling else unit if unit != "\t" else " " * TAB_WIDTH
    head = 1 if cursor is None and not broken else 0
    level = hole.target_indent if broken else cursor
    level = indent_width(hole.line_prefix) if level is None else level
    if not level and ref is not None and hole.mode is not Mode.MULTI_LINE:
        level = ref.column  # a blank line at column 0: the statement above gives the level
    lines = lines[:head] + match_whitespace_kind(
        lines[head:], unit, hole, level, broken or cursor is None
    )
    text = join_answer(broken, lines)
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if cursor is None or ref is None or first is None:
        return text
    raw = [indent_width(ln) for ln in lines]
    ref = with_enclosing_step(ref, hole, cursor + raw[first])
    target = _base_column(hole, ref, cursor, lines, first, unit)
    lines = _in_file_steps(lines, first, cursor, target, hole, ref, unit)
    text = join_answer(broken, lines)
    raw = [indent_width(ln) for ln in lines]
    if not unit:
        unit = "\t" if any(ln.startswith("\t") for ln in lines) else " "
    if hole.mode is not Mode.MULTI_LINE:
        if target != cursor + raw[first] or (cursor and raw[first]):
            lines[first] = make_indent(target - cursor, unit) + lines[first].lstrip(" \t")
        return join_answer(broken, lines)
    if cursor and not broken and not raw[first] and flat_after(raw, lines, first):
        return join_answer(broken, lines[: first + 1])  # whole lines, depth unknown: the first
    known = ref.step or (width(unit) if unit.strip(" ") or len(unit) > 1 else 0)
    if _consistent(lines, target, cursor + raw[first], first, hole, known):
        return join_answer(broken, realigned(lines, first, cursor, unit, hole.language))
    step = ref.step or width(unit) or TAB_WIDTH
    if broken and target == raw[first]:
        lines = _rest_realigned(lines, first, raw, (target, step, cursor), hole, unit, known)
        return join_answer(broken, cut_flat_body(lines, first, hole, cursor))
    delta = _block_shift(lines, first, raw, (target, step, cursor), hole, broken)
    fixed = _moved(lines, first, raw, (target, cursor, delta), hole, unit)
    return join_answer(broken, cut_flat_body(fixed, first, hole, cursor))


def _moved(  # noqa: PLR0913 - the answer, where its first line goes, and how
    lines: list[str], first: int, raw: list[int], place: tuple[int, int, int], hole: Hole, unit: str
) -> list[str]:
    """`lines` with the first at `target` and the others moved by `delta` (`place`: target
    column, cursor column, delta), continuation lines aligned as `continuation_column` says."""
    target, cursor, delta = place
    fixed: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            fixed.append("")
            continue
        if index == first:
            lead = make_indent(target - cursor, unit)
        else:
            column = continuation_column(fixed, first, cursor, raw[index], delta, hole)
            lead = make_indent(column, unit)
        fixed.append(lead + line.lstrip(" \t"))
    return fixed


def _rest_realigned(  # noqa: PLR0913 - the answer, where its first line goes, and how
    lines: list[str],
    first: int,
    raw: list[int],
    place: tuple[int, int, int],
    hole: Hole,
    unit: str,
    known: int,
) -> list[str]:
    """A whole-line answer whose first line is on its column but whose other lines are too
    deep (models shift all lines but the first): those lines moved back by what an anchor
    among them says (`_rest_shift`), when that makes the answer consistent; else as written."""
    target, step, cursor = place
    delta = _rest_shift(lines, first, raw, target, step, hole, True)
    if not delta or delta > 0:
        return lines
    moved = _moved(lines, first, raw, (target, cursor, delta), hole, unit)
    return moved if _consistent(moved, target, target, first, hole, known) else lines


def _in_file_steps(  # noqa: PLR0913 - the answer, where it goes, and what the file shows
    lines: list[str], first: int, cursor: int, target: int, hole: Hole, ref: Reference, unit: str
) -> list[str]:
    """The answer with the model's levels mapped to the file's step (spaces files only)."""
    step = _document_step(hole, ref)
    if hole.mode is not Mode.MULTI_LINE or not step or unit == "\t":
        return lines
    return map_levels(lines, first, cursor, target, step, hole)


def _document_step(hole: Hole, ref: Reference) -> int | None:
    """The file's indentation step in spaces, when the document shows one (None for tabs)."""
    if ref.siblings or ref.elsewhere:
        found = ref.sibling or ""
        return None if "\t" in found else ref.step
    unit = hole.indent_unit
    return width(unit) if unit and "\t" not in unit and width(unit) > 1 else None
