"""From the model's answer to the smallest edits worth suggesting (pure, no I/O).

``propose`` reads the answer the way models write it (``<rewrite>`` tags, markdown fences, a
``<think>`` block, a sentence around the code, the cursor mark echoed, the region markers or
lines from outside the region echoed, the original region repeated before the rewrite, the
indentation shifted), diffs it against the region line by line and then character by
character, and keeps only edits that pass the guards:

* no-op: the answer equals the region (nothing to suggest);
* outside the region: an edit that starts or ends outside the region's lines is dropped;
* undo: an edit that only reverts the user's last edit (the newest hunk) is dropped;
* truncation: deleting two or more lines at the region's start or end is what a model that
  stopped early or skipped the start looks like, not a next edit: dropped;
* junk: an empty answer, or one that replaces most of the region's lines, is dropped whole
  (a model that lost track, not a next edit).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from glm_lsp.edits.answer import AnswerReader
from glm_lsp.edits.diff import Hunk as LineHunk
from glm_lsp.edits.diff import line_hunks
from glm_lsp.edits.nextedit.history import Hunk
from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from glm_lsp.edits.nextedit.region import Region, plain
from glm_lsp.edits.text import position_of

__all__ = ["Proposed", "apply_edits", "propose", "propose_counted", "read_answer"]

JUNK_SHARE = 0.5
"""Answers replacing more than this share of the region's lines are dropped whole..."""
JUNK_MIN_LINES = 4
"""...when they replace at least this many lines."""
TRUNCATION_LINES = 2


@attrs.frozen
class Proposed:
    """Replace document text from (start_line, start_char) to (end_line, end_char) by
    ``text``; columns in code points, positions valid in the document the region came from."""

    start_line: int
    start_char: int
    end_line: int
    end_char: int
    text: str


def read_answer(answer_text: str) -> list[str] | None:
    """The answer's code lines (without line breaks), wrappers removed; None when empty."""
    reader = AnswerReader(TAG)
    reader.feed(answer_text)
    text = reader.final().replace("\r\n", "\n").replace(CURSOR, "")
    if REGION_OPEN in text:
        text = text.split(REGION_OPEN, 1)[1].lstrip(" \t").removeprefix("\n")
    if REGION_CLOSE in text:
        text = text.split(REGION_CLOSE, 1)[0]
    if not text.strip():
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def _drop_echo(answer: list[str], region: Region, doc: Sequence[str]) -> list[str]:
    """Remove lines from above or below the region (or the whole original region) that the
    model repeated around its rewrite."""
    body = list(region.lines)
    n = len(body)
    if n and len(answer) >= 2 * n and answer[:n] == body and answer[n:] != body:
        answer = answer[n:]
    above = [
        plain(doc[i]) for i in range(max(0, region.start_line - len(answer)), region.start_line)
    ]
    for k in range(min(len(above), len(answer) - 1), 0, -1):
        if answer[:k] == above[-k:] and body and answer[k] == body[0] and answer[0] != body[0]:
            answer = answer[k:]
            break
    below_end = min(len(doc), region.end_line + len(answer))
    below = [plain(doc[i]) for i in range(region.end_line, below_end)]
    for k in range(min(len(below), len(answer) - 1), 0, -1):
        if answer[-k:] == below[:k] and body and answer[-k - 1] == body[-1]:
            if answer[-1] != body[-1]:
                answer = answer[:-k]
                break
    return answer


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _shift(lines: list[str], delta: int, unit: str) -> list[str] | None:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            out.append(line)
        elif delta > 0:
            out.append(unit * delta + line)
        elif _indent(line).startswith(unit * -delta):
            out.append(line[-delta * len(unit) :])
        else:
            return None
    return out


def _fix_indent(answer: list[str], region: Region) -> list[str]:
    """Undo a constant indentation shift of the whole answer (models drop or add a level)."""
    code = [line for line in answer if line.strip()]
    ours = [line for line in region.lines if line.strip()]
    if not code or not ours:
        return answer
    unit = "\t" if any(_indent(line).startswith("\t") for line in ours) else " "
    delta = min(len(_indent(line)) for line in ours) - min(len(_indent(line)) for line in code)
    if delta == 0:
        return answer
    shifted = _shift(answer, delta, unit)
    if shifted is None:
        return answer
    known = set(region.lines)
    if sum(line in known for line in shifted) > sum(line in known for line in answer):
        return shifted
    return answer


def _to_doc(region: Region, text: str, offset: int) -> tuple[int, int]:
    line, column = position_of(text, offset)
    return region.start_line + line, column


def _minimal(text: str, start: int, end: int, new: str) -> tuple[int, int, str]:
    """``text[start:end] -> new`` with the shared leading and trailing characters removed."""
    old = text[start:end]
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return start + head, end - tail, new[head : len(new) - tail]


def _edit(region: Region, doc_len: int, text: str, span: tuple[int, int, str]) -> Proposed | None:
    start, end, new = span
    sl, sc = _to_doc(region, text, start)
    el, ec = _to_doc(region, text, end)
    if el == doc_len and doc_len > 0:
        # The region's last line is the document's: its line break is ours, not the file's.
        last = len(region.lines[-1]) if region.lines else 0
        if new.endswith("\n"):
            new = new[:-1]
        elif sl == doc_len:
            return None
        if sl == doc_len:
            sl, sc, new = doc_len - 1, last, "\n" + new
        elif sc == 0 and sl > region.start_line and not new:
            sl, sc = sl - 1, len(region.lines[sl - 1 - region.start_line])
        el, ec = doc_len - 1, last
    return Proposed(sl, sc, el, ec, new)


