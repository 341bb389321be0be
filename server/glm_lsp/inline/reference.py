"""The line an answer's first line is placed against: the statement the cursor follows, whether
it opens a block, and the indentation steps of the blocks around it (`reindent.py` reads them)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer_lines import PREPROCESSED, is_comment_line, is_flush_directive
from .flat import enclosing_step
from .hole import Hole, Mode, indent_width, width
from .indent_style import sibling_bodies
from .syntax import code_part, scan
from .trigger import opener_kind

_DIRECTIVE = re.compile(r"\s*#\s*(?:if|ifdef|ifndef|else|elif|endif|define|pragma)\b")
_OPERATOR_END = re.compile(r"(?:&&|\|\||\\|[-+*/%&|^=]|\b(?:and|or))$")
_CASE_PATTERN = re.compile(r"\s*\(?[^()\s][^()]*\)\s*$")
"""A shell `case` pattern (`-h|--help)`, `*)`): it opens the branch below it."""
_SHELL = frozenset({"shellscript", "bash", "sh", "zsh"})
STATEMENT_LINES = 8
"""Lines walked up over to find where a continued statement starts."""


@dataclass(frozen=True)
class Reference:
    """The line the answer's first line is placed against, and what the document shows."""

    column: int
    opens: bool
    siblings: tuple[str, ...]
    """Body steps of blocks opened at `column` near the cursor, nearest first."""
    elsewhere: tuple[str, ...] = ()
    """Body steps of blocks at other columns (when none is at `column`)."""

    @property
    def sibling(self) -> str | None:
        found = self.siblings or self.elsewhere
        return found[0] if found else None

    @property
    def step(self) -> int | None:
        """The most common step (the nearest on a tie)."""
        found = [width(lead) for lead in self.siblings or self.elsewhere]
        return max(found, key=lambda step: (found.count(step), -found.index(step)), default=None)

    @property
    def steps(self) -> set[int]:
        return {width(lead) for lead in self.siblings}


def with_enclosing_step(ref: Reference, hole: Hole, column: int) -> Reference:
    """A block body at `column` one step of the enclosing block deeper than its opener, where
    sibling blocks show another step (a file written with two): the model's step is the file's."""
    step = enclosing_step(hole, ref.column)
    if hole.mode is not Mode.MULTI_LINE or not ref.opens or step is None or step in ref.steps:
        return ref
    if column - ref.column != step or "\t" in (ref.sibling or ""):
        return ref
    return Reference(ref.column, ref.opens, (" " * step,))


def statement_start(hole: Hole, broken: bool) -> str:
    """The first line of the statement the cursor follows (preprocessor lines apart): the
    cursor line (an answer on a new line) or the line above, walked up over continuation lines
    (`&&` at the end of the line before, or a closer that matches a bracket opened above; not a
    shell `case` pattern's)."""
    window = ["", *hole.lines_before][-STATEMENT_LINES - 1 :]
    above = [
        ln
        for before, ln in zip(window, window[1:], strict=False)
        if ln.strip() and not _in_directive(before, ln, hole.language)
    ][-STATEMENT_LINES:]
    line = hole.line_prefix if broken else (above.pop() if above else "")
    start = joined = line
    while above and not _case_pattern(line, hole.language):
        before = (code_part(above[-1], hole.language) or "").rstrip()
        if is_comment_line(before):
            return start
        if not (_OPERATOR_END.search(before) or scan(joined, hole.language).stray):
            return line
        line = above.pop()
        joined = line + "\n" + joined
    return start


def reference(hole: Hole, broken: bool) -> Reference:
    line = statement_start(hole, broken)
    column = indent_width(line)
    last = hole.line_prefix if broken else (hole.prev_line or "")
    opens = opener_kind(last, hole.language) == "strong" and not _DIRECTIVE.match(last)
    opens = opens or _case_pattern(last, hole.language)
    if not (opens or hole.new_line or hole.mode is not Mode.MULTI_LINE):
        return Reference(column, opens, ())
    siblings = tuple(sibling_bodies(hole, column))
    elsewhere = () if siblings else tuple(sibling_bodies(hole, None))
    return Reference(column, opens, siblings, elsewhere)


def _case_pattern(line: str, language: str) -> bool:
    """`line` is a shell `case` pattern, whose branch is one step deeper."""
    return language in _SHELL and bool(_CASE_PATTERN.match(code_part(line, language) or ""))


def _in_directive(before: str, line: str, language: str) -> bool:
    """`line` is a preprocessor line: a directive at column 0, or a line of a macro's body
    (the line before it ends with a backslash)."""
    macro = language in PREPROCESSED and before.rstrip().endswith("\\")
    return macro or is_flush_directive(line, language)
