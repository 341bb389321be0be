"""Repairing a next-edit answer's lines before they are diffed against the region.

What models do to the lines themselves: repeat lines of the file from above or below the
region (or the whole original region before the rewrite), shift, dedent or retab the
indentation (``indent.py``), and drop or add blank lines at the region's edges.
``repaired`` undoes each, so the diff sees only the edit the model meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from glm_lsp.edits.nextedit.elision import elision, elisions_filled, indent_of, unique
from glm_lsp.edits.nextedit.indent import fix_indent, flattened, retab
from glm_lsp.edits.nextedit.region import Region, plain

__all__ = [
    "blank_edges",
    "drop_echo",
    "echo_dropped",
    "elisions_filled",
    "partial_dropped",
    "repaired",
    "tail_filled",
]

ECHO_GAP = 8
"""Lines the model may have added between the region's edge line and an echo of the file."""
SIMILAR = 0.6
"""Similarity at which a line counts as an edited version of another."""
REGION_ECHO_MIN = 3
"""Regions shorter than this are not checked for "the region, then its rewrite"."""
ECHO_MIN_CHARS = 4
ECHO_LONG_CHARS = 20
_CLOSERS = frozenset({"}", ")", "]", "};", "});", "end", "end)", "fi", "done", "esac"})


def _same(a: Sequence[str], b: Sequence[str]) -> bool:
    """Equal lines, indentation and trailing whitespace aside."""
    return len(a) == len(b) and all(x.strip() == y.strip() for x, y in zip(a, b, strict=False))


