"""Requests cut from a commit's change to one file, replayed hunk by hunk as typing.

The document starts as the file before the commit and takes the commit's hunks in order, top
to bottom. After hunk k (k >= 1) the cursor sits at the end of the text hunk k wrote (at the
start of the line where hunk k deleted lines), the history holds hunks 1..k as the server's
`EditHistory` records them, and the engine's region is `region_around` the cursor's line.

The true answer: if hunk k+1 lies inside the region (its old lines within the region's lines;
an insertion may sit right after the region's last line), the region with hunk k+1 applied and
the document after hunk k+1 as the state to reach. Otherwise (hunk k+1 is elsewhere, or hunk k
was the last) the right answer is "nothing": the model answers the region unchanged and the
state to reach is the document as it is.

A document is held as an editor holds it: the file's text split at line breaks, so a file that
ends in a line break has a last, empty line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from glm_lsp.edits.nextedit.history import EditHistory, Hunk
from glm_lsp.edits.nextedit.region import Region, region_around

from .corpus import FileChange

URI = "file:///eval/"
PER_CHANGE = 4
CLASSES = (
    "insert/single",
    "insert/multi",
    "delete/single",
    "delete/multi",
    "replace/single",
    "replace/multi",
    "nothing",
)
"""Case classes: what hunk k+1 does (inserts, deletes or replaces one line or several), or
`nothing` when the right answer is no suggestion."""


@dataclass(frozen=True)
class Case:
    """One request: the document after hunk k, the cursor, the history, the region, and what
    the model answers and the judge expects."""

    change: FileChange
    k: int
    lines: tuple[str, ...]
    cursor: tuple[int, int]
    history: tuple[Hunk, ...]
    region: Region
    rewritten: tuple[str, ...]
    """The region's lines as the model means to answer them."""
    expected: tuple[str, ...]
    """The document once the right suggestion is applied (`lines` for `nothing`)."""
    klass: str

    @property
    def label(self) -> str:
        return f"{self.change.corpus}:{self.change.commit[:10]}:{self.change.path}#{self.k}"


def _klass(old: tuple[str, ...], new: tuple[str, ...]) -> str:
    kind = "insert" if not old else "delete" if not new else "replace"
    return f"{kind}/{'single' if max(len(old), len(new)) <= 1 else 'multi'}"


def _block(lines: tuple[str, ...]) -> str:
    return "".join(line + "\n" for line in lines)


State = tuple[tuple[str, ...], int, tuple[str, ...], tuple[str, ...]]


def replay(change: FileChange) -> list[State]:
    """The document before each hunk, with that hunk's start line, old and new lines in it."""
    lines = (*change.before, "")
    offset = 0
    states: list[State] = []
    for hunk in change.hunks:
        at = hunk.old_start + offset
        states.append((lines, at, hunk.old, hunk.new))
        lines = (*lines[:at], *hunk.new, *lines[at + len(hunk.old) :])
        offset += len(hunk.new) - len(hunk.old)
    states.append((lines, len(lines), (), ()))
    return states


def _cursor(lines: tuple[str, ...], at: int, new: tuple[str, ...]) -> tuple[int, int]:
    if new:
        return at + len(new) - 1, len(new[-1])
    return min(at, len(lines) - 1), 0


def _inside(region: Region, at: int, old: tuple[str, ...]) -> bool:
    if not old:
        return region.start_line <= at <= region.end_line
    return region.start_line <= at and at + len(old) <= region.end_line


def cases_of(change: FileChange) -> list[Case]:
    """Every request of the change: after hunk 1, 2, ... and after the last one."""
    states = replay(change)
    history = EditHistory()
    uri = URI + change.path
    out: list[Case] = []
    for k in range(1, len(states)):
        _before, at, old, new = states[k - 1]
        history.record(uri, k, at, 0, _block(old), _block(new), 10.0 * k)
        lines, next_at, next_old, next_new = states[k]
        cursor = _cursor(lines, at, new)
        region = region_around(lines, cursor[0])
        last = k == len(states) - 1
        if not last and (next_old or next_new) and _inside(region, next_at, next_old):
            after = states[k + 1][0]
            grown = len(next_new) - len(next_old)
            rewritten = after[region.start_line : region.end_line + grown]
            out.append(
                Case(
                    change,
                    k,
                    lines,
                    cursor,
                    tuple(history.hunks(uri)),
                    region,
                    tuple(rewritten),
                    after,
                    _klass(next_old, next_new),
                )
            )
        else:
            hist = tuple(history.hunks(uri))
            out.append(Case(change, k, lines, cursor, hist, region, region.lines, lines, "nothing"))
    return out


def sample_cases(changes: list[FileChange], count: int, seed: int) -> list[Case]:
    """Up to `count` cases, at most `PER_CHANGE` per file change (chosen by a seeded generator),
    in the mix the histories give (no quota per class)."""
    rng = random.Random(f"cases:{seed}")
    picked: list[Case] = []
    for change in changes:
        got = cases_of(change)
        rng.shuffle(got)
        picked += got[:PER_CHANGE]
    rng.shuffle(picked)
    picked = picked[:count]
    picked.sort(key=lambda c: (c.change.corpus, c.change.commit, c.change.path, c.k))
    return picked
