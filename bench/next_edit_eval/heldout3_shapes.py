"""Line-level damage of the `heldout3` family: marks, extent (elide, cut, beyond, whole file)
and indentation (shift, tabs). Each keeps the answer fixable or is not applied."""

from __future__ import annotations

import random
from dataclasses import dataclass
from difflib import SequenceMatcher

from glm_lsp.edits.nextedit.prompt import (
    ABOVE_LINES,
    BELOW_LINES,
    CURSOR,
    REGION_CLOSE,
    REGION_OPEN,
)

from .cases import Case

ORDER = ("markers", "elide", "cut", "beyond", "wholefile", "indent", "tabs")
"""The order line-level classes are applied in (marks first: the cursor mark goes on a line
of the rewrite as written; region marks are placed around the region part at the end)."""
WHOLE_FILE_LINES = 150
"""Files up to this long are answered whole; longer ones as the prompt's excerpt."""
COMMENTS = {
    "python": "#",
    "ruby": "#",
    "shellscript": "#",
    "lua": "--",
    "vim": '"',
    "emacs-lisp": ";;",
}
ELISIONS = (
    "... unchanged ...",
    "(unchanged lines omitted)",
    "... rest of the code stays the same ...",
    "keep the existing lines here",
)


@dataclass
class Parts:
    """File lines written above the region part, the region part, file lines below it."""

    above: list[str]
    code: list[str]
    below: list[str]
    cut: bool = False
    marks: str = ""
    """Region marks to add: `open`, `close`, `both` or none."""

    def joined(self) -> list[str]:
        marks = "open" if self.cut and self.marks else self.marks
        opening = [REGION_OPEN] if marks in ("open", "both") else []
        closing = [REGION_CLOSE] if marks in ("close", "both") else []
        return [*self.above, *opening, *self.code, *closing, *self.below]


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _equal_blocks(case: Case, code: list[str]) -> list[tuple[int, int, int, int]]:
    matcher = SequenceMatcher(None, list(case.region.lines), code, autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag == "equal"]


def _anchor(case: Case, code: list[str], at: int) -> bool:
    """Line `at` of `code` is the answer's edge or a non-blank line found once in the region
    and once in the answer."""
    if at < 0 or at >= len(code):
        return True
    line = code[at]
    return bool(line.strip()) and case.region.lines.count(line) == 1 and code.count(line) == 1


def _markers(parts: Parts, case: Case, rng: random.Random) -> bool:
    row, col = case.cursor
    if rng.random() < 0.5:
        parts.marks = rng.choice(("open", "close", "both"))
        return True
    index = row - case.region.start_line
    for i1, i2, j1, _j2 in _equal_blocks(case, parts.code):
        if i1 <= index < i2:
            at = j1 + index - i1
            line = parts.code[at]
            if col <= len(line):
                parts.code[at] = line[:col] + CURSOR + line[col:]
                return True
    parts.marks = rng.choice(("open", "close", "both"))
    return True


def _elide(parts: Parts, case: Case, rng: random.Random) -> bool:
    code = parts.code
    runs: list[tuple[int, int]] = []
    for _i1, _i2, j1, j2 in _equal_blocks(case, code):
        for start in range(j1, j2 - 1):
            for end in range(start + 2, min(j2, start + 7) + 1):
                if _anchor(case, code, start - 1) and _anchor(case, code, end):
                    if any(line.strip() for line in code[start:end]):
                        runs.append((start, end))
    if not runs:
        return False
    start, end = rng.choice(runs)
    lead = COMMENTS.get(case.change.language, "//")
    text = rng.choice(ELISIONS)
    if lead == "//" and rng.random() < 0.3:
        text = f"/* {text} */"
    else:
        text = f"{lead} {text}"
    parts.code = [*code[:start], _indent(code[start]) + text, *code[end:]]
    return True


