"""The answer's ``<rewrite>`` tags as models misspell them, written the way the prompt asked.

Models write the tag pair almost right: another case (``<Rewrite>``), spaces inside
(``< rewrite >``), a letter missing (``</rewite>``), no slash on the closer (``<rewrite>`` twice),
no ``>`` at the end of the answer (``</rewrite``). Read literally, the misspelt closer is a
line of code the answer adds (or the whole answer goes unread). ``tags_mended`` finds the
tag-shaped tokens whose name is within two letters of the tag's, standing at a line's start or
end, and writes the first as ``<rewrite>`` and the next as ``</rewrite>``. A line the region
has is code and never touched. Linear: each line is matched by bounded patterns.
"""

from __future__ import annotations

import re

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from glm_lsp.edits.nextedit.region import Region
from glm_lsp.tagshape import NAME_DISTANCE
from glm_lsp.tagshape import near_name as tag_name_near

__all__ = ["NAME_DISTANCE", "marks_mended", "near_name", "tags_mended"]

MAX_TAG_LINE = 80
"""Longer lines are never read as tags alone."""
_PROPER_OPEN = re.compile(rf"<[ \t]*{TAG}[ \t]*>", re.IGNORECASE)
_PROPER_CLOSE = re.compile(rf"</[ \t]*{TAG}[ \t]*>", re.IGNORECASE)
_AT_START = re.compile(r"^([ \t]*)<[ \t]*([/\\]?)[ \t]*([A-Za-z][A-Za-z_\-]{2,15})[ \t]*/?(>+|$)")
"""A tag-shaped token opening a line (``<Rewrite>``, ``< rewrite >``, ``</rewite``)."""
_WITH_ATTRIBUTES = re.compile(
    r"^([ \t]*)<[ \t]*()([A-Za-z][A-Za-z_\-]{2,15})[ \t]+[A-Za-z_\-]{1,20}=[^<>\n]{0,60}?(>)"
)
"""An opening tag with attributes (``<rewrite lang="python">``); read on short lines only."""
_TOKEN = re.compile(r"<[ \t]*([/\\]?)[ \t]*([A-Za-z][A-Za-z_\-]{2,15})[ \t]*/?>+")
_FENCE_LINE = re.compile(r"^[ \t]*(?:```|~~~)")
_CURSOR_LIKE = re.compile(
    r"<\|?[ \t]*cursor(?:[ _-]?(?:position|pos|here|mark))?[ \t]*\|?>|\|cursor\|", re.IGNORECASE
)
"""The cursor mark as models rewrite it: ``<cursor>``, ``<|CURSOR|>``, ``<| cursor |>``..."""
_REGION_LIKE = re.compile(r"<\|?[ \t]*region[ _-]?(start|begin|end)[ \t]*\|?>", re.IGNORECASE)
"""The region marks as models rewrite them: ``<region_start>``, ``<|region start|>``..."""
_AT_END = re.compile(r"<[ \t]*([/\\])[ \t]*([A-Za-z][A-Za-z_\-]{2,15})[ \t]*>*")
"""A closing tag-shaped token ending a line after code (``return x</rewite>``)."""


def near_name(name: str, tag: str = TAG) -> bool:
    """``name`` is ``tag`` written with at most ``NAME_DISTANCE`` letters wrong (any case)."""
    return tag_name_near(name, tag)


def _token(line: str, opener_found: bool) -> tuple[int, int] | None:
    """The span of the tag-shaped token on ``line`` whose name is near the tag: at the line's
    start, or (a closer, once the opener is found) at its end after code. The line is read
    without its trailing whitespace and the end from its last ``<`` (linear)."""
    line = line.rstrip(" \t\r")
    found = _AT_START.match(line)
    if found is None and len(line) <= MAX_TAG_LINE:
        found = _WITH_ATTRIBUTES.match(line)
    if found is not None and near_name(found.group(3)):
        return found.end(1), found.end(4)
    at = line.rfind("<")
    if opener_found and at >= 0:
        glued = _AT_END.fullmatch(line, at)
        if glued is not None and near_name(glued.group(2)):
            return at, len(line)
    return None


