"""Columns: LSP's UTF-16 code units and Python's code-point string indices; client text made
well-formed Unicode."""

from __future__ import annotations

import re

__all__ = ["index_to_utf16", "utf16_to_index", "well_formed"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """``text`` with lone surrogates (JSON lets a client send ``"\\ud800"``) replaced by U+FFFD.

    A surrogate cannot be encoded to UTF-8, so one would break every write of the text (the
    chat store, the request body). The replacement keeps every column: one code point, one
    UTF-16 unit, and the three UTF-8 bytes pygls counts for any code point below U+10000.
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


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
