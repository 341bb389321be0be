"""Reading a next-edit answer: the code lines the model meant for the region.

Models wrap the rewritten region (tags, fences, a ``<think>`` block, a sentence), echo what the
prompt showed (the cursor mark, the region markers, lines above or below the region, the
original region before the rewrite), shift the indentation, or drop the region's blank edge
lines. These functions undo each of those, so that the diff against the region sees only the
edit the model meant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from glm_lsp.edits.answer import AnswerReader
from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from glm_lsp.edits.nextedit.region import Region, plain

__all__ = ["blank_edges", "drop_echo", "fix_indent", "read_answer", "repaired"]


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


def drop_echo(answer: list[str], region: Region, doc: Sequence[str]) -> list[str]:
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
            out.append("")
        elif delta > 0:
            out.append(unit * delta + line)
        elif _indent(line).startswith(unit * -delta):
            out.append(line[-delta * len(unit) :])
        else:
            return None
    return out


def fix_indent(answer: list[str], region: Region) -> list[str]:
    """Undo an indentation shift of the whole answer (models drop or add a level).

    A constant shift is undone when it makes more lines equal to the region's. A dedent that
    stopped at column 0 (lines already there stayed) is undone line by line: lines the region
    has get the region's indentation back, the others the shift of the line above.
    """
    code = [line for line in answer if line.strip()]
    ours = [line for line in region.lines if line.strip()]
    if not code or not ours:
        return answer
    unit = "\t" if any(_indent(line).startswith("\t") for line in ours) else " "
    delta = min(len(_indent(line)) for line in ours) - min(len(_indent(line)) for line in code)
    known = set(region.lines)
    if delta != 0:
        shifted = _shift(answer, delta, unit)
        if shifted is not None and _hits(shifted, known) > _hits(answer, known):
            return shifted
    clamped = _unclamp(answer, region, unit)
    if clamped is not None and _hits(clamped, known) > _hits(answer, known):
        return clamped
    return answer


def _hits(lines: list[str], known: set[str]) -> int:
    return sum(line in known for line in lines if line.strip())


def _unclamp(answer: list[str], region: Region, unit: str) -> list[str] | None:
    """``answer`` re-indented if it is the region dedented by one width, clamped at column 0."""
    by_text: dict[str, set[int]] = {}
    for line in region.lines:
        if line.strip():
            by_text.setdefault(line.strip(), set()).add(len(_indent(line)))
    deltas: Counter[int] = Counter()
    flat: list[int] = []
    for line in answer:
        found = by_text.get(line.strip())
        if line.strip() and found is not None and len(found) == 1:
            width = next(iter(found))
            if _indent(line):
                deltas[width - len(_indent(line))] += 1
            else:
                flat.append(width)
    if len(deltas) != 1:
        return None
    (delta,) = deltas
    if delta <= 0 or any(width > delta for width in flat):
        return None
    out: list[str] = []
    shift = 0
    for line in answer:
        found = by_text.get(line.strip())
        if not line.strip():
            out.append(line)
            continue
        if _indent(line):
            shift = delta
        elif found is not None and len(found) == 1:
            shift = next(iter(found))
        out.append(unit * shift + line)
    return out


def blank_edges(answer: list[str], region: Region) -> list[str]:
    """The answer with the region's leading and trailing blank lines (models drop them)."""

    def edge(lines: Sequence[str]) -> int:
        return next((i for i, line in enumerate(lines) if line.strip()), len(lines))

    body = answer[edge(answer) :]
    body = body[: len(body) - edge(body[::-1])]
    head, tail = edge(region.lines), edge(region.lines[::-1])
    if head == len(region.lines):
        return answer
    return list(region.lines[:head]) + body + list(region.lines[len(region.lines) - tail :])


def repaired(answer: list[str], region: Region, doc: Sequence[str]) -> list[str]:
    """The answer lines with echoes removed, indentation and blank edges restored."""
    return blank_edges(fix_indent(drop_echo(answer, region, doc), region), region)