def _unglued(text: str, start: int, end: int) -> str:
    """The opening tag at ``start:end`` on a line of its own when it opens its line and a
    fence or code follows it there (``<rewrite>```python``), the code's indentation kept."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[end : len(text) if line_end < 0 else line_end]
    if text[line_start:start].strip() or not rest.strip():
        return text
    return text[:end] + "\n" + text[end:]


def _tag_line(line: str) -> str | None:
    """``open`` or ``close`` for a line made of tag tokens of that kind only (near the tag's
    name: ``<rewrite>``, ``<rewrite><Rewrite>``, ``</rewite>``); None for any other line."""
    text = line.strip()
    if not text.startswith("<") or len(text) > MAX_TAG_LINE:
        return None
    found = list(_TOKEN.finditer(text))
    if not found or _TOKEN.sub("", text).strip():
        return None
    if not all(near_name(token.group(2)) for token in found):
        return None
    kinds = {"close" if token.group(1) else "open" for token in found}
    return kinds.pop() if len(kinds) == 1 else None


def _doubled_dropped(text: str, ours: set[str]) -> str:
    """Tags written twice (``<rewrite>`` on two lines, maybe a fence between, or glued on one
    line) written once: the second opener and the first of two closers go."""
    lines = text.split("\n")
    kinds = [None if line.strip() in ours else _tag_line(line) for line in lines]
    if sum(kind is not None for kind in kinds) < 2 and not any(
        kind and text_of.count("<") > 1 for kind, text_of in zip(kinds, lines, strict=True)
    ):
        return text
    out: list[str] = []
    previous: str | None = None
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind == "open" and previous == "open":
            continue
        if kind == "close" and _next_kind(lines, kinds, i + 1) == "close":
            continue
        out.append(line.strip().split(">")[0] + ">" if kind else line)
        if line.strip() and not _FENCE_LINE.match(line):
            previous = kind
    return "\n".join(out)


def _next_kind(lines: list[str], kinds: list[str | None], start: int) -> str | None:
    for line, kind in zip(lines[start:], kinds[start:], strict=True):
        if line.strip() and not _FENCE_LINE.match(line):
            return kind
    return None


def tags_mended(text: str, region: Region | None = None) -> str:
    """``text`` with a misspelt tag pair written as ``<rewrite>`` ... ``</rewrite>`` and tags
    written twice written once; unchanged when no tag-shaped token is found."""
    ours = {line.strip() for line in region.lines} if region is not None else set()
    text = _doubled_dropped(text, ours)
    opened = _PROPER_OPEN.search(text)
    if opened is not None and _PROPER_CLOSE.search(text, opened.end()) is not None:
        return _unglued(text, opened.start(), opened.end())
    lines = text.split("\n")
    found: list[tuple[int, int, int]] = []
    for i, line in enumerate(lines):
        if "<" not in line or line.strip() in ours:
            continue
        span = _token(line, bool(found))
        if span is not None:
            found.append((i, *span))
            if len(found) == 2:
                break
    for (row, start, end), proper in zip(found, (f"<{TAG}>", f"</{TAG}>"), strict=False):
        line = lines[row]
        rest = line[end:]
        if proper[1] != "/" and rest.strip():
            rest = "\n" + rest  # code glued to the opener: on its own line, indentation kept
        lines[row] = line[:start] + proper + rest
    return "\n".join(lines)


def marks_mended(text: str, region: Region | None = None) -> str:
    """The prompt's cursor and region marks, as models misspell them, written as the prompt
    has them (the reader then removes them); a spelling the region's code has is code."""
    code = "\n".join(region.lines).lower() if region is not None else ""

    def cursor(found: re.Match[str]) -> str:
        return found.group(0) if found.group(0).lower() in code else CURSOR

    def mark(found: re.Match[str]) -> str:
        if found.group(0).lower() in code:
            return found.group(0)
        return REGION_CLOSE if found.group(1).lower() == "end" else REGION_OPEN

    if "cursor" in text.lower():
        text = _CURSOR_LIKE.sub(cursor, text)
    if "region" in text.lower():
        text = _REGION_LIKE.sub(mark, text)
    return text
