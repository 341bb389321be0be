"""The ` * ` lines of block comments in an answer, placed as the document places its own: one
column right of the `/*` (or wherever the file's comments put them), whatever shift the model
gave them."""

from __future__ import annotations

from .answer_lines import join_answer, split_answer
from .hole import Hole, indent_width, make_indent

LOOKUP = 120
"""Lines looked at on each side of the cursor for the file's own block comments."""


def star_offset(hole: Hole) -> int | None:
    """How far right of its `/*` line the file writes a comment's `*` lines, when every
    comment near the cursor agrees (None: no comment, or comments that disagree)."""
    near = [*hole.lines_before[-LOOKUP:], *hole.lines_after[:LOOKUP]]
    found: set[int] = set()
    for line, after in zip(near, near[1:], strict=False):
        if _opens_comment(line) and after.lstrip().startswith("*"):
            found.add(indent_width(after) - indent_width(line))
    return found.pop() if len(found) == 1 else None


def align_stars(text: str, hole: Hole, cursor: int | None) -> str:
    """`text` with the `*` lines of each block comment it opens on a line of its own moved to
    the file's offset from the `/*` line (the answer's first line starts at `cursor`; None:
    after code on the cursor line, where a comment opened there is left as it is)."""
    if "/*" not in text:
        return text
    offset = star_offset(hole)
    if offset is None:
        return text
    broken, lines = split_answer(text)
    unit = "\t" if any(ln.startswith("\t") for ln in lines) else " "
    opener: int | None = None
    for index, line in enumerate(lines):
        start = (cursor or 0) if index == 0 else 0
        if opener is not None and line.lstrip().startswith("*"):
            lines[index] = make_indent(opener + offset - start, unit) + line.lstrip(" \t")
            opener = None if "*/" in line else opener
            continue
        opener = None
        if _opens_comment(line) and not (index == 0 and cursor is None):
            opener = indent_width(line) + start
    return join_answer(broken, lines)


def _opens_comment(line: str) -> bool:
    """The line starts a block comment that it does not close."""
    code = line.strip()
    return code.startswith("/*") and "*/" not in code[2:]
