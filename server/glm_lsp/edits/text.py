"""Plain-text helpers for edits: lines split on ``\\n`` only, offsets and (line, column) pairs.

Columns here count code points; ``glm_lsp.lsp.positions`` converts the client's units. Lines are
split on ``\\n`` alone because that is what LSP positions count (``str.splitlines`` would also
split on form feeds and Unicode separators and shift every position after them).
"""

from __future__ import annotations

__all__ = [
    "Pos",
    "changed_span",
    "line_starts",
    "line_text",
    "offset_of",
    "position_of",
    "split_lines",
]

Pos = tuple[int, int]
"""(line, column) with the column in code points."""

_BLOCK = 4096


def split_lines(text: str) -> list[str]:
    """``text`` as lines that keep their ``\\n``; the last one may lack it; "" gives []."""
    if not text:
        return []
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line (always at least ``[0]``)."""
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def position_of(text: str, offset: int) -> Pos:
    """The (line, column) of ``offset`` in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def offset_of(text: str, pos: Pos) -> int:
    """The offset of ``pos`` in ``text``; lines past the end give the end, columns are clamped."""
    line, column = pos
    start = 0
    for _ in range(line):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return min(start + max(column, 0), end)


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    i = 0
    while i + _BLOCK <= limit and a[i : i + _BLOCK] == b[i : i + _BLOCK]:
        i += _BLOCK
    while i < limit and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str, limit: int) -> int:
    n = 0
    la, lb = len(a), len(b)
    while n + _BLOCK <= limit and a[la - n - _BLOCK : la - n] == b[lb - n - _BLOCK : lb - n]:
        n += _BLOCK
    while n < limit and a[la - n - 1] == b[lb - n - 1]:
        n += 1
    return n


def changed_span(old: str, new: str) -> tuple[int, int, int] | None:
    """The one span that differs: ``old[start:old_end]`` became ``new[start:new_end]``.

    None when the texts are equal. Several separate changes come out as one span covering all.
    """
    if old == new:
        return None
    start = _common_prefix(old, new)
    tail = _common_suffix(old, new, min(len(old), len(new)) - start)
    return start, len(old) - tail, len(new) - tail


def line_text(text: str, line: int) -> str:
    """Line ``line`` of ``text`` without its line break ("" past the end)."""
    start = 0
    for _ in range(line):
        found = text.find("\n", start)
        if found < 0:
            return ""
        start = found + 1
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]
