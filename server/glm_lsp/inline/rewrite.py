"""An answer that rewrites the whole enclosing scope: the lines above the cursor restated, then
the hole's text, then the lines below. Only the middle is the answer."""

from __future__ import annotations

from .hole import Hole, indent_width
from .restated import is_trivial, restates_only
from .syntax import squeeze

MIN_RESTATED = 2
"""Lines above the cursor an answer must restate, in order, to be read as a rewrite."""


def _content(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip()]


def _last_squeezed(lines: list[str], count: int) -> list[str]:
    """The last `count` non-blank `lines`, squeezed, in order (the window has 240 lines above
    the cursor; an answer can restate no more lines than it has)."""
    found: list[str] = []
    for line in reversed(lines):
        if len(found) >= count:
            break
        if line.strip():
            found.append(squeeze(line))
    return found[::-1]


def _restated_head(lines: list[str], hole: Hole) -> int | None:
    """Index of the first answer line after a restatement of the lines right above the cursor
    line (at least MIN_RESTATED, one of them not trivial), or None when there is none."""
    content = _content(lines)
    above = _last_squeezed(hole.lines_before, len(content))
    for size in range(min(len(above), len(content)), MIN_RESTATED - 1, -1):
        run = content[:size]
        if [squeeze(lines[i]) for i in run] != above[-size:]:
            continue
        if all(is_trivial(lines[i].strip()) for i in run):
            return None
        return run[-1] + 1
    return None


def _after_typed(line: str, typed: str) -> str | None:
    """`line` after the part of it typed before the cursor (spacing may differ), or None."""
    wanted = squeeze(typed)
    if not wanted:
        return line
    matched = 0
    for index, char in enumerate(line):
        if char.isspace():
            continue
        if squeeze(char) != wanted[matched]:
            return None
        matched += 1
        if matched == len(wanted):
            rest = line[index + 1 :]
            return rest.lstrip(" \t") if typed[-1:].isspace() else rest
    return None


def _restated_tail(lines: list[str], hole: Hole) -> int:
    """Index where a restatement of the lines right below the cursor line starts (len(lines)
    when the answer does not end with one)."""
    below = [squeeze(line) for line in hole.lines_after if line.strip()]
    content = _content(lines)
    for size in range(min(len(below), len(content)), 0, -1):
        run = content[-size:]
        if [squeeze(lines[i]) for i in run] == below[:size]:
            return run[0]
    return len(lines)


def without_rewritten_scope(text: str, hole: Hole) -> str | None:
    """`text` without the lines above and below the cursor it restates when it reads as a
    rewrite of the enclosing scope (its first lines restate the lines above the cursor); None
    when nothing is left between them, or when the answer only restates lines above from an
    enclosing header on (a stream cut before the cursor line). Any other answer is returned
    as it is."""
    lines = text.split("\n")
    start = _restated_head(lines, hole)
    if start is None:
        column = indent_width(hole.line_prefix)
        code = bool(hole.line_prefix.strip())
        return None if restates_only(lines, hole.lines_before, column, typed=code) else text
    middle = lines[start:]
    typed = hole.line_prefix
    if typed.strip():
        first = _content(middle)
        if not first:
            return None
        rest = _after_typed(middle[first[0]], typed)
        if rest is None:
            return text
        middle = [rest, *middle[first[0] + 1 :]]
    middle = middle[: _restated_tail(middle, hole)]
    tail = squeeze(hole.line_suffix)
    if tail and middle:
        middle[-1] = _before_suffix(middle[-1], tail)
    if not any(line.strip() for line in middle):
        return None
    if typed.strip():
        return "\n".join(middle).rstrip()
    return "\n".join(middle).strip("\n")


def _before_suffix(line: str, tail: str) -> str:
    """`line` without its end when that end restates the text after the cursor (`tail`,
    squeezed)."""
    if not squeeze(line).endswith(tail):
        return line
    count = 0
    for index in range(len(line) - 1, -1, -1):
        if line[index].isspace():
            continue
        count += 1
        if count == len(tail):
            return line[:index].rstrip()
    return line
