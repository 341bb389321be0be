"""How the document indents: with tabs or spaces, and by how much at a given depth.

The re-indentation of answers trusts what the document shows over a guessed unit: the bodies of
sibling blocks near the cursor give the step, and the lines around the cursor say whether the
file indents with tabs, spaces, or a mix (then an answer keeps its own whitespace).
"""

from __future__ import annotations

from functools import lru_cache

from .hole import TAB_WIDTH, Hole, indent_of, indent_width, width
from .syntax import PY_LIKE, open_at
from .trigger import opener_kind

STEP_LOOKUP = 60
"""Lines looked at on each side of the cursor for a sibling block's indentation step."""
MIXED = 5
"""Lines indented with tabs and with spaces both make up more than 1/MIXED of the indented
lines around the cursor: the file mixes them, answers keep their own whitespace."""
SIBLINGS = 6
"""Sibling blocks whose body steps are collected."""
_OPENER_CHARS = frozenset(":{)|")
_OPENER_WORDS = ("then", "do", "else", "begin", "repeat", "of", "loop", "->")
"""Line ends worth the full block-opener check (besides `:`, `{` and `)`)."""
TAB_LANGUAGES = frozenset({"go", "makefile"})
"""Languages indented with tabs when the file shows no indentation yet."""


def _answer_space_step(lines: list[str]) -> int:
    """The space step the answer indents with (2 when its space indents are multiples of 2
    but not all of 4, else `TAB_WIDTH`)."""
    widths = {len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.startswith(" ") and ln.strip()}
    if widths and all(w % 2 == 0 for w in widths) and any(w % TAB_WIDTH for w in widths):
        return 2
    return TAB_WIDTH


@lru_cache(maxsize=16)
def _indent_counts(hole: Hole) -> tuple[int, int]:
    """Lines around the cursor indented with a tab, and with spaces (comment stars apart)."""
    near = [*hole.lines_before[-80:], hole.line_prefix, *hole.lines_after[:40]]
    tabs = sum(1 for ln in near if ln.startswith("\t"))
    spaces = sum(1 for ln in near if ln.startswith(" ") and not ln.lstrip().startswith("*"))
    return tabs, spaces


def document_unit(hole: Hole) -> str:
    """The whitespace indentation is written with: a tab, or spaces of the file's step (4 when
    unknown); "" when the file mixes tabs and spaces (answers keep their own)."""
    tabs, spaces = _indent_counts(hole)
    unit = hole.indent_unit
    known = unit if unit == "\t" or width(unit) in (2, 4, 8) else ""
    if min(tabs, spaces) * MIXED > tabs + spaces:
        return ""
    if tabs and not spaces:
        return "\t"
    if spaces and not tabs:
        return known if known != "\t" and known else " " * TAB_WIDTH
    if not tabs and not spaces:
        return "\t" if hole.language in TAB_LANGUAGES else known or " " * TAB_WIDTH
    return known or ("\t" if tabs > spaces else " " * TAB_WIDTH)


def match_whitespace_kind(lines: list[str], unit: str, hole: Hole | None = None) -> list[str]:
    """An answer indented only with tabs for a file (almost) without tab indentation gets one
    step of spaces per level, and one indented only with spaces in a file (almost) without
    space indentation gets tabs (a tab is one step). An answer that mixes both, like the file
    it comes from, is left as it is."""
    tabs, spaces = _indent_counts(hole) if hole is not None else (0, 0)
    tab_led = [i for i, ln in enumerate(lines) if ln.startswith("\t") and ln.strip()]
    space_led = [i for i, ln in enumerate(lines) if ln.startswith(" ") and ln.strip()]
    if any(_tab_aligned(indent_of(ln), unit) for ln in lines):
        return lines
    fixed = list(lines)
    if unit == "\t" and tabs and spaces * MIXED <= tabs and space_led and not tab_led:
        step = _answer_space_step(lines)
        for index in space_led:
            lead = indent_of(lines[index])
            count, rest = divmod(len(lead), step)
            fixed[index] = "\t" * count + " " * rest + lines[index][len(lead) :]
    elif unit and unit != "\t" and spaces and tabs * MIXED <= spaces and tab_led and not space_led:
        for index in tab_led:
            lead = indent_of(lines[index])
            levels = len(lead) - len(lead.lstrip("\t"))
            fixed[index] = unit * levels + lead.lstrip("\t") + lines[index][len(lead) :]
    return fixed


def _tab_aligned(lead: str, unit: str) -> bool:
    """Tabs then at least a step of spaces, or spaces then a tab: a file that aligns with
    8-column tabs (GNU style), whose whitespace cannot be converted step for step."""
    tabs = lead.lstrip(" ")
    if tabs != lead and "\t" in tabs:
        return True
    spaces = len(lead) - len(lead.rstrip(" "))
    return "\t" in lead and spaces >= max(2, width(unit) if unit != "\t" else TAB_WIDTH)


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
            if indent_width(body) - at in (2, 4, 8):
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
