"""The line-level shapes of the `heldout4` family: how a chat model damages the lines of a
rewritten region. Each shape takes the answer's `Parts`, the case and a generator, changes the
parts and says whether it applied (a shape that would leave the answer unfixable, or that means
nothing for this case, does not apply and is not named).

Fixable only: the lines a shape adds are the file's own (lines beyond the region, the whole
file) or plainly not code (an elision comment, the prompt's marks); an elided run lies between
the answer's edges or lines found once in the region and once in the answer; a cut answer keeps
every change and ends on an unchanged line found once in the region (then at most a beginning
of the next one); a whitespace change keeps at least one unchanged non-blank line to measure
it by.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN

from .cases import Case
from .heldout4_words import ELISIONS, FOREIGN_COMMENTS, LINE_COMMENT, pick

MAX_WHOLE_FILE = 150
EXCERPT_ABOVE = 60
EXCERPT_BELOW = 30


@dataclass
class Parts:
    """The answer's lines: the rewrite (`code`) and file lines written above or below it."""

    code: list[str]
    above: list[str] = field(default_factory=list)
    below: list[str] = field(default_factory=list)
    cut: bool = False
    """The stream stops after `code`: no closing fence, tag or prose."""

    def joined(self) -> list[str]:
        return [*self.above, *self.code, *self.below]


Shape = Callable[[Parts, Case, random.Random], bool]


def unchanged(case: Case) -> dict[int, int]:
    """Rewrite line index -> region line index, for the lines the rewrite keeps as they are."""
    matcher = SequenceMatcher(None, list(case.region.lines), list(case.rewritten), autojunk=False)
    kept: dict[int, int] = {}
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            kept.update({j1 + k: i1 + k for k in range(i2 - i1)})
    return kept


def _anchor(line: str, case: Case) -> bool:
    """A line a reader can place: not blank, once in the region and once in the rewrite."""
    return bool(line.strip()) and case.region.lines.count(line) == 1 == case.rewritten.count(line)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _measurable(case: Case) -> bool:
    """The rewrite keeps a non-blank line of the region as it is (a shift can be measured)."""
    return any(case.rewritten[j].strip() for j in unchanged(case))


def _next_to(kept: dict[int, int], j: int, k: int) -> bool:
    """Rewrite lines `j` and `k` = j + 1 are both kept, next to each other in the region too."""
    return j in kept and k in kept and kept[k] == kept[j] + 1


def _elision(case: Case, lead: str, rng: random.Random) -> str:
    words = pick(rng, ELISIONS)
    own = LINE_COMMENT.get(case.change.language, "//")
    opener, closer = pick(rng, ((own, ""), (own, ""), ("/*", " */"), *FOREIGN_COMMENTS))
    if case.change.language in ("python", "ruby", "shellscript") and opener == "/*":
        opener, closer = own, ""
    indented = lead if rng.random() < 0.8 else ""
    return f"{indented}{opener} {words}{closer}"


def elide(parts: Parts, case: Case, rng: random.Random) -> bool:
    """One run (sometimes two) of 2 to 8 unchanged lines written as one elision comment."""
    code = list(case.rewritten)
    kept = unchanged(case)
    runs: list[tuple[int, int]] = []
    for a in range(len(code)):
        for b in range(a + 2, min(len(code), a + 8) + 1):
            if not all(j in kept and kept[j] == kept[a] + (j - a) for j in range(a, b)):
                break
            if a == 0 and b == len(code):
                continue
            last = len(case.region.lines) - 1
            left = (
                kept[a] == 0 if a == 0 else _next_to(kept, a - 1, a) and _anchor(code[a - 1], case)
            )
            right = (kept[b - 1] == last if b == len(code) else _next_to(kept, b - 1, b)) and (
                b == len(code) or _anchor(code[b], case)
            )
            if left and right and any(code[j].strip() for j in range(a, b)):
                runs.append((a, b))
    first = pick(rng, runs) if runs else None
    later = [r for r in runs if first is not None and r[0] > first[1]]
    second = pick(rng, later) if later and rng.random() < 0.3 else None
    if first is None or parts.code != code:
        return False
    for a, b in sorted((r for r in (first, second) if r is not None), reverse=True):
        lead = _indent(next(code[j] for j in range(a, b) if code[j].strip()))
        code[a:b] = [_elision(case, lead, rng)]
    parts.code = code
    return True


