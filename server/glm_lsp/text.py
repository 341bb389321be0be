"""Client text made well-formed Unicode (the one text rule every layer shares)."""

from __future__ import annotations

import re

__all__ = ["well_formed"]

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
