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
from difflib import SequenceMatcher

import attrs

from glm_lsp.edits.diff import Hunk as LineHunk
from glm_lsp.edits.diff import line_hunks
from glm_lsp.edits.nextedit.history import Hunk
from glm_lsp.edits.nextedit.indent import trailing_kept, written_lines
from glm_lsp.edits.nextedit.reading import answer_cut, blanks_kept, open_ended, read_answer
from glm_lsp.edits.nextedit.region import Region, plain
from glm_lsp.edits.nextedit.repair import partial_dropped, repaired
from glm_lsp.edits.nextedit.tags import marks_mended, tags_mended
from glm_lsp.edits.text import position_of

__all__ = ["Proposed", "apply_edits", "propose", "propose_counted", "read_answer"]

JUNK_SHARE = 0.5
"""Answers replacing more than this share of the region's lines are dropped whole..."""
JUNK_MIN_LINES = 4
"""...when they replace at least this many lines."""
TRUNCATION_LINES = 2
SIMILAR = 0.6
"""Similarity at which a new line counts as an edit of an old one."""


@attrs.frozen
class Proposed:
    """Replace document text from (start_line, start_char) to (end_line, end_char) by
    ``text``; columns in code points, positions valid in the document the region came from."""

    start_line: int
    start_char: int
    end_line: int
    end_char: int
    text: str


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


def _edit(region: Region, text: str, span: tuple[int, int, str]) -> Proposed:
    start, end, new = span
    sl, sc = _to_doc(region, text, start)
    el, ec = _to_doc(region, text, end)
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


def _rewritten(new: Sequence[str], old: Sequence[str]) -> bool:
    """Code lines none of which is an edit of an old line (a rewrite, not edited lines)."""
    code = [line.strip() for line in new if line.strip()]
    before = [line.strip() for line in old if line.strip()]
    return bool(code) and not any(
        SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR for a in code for b in before
    )


def _split_edge(hunk: LineHunk, old: Sequence[str]) -> list[LineHunk]:
    """A hunk at the region's end (start) that has fewer new lines than old: the new lines
    replace the first (last) old ones and the rest is a deletion, which the truncation guard
    then judges on its own. At the end, new lines that edit none of the old ones are kept
    with the deletion (the end rewritten: half of it would leave a wrong document). When the
    new lines change the old ones they would replace, no edit at all: lines merged at the edge
    and lines left out look alike, and either half alone would be wrong."""
    n = len(old)
    deficit = hunk.end - hunk.start - len(hunk.lines)
    if deficit < TRUNCATION_LINES or not hunk.lines:
        return [hunk]
    if hunk.end == n and _rewritten(hunk.lines, old[hunk.start : hunk.end]):
        return [hunk]
    if hunk.end == n:
        middle = hunk.start + len(hunk.lines)
        kept = [*hunk.lines[:-1], hunk.lines[-1].rstrip("\n") + "\n"]  # the file's last line
        if _changes(kept, old[hunk.start : middle]):
            return []
        return [LineHunk(hunk.start, middle, tuple(kept)), LineHunk(middle, hunk.end, ())]
    if hunk.start == 0:
        if _changes(hunk.lines, old[deficit : hunk.end]):
            return []
        return [LineHunk(0, deficit, ()), LineHunk(deficit, hunk.end, hunk.lines)]
    return [hunk]


def _changes(new: Sequence[str], old: Sequence[str]) -> bool:
    """Some of the ``new`` lines differ from the ``old`` lines they replace, line by line."""
    return any(a.rstrip() != b.rstrip() for a, b in zip(new, old, strict=True))


def _blank_only(hunk: LineHunk, old: Sequence[str]) -> bool:
    """A one-line hunk that only changes the whitespace of a blank line (not worth an edit)."""
    if hunk.end - hunk.start != 1 or len(hunk.lines) != 1:
        return False
    return not hunk.lines[0].strip() and not old[hunk.start].strip()


def _retabbed_only(new: str, old: str) -> bool:
    """The line as it was, its indentation written with other characters (tabs for spaces or
    the reverse): a model's conversion, not an edit."""
    if new.strip() != old.strip():
        return False
    a, b = new[: len(new) - len(new.lstrip(" \t"))], old[: len(old) - len(old.lstrip(" \t"))]
    return bool(a) and bool(b) and set(a) != set(b)


def _retab_hunk(hunk: Hunk | None) -> bool | None:
    """The user's edit changed only whitespace, tabs for spaces (True) or spaces for tabs
    (False); None for any other edit."""
    if hunk is None:
        return None
    old, new = hunk.old_text, hunk.new_text
    if old == new or old.split() != new.split() or ("\t" in old) == ("\t" in new):
        return None
    return "\t" in new


def _per_line(
    hunks: Sequence[LineHunk], old: Sequence[str], retabbing: bool | None = None
) -> list[LineHunk]:
    """Hunks replacing k lines by k lines split into one hunk a line (one small edit each),
    lines left equal skipped, and lines only retabbed unless the same way as the user's last
    edit (``retabbing``: to tabs True, to spaces False; the model follows it); edge hunks
    split by ``_split_edge``. ``old``: the region's lines, each with its line break."""
    out: list[LineHunk] = []
    for whole in hunks:
        for hunk in _split_edge(whole, old):
            if len(hunk.lines) == hunk.end - hunk.start:
                out.extend(
                    LineHunk(hunk.start + i, hunk.start + i + 1, (line,))
                    for i, line in enumerate(hunk.lines)
                    if line.rstrip() != old[hunk.start + i].rstrip()
                    and (
                        not _retabbed_only(line, old[hunk.start + i])
                        or retabbing == ("\t" in line[: len(line) - len(line.lstrip())])
                    )
                )
            elif not _blank_only(hunk, old):
                out.append(hunk)
    return out


