"""A markdown note after an untagged next-edit answer: ``**Explanation:** ...`` and a list.

Models close an answer written without tags with a note in markdown: a bold or labelled
head (``**Changes:**``, ``Explanation: the rename...``, a sentence) and bullet points. Read
as code, the note is inserted after the region. ``note_dropped`` removes such a note when it
is the answer's end, stands after a blank line at the margin, opens with a head (never a
bare list: that may be code) and holds no line of the region.
"""

from __future__ import annotations

import re

from glm_lsp.edits.answer import is_prose
from glm_lsp.edits.nextedit.prompt import TAG
from glm_lsp.edits.nextedit.region import Region

__all__ = ["note_dropped"]

MAX_LINE = 300
"""Longer lines are never read as a note."""
_BULLET = re.compile(r"^(?:[-*+]|\d{1,3}[.)])[ \t]+\S")
_BOLD_HEAD = re.compile(r"^\*\*[^*]{1,60}\*\*")
_LABEL_HEAD = re.compile(r"^[A-Z][A-Za-z ]{2,30}:(?:[ \t]+[A-Za-z`*(\"']|$)")
_OPEN_TAG = re.compile(rf"<\s*{TAG}\s*>", re.IGNORECASE)


def _head(line: str) -> bool:
    text = line.strip()
    return bool(_BOLD_HEAD.match(text) or _LABEL_HEAD.match(text)) or is_prose(line)


def note_dropped(text: str, region: Region | None) -> str:
    """``text`` without the markdown note at its end (an untagged answer only)."""
    if region is None or _OPEN_TAG.search(text):
        return text
    ours = {line.strip() for line in region.lines if line.strip()}
    lines = text.split("\n")
    i = len(lines)
    first = -1
    while i > 0:
        line = lines[i - 1]
        text_of = line.strip()
        if not text_of:
            i -= 1
            continue
        if text_of in ours or line != line.lstrip() or len(line) > MAX_LINE:
            break
        if _head(line):
            first = i - 1
        elif not _BULLET.match(text_of):
            break
        i -= 1
    if first <= 0 or lines[first - 1].strip():
        return text  # no head, or the note does not stand apart after a blank line
    if any(line.strip() and not _head(line) for line in lines[i:first]):
        return text  # the block opens with a list: code, maybe
    return "\n".join(lines[:first]) + "\n"
