"""Real changes cut from real files: the intended text and the clean blocks a careful model
would write for it (changed lines plus enough context to occur once in the file)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

KINDS = ("replace", "insert", "delete", "rename")
_WORD = re.compile(r"\b[A-Za-z_][A-Za-z_0-9]{2,}\b")
MAX_CONTEXT = 8


@dataclass(frozen=True)
class Change:
    """One edit of `lines`: lines [start, end) become `new`."""

    start: int
    end: int
    new: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """A block as lines: `search` (lines [start, end) of the file) and `replace`."""

    start: int
    end: int
    search: tuple[str, ...]
    replace: tuple[str, ...]


def lead(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _code(lines: list[str], i: int) -> bool:
    text = lines[i].strip()
    return len(text) >= 6 and any(c.isalnum() for c in text)


def make_change(lines: list[str], kind: str, rng: random.Random, at: int) -> Change | None:
    """The `kind` edit at or after line `at` (None when the file offers no place)."""
    spots = [i for i in range(at, len(lines) - 1) if _code(lines, i)][:40]
    if not spots:
        return None
    i = rng.choice(spots)
    line = lines[i]
    words = _WORD.findall(line)
    if kind == "replace" and words:
        word = rng.choice(words)
        return Change(i, i + 1, (re.sub(rf"\b{word}\b", word + "Next", line, count=1),))
    if kind == "insert":
        number = rng.randint(2, 99)
        extra = f"{lead(line)}probe_{number} = {number}"
        return Change(i + 1, i + 1, (extra,))
    if kind == "delete":
        size = rng.choice((1, 1, 2, 3))
        end = min(i + size, len(lines) - 1)
        return Change(i, end, ())
    if kind == "rename":
        end = min(len(lines), i + rng.randint(4, 9))
        region = lines[i:end]
        counts: dict[str, int] = {}
        for row in region:
            for word in _WORD.findall(row):
                counts[word] = counts.get(word, 0) + 1
        shared = sorted(w for w, n in counts.items() if n >= 2)
        if not shared:
            return None
        word = rng.choice(shared)
        return Change(i, end, tuple(re.sub(rf"\b{word}\b", word + "Renamed", r) for r in region))
    return None


def apply_change(lines: list[str], change: Change) -> list[str]:
    return lines[: change.start] + list(change.new) + lines[change.end :]


def occurrences(lines: list[str], search: list[str]) -> int:
    """How often `search` occurs in `lines`, whitespace around lines ignored."""
    keys = [line.strip() for line in lines]
    wanted = [s.strip() for s in search]
    size = len(wanted)
    return sum(1 for i in range(len(keys) - size + 1) if keys[i : i + size] == wanted)


def clean_block(lines: list[str], change: Change, before: int, after: int) -> Block | None:
    """The change with `before`/`after` context lines, grown until it occurs once."""
    for _ in range(MAX_CONTEXT):
        start = max(0, change.start - before)
        end = min(len(lines), change.end + after)
        search = lines[start:end]
        if search and any(s.strip() for s in search) and occurrences(lines, search) == 1:
            new = lines[start : change.start] + list(change.new) + lines[change.end : end]
            return Block(start, end, tuple(search), tuple(new))
        before, after = before + 1, after + 1
    return None


def bare_block(lines: list[str], change: Change) -> Block:
    """The change with no context at all (an anchor that may occur elsewhere)."""
    search = lines[change.start : change.end]
    return Block(change.start, change.end, tuple(search), tuple(change.new))
