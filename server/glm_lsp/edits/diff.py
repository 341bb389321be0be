"""Minimal line edits between two versions of a range, and what to show while a rewrite streams.

``line_hunks`` turns "range now" into "range wanted" with as few replaced lines as possible, so
unchanged lines are never rewritten (the editor keeps their marks, folds and undo history).

``streaming_target`` decides what the range should look like when only the first lines of the
model's rewrite are known: the new lines so far, then the original lines the model has not
reached yet. A new line that looks like a reworked original line replaces it in place; a line
unlike anything (a new docstring, say) is inserted and the original stays below it until the
model decides. The final answer always replaces this guess exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

import attrs

from glm_lsp.edits.text import split_lines

__all__ = ["Hunk", "line_hunks", "streaming_target"]

SIMILAR = 0.6
"""Similarity at which a streamed line counts as a reworked version of an original line."""

_TRIVIAL = frozenset({"", "}", ")", "]", "};", "});", "end", "fi", "done", "else:", "pass"})


@attrs.frozen
class Hunk:
    """Old lines ``[start, end)`` are replaced by ``lines``."""

    start: int
    end: int
    lines: tuple[str, ...]


def _trivial(line: str) -> bool:
    return line.strip() in _TRIVIAL


def line_hunks(old: str, new: str) -> list[Hunk]:
    """The fewest line replacements turning ``old`` into ``new``, in order, never adjacent."""
    if old == new:
        return []
    a, b = split_lines(old), split_lines(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [
        Hunk(i1, i2, tuple(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _similar(x: str, y: str) -> bool:
    x, y = x.strip(), y.strip()
    if not x or not y:
        return x == y
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    return matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def streaming_target(original: str, streamed: Sequence[str]) -> str:
    """The range while the rewrite streams: ``streamed`` lines, then the unreached original."""
    old = split_lines(original)
    new = list(streamed)
    if not new:
        return original
    matcher = SequenceMatcher(_trivial, old, new, autojunk=False)
    reached_old, reached_new = 0, 0
    for block in matcher.get_matching_blocks():
        if block.size == 0:
            continue
        if all(_trivial(line) for line in old[block.a : block.a + block.size]):
            continue
        reached_old, reached_new = block.a + block.size, block.b + block.size
    for line in new[reached_new:]:
        if reached_old < len(old) and _similar(line, old[reached_old]):
            reached_old += 1
    tail = old[reached_old:]
    text = "".join(new)
    if tail and not text.endswith("\n"):
        text += "\n"
    return text + "".join(tail)
