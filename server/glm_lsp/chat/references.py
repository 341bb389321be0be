"""Context references in a chat message: ``#file:<path>``, ``#selection``, ``#diff``,
``#diagnostics``.

``parse_references`` finds them; ``attach.py`` resolves them. A path
may be quoted (``#file:"my file.py"``); trailing punctuation is not part of it. Anything else
that starts with ``#`` is left alone, so ``#123`` or ``#include`` stay plain text.
"""

from __future__ import annotations

import re

import attrs

__all__ = ["References", "parse_references"]

_REFERENCE = re.compile(
    r"""(?<![\w#/])\#(?:
        file:(?:"(?P<quoted>[^"]+)"|(?P<bare>[^\s"]+))
      | (?P<word>selection|diff|diagnostics)\b
    )""",
    re.VERBOSE,
)
_TRAILING = ".,;:!?)]}'`"


@attrs.frozen
class References:
    """What a message asks to attach."""

    files: tuple[str, ...] = ()
    selection: bool = False
    diff: bool = False
    diagnostics: bool = False

    @property
    def any(self) -> bool:
        return bool(self.files) or self.selection or self.diff or self.diagnostics

    def merged(self, other: References) -> References:
        return References(
            tuple(dict.fromkeys(self.files + other.files)),
            self.selection or other.selection,
            self.diff or other.diff,
            self.diagnostics or other.diagnostics,
        )


def parse_references(message: str) -> References:
    """The references in ``message``, files in order of first mention, without repeats."""
    files: list[str] = []
    words: set[str] = set()
    for match in _REFERENCE.finditer(message):
        if match.group("word"):
            words.add(match.group("word"))
            continue
        path = match.group("quoted")
        if path is None:
            path = match.group("bare").rstrip(_TRAILING)
        if path and path not in files:
            files.append(path)
    return References(tuple(files), "selection" in words, "diff" in words, "diagnostics" in words)