def _last_change(case: Case) -> int:
    """Where the rewrite's last change ends (its end index in the rewrite; 0 when none)."""
    matcher = SequenceMatcher(None, list(case.region.lines), list(case.rewritten), autojunk=False)
    ends = [j2 for tag, _i1, _i2, _j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return max(ends, default=0)


def cut(parts: Parts, case: Case, rng: random.Random) -> bool:
    """The answer stops after its last change, on an unchanged line found once in the region,
    sometimes with the beginning of the next line; nothing closes it."""
    code = list(case.rewritten)
    last = _last_change(case)
    ends = [n for n in range(last + 1, len(code)) if _anchor(code[n - 1], case)]
    if not ends or parts.code != code:
        return False
    end = pick(rng, ends)
    following = code[end]
    partial = len(following.strip()) >= 4 and rng.random() < 0.35
    lead = len(_indent(following))
    stop = lead + 1 + int(rng.random() * (len(following) - lead - 2)) if partial else 0
    parts.code = code[:end] + ([following[:stop]] if partial else [])
    parts.cut = True
    return True


def beyond(parts: Parts, case: Case, rng: random.Random) -> bool:
    """One to three of the file's lines right below the region (or above it) written too."""
    start, end = case.region.start_line, case.region.end_line
    count = 1 + int(rng.random() * 3)
    below = list(case.lines[end : end + count])
    above = list(case.lines[max(0, start - count) : start])
    side_below = rng.random() < 0.7
    lines, other = (below, above) if side_below else (above, below)
    chosen = lines if any(ln.strip() for ln in lines) else other
    if not any(ln.strip() for ln in chosen):
        return False
    if chosen is below:
        parts.below = below
    else:
        parts.above = above
    return True


def wholefile(parts: Parts, case: Case, rng: random.Random) -> bool:
    """The whole file with the rewrite in place of the region, or for a long file the prompt's
    excerpt (lines above and below the region) around it."""
    start, end = case.region.start_line, case.region.end_line
    rng.random()
    if len(case.lines) <= MAX_WHOLE_FILE:
        parts.above, parts.below = list(case.lines[:start]), list(case.lines[end:])
    else:
        above = list(case.lines[max(0, start - EXCERPT_ABOVE) : start])
        parts.above, parts.below = above, list(case.lines[end : end + EXCERPT_BELOW])
    while parts.below and not parts.below[-1]:
        parts.below.pop()
    return bool(parts.above or parts.below)


def markers(parts: Parts, case: Case, rng: random.Random) -> bool:
    """The prompt's marks written back: the cursor mark on the cursor's line (when it is
    unchanged), the region marks on lines of their own or glued to the first and last line."""
    way = pick(rng, ("cursor", "cursor", "own_lines", "glued", "start_only", "all"))
    row = case.cursor[0] - case.region.start_line
    line = case.region.lines[row] if 0 <= row < len(case.region.lines) else None
    at = parts.code.index(line) if line is not None and parts.code.count(line) == 1 else None
    if at is not None and line is not None and line not in case.rewritten:
        at = None
    if way in ("cursor", "all") and at is not None and line is not None:
        column = min(case.cursor[1], len(line))
        parts.code[at] = line[:column] + CURSOR + line[column:]
        if way == "cursor":
            return True
    if not parts.code:
        return False
    if way == "glued":
        parts.code[0] = REGION_OPEN + parts.code[0]
        if not parts.cut:
            parts.code[-1] = parts.code[-1] + REGION_CLOSE
        return True
    parts.code.insert(0, REGION_OPEN)
    if way != "start_only" and not parts.cut:
        parts.code.append(REGION_CLOSE)
    return True


def _tabbed(case: Case) -> bool:
    indented = [ln for ln in case.lines if ln[:1] in (" ", "\t") and ln.strip()]
    return sum(ln.startswith("\t") for ln in indented) * 2 > len(indented)


def _space_unit(case: Case) -> int:
    widths = sorted({len(_indent(ln)) for ln in case.lines if ln.strip() and ln.startswith(" ")})
    return max(2, min(8, widths[0])) if widths else 4


def _relead(lines: list[str], change: Callable[[str], str]) -> list[str]:
    out = []
    for line in lines:
        lead = _indent(line)
        out.append(change(lead) + line[len(lead) :] if line.strip() else line)
    return out


def _apply_all(parts: Parts, change: Callable[[str], str]) -> bool:
    before = parts.joined()
    parts.above = _relead(parts.above, change)
    parts.code = _relead(parts.code, change)
    parts.below = _relead(parts.below, change)
    return parts.joined() != before


def indent(parts: Parts, case: Case, rng: random.Random) -> bool:
    """Every non-blank line shifted right (1, 2, 4 or 8 spaces, or a tab), or the common
    indentation of the answer dropped."""
    way = pick(rng, (" ", "  ", "    ", "        ", "\t", "dedent"))
    if not _measurable(case):
        return False
    if way != "dedent":
        return _apply_all(parts, lambda lead: way + lead)
    leads = [_indent(ln) for ln in parts.joined() if ln.strip()]
    common = min(leads, key=len) if leads else ""
    if not common or not all(lead.startswith(common) for lead in leads):
        return _apply_all(parts, lambda lead: "  " + lead)
    return _apply_all(parts, lambda lead: lead[len(common) :])


def tabs(parts: Parts, case: Case, rng: random.Random) -> bool:
    """Tabs written as 2, 4 or 8 spaces in a tab-indented file; spaces written as tabs (one a
    step of the file, the rest as spaces) in a space-indented one."""
    width = pick(rng, (2, 4, 8))
    if not _measurable(case):
        return False
    if _tabbed(case):
        return _apply_all(parts, lambda lead: lead.replace("\t", " " * width))
    unit = _space_unit(case)

    def to_tabs(lead: str) -> str:
        spaces = len(lead) - len(lead.lstrip(" "))
        return "\t" * (spaces // unit) + " " * (spaces % unit) + lead[spaces:]

    return _apply_all(parts, to_tabs)


SHAPES: dict[str, Shape] = {
    "wholefile": wholefile,
    "beyond": beyond,
    "elide": elide,
    "cut": cut,
    "markers": markers,
    "indent": indent,
    "tabs": tabs,
}
"""In the order they are applied: the file around, the rewrite's own lines, the marks, then
whitespace over everything."""
