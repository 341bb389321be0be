"""Columns: LSP's UTF-16 code units and Python's code-point string indices."""

from __future__ import annotations

__all__ = ["index_to_utf16", "utf16_to_index"]


def utf16_to_index(text: str, character: int) -> int:
    """Turn an LSP (UTF-16 code unit) column into a Python string index, clamped to the line."""
    if character <= 0:
        return 0
    if text.isascii():
        return min(character, len(text))
    units = 0
    for index, ch in enumerate(text):
        if units >= character:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def index_to_utf16(text: str, index: int) -> int:
    """Turn a Python string index into an LSP (UTF-16 code unit) column."""
    head = text[: max(index, 0)]
    if head.isascii():
        return len(head)
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in head)