def _cut(parts: Parts, case: Case, rng: random.Random) -> bool:
    code = parts.code
    blocks = _equal_blocks(case, code)
    if not blocks or blocks[-1][3] != len(code) or blocks[-1][1] != len(case.region.lines):
        return False
    _i1, _i2, j1, j2 = blocks[-1]
    keep = [n for n in range(j1 + 1, j2 + 1) if n >= j2 - 3 and _anchor(case, code, n - 1)]
    if not keep:
        return False
    parts.code = code[: rng.choice(keep)]
    parts.cut = True
    return True


def _beyond(parts: Parts, case: Case, rng: random.Random) -> bool:
    lines, region = case.lines, case.region
    count = rng.choice((1, 2, 3))
    below = [x for x in lines[region.end_line : region.end_line + count]]
    above = list(lines[max(0, region.start_line - count) : region.start_line])
    side = rng.choice(("below", "above"))
    code = parts.code
    if side == "below" and below and any(x.strip() for x in below):
        if not code or below[0] != code[-1]:
            parts.below = below
            return True
    if above and any(x.strip() for x in above) and (not code or above[-1] != code[0]):
        parts.above = above
        return True
    return False


def _wholefile(parts: Parts, case: Case, rng: random.Random) -> bool:
    lines, region = case.lines, case.region
    if len(lines) <= WHOLE_FILE_LINES and rng.random() < 0.7:
        top, bottom = 0, len(lines)
    else:
        top = max(0, region.start_line - ABOVE_LINES)
        bottom = min(len(lines), region.end_line + BELOW_LINES)
    parts.above = list(lines[top : region.start_line])
    parts.below = list(lines[region.end_line : bottom])
    if parts.below and parts.below[-1] == "" and bottom == len(lines):
        parts.below.pop()
    return bool(parts.above or parts.below)


def _shift(parts: Parts, case: Case, rng: random.Random) -> bool:
    every = [*parts.above, *parts.code, *parts.below]
    if not any(line.strip() and line in case.region.lines for line in parts.code):
        return False
    tabbed = any(line.startswith("\t") for line in case.region.lines)
    indents = [_indent(x) for x in every if x.strip()]
    least = min(indents, key=len, default="")
    common = len(least) if all(x.startswith(least) for x in indents) else 0
    if common and rng.random() < 0.4:

        def move(line: str) -> str:
            return line[common:] if line.strip() else line
    else:
        pad = "\t" if tabbed else " " * rng.choice((1, 2, 4, 6))

        def move(line: str) -> str:
            return pad + line if line.strip() else line

    parts.above = [move(x) for x in parts.above]
    parts.code = [move(x) for x in parts.code]
    parts.below = [move(x) for x in parts.below]
    return True


def _tabs(parts: Parts, case: Case, rng: random.Random) -> bool:
    every = [*parts.above, *parts.code, *parts.below]
    indents = [_indent(x) for x in every if x.strip()]
    if any("\t" in x for x in indents) and all(set(x) <= {"\t"} for x in indents):
        width = rng.choice((2, 4, 8))

        def convert(line: str) -> str:
            lead = _indent(line)
            return " " * (width * len(lead)) + line[len(lead) :]
    elif indents and all(set(x) <= {" "} for x in indents):
        sizes = {len(x) for x in indents if x}
        unit = next((u for u in (8, 4, 3, 2) if sizes and all(s % u == 0 for s in sizes)), 0)
        if not unit:
            return False

        def convert(line: str) -> str:
            lead = _indent(line)
            return "\t" * (len(lead) // unit) + line[len(lead) :]
    else:
        return False
    parts.above = [convert(x) for x in parts.above]
    parts.code = [convert(x) for x in parts.code]
    parts.below = [convert(x) for x in parts.below]
    return True


SHAPES = {
    "markers": _markers,
    "elide": _elide,
    "cut": _cut,
    "beyond": _beyond,
    "wholefile": _wholefile,
    "indent": _shift,
    "tabs": _tabs,
}


def apply(name: str, parts: Parts, case: Case, rng: random.Random) -> bool:
    """Apply the line-level class `name` to `parts`; False when it does not fit the case."""
    return SHAPES[name](parts, case, rng)