def _line_hunks(old: list[str], new: list[str]) -> list[LineHunk]:
    """``line_hunks`` on the lines between the shared first and last lines (difflib alone may
    pair a changed blank line with another blank line far away)."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    middle = line_hunks("".join(old[head : len(old) - tail]), "".join(new[head : len(new) - tail]))
    return [LineHunk(h.start + head, h.end + head, h.lines) for h in middle]


def _as_written(hunks: Sequence[LineHunk], shown: Sequence[str]) -> list[LineHunk]:
    """``hunks`` (diffed without trailing whitespace, in order) with their lines written as
    ``shown`` (``written_lines``) has them."""
    out: list[LineHunk] = []
    shift = 0
    for hunk in hunks:
        at = hunk.start + shift
        lines = tuple(shown[at + i] for i in range(len(hunk.lines)))
        out.append(LineHunk(hunk.start, hunk.end, lines))
        shift += len(hunk.lines) - (hunk.end - hunk.start)
    return out


def _region_text(region: Region, at_end: bool) -> str:
    """The region as in the document: no line break after the document's last line."""
    return "\n".join(region.lines) + ("" if at_end else "\n")


def _spans(
    region: Region,
    answer: list[str],
    at_end: bool,
    trailing: bool = False,
    retabbing: bool | None = None,
    open_end: bool = False,
) -> list[tuple[int, int, str]] | None:
    """(start, end, new) in the region's text per line hunk, in order, touching ones joined;
    None for junk answers.

    Lines are compared without trailing whitespace (models add or drop it); the lines
    inserted are written by ``written_lines`` (``trailing``: the file keeps trailing
    whitespace, so the model's is kept on new lines). Every line is compared with its line
    break; at the document's end, where the last line has none, the spans are then cut to the
    document."""
    old = [line.rstrip() + "\n" for line in region.lines]
    new = [line.rstrip() + "\n" for line in answer]
    hunks = _as_written(_line_hunks(old, new), written_lines(answer, region, trailing=trailing))
    n = len(old)
    replaced = sum(h.end - h.start for h in hunks)
    if replaced >= JUNK_MIN_LINES and replaced > JUNK_SHARE * n:
        return None
    starts = [0]
    for line in region.lines:
        starts.append(starts[-1] + len(line) + 1)
    pieces = _per_line(hunks, old, retabbing)
    written = {line.strip() for hunk in pieces for line in hunk.lines if line.strip()}
    spans: list[tuple[int, int, str]] = []
    for hunk in pieces:
        deletion = not hunk.lines and hunk.end - hunk.start >= TRUNCATION_LINES
        if deletion and (hunk.start == 0 or hunk.end == n):
            if not _moved(old[hunk.start : hunk.end], written):
                continue
        if open_end and len(hunk.lines) < hunk.end - hunk.start and _code_edge(old, hunk):
            continue  # an answer with no end mark may have stopped there: nothing deleted
        start, end, text = starts[hunk.start], starts[hunk.end], "".join(hunk.lines)
        if at_end and end == starts[-1]:
            end -= 1  # the document has no line break after its last line
            if start == starts[-1]:
                start, text = end, "\n" + text[:-1]  # lines added after the last one
            elif text:
                text = text[:-1]
            elif start > 0:
                start -= 1  # the last lines go with the line break before them
        spans.append((start, end, text))
    return spans


def _code_edge(old: Sequence[str], hunk: LineHunk) -> bool:
    """``hunk`` ends at the region's last code line (only blank lines after it)."""
    return hunk.end > hunk.start and not any(line.strip() for line in old[hunk.end :])


def _joined(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans that touch (an insertion where a deletion starts) made one, so no two edits
    share a position."""
    out: list[tuple[int, int, str]] = []
    for start, end, text in spans:
        if out and out[-1][1] >= start:
            first, _, before = out.pop()
            start, text = first, before + text
        out.append((start, end, text))
    return out


def _moved(deleted: Sequence[str], written: set[str]) -> bool:
    """Most of the deleted lines are written elsewhere in the answer: lines moved, not an
    answer that stopped early."""
    code = [line.strip() for line in deleted if line.strip()]
    return bool(code) and sum(line in written for line in code) * 2 > len(code)


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
    if not any(line.strip() for line in region.lines):
        return [], 0  # nothing around the cursor to follow from (inline completion's place)
    answer_text = marks_mended(tags_mended(answer_text.replace("\r\n", "\n"), region), region)
    answer = read_answer(answer_text, region)
    if answer is None:
        return [], 1
    exact, cut = blanks_kept(answer_text), answer_cut(answer_text)
    if not answer_text.endswith("\n") and (cut or open_ended(answer_text)):
        answer = partial_dropped(answer, region)
    fixed = repaired(answer, region, lines, blanks_exact=exact, cut=cut)
    if fixed is None:
        return [], 1
    answer = fixed
    at_end = region.end_line == len(lines)
    retabbing = _retab_hunk(history_hunks[-1] if history_hunks else None)
    spans = _spans(
        region, answer, at_end, trailing_kept(lines, region), retabbing, open_ended(answer_text)
    )
    if spans is None:
        return [], 1
    text = _region_text(region, at_end)
    undone = _undone(region, history_hunks[-1] if history_hunks else None)
    edits: list[Proposed] = []
    dropped = 0
    for start, end, new in _joined([_minimal(text, *span) for span in spans]):
        edit = _edit(region, text, (start, end, new))
        if not _inside(region, edit):
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
