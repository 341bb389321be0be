"""Single-line answers that restate the enclosing scope: the model writes the lines above the
cursor again (from the function's header, or any line of the window above) before the text
of the hole. The restated lines can never be the answer; the line after them is."""

from __future__ import annotations

import re

from .hole import indent_width
from .syntax import squeeze

RESTATED_LINES = 30
"""Lines of the window above the cursor (not blank) an answer may restate before its text: the
stream is read past at most that many lines."""
NOT_RESTATED = -1

_TRIVIAL = re.compile(r"^(?:[\W_]*|[\W_]*\w+[:;,]?)$")


def is_trivial(stripped: str) -> bool:
    """A line too common to identify a place in the file (`}`, `pass`, `else:`, `end`)."""
    return len(stripped) < 4 or bool(_TRIVIAL.match(stripped))


def _restates(lines: list[str], run: list[int], above: list[str], *, cut: bool) -> bool:
    """The answer lines `run` write the lines `above` again, in order; with `cut` (a stream that
    ended inside the restatement) the last of them may be a start of its line."""
    for j, i in enumerate(run):
        line = squeeze(lines[i])
        if line != above[j] and not (cut and j == len(run) - 1 and above[j].startswith(line)):
            return False
    return True


def past_restated_scope(  # noqa: PLR0913 - the answer, the window, and the cursor line
    lines: list[str],
    complete: int,
    lines_above: list[str],
    *,
    final: bool,
    cursor_indent: int,
    typed: bool = False,
) -> int | None:
    """The index of the first answer line after a restatement of the window's lines above the
    cursor: two lines or more (the first not trivial), in order, from any line above down to
    the line right above the cursor (blank lines aside). None while the first `complete` lines
    of `lines` still read as such a restatement not yet over (or over, the next line not yet
    arrived); NOT_RESTATED when they do not, or when the answer starts with a trivial line
    (`end`, `}`: the stream is not held for them) or with the line right above (an echo, left
    to the echo rules). Once the answer is `final`, a restatement of two lines or more that
    started at a line indented less than the cursor line (`cursor_indent`: an enclosing header)
    and ended before any new line (its last line maybe cut) gives len(lines): nothing, as
    does one that reached the line right above a cursor line with no code `typed` on it. One
    that started elsewhere and stopped short of it, or that a block opener on the cursor line
    follows, may be code that repeats (`ret = 1;` `break;`, a sibling branch's body)."""
    kept = [line for line in lines_above if line.strip()][-RESTATED_LINES:]
    above = [squeeze(line) for line in kept]
    content = [i for i in range(complete) if lines[i].strip()]
    if not content or not above or is_trivial(lines[content[0]].strip()):
        return NOT_RESTATED
    head = squeeze(lines[content[0]])
    if head == above[-1]:
        return NOT_RESTATED
    pending = False
    for start in [k for k, line in enumerate(above) if line == head]:
        size = len(above) - start
        run = content[:size]
        if not _restates(lines, run, above[start:], cut=final):
            continue
        if len(content) > size:
            return content[size]
        if not final:
            pending = True
        elif len(run) >= 2 and (
            (len(run) == size and not typed) or indent_width(kept[start]) < cursor_indent
        ):
            return len(lines)
    return None if pending else NOT_RESTATED


def restates_only(
    lines: list[str], lines_above: list[str], cursor_indent: int, *, typed: bool
) -> bool:
    """The whole answer restates lines above the cursor, in order, from a line indented less
    than the cursor line (an enclosing header), two lines or more, the last maybe cut: a
    stream that ended before reaching the hole."""
    found = past_restated_scope(
        lines, len(lines), lines_above, final=True, cursor_indent=cursor_indent, typed=typed
    )
    return found == len(lines)