def apply_edits(region: Region, edits: Sequence[Proposed]) -> str:
    """The region's text once ``edits`` (non-overlapping, inside it) are applied."""
    lines = [line + "\n" for line in region.lines]
    text = "".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        row = line - region.start_line
        if row >= len(lines):
            return len(text)
        return starts[row] + min(column, len(lines[row]))

    for edit in sorted(edits, key=lambda e: (e.start_line, e.start_char), reverse=True):
        a, b = offset(edit.start_line, edit.start_char), offset(edit.end_line, edit.end_char)
        text = text[:a] + edit.text + text[b:]
    return text


def _undone(region: Region, last: Hunk | None) -> str | None:
    """The region's text with the user's last edit reverted; None if it is not in the region."""
    if last is None or not region.contains_line(last.start_line):
        return None
    end = last.new_end
    if end[0] >= region.end_line:
        return None
    revert = Proposed(last.start_line, last.start_char, end[0], end[1], last.old_text)
    current = apply_edits(region, [Proposed(*last.start, *end, last.new_text)])
    if current != region.text:
        return None  # the document no longer holds the hunk's text where it says
    return apply_edits(region, [revert])


def _per_line(hunks: Sequence[LineHunk]) -> list[LineHunk]:
    """Hunks replacing n lines by n lines split into one hunk a line (one small edit each)."""
    out: list[LineHunk] = []
    for hunk in hunks:
        if len(hunk.lines) == hunk.end - hunk.start > 1:
            out.extend(
                LineHunk(hunk.start + i, hunk.start + i + 1, (line,))
                for i, line in enumerate(hunk.lines)
            )
        else:
            out.append(hunk)
    return out


def _blank_edges(answer: list[str], region: Region) -> list[str]:
    """The answer with the region's leading and trailing blank lines (models drop them)."""

    def edge(lines: Sequence[str]) -> int:
        return next((i for i, line in enumerate(lines) if line.strip()), len(lines))

    body = answer[edge(answer) :]
    body = body[: len(body) - edge(body[::-1])]
    head, tail = edge(region.lines), edge(region.lines[::-1])
    if head == len(region.lines):
        return answer
    return list(region.lines[:head]) + body + list(region.lines[len(region.lines) - tail :])


def _spans(region: Region, answer: list[str]) -> list[tuple[int, int, int, int, str]] | None:
    """(first old line, end old line, start, end, new) per line hunk; None for junk answers."""
    text = region.text
    hunks = line_hunks(text, "".join(line + "\n" for line in answer))
    n = len(region.lines)
    replaced = sum(h.end - h.start for h in hunks)
    if replaced >= JUNK_MIN_LINES and replaced > JUNK_SHARE * n:
        return None
    starts = [0]
    for line in region.lines:
        starts.append(starts[-1] + len(line) + 1)
    spans = []
    for hunk in _per_line(hunks):
        deletion = not hunk.lines and hunk.end - hunk.start >= TRUNCATION_LINES
        if deletion and (hunk.start == 0 or hunk.end == n):
            continue
        spans.append(
            (hunk.start, hunk.end, starts[hunk.start], starts[hunk.end], "".join(hunk.lines))
        )
    return spans


def propose(
    lines: Sequence[str],
    region: Region,
    answer_text: str,
    history_hunks: Sequence[Hunk],
    cursor_line: int,
    cursor_char: int,
) -> list[Proposed]:
    """The edits the answer suggests, in document order, each minimal; [] when none is worth it.

    ``lines`` is the whole document (with or without line breaks) the region was cut from;
    ``answer_text`` the model's whole answer; ``history_hunks`` oldest first. The cursor is
    accepted for guards that need it; edits away from the cursor are kept (that is the point).
    """
    return propose_counted(lines, region, answer_text, history_hunks, cursor_line, cursor_char)[0]


def propose_counted(
    lines: Sequence[str],
    region: Region,
    answer_text: str,
    history_hunks: Sequence[Hunk],
    cursor_line: int,
    cursor_char: int,
) -> tuple[list[Proposed], int]:
    """``propose``, and how many edits the guards dropped (a junk answer counts as one)."""
    del cursor_line, cursor_char
    if region.end_line > len(lines) or any(
        plain(lines[region.start_line + i]) != line for i, line in enumerate(region.lines)
    ):
        return [], 0  # the region is not this document's
    answer = read_answer(answer_text)
    if answer is None or not region.lines:
        return [], 1
    answer = _blank_edges(_fix_indent(_drop_echo(answer, region, lines), region), region)
    spans = _spans(region, answer)
    if spans is None:
        return [], 1
    text = region.text
    undone = _undone(region, history_hunks[-1] if history_hunks else None)
    edits: list[Proposed] = []
    dropped = 0
    for _first, _end, start, end, new in spans:
        edit = _edit(region, len(lines), text, _minimal(text, start, end, new))
        if edit is None or not _inside(region, edit):
            dropped += 1
        elif undone is not None and apply_edits(region, [edit]) == undone:
            dropped += 1
        else:
            edits.append(edit)
    if undone is not None and edits and apply_edits(region, edits) == undone:
        return [], dropped + len(edits)
    return edits, dropped


def _inside(region: Region, edit: Proposed) -> bool:
    if edit.start_line < region.start_line or edit.end_line > region.end_line:
        return False
    return edit.end_line < region.end_line or edit.end_char == 0
