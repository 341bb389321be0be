"""The completion hole: what every stage of the inline pipeline knows about the cursor.

`trigger.analyze` builds one `Hole` per request; the prompt builder, the stream stopper, the
final filters and the cache all read it and none of them looks at the editor again. Text is kept
as two bounded windows around the cursor so that a 5,000-line file costs no more than a small one.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import cached_property

from glm_lsp.parsing import Tree, byte_offset, parse

from .answer_tags import code_tag_names
from .stray_tags import tag_names
from .syntax import Scan, scan

TAB_WIDTH = 4
MAX_TREE_CHARS = 64_000
"""Longer text around a cursor (minified code: a few huge lines) is not parsed: a parse there
costs tens of milliseconds; the regular-expression rules decide instead."""


class Mode(enum.Enum):
    """How much the model may write at the cursor."""

    NONE = "none"
    SINGLE_LINE = "single_line"
    MULTI_LINE = "multi_line"


@dataclass(frozen=True)
class Hole:
    """The cursor situation of one request.

    `prefix` and `suffix` are windows of the document (whole lines, except around the cursor);
    `prefix_start_line` is the document line where `prefix` starts. `target_indent` is the column
    (tabs count `TAB_WIDTH`) where the first code line of the answer must start when it starts
    on a line of its own; `new_line` means the answer must begin with a line break (the cursor
    is at the end of a line opening a block); `may_break` means an answer that begins with a
    line break keeps it (after `(`, `[`, `=>`, or at the end of an ordinary line).
    `grammar` is the tree-sitter grammar of the document (None: regular-expression rules only).
    """

    prefix: str
    suffix: str
    mode: Mode
    reason: str
    line: int
    character: int
    prefix_start_line: int = 0
    target_indent: int = 0
    new_line: bool = False
    may_break: bool = False
    indent_unit: str = "    "
    language: str = ""
    path: str = ""
    grammar: str | None = None

    @cached_property
    def tree(self) -> Tree | None:
        """The syntax tree of the window `prefix + suffix` (parsed once, lazily; `analyze`
        hands over the tree it already parsed). None without a grammar. Byte offsets in the
        tree count from the start of `prefix`; the cursor is at `cursor_byte`. None too when
        the window is longer than `MAX_TREE_CHARS`."""
        if len(self.prefix) + len(self.suffix) > MAX_TREE_CHARS:
            return None
        return parse(self.prefix + self.suffix, self.grammar)

    @cached_property
    def cursor_byte(self) -> int:
        """UTF-8 byte offset of the cursor in the window (where `tree` has it)."""
        return byte_offset(self.prefix, len(self.prefix))

    @cached_property
    def prefix_scan(self) -> Scan:
        """Brackets open at the cursor and whether it sits in a string or comment (computed once
        per request: the prefix window can be long)."""
        return scan(self.prefix, self.language)

    @cached_property
    def code_tag_names(self) -> frozenset[str]:
        """Names the document writes after a `<` (those near the answer tag's are code, not
        tags; any other is no stray markup of the answer: `stray_tags`)."""
        window = self.prefix + self.suffix
        return code_tag_names(window) | tag_names(window)

    @cached_property
    def line_prefix(self) -> str:
        """Text of the cursor line before the cursor."""
        return self.prefix[self.prefix.rfind("\n") + 1 :]

    @cached_property
    def line_suffix(self) -> str:
        """Text of the cursor line after the cursor."""
        end = self.suffix.find("\n")
        return self.suffix if end < 0 else self.suffix[:end]

    @cached_property
    def lines_before(self) -> list[str]:
        """Whole lines above the cursor line inside the window, nearest last."""
        return self.prefix.split("\n")[:-1]

    @cached_property
    def lines_after(self) -> list[str]:
        """Whole lines below the cursor line inside the window, nearest first."""
        return self.suffix.split("\n")[1:]

    @cached_property
    def next_line(self) -> str | None:
        """The first non-blank line below the cursor line, if any."""
        return next((ln for ln in self.lines_after if ln.strip()), None)

    @cached_property
    def prev_line(self) -> str | None:
        """The nearest non-blank line above the cursor line, if any."""
        return next((ln for ln in reversed(self.lines_before) if ln.strip()), None)

    @property
    def single_line(self) -> bool:
        return self.mode is Mode.SINGLE_LINE


def seed_tree(hole: Hole, tree: Tree) -> Hole:
    """`hole` with `Hole.tree` already answered by `tree`, the parse of its `prefix + suffix`
    that the trigger made (the cache of a `cached_property` lives in the instance's dict, which
    a frozen dataclass leaves writable)."""
    hole.__dict__["tree"] = tree
    return hole


def indent_of(line: str) -> str:
    """Leading whitespace of `line`."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def width(indent: str) -> int:
    """Column width of an indentation string, a tab advancing to the next multiple of
    `TAB_WIDTH` (`"  \t"` is one tab's width, as an editor shows it)."""
    if " \t" not in indent:
        return indent.count("\t") * TAB_WIDTH + len(indent) - indent.count("\t")
    column = 0
    for char in indent:
        column = (column // TAB_WIDTH + 1) * TAB_WIDTH if char == "\t" else column + 1
    return column


def indent_width(line: str) -> int:
    """Column width of `line`'s leading whitespace."""
    return width(indent_of(line))


def make_indent(columns: int, unit: str) -> str:
    """Indentation of `columns` columns in the document's style (tabs when `unit` is a tab)."""
    if columns <= 0:
        return ""
    if unit == "\t":
        tabs, spaces = divmod(columns, TAB_WIDTH)
        return "\t" * tabs + " " * spaces
    return " " * columns


def detect_indent_unit(lines: list[str]) -> str:
    """The document's indentation step: a tab, or the most common positive space delta after a
    line that opens a block ("" when the lines show no indentation at all).

    Only steps after an opening line count when there are any, so that continuation lines and
    text inside docstrings do not vote. Block-comment continuation lines (` * text`) and
    one-column steps (alignment, never a unit) do not vote either."""
    tabs = 0
    after_opener: dict[int, int] = {}
    anywhere: dict[int, int] = {}
    previous = 0
    opener = False
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("*"):
            continue
        if line.startswith("\t"):
            tabs += 1
        else:
            current = len(line) - len(line.lstrip(" "))
            step = current - previous
            if 1 < step <= 8:
                anywhere[step] = anywhere.get(step, 0) + 1
                if opener:
                    after_opener[step] = after_opener.get(step, 0) + 1
            previous = current
        opener = stripped[-1] in ":{(["
    deltas = after_opener or anywhere
    if tabs and tabs * 2 >= sum(deltas.values()):
        return "\t"
    if not deltas:
        return ""
    best = max(sorted(deltas), key=lambda step: (deltas[step], step in (2, 4, 8)))
    return " " * best


TAB_AFTER_CODE = re.compile(r"\S\t")
"""A tab after code on a line: a tab used to line up columns (`int\tx;`)."""
_SPACES_AFTER_CODE = re.compile(r"\S {2,}\S")


def aligns_with_tabs(lines: list[str]) -> bool:
    """Lines that line up their columns with tabs after code (`int\t\tx;`), at least twice
    and more than twice as often as with runs of spaces: a file written with tabs, whose
    indentation is a tab even where no indented line is in view."""
    tabbed = sum(1 for line in lines if TAB_AFTER_CODE.search(line))
    spaced = sum(1 for line in lines if _SPACES_AFTER_CODE.search(line))
    return tabbed >= 2 and tabbed > 2 * spaced
