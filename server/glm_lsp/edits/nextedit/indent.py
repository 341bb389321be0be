"""Indentation a model got wrong in a next-edit answer, put back as the region has it: a
constant shift, a dedent that stopped at column 0, tabs for spaces or the reverse."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from glm_lsp.edits.nextedit.region import Region, plain

__all__ = ["fix_indent", "flattened", "retab", "trailing_kept", "written_lines"]

MIN_FLAT = 3
"""Code lines an answer needs before it is judged flattened."""
NEAR_LINES = 200
"""Lines around the region read for the file's indentation when the region has none."""
TAB_GUESS = 4
TRAILING_MIN = 3
"""Code lines ending in whitespace (near the region) from which a file keeps it."""


NEXT_LINES = 3
"""Code lines after a flush-left first line that, as the region has them, show the rest of
the answer kept its indentation."""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _shift(lines: list[str], delta: int, unit: str) -> list[str] | None:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            # a blank line's whitespace moves with the code (see propose's blank lines)
            out.append(unit * delta + line if line and delta > 0 else line[-delta * len(unit) :])
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
    scaled = _rescaled(answer, region)
    if scaled is not None and _hits(scaled, known) > _hits(answer, known):
        return scaled
    if delta != 0:
        shifted = _shift(answer, delta, unit)
        if shifted is not None and _hits(shifted, known) > _hits(answer, known):
            return shifted
    clamped = _unclamp(answer, region, unit)
    if clamped is not None and _hits(clamped, known) > _hits(answer, known):
        return clamped
    return _first_unflushed(answer, region)


def flattened(answer: list[str], region: Region) -> bool:
    """Every line of the answer written flush left while the lines of it the region has sit at
    two depths at least (one of them indented): the indentation is lost, not shifted, and the
    new lines' cannot be known."""
    code = [line for line in answer if line.strip()]
    if len(code) < MIN_FLAT or any(_indent(line) for line in code):
        return False
    depth = {line.strip(): len(_indent(line)) for line in region.lines if line.strip()}
    found = {depth[line.strip()] for line in code if line.strip() in depth}
    return len(found) >= 2 and any(found)


def _rescaled(answer: list[str], region: Region) -> list[str] | None:
    """The answer's indentation scaled back when the model wrote every level wider or
    narrower (2 spaces a level for 4, or the reverse): the lines the region has once give
    one ratio of their widths, over two widths at least; None otherwise (spaces only)."""
    if any("\t" in _indent(line) for line in (*answer, *region.lines)):
        return None
    counts = Counter(line.strip() for line in region.lines)
    widths = {line.strip(): len(_indent(line)) for line in region.lines}
    pairs = {
        (len(_indent(line)), widths[line.strip()])
        for line in answer
        if line.strip() and counts.get(line.strip()) == 1
    }
    if any(a == 0 and b for a, b in pairs) or len({a for a, _ in pairs if a}) < 2:
        return None
    ratios = {Fraction(b, a) for a, b in pairs if a}
    if len(ratios) != 1:
        return None
    ratio = ratios.pop()
    if ratio == 1:
        return None
    out: list[str] = []
    for line in answer:
        width = len(_indent(line)) * ratio
        if line.strip() and width.denominator != 1:
            return None
        out.append(" " * int(width) + line.lstrip(" ") if line.strip() else line)
    return out


def _first_unflushed(answer: list[str], region: Region) -> list[str]:
    """Only the first line written flush left (the tag or fence before it took its
    indentation): when it is the region's first code line and most lines after it are the
    region's as written, or the next ``NEXT_LINES`` are the region's next ones as written
    (so the rest was not dedented), it gets that line's indentation back
    (a line echoed from above the region keeps its own)."""
    code = [i for i, line in enumerate(answer) if line.strip()]
    if len(code) < 2 or _indent(answer[code[0]]):
        return answer
    first = answer[code[0]]
    ours = [line for line in region.lines if line.strip()]
    if not ours or ours[0].strip() != first.strip() or not _indent(ours[0]):
        return answer
    known = {line.rstrip() for line in ours}
    rest = [answer[i].rstrip() for i in code[1:]]
    following = [line.rstrip() for line in ours[1 : 1 + NEXT_LINES]]
    if rest[: len(following)] != following or not following:
        if sum(line in known for line in rest) * 2 <= len(rest):
            return answer
    return [*answer[: code[0]], _indent(ours[0]) + first, *answer[code[0] + 1 :]]


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


