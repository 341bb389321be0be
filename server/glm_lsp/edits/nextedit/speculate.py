"""Speculation: the follow-up suggestion computed while the user still reads the shown one.

When a suggestion is shown, the next one is asked for on the document as it will read once
the suggestion is accepted (``applied``), with the accepted edit as the last hunk of the
history (``hunks_after``). The ``didChange`` that follows tells whether the guess came true:
the document reads exactly ``Speculation.text`` (the accept) or it does not (the user typed
something else, and the speculative stream is closed).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from glm_lsp.edits.nextedit.history import Hunk, shift_older

__all__ = ["applied", "between", "hunks_after"]


def _breaks_kept(lines: Sequence[str]) -> bool:
    return any(line.endswith(("\n", "\r")) for line in lines[:2])


def applied(
    lines: Sequence[str], start: tuple[int, int], end: tuple[int, int], text: str
) -> tuple[str, list[str]]:
    """The document text and its lines after ``text`` replaced the range ``start``-``end``
    (code points) of ``lines``, in the style of ``lines`` (breaks kept, as
    ``str.splitlines(True)``, or not)."""
    (first, first_char), (last, last_char) = start, end
    head = lines[first][:first_char] if first < len(lines) else ""
    tail = lines[last][last_char:] if last < len(lines) else ""
    chunk = head + text + tail
    if _breaks_kept(lines):
        out = [*lines[:first], *chunk.splitlines(True), *lines[last + 1 :]]
        return "".join(out), out
    out = [*lines[:first], *chunk.split("\n"), *lines[last + 1 :]]
    return "\n".join(out), out


def hunks_after(
    hunks: Sequence[Hunk], uri: str, start: tuple[int, int], old: str, new: str, now: float
) -> list[Hunk]:
    """``hunks`` (the document's history) followed by the accepted edit (``old`` at ``start``
    became ``new``) as its own hunk, the older ones shifted or dropped as ``EditHistory``
    does when the edit arrives."""
    kept = deque(hunks)
    shift_older(kept, start, old, new)  # the history's own rule, on a copy
    return [*kept, Hunk(uri, start[0], old, new, now, None, start[1])]


def between(lines: Sequence[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    """The text of ``lines`` from ``start`` to ``end`` (code points)."""
    (first, first_char), (last, last_char) = start, end
    if first >= len(lines):
        return ""
    if first == last:
        return lines[first][first_char:last_char]
    tail = lines[last][:last_char] if last < len(lines) else ""
    if _breaks_kept(lines):
        return lines[first][first_char:] + "".join(lines[first + 1 : last]) + tail
    return "\n".join([lines[first][first_char:], *lines[first + 1 : last], tail])
