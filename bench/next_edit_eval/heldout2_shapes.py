"""The `heldout2` family's line-level damage and its variant pools (heldout2.py composes them).

Written without reading `propose`'s filters nor the `dev`/`heldout` pools. Every function
takes the body lines (the rewritten region, maybe already damaged) and returns new lines, or
None when the damage would not be fixable on this case (the caller then tries another class).
"Fixable" means a careful reader, knowing the region and the file, can still tell the
intended rewrite: an elided run is anchored by unchanged lines that occur once, a cut answer
still holds every changed line and an unchanged anchor after them, a shift leaves at least one
unchanged line to measure it on, lines beyond the region are the file's own neighbours.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from math import gcd

from glm_lsp.edits.nextedit.prompt import CURSOR

from .cases import Case

LANG_ALIASES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "python3"),
    "javascript": ("javascript", "js", "jsx"),
    "typescript": ("typescript", "ts", "tsx"),
    "rust": ("rust", "rs"),
    "go": ("go", "golang"),
    "c": ("c", "C", "h"),
    "cpp": ("cpp", "c++"),
    "shellscript": ("bash", "sh", "shell"),
    "lua": ("lua",),
    "ruby": ("ruby", "rb"),
}
HASH_COMMENT = {"python", "shellscript", "ruby", "perl", "r", "yaml", "toml", "makefile"}
DASH_COMMENT = {"lua", "sql", "haskell"}
ELISIONS = (
    "... existing code ...",
    "... unchanged ...",
    "...",
    "(rest unchanged)",
    "… keep as is …",
    "[lines unchanged]",
)
OPEN_THOUGHTS = ("<think>", "<thinking>")


def _lead(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def common_ends(region: Sequence[str], rewritten: Sequence[str]) -> tuple[int, int]:
    """How many lines the two share at the top and at the bottom (not overlapping)."""
    top = 0
    limit = min(len(region), len(rewritten))
    while top < limit and region[top] == rewritten[top]:
        top += 1
    bottom = 0
    while bottom < limit - top and region[-1 - bottom] == rewritten[-1 - bottom]:
        bottom += 1
    return top, bottom


def _anchor(line: str, region: Sequence[str], rewritten: Sequence[str]) -> bool:
    """A non-blank line found once in the region and once in the answer."""
    return bool(line.strip()) and region.count(line) == 1 and rewritten.count(line) == 1


def comment_marker(language: str, text: str, rng: random.Random) -> str:
    """An elision line in the language's comment syntax (or bare)."""
    if text == "..." and rng.random() < 0.4 and language not in {"python"}:
        return "..."
    if language in HASH_COMMENT:
        return f"# {text}"
    if language in DASH_COMMENT:
        return f"-- {text}"
    if language in {"html", "xml", "markdown"}:
        return f"<!-- {text} -->"
    if language == "css":
        return f"/* {text} */"
    if language == "emacs-lisp":
        return f";; {text}"
    return rng.choice((f"// {text}", f"/* {text} */")) if language == "c" else f"// {text}"


def elide(case: Case, lines: list[str], rng: random.Random) -> list[str] | None:
    """A run of 2+ unchanged lines replaced by one comment line ("... existing code ..."),
    anchored by an unchanged line that occurs once on each open side."""
    region, clean = case.region.lines, case.rewritten
    top, bottom = common_ends(region, clean)
    n = len(clean)
    runs: list[tuple[int, int]] = []
    for a in range(top):
        for b in range(a + 2, top):  # b < top: line b is unchanged and follows the run
            left = a == 0 or _anchor(clean[a - 1], region, clean)
            if left and _anchor(clean[b], region, clean):
                runs.append((a, b))
    for b in range(n - bottom + 2, n + 1):
        for a in range(n - bottom + 1, b - 1):  # line a-1 is unchanged and precedes the run
            right = b == n or _anchor(clean[b], region, clean)
            if right and _anchor(clean[a - 1], region, clean):
                runs.append((a, b))
    runs = [(a, b) for a, b in runs if any(line.strip() for line in clean[a:b])]
    if not runs:
        return None
    a, b = rng.choice(runs)
    text = rng.choice(ELISIONS)
    marker = _lead(clean[a]) + comment_marker(case.change.language, text, rng)
    if any(line.strip() == marker.strip() for line in (*region, *clean)):
        return None
    return [*lines[:a], marker, *lines[b:]]


