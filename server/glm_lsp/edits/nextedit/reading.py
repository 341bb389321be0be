"""Reading a next-edit answer: the code lines the model meant for the region.

Models wrap the rewritten region (tags, fences, a ``<think>`` block, a sentence), echo what the
prompt showed (the cursor mark, the region markers, lines above or below the region, the
original region before the rewrite), shift the indentation, or drop the region's blank edge
lines. These functions undo each of those, so that the diff against the region sees only the
edit the model meant.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from glm_lsp.edits.answer import AnswerReader, is_prose
from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from glm_lsp.edits.nextedit.region import Region, plain

__all__ = [
    "blank_edges",
    "blanks_kept",
    "drop_echo",
    "fix_indent",
    "read_answer",
    "repaired",
    "retab",
]


_LEAD_THINK = re.compile(r"^\s*<think>.*?</think>[ \t]*\n?", re.DOTALL | re.IGNORECASE)
_THINKING = re.compile(r"^\s*<think>", re.IGNORECASE)
_SPECIAL_END = re.compile(r"(?:<\|[A-Za-z_]{1,32}\|>|</s>|\[DONE\])\s*$")
"""A chat template's special token at the very end (``<|endoftext|>``, ``<|user|>``...)."""
_FENCE = re.compile(r"^[ \t]*(```+|~~~+)[\w+#.\-]*[ \t]*$")
_GLUED = re.compile(r"^(.*\S)(```+|~~~+)[ \t]*$")
ECHO_GAP = 3
SIMILAR = 0.6
REGION_ECHO_MIN = 3
"""Regions shorter than this are not checked for "the region, then its rewrite"."""
NEAR_LINES = 200
"""Lines around the region read for the file's indentation when the region has none."""
TAB_GUESS = 4
"""Similarity at which a line counts as an edited version of another."""
"""Lines the model may have added between the region's edge line and an echo of the file."""
ECHO_MIN_CHARS = 4
_CLOSERS = frozenset({"}", ")", "]", "};", "});", "end", "end)", "fi", "done", "esac"})
_MASKS = (("<think>", "\x00THINK\x00"), ("</think>", "\x00/THINK\x00"))
"""``<think>`` inside the code is code: hidden from AnswerReader, which would cut there."""


def _fenced_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    inside: list[str] | None = None
    for line in text.split("\n"):
        if _FENCE.match(line):
            if inside is None:
                inside = []
            else:
                blocks.append(inside)
                inside = None
        elif inside is not None:
            inside.append(line)
    return blocks


def _strip_special_end(text: str) -> str:
    while True:
        found = _SPECIAL_END.search(text)
        if found is None or found.group(0).strip() in (CURSOR, REGION_OPEN, REGION_CLOSE):
            return text
        text = text[: found.start()]


def _glued_fence(text: str) -> str:
    """A closing fence written right after the last code line (no line break before it) put
    on its own line, when a fence was opened and not closed."""
    lines = text.split("\n")
    if sum(bool(_FENCE.match(line)) for line in lines) % 2 == 0:
        return text
    for i in range(len(lines) - 1, -1, -1):
        glued = _GLUED.match(lines[i])
        if glued is not None:
            lines[i : i + 1] = [glued.group(1), glued.group(2)]
            return "\n".join(lines)
        if lines[i].strip() and not lines[i].strip().startswith("</"):
            return text
    return text


def _is_label(line: str) -> bool:
    text = line.strip()
    return is_prose(line) or (
        text.endswith(":") and line == line.lstrip() and text[:1].isupper() and len(text) < 60
    )


def _last_block_after_echo(text: str, region: Region | None) -> str:
    """Without tags, ``original block, label, answer``: the answer (its fenced block, or the
    lines after the labels)."""
    if region is None or re.search(rf"<\s*{TAG}\s*>", text, re.IGNORECASE):
        return text
    blocks = _fenced_blocks(text)
    if not blocks:
        return text
    ours = [line.rstrip() for line in region.lines if line.strip()]
    first = [line.rstrip() for line in blocks[0] if line.strip()]
    if first != ours:
        return text
    if len(blocks) >= 2:
        return "".join(line + "\n" for line in blocks[-1])
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines) if _FENCE.match(line)]
    rest = lines[fences[1] + 1 :]
    while rest and (not rest[0].strip() or _is_label(rest[0])):
        rest.pop(0)
    return "\n".join(rest)


def _find(lines: list[str], part: list[str]) -> int:
    for i in range(len(lines) - len(part) + 1):
        if lines[i : i + len(part)] == part:
            return i
    return -1