def _similar(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return bool(a and b) and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _trivial(line: str) -> bool:
    text = line.strip()
    return len(text) < ECHO_MIN_CHARS or text in _CLOSERS


def _echoed(echo: Sequence[str], edge: str, near: Sequence[str], beyond: Sequence[str]) -> bool:
    """Lines equal to the file beyond the region (``beyond``) are an echo when:

    * only closers (``}`` lines match anywhere): the next non-blank line is the region's edge
      line, or an edit of it at the same indentation;
    * two lines of code or more, or one long line copied with its indentation: always (the
      document would have them twice);
    * otherwise: the edge line is the next non-blank line, or an edit of it is among the
      ``ECHO_GAP`` lines next to the echo, or, for two lines or more, it is anywhere in the
      answer (lines were added at the edge).
    """
    near = [line for line in near if line.strip()]
    if all(_trivial(line) for line in echo):
        exact = [line.rstrip() for line in echo] == [line.rstrip() for line in beyond]
        if not exact or not near:
            return False
        same_line = near[0].rstrip() == edge.rstrip()
        edited = not _trivial(edge) and _similar(near[0], edge)
        return same_line or (edited and indent_of(near[0]) == indent_of(edge))
    if any(line.strip() == edge.strip() for line in near[:1]):
        return True
    if sum(not _trivial(line) for line in echo) >= 2:
        return True  # the answer would repeat two lines of code that follow it in the file
    long = len(echo[0].strip()) >= ECHO_LONG_CHARS
    if len(echo) == 1 and long and echo[0].rstrip() == beyond[0].rstrip():
        return True  # one long line, indentation and all: a copy, not code of its own
    if len(echo) == 1 and echo[0] != beyond[0]:
        return False
    return any(_similar(line, edge) for line in near[:ECHO_GAP]) or (
        len(echo) >= 2 and any(line.strip() == edge.strip() for line in near)
    )


def _unshifted(answer: list[str], region: Region) -> list[str] | None:
    """The answer moved back by the shift of its first line the region has once (a shift
    of the whole answer, measured where it can be); None when there is none to measure."""
    ours = {line.strip() for line in region.lines if line.strip()}
    for line in answer:
        at = unique(line, region.lines) if line.strip() and not elision(line, ours) else None
        if at is not None and at >= 0:
            shift = len(indent_of(line)) - len(indent_of(region.lines[at]))
            unit = (indent_of(region.lines[at]) or indent_of(line) or " ")[:1]
            if shift < 0:
                return [unit * -shift + x if x.strip() else x for x in answer]
            if all(len(indent_of(x)) >= shift for x in answer if x.strip()):
                return [x[shift:] if x.strip() else x for x in answer]
            return None
    return None


def _known(lines: list[str], known: set[str]) -> int:
    return sum(line.rstrip() in known for line in lines if line.strip())


def partial_dropped(answer: list[str], region: Region) -> list[str]:
    """An answer whose stream stopped mid-line (cut, or with no end mark, and no final line
    break): its last line dropped when it is the strict beginning of a region line (the model
    was writing that line out; kept, it would replace the line by its beginning). A last line
    of another kind is kept: complete or not cannot be told."""
    if not answer or not answer[-1].strip():
        return answer
    last = answer[-1].strip()
    ours = [line.strip() for line in region.lines]
    if last in ours or not any(line.startswith(last) for line in ours):
        return answer
    return answer[:-1]


def tail_filled(answer: list[str], region: Region) -> list[str]:
    """An answer cut short (``answer_cut``) completed with the region's lines after its last
    one, when its last lines are found once in the region (the last line alone, or with the
    ones before it when the region repeats it): the model stopped; it did not delete."""
    code = [i for i, line in enumerate(answer) if line.strip()]
    body = list(region.lines)
    rows = [i for i, line in enumerate(body) if line.strip()]
    ours = [body[i].strip() for i in rows]
    for k in range(1, min(len(code), len(rows)) + 1):
        tail = [answer[i].strip() for i in code[-k:]]
        found = [j for j in range(len(ours) - k + 1) if ours[j : j + k] == tail]
        if not found:
            return answer
        if len(found) == 1:
            at = rows[found[0] + k - 1]
            if at == len(body) - 1:
                return answer
            return [*answer[: code[-1] + 1], *body[at + 1 :]]
    return answer


def _trimmed(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _region_then_rewrite(answer: list[str], body: list[str]) -> bool:
    """The answer is the region as it was, then a rewrite of it (about as long, mostly the
    same lines), not the region with lines added after it."""
    n = len(body)
    rest = answer[n:]
    if n < REGION_ECHO_MIN or not _same(answer[:n], body) or _same(rest, body):
        return False
    if abs(len(rest) - n) > max(2, n // 3):
        return False
    ours = {line.strip() for line in body if line.strip()}
    code = [line for line in rest if line.strip()]
    return bool(code) and sum(line.strip() in ours for line in code) * 2 >= len(code)


def drop_echo(answer: list[str], region: Region, doc: Sequence[str]) -> list[str]:
    """Remove lines from above or below the region (or the whole original region) that the
    model repeated around its rewrite. Blank edge lines go too (``blank_edges`` puts the
    region's back)."""
    return echo_dropped(answer, region, doc)[0]


def echo_dropped(
    answer: list[str], region: Region, doc: Sequence[str]
) -> tuple[list[str], int, int]:
    """``drop_echo``, and the blank lines the model wrote at the start and the end of what is
    left (between an echo and the rewrite, or at the answer's edge)."""
    body = list(region.lines)
    if _region_then_rewrite(answer, body):
        answer = answer[len(body) :]
    leading, trailing = _edge(answer), _edge(answer[::-1])
    code = _trimmed(body)
    if not code:
        return answer, leading, trailing
    answer = _trimmed(answer)
    above = [
        plain(doc[i]) for i in range(max(0, region.start_line - len(answer)), region.start_line)
    ]
    for k in range(min(len(above), len(answer) - 1), 0, -1):
        if _same(answer[:k], above[-k:]) and answer[:k] != code[:k]:
            if _echoed(answer[:k], code[0], answer[k:], above[-k:]):
                leading = _edge(answer[k:])
                answer = _trimmed(answer[k:])
                break
    below_end = min(len(doc), region.end_line + len(answer))
    below = [plain(doc[i]) for i in range(region.end_line, below_end)]
    for k in range(min(len(below), len(answer) - 1), 0, -1):
        if _same(answer[-k:], below[:k]) and answer[-k:] != code[-k:]:
            near = answer[: len(answer) - k][::-1]
            if _echoed(answer[-k:], code[-1], near, below[:k]):
                trailing = _edge(answer[:-k][::-1])
                answer = _trimmed(answer[:-k])
                break
    return answer, leading, trailing


def _edge(lines: Sequence[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip()), len(lines))


def blank_edges(
    answer: list[str],
    region: Region,
    leading: int | None = None,
    trailing: int | None = None,
    *,
    exact: bool = False,
) -> list[str]:
    """The answer with the region's leading and trailing blank lines (models and wrappers
    drop them). Where the answer does not begin (end) with the region's first (last) code
    line, the model wrote code at that edge: its own blank lines there (``leading``,
    ``trailing``, counted before any repair) are kept instead, never more than the region has
    at the end (an extra blank line is formatting). ``exact`` (``blanks_kept``): the answer's
    blank lines are the model's, so more leading ones than the region's are kept too (a
    deleted line between two blank runs) and its trailing ones count, unless there are none
    (a missing final line break is formatting too)."""
    body = answer[_edge(answer) :]
    body = body[: len(body) - _edge(body[::-1])]
    head, tail = _edge(region.lines), _edge(region.lines[::-1])
    if head == len(region.lines):
        return answer
    if leading is not None:
        if exact and leading > head:
            head = leading
        elif body and body[0].strip() != region.lines[head].strip():
            head = min(leading, head)
    last = region.lines[len(region.lines) - tail - 1]
    if exact and trailing and body and not _similar(body[-1], last):
        tail = min(trailing, tail)  # new code at the end, not the last line edited
    return [""] * head + body + [""] * tail


def repaired(
    answer: list[str],
    region: Region,
    doc: Sequence[str],
    *,
    blanks_exact: bool = False,
    cut: bool = False,
) -> list[str] | None:
    """The answer lines with echoes removed, elisions filled, indentation and blank edges
    restored; ``blanks_exact`` when the answer's blank edge lines are the model's
    (``blanks_kept``), ``cut`` when it stopped early (``answer_cut``). None when an elision
    cannot be placed with certainty, or the answer lost its indentation (``flattened``)."""
    if flattened(answer, region):
        return None
    # Indentation first: a shifted region line can look like the file's next line.
    answer = retab(answer, region, doc)
    filled = elisions_filled(answer, region, doc)
    if filled is None:
        return None
    if filled is not answer:  # fill then re-indent, or re-indent then fill: the closer one
        first = fix_indent(filled, region)
        known = {line.rstrip() for line in region.lines if line.strip()}
        for other in (fix_indent(answer, region), _unshifted(answer, region)):
            second = elisions_filled(other, region, doc) if other is not None else None
            if second is not None and _known(second, known) > _known(first, known):
                first = second
        answer = first
    else:
        answer = fix_indent(answer, region)
    answer = tail_filled(answer, region) if cut else answer
    answer, leading, trailing = echo_dropped(answer, region, doc)
    if region.start_line > 0 and not plain(doc[region.start_line - 1]).strip():
        leading = min(leading, _edge(region.lines))  # blank lines above: maybe echoed
    return blank_edges(answer, region, leading, trailing, exact=blanks_exact)
