"""The strict judge: what does accepting the proposed edits do to the document?

The proposed edits (code points, in the document as sent) are applied together; the result is
compared with the state to reach (`Case.expected`):

- `right`: the edits give exactly the document after the true next hunk (for a `nothing` case
  there is no right suggestion: only `empty` is correct there).
- `partial`: the edits give the document with some, not all, of the true hunk's line changes:
  the hunk's change from the document before it to the one after is split into its line-level
  pieces (difflib opcodes of the two line lists), and the result equals the document with a
  non-empty strict subset of those pieces applied. Nothing else the user did not write comes
  in; accepting a partial suggestion is a step towards the true edit.
- `empty`: no edit proposed.
- `harmful`: anything else: a different text, a change in a `nothing` case, an edit that
  changes nothing, overlapping edits, or a position outside the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from itertools import combinations
from typing import Protocol

VERDICTS = ("right", "partial", "empty", "harmful")
MAX_PIECES = 8
"""A true hunk split into more line pieces than this is judged right-or-harmful only."""


class Edit(Protocol):
    """What the judge reads of a proposed edit (`glm_lsp.edits.nextedit.propose.Proposed`)."""

    @property
    def start_line(self) -> int: ...
    @property
    def start_char(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_char(self) -> int: ...
    @property
    def text(self) -> str: ...


def _offset(starts: list[int], lines: Sequence[str], line: int, char: int) -> int | None:
    if not 0 <= line < len(lines) or not 0 <= char <= len(lines[line]):
        return None
    return starts[line] + char


def apply(lines: Sequence[str], edits: Sequence[Edit]) -> tuple[str, ...] | None:
    """The document's lines once `edits` are applied, or None when they overlap or point
    outside the document."""
    starts: list[int] = []
    at = 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    spans: list[tuple[int, int, str]] = []
    for edit in edits:
        begin = _offset(starts, lines, edit.start_line, edit.start_char)
        end = _offset(starts, lines, edit.end_line, edit.end_char)
        if begin is None or end is None or end < begin:
            return None
        spans.append((begin, end, edit.text))
    spans.sort()
    for (_, end, _), (begin, _, _) in zip(spans, spans[1:], strict=False):
        if begin < end:
            return None
    text = "\n".join(lines)
    for begin, end, new in reversed(spans):
        text = text[:begin] + new + text[end:]
    return tuple(text.split("\n"))


def pieces(before: Sequence[str], after: Sequence[str]) -> list[tuple[int, int, int, int]]:
    """The line-level pieces turning `before` into `after` (difflib opcodes that change)."""
    matcher = SequenceMatcher(None, list(before), list(after), autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _with(
    before: Sequence[str], after: Sequence[str], chosen: Sequence[tuple[int, int, int, int]]
) -> tuple[str, ...]:
    out = list(before)
    for i1, i2, j1, j2 in sorted(chosen, reverse=True):
        out[i1:i2] = after[j1:j2]
    return tuple(out)


def is_partial(before: Sequence[str], after: Sequence[str], result: Sequence[str]) -> bool:
    """`result` is `before` with a non-empty strict subset of the pieces to `after` applied."""
    found = pieces(before, after)
    if not 2 <= len(found) <= MAX_PIECES:
        return False
    target = tuple(result)
    for size in range(1, len(found)):
        for chosen in combinations(found, size):
            if _with(before, after, chosen) == target:
                return True
    return False


def _blank_free(lines: Sequence[str]) -> tuple[str, ...]:
    return tuple("" if not line.strip() else line for line in lines)


def blank_whitespace_only(
    lines: Sequence[str], expected: Sequence[str], edits: Sequence[Edit]
) -> bool:
    """The edits give the expected document except for the whitespace on blank lines (a
    harmful verdict that a reader may weigh lightly; reported apart, still counted harmful)."""
    result = apply(lines, edits) if edits else None
    return result is not None and _blank_free(result) == _blank_free(expected) != _blank_free(lines)


def judge(lines: Sequence[str], expected: Sequence[str], edits: Sequence[Edit]) -> str:
    """The verdict for proposing `edits` on document `lines` where `expected` is right."""
    if not edits:
        return "empty"
    result = apply(lines, edits)
    if result is None or tuple(result) == tuple(lines):
        return "harmful"
    if result == tuple(expected):
        return "right"
    if tuple(expected) != tuple(lines) and is_partial(lines, expected, result):
        return "partial"
    return "harmful"