def _retabbed(answer: list[str], to_tabs: bool, width: int) -> list[str]:
    out: list[str] = []
    for line in answer:
        lead = _indent(line)
        if to_tabs:
            new = "\t" * (len(lead.replace("\t", " " * width)) // width)
            new += " " * (len(lead.replace("\t", " " * width)) % width)
        else:
            new = lead.replace("\t", " " * width)
        out.append(new + line[len(lead) :])
    return out


def retab(answer: list[str], region: Region, doc: Sequence[str] = ()) -> list[str]:
    """Indentation written with the other character (tabs for the file's spaces or the
    reverse) written back with the file's: at the width that matches most region lines, or
    the file's smallest indentation when the region has none."""
    ours = [_indent(line) for line in region.lines if _indent(line) and line.strip()]
    if not ours:
        low = max(0, region.start_line - NEAR_LINES)
        high = min(len(doc), region.end_line + NEAR_LINES)
        ours = [_indent(plain(doc[i])) for i in range(low, high) if _indent(plain(doc[i]))]
    theirs = [_indent(line) for line in answer if line.strip()]
    tabs = any("\t" in lead for lead in ours)
    spaces = any(lead.startswith(" ") for lead in ours)
    if tabs == spaces:
        return answer  # mixed or no indentation: nothing to go by
    if tabs and not any(lead.startswith(" ") for lead in theirs):
        return answer
    if spaces and not any("\t" in lead for lead in theirs):
        return answer
    known = set(region.lines)
    if not any(_indent(line) for line in region.lines if line.strip()):
        return _retabbed(answer, tabs, min(len(lead) for lead in ours) if spaces else TAB_GUESS)
    best, hits = answer, _hits(answer, known)
    for width in (4, 2, 8, 1, 3):
        candidate = _retabbed(answer, tabs, width)
        if _hits(candidate, known) > hits:
            best, hits = candidate, _hits(candidate, known)
    return best


def trailing_kept(doc: Sequence[str], region: Region) -> bool:
    """The file keeps trailing whitespace on code lines (``TRAILING_MIN`` of them near the
    region): a model that writes some on a new line copies the file's habit."""
    low = max(0, region.start_line - NEAR_LINES)
    high = min(len(doc), region.end_line + NEAR_LINES)
    found = 0
    for i in range(low, high):
        line = plain(doc[i])
        if line.strip() and line != line.rstrip():
            found += 1
            if found >= TRAILING_MIN:
                return True
    return False


def written_lines(answer: Sequence[str], region: Region, *, trailing: bool) -> list[str]:
    """The answer's lines as they would be inserted (with line breaks).

    A code line the region has (trailing whitespace aside) is written as the region has it;
    a new one without its trailing whitespace unless ``trailing`` (``trailing_kept``); a blank
    line keeps its whitespace only when it is the indentation of the code line before or
    after it (files that indent their blank lines; the model copied the convention)."""
    ours = {line.rstrip(): line for line in region.lines if line.strip()}
    out: list[str] = []
    for i, line in enumerate(answer):
        text = line.rstrip()
        if text:
            text = ours.get(text, line if trailing else text)
        elif line:
            before = next((x for x in reversed(answer[:i]) if x.strip()), "")
            after = next((x for x in answer[i + 1 :] if x.strip()), "")
            if line in (_indent(before), _indent(after)):
                text = line
        out.append(text + "\n")
    return out
