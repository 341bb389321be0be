"""The region a next-edit suggestion may rewrite: whole lines around the cursor.

The boundaries are aligned to blocks of ``BLOCK_LINES`` lines, so a cursor that moves a few
lines, or a user who keeps typing on the same line, gets the same region boundaries: the
prompt around it stays byte-identical and the provider's prompt cache stays warm
(docs/glm-api.md, "Prompt caching"). The region is the middle block and one block on each
side, shrunk to ``max_chars`` by dropping whole lines farthest from the cursor.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["BLOCK_LINES", "MAX_REGION_CHARS", "Region", "region_around"]

BLOCK_LINES = 8
"""Region boundaries fall on multiples of this many lines."""
BLOCKS_BEFORE = 1
BLOCKS_AFTER = 1
MAX_REGION_CHARS = 3000
"""Upper bound of the region's text (whole lines are dropped beyond it, far side first)."""


@attrs.frozen
class Region:
    """Document lines ``[start_line, end_line)``; ``lines`` hold them without line breaks."""

    start_line: int
    end_line: int
    """Exclusive."""
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The region's lines, each ending in ``\\n``."""
        return "".join(line + "\n" for line in self.lines)

    def contains_line(self, line: int) -> bool:
        """``line`` is one of the region's lines."""
        return self.start_line <= line < self.end_line


def plain(line: str) -> str:
    """A document line without its line break."""
    return line.rstrip("\r\n")


def region_around(
    lines: Sequence[str],
    line: int,
    *,
    block: int = BLOCK_LINES,
    before: int = BLOCKS_BEFORE,
    after: int = BLOCKS_AFTER,
    max_chars: int = MAX_REGION_CHARS,
) -> Region:
    """The region for a cursor on document ``line`` of ``lines`` (the whole document).

    ``lines`` may keep their line breaks or not. The region always contains ``line``
    (clamped into the document) unless the document is empty.
    """
    count = len(lines)
    if count == 0:
        return Region(0, 0, ())
    line = max(0, min(line, count - 1))
    base = line // block * block
    start = max(0, base - before * block)
    end = min(count, base + (after + 1) * block)
    texts = [plain(lines[i]) for i in range(start, end)]
    size = sum(len(text) + 1 for text in texts)
    while size > max_chars and end - start > 1:
        if line - start >= end - 1 - line:
            size -= len(texts.pop(0)) + 1
            start += 1
        else:
            size -= len(texts.pop()) + 1
            end -= 1
    return Region(start, end, tuple(texts))