def cut_tail(case: Case, lines: list[str], rng: random.Random) -> list[str] | None:
    """The answer stops early: 1-3 unchanged lines at the end missing, after an unchanged
    anchor line (every changed line is written)."""
    region, clean = case.region.lines, case.rewritten
    _top, bottom = common_ends(region, clean)
    n = len(clean)
    options = [
        t
        for t in range(1, min(3, bottom - 1) + 1)
        if _anchor(clean[n - t - 1], region, clean) and any(line.strip() for line in clean[n - t :])
    ]
    if not options:
        return None
    return lines[: n - rng.choice(options)]


def beyond(case: Case, lines: list[str], rng: random.Random) -> tuple[list[str], str] | None:
    """1-3 lines of the file just below (or above) the region written as part of the answer."""
    doc, start, end = case.lines, case.region.start_line, case.region.end_line
    clean = case.rewritten
    sides = []
    for k in range(1, 4):
        below = list(doc[end : end + k])
        if len(below) == k and any(x.strip() for x in below) and tuple(below) != clean[-k:]:
            sides.append(("below", below))
        above = list(doc[max(0, start - k) : start])
        if len(above) == k and any(x.strip() for x in above) and tuple(above) != clean[:k]:
            sides.append(("above", above))
    if not sides:
        return None
    side, extra = rng.choice(sides)
    return ([*lines, *extra] if side == "below" else [*extra, *lines]), side


def cursor_echo(case: Case, lines: list[str]) -> list[str] | None:
    """The prompt's cursor mark left in the answer where the cursor was (the line's text up to
    the cursor unchanged, the mark not inside the indentation)."""
    row = case.cursor[0] - case.region.start_line
    column = case.cursor[1]
    if not 0 <= row < len(lines) or row >= len(case.region.lines):
        return None
    line, old = lines[row], case.region.lines[row]
    if CURSOR in line or line[:column] != old[:column] or column <= len(_lead(line)):
        return None
    if column > len(line):
        return None
    return [*lines[:row], line[:column] + CURSOR + line[column:], *lines[row + 1 :]]


def _has_unchanged(case: Case) -> bool:
    top, bottom = common_ends(case.region.lines, case.rewritten)
    return any(line.strip() for line in (*case.rewritten[:top], *case.rewritten[-bottom or 1 :]))


def shift(
    case: Case, lines: list[str], rng: random.Random, known_first: bool
) -> tuple[list[str], str] | None:
    """Indentation damage, one of: every line shifted right by a constant; the common
    indentation dropped; the first line flush left, the rest kept (only when that line is one
    the reader knows: the region's unchanged first line or a file line above it)."""
    if not _has_unchanged(case):
        return None
    body = [line for line in lines if line.strip()]
    if not body:
        return None
    leads = {_lead(line) for line in body}
    common = min(leads, key=len)
    kinds = ["right"]
    if common and all(lead.startswith(common) for lead in leads):
        kinds.append("flush")
    first = lines[0]
    if first.strip() and _lead(first) and known_first:
        kinds.append("first")
    kind = rng.choice(kinds)
    if kind == "flush":
        return [line[len(common) :] if line.strip() else line for line in lines], "flush"
    if kind == "first":
        return [first.lstrip(" \t"), *lines[1:]], "first"
    tabs = any(line.startswith("\t") for line in case.region.lines)
    pad = "\t" if tabs else " " * rng.choice((1, 2, 3, 4, 8))
    return [pad + line if line.strip() else line for line in lines], "right"


def retab(case: Case, lines: list[str], rng: random.Random) -> list[str] | None:
    """Leading tabs for the file's spaces (one tab per indentation unit), or spaces (2, 4 or 8
    per tab) for its tabs; only the leading run of each line changes."""
    region = case.region.lines
    if any(line.startswith("\t") for line in region):
        width = rng.choice((2, 4, 8))

        def widen(line: str) -> str:
            lead = _lead(line)
            tabs = len(lead) - len(lead.lstrip("\t"))
            return " " * (width * tabs) + line[tabs:]

        out = [widen(line) for line in lines]
        return out if out != lines else None
    sizes = [len(_lead(line)) for line in (*region, *lines) if line.strip()]
    if any("\t" in _lead(line) for line in lines) or not any(sizes):
        return None
    unit = 0
    for size in sizes:
        unit = gcd(unit, size)
    if unit not in (2, 3, 4, 8):
        return None
    return [
        "\t" * (len(_lead(line)) // unit) + line.lstrip(" ") if line.strip() else line
        for line in lines
    ]