def _prose_kept(source: str, answer: str, region: Region | None) -> str:
    """Region lines that read like prose (a docstring's sentence) which AnswerReader dropped
    from the start or end of an untagged answer, put back."""
    if region is None or not answer.strip():
        return answer
    ours = {line.rstrip() for line in region.lines if line.strip()}
    src = source.split("\n")
    got = answer.split("\n")
    if got[-1] == "":
        got.pop()
    at = _find(src, got)
    if at < 0:
        return answer
    head: list[str] = []
    i = at
    while i > 0 and (not src[i - 1].strip() or src[i - 1].rstrip() in ours):
        i -= 1
        if src[i].strip():
            head = src[i:at]
    tail: list[str] = []
    j = end = at + len(got)
    while j < len(src) and (not src[j].strip() or src[j].rstrip() in ours):
        j += 1
        if src[j - 1].strip():
            tail = src[end:j]
    return "".join(line + "\n" for line in [*head, *got, *tail])


def read_answer(answer_text: str, region: Region | None = None) -> list[str] | None:
    """The answer's code lines (without line breaks), wrappers removed; None when empty.

    ``region`` (the region the prompt showed) lets an echo of it in a first fenced block be
    recognised and skipped.
    """
    text = answer_text.replace("\r\n", "\n")
    text = _LEAD_THINK.sub("", text, count=1)
    if _THINKING.match(text):
        return None  # still thinking: no answer yet
    text = _last_block_after_echo(_glued_fence(_strip_special_end(text)), region)
    for plain_text, mask in _MASKS:
        text = text.replace(plain_text, mask)
    reader = AnswerReader(TAG)
    reader.feed(text)
    text = _prose_kept(text, reader.final(), region).replace(CURSOR, "")
    for plain_text, mask in _MASKS:
        text = text.replace(mask, plain_text)
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


def _same(a: Sequence[str], b: Sequence[str]) -> bool:
    """Equal lines, indentation and trailing whitespace aside."""
    return len(a) == len(b) and all(x.strip() == y.strip() for x, y in zip(a, b, strict=False))


def _similar(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return bool(a and b) and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _echoed(echo: Sequence[str], edge: str, near: Sequence[str], beyond: Sequence[str]) -> bool:
    """Lines equal to the file beyond the region (``beyond``) are an echo when the region's
    edge line is the next non-blank line, or, unless the echo is one trivial line (a closer),
    when the edge line (maybe edited) is among the ``ECHO_GAP`` lines next to it, or, for an
    echo of two lines or more, anywhere in the answer (lines were added at the edge)."""
    near = [line for line in near if line.strip()]
    if any(line.strip() == edge.strip() for line in near[:1]):
        return True
    one = echo[0]
    trivial = len(echo) == 1 and (
        len(one.strip()) < ECHO_MIN_CHARS or one.strip() in _CLOSERS or one != beyond[0]
    )
    if trivial:
        return False
    return any(_similar(line, edge) for line in near[:ECHO_GAP]) or (
        len(echo) >= 2 and any(line.strip() == edge.strip() for line in near)
    )


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
    for width in (4, 2, 8):
        candidate = _retabbed(answer, tabs, width)
        if _hits(candidate, known) > hits:
            best, hits = candidate, _hits(candidate, known)
    return best


def _edge(lines: Sequence[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip()), len(lines))


def blanks_kept(answer_text: str) -> bool:
    """The answer's blank lines at its end are the model's own: it is inside closed tags, not
    fenced (fences and untagged answers lose them on the way)."""
    inside = re.search(rf"<\s*{TAG}\s*>(.*?)</\s*{TAG}\s*>", answer_text, re.DOTALL | re.IGNORECASE)
    return inside is not None and not any(_FENCE.match(x) for x in inside.group(1).split("\n"))


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
    if exact and trailing and body and body[-1].strip() != last.strip():
        tail = min(trailing, tail)
    return [""] * head + body + [""] * tail


def repaired(
    answer: list[str], region: Region, doc: Sequence[str], *, blanks_exact: bool = False
) -> list[str]:
    """The answer lines with echoes removed, indentation and blank edges restored;
    ``blanks_exact`` when the answer's blank edge lines are the model's (``blanks_kept``)."""
    answer, leading, trailing = echo_dropped(answer, region, doc)
    if region.start_line > 0 and not plain(doc[region.start_line - 1]).strip():
        leading = min(leading, _edge(region.lines))  # blank lines above: maybe echoed
    answer = fix_indent(retab(answer, region, doc), region)
    answer = drop_echo(answer, region, doc)
    return blank_edges(answer, region, leading, trailing, exact=blanks_exact)
