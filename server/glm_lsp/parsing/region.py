"""Which lines around a cursor to parse: the top-level construct it is in, not a fixed window.

A window cut at a fixed line count may begin inside a docstring or a block comment; every string
after that point then reads inverted, the tree is nonsense around the cursor, and the parser's
error recovery over prose is slow (10-20 ms for 360 lines instead of one). The construct around
the cursor starts at the nearest line above it that opens a top-level construct (column 0, a
word, decorator or comment start, after a blank line, not a closing or continuation keyword)
and ends before the next such line below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["CONTINUATION", "local_rows", "starts_construct"]

_TOP_LEVEL_START = re.compile(r"[A-Za-z_@#/$]")
CONTINUATION = re.compile(
    r"(?:else|elif|elsif|except|finally|end|case|when|rescue|ensure|catch|fi|done|esac|then|do)\b"
)
"""A line starting with one of these keywords continues the construct above it."""


def starts_construct(lines: Sequence[str], row: int) -> bool:
    """True when `lines[row]` opens a top-level construct (it follows a blank line)."""
    line = lines[row]
    if not _TOP_LEVEL_START.match(line) or CONTINUATION.match(line):
        return False
    return row > 0 and not lines[row - 1].strip()


def local_rows(lines: Sequence[str], row: int) -> tuple[int, int]:
    """(first, end): the rows `first <= r < end` of the construct around row `row`, or the
    whole of `lines` where no construct starts above (or below) it."""
    first = next((r for r in range(row, 0, -1) if starts_construct(lines, r)), 0)
    end = next((r for r in range(row + 2, len(lines)) if starts_construct(lines, r)), len(lines))
    return first, end
