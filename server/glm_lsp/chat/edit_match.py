"""Where one search block sits in a file's lines, and how its replacement is re-indented.

The rules are tried in order and the first that finds anything decides; a rule that finds the
search in more than one place makes the block ambiguous (never the first of them guessed):

1. `exact`: the search lines equal file lines (refused when rule 4 finds them elsewhere too).
2. `trailing-space`: equal once trailing whitespace is ignored.
3. `indentation`: equal once one indentation prefix is added to or removed from every line.
4. `whitespace`: equal once runs of whitespace are ignored (tabs against spaces, alignment).
5. `elided`: the search has `...` / `// ... existing code ...` lines; the parts around them are
   found in order (the elided lines lie deeper than the quoted ones), and only one way.
6. `fragment`: a one-line search that is part of a line, found once in the whole text.

Aider's `editblock_coder` (exact, then leading whitespace, then `...`), Cline's
`replace_in_file` (exact, then line-trimmed) and Codex's `apply_patch` `seek_sequence` (exact,
trim-end, trim) match the same way; none of them here ever matches a changed word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

TAB = 4
MAX_GAP = 60
"""The most lines one elision may stand for when the gap leaves the quoted block."""
_COMMENT_EDGES = re.compile(
    r"^(?:--\[=*\[|#+|//+|--+|;+|/\*+|\*+|<!--|\{-|\(\*|%+|\"|')\s*"
    r"|\s*(?:\*+/|-->|\]=*\]|-\}|\*\))$"
)
_ELISION_TEXT = re.compile(r"(?:\.\.\.|…)[\w\s,'.…()-]*", re.IGNORECASE)
_ELISION_WORDS = re.compile(
    r"(?:\.\.\.|…)?\s*(?:rest of|existing|remaining|unchanged|other)\b[\w\s,']*(?:\.\.\.|…)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """A unique match: `spans` are the matched file lines [start, end) of each quoted part
    (one part unless the search was elided); `pairs` pair search lines with file lines."""

    rule: str
    spans: tuple[tuple[int, int], ...]
    pairs: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    fragment: bool = False

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass(frozen=True)
class Ambiguous:
    """The search occurs more than once under `rule`; `starts` are first lines (0-based)."""

    rule: str
    starts: tuple[int, ...]
    ways: int = 0
    """For an elided search: how many placements (several may share a first line)."""


Matched = Found | Ambiguous | None


def lead(line: str) -> str:
    """The leading whitespace of `line`."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def is_elision(line: str, *, bare: bool = True) -> bool:
    """Whether `line` stands for omitted code: `...`, `…`, or a comment like `# ...` or
    `// ... existing code ...`. A bare `...` counts only with `bare` (it is Python code too)."""
    text = line.strip()
    if text in ("...", "…"):
        return bare
    inner = _COMMENT_EDGES.sub("", text).strip()
    if inner == text or not inner:
        return False
    return bool(_ELISION_TEXT.fullmatch(inner) or _ELISION_WORDS.fullmatch(inner))


def _positions(keys: Sequence[str], wanted: Sequence[str]) -> list[int]:
    if not wanted or len(wanted) > len(keys):
        return []
    first, size = wanted[0], len(wanted)
    return [
        i
        for i in range(len(keys) - size + 1)
        if keys[i] == first and list(keys[i : i + size]) == list(wanted)
    ]


def _decide(
    rule: str, starts: list[int], size: int, lines: Sequence[str], search: list[str]
) -> Matched:
    if not starts:
        return None
    if len(starts) > 1:
        return Ambiguous(rule, tuple(starts))
    start = starts[0]
    pairs = tuple(zip(search, lines[start : start + size], strict=False))
    return Found(rule, ((start, start + size),), pairs)


_KEYS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("exact", lambda s: s),
    ("trailing-space", str.rstrip),
)


def _shifted(lines: Sequence[str], search: list[str]) -> list[int]:
    """Starts where every search line equals its file line with one prefix added or cut."""
    size = len(search)
    firsts = [i for i, s in enumerate(search) if s.strip()]
    if not firsts:
        return []
    anchor = firsts[0]
    want = search[anchor].rstrip()
    key = want.strip()
    found = []
    for start in range(len(lines) - size + 1):
        if lines[start + anchor].strip() != key:
            continue
        window = [line.rstrip() for line in lines[start : start + size]]
        have = window[anchor]
        s_lead, f_lead = lead(want), lead(have)
        if f_lead.endswith(s_lead):
            add = f_lead[: len(f_lead) - len(s_lead)]
            ok = all(
                w == (add + s.rstrip() if s.strip() else "")
                for s, w in zip(search, window, strict=False)
            )
        elif s_lead.endswith(f_lead):
            cut = s_lead[: len(s_lead) - len(f_lead)]
            ok = all(
                (s.startswith(cut) and w == s.rstrip()[len(cut) :]) if s.strip() else not w
                for s, w in zip(search, window, strict=False)
            )
        else:
            ok = False
        if ok:
            found.append(start)
    return found


def _loose(lines: Sequence[str], search: list[str]) -> list[int]:
    keys = [" ".join(line.split()) for line in lines]
    return _positions(keys, [" ".join(s.split()) for s in search])


def match_lines(lines: Sequence[str], search: list[str]) -> Matched:
    """Rules 1-4 for `search` (whole lines) in `lines`. A match under a strict rule still
    refuses when the search also fits elsewhere with other whitespace: the model may have
    shifted the one it meant (a short anchor quoted at the wrong depth)."""
    size = len(search)
    loose = _loose(lines, search)
    found: Matched = None
    for rule, key in _KEYS:
        keys = [key(line) for line in lines]
        found = _decide(rule, _positions(keys, [key(s) for s in search]), size, lines, search)
        if found is not None:
            break
    if found is None:
        found = _decide("indentation", _shifted(lines, search), size, lines, search)
    if found is None:
        return _decide("whitespace", loose, size, lines, search)
    if isinstance(found, Found) and len(loose) > 1:
        return Ambiguous(found.rule, tuple(loose))
    return found


def split_elided(search: list[str]) -> list[list[str]]:
    """The parts of `search` between elision lines (empty parts where markers touch/edge)."""
    parts: list[list[str]] = [[]]
    for line in search:
        if is_elision(line):
            parts.append([])
        else:
            parts[-1].append(line)
    return parts


def _gap_ok(lines: Sequence[str], start: int, end: int, floor: int, strict: bool) -> bool:
    for line in lines[start:end]:
        if not line.strip():
            continue
        depth = len(lead(line).expandtabs(TAB))
        if depth < floor or (strict and depth == floor):
            return False
    return True


def _chains(lines: Sequence[str], parts: list[list[str]]) -> list[list[int]]:
    keys = [line.strip() for line in lines]
    options = [_positions(keys, [s.strip() for s in part]) for part in parts]
    chains: list[list[int]] = [[p] for p in options[0]]
    for index in range(1, len(parts)):
        after = len(parts[index - 1])
        chains = [[*c, p] for c in chains for p in options[index] if p >= c[-1] + after][:200]
    return chains


def _floor(lines: Sequence[str], chain: list[int], parts: list[list[str]]) -> int:
    quoted = [lines[p + k] for p, part in zip(chain, parts, strict=False) for k in range(len(part))]
    return min((len(lead(q).expandtabs(TAB)) for q in quoted if q.strip()), default=0)


def _inside(lines: Sequence[str], chain: list[int], parts: list[list[str]], level: int) -> bool:
    """Whether the elided gaps of `chain` pass `level`. Each gap holds some code, and at
    level 0 every gap line lies deeper than the shallowest quoted line; at 1, at least as
    deep; at 2, anything, at most MAX_GAP lines."""
    floor = _floor(lines, chain, parts)
    gaps = [(chain[i] + len(parts[i]), chain[i + 1]) for i in range(len(chain) - 1)]
    if not all(any(line.strip() for line in lines[start:end]) for start, end in gaps):
        return False  # an elision stands for code: a gap of blank lines is another place
    if level == 2:
        return all(end - start <= MAX_GAP for start, end in gaps)
    return all(_gap_ok(lines, start, end, floor, level == 0) for start, end in gaps)


def match_elided(lines: Sequence[str], search: list[str]) -> Matched:
    """Rule 5: the quoted parts of an elided search, in order. Preferred: the elided lines lie
    deeper than the shallowest quoted line (inside the block the search quotes); then as
    deep (a flat run of statements); then any short gap. The first level that finds
    placements decides, and more than one placement there refuses."""
    parts = [part for part in split_elided(search) if part]
    if len(parts) < 2:
        return None
    chains = _chains(lines, parts)
    for level in (0, 1, 2):
        kept = [c for c in chains if _inside(lines, c, parts, level)]
        if len(kept) > 1:
            return Ambiguous("elided", tuple(sorted({c[0] for c in kept})), len(kept))
        if kept:
            chain = kept[0]
            spans = tuple((p, p + len(part)) for p, part in zip(chain, parts, strict=True))
            pairs = tuple(
                (s, lines[p + k])
                for p, part in zip(chain, parts, strict=True)
                for k, s in enumerate(part)
            )
            return Found("elided", spans, pairs)
    return None


def match_fragment(text_lines: Sequence[str], fragment: str) -> Matched:
    """Rule 6: a one-line search that is part of one line, found exactly once."""
    for wanted in dict.fromkeys((fragment, fragment.strip())):
        if not wanted:
            continue
        hits = [i for i, line in enumerate(text_lines) for _ in range(line.count(wanted))]
        if len(hits) == 1:
            return Found("fragment", ((hits[0], hits[0] + 1),), (), fragment=True)
        if hits:
            return Ambiguous("fragment", tuple(sorted(set(hits))))
    return None


def closest(lines: Sequence[str], search: list[str]) -> tuple[int, int, float] | None:
    """The file window most like `search`: (start, end, similarity 0-1), or None."""
    size = max(1, len(search))
    if not lines or not any(s.strip() for s in search):
        return None
    wanted = "\n".join(s.strip() for s in search)
    keys = [line.strip() for line in lines]
    firsts = [s.strip() for s in search if s.strip()][:1] + [s.strip() for s in search][-1:]
    scored: list[tuple[float, int]] = []
    for i, key in enumerate(keys):
        best = max(SequenceMatcher(None, key, f).quick_ratio() for f in firsts)
        scored.append((best, i))
    scored.sort(reverse=True)
    best_window: tuple[int, int, float] | None = None
    for _, i in scored[:12]:
        for start in {max(0, i - len(search) + 1), i}:
            start = min(start, max(0, len(lines) - size))
            window = "\n".join(keys[start : start + size])
            ratio = SequenceMatcher(None, window, wanted).ratio()
            if best_window is None or ratio > best_window[2]:
                best_window = (start, start + size, ratio)
    return best_window


def _columns(ws: str) -> int:
    return len(ws.expandtabs(TAB))


def reindenter(pairs: Sequence[tuple[str, str]]) -> Callable[[str], str]:
    """How to re-indent a replacement line so it moves like the search lines had to move to
    meet the file (`pairs` of search line, file line): the same prefix added or cut, or, for
    tabs against spaces, the same column shift written in the file's own indentation."""
    leads = [(lead(s), lead(f)) for s, f in pairs if s.strip() and f.strip()]
    if all(s == f for s, f in leads):
        return lambda line: line
    first_s, first_f = leads[0]
    if first_f.endswith(first_s):
        add = first_f[: len(first_f) - len(first_s)]
        if all(f == add + s for s, f in leads):
            return lambda line: add + line if line.strip() else line
    if first_s.endswith(first_f):
        cut = first_s[: len(first_s) - len(first_f)]
        if all(s == cut + f for s, f in leads):
            return lambda line: line[len(cut) :] if line.startswith(cut) else line.lstrip(" \t")
    return _by_columns(leads)


def _by_columns(leads: list[tuple[str, str]]) -> Callable[[str], str]:
    known = dict(leads)
    tabs = any("\t" in f for _, f in leads)
    shifts = {_columns(f) - _columns(s) for s, f in leads}
    scales = {_columns(f) / _columns(s) for s, f in leads if _columns(s)}
    zero_ok = all(_columns(f) == 0 for s, f in leads if not _columns(s))
    scale = next(iter(scales)) if len(shifts) > 1 and len(scales) == 1 and zero_ok else None
    shift = _columns(leads[0][1]) - _columns(leads[0][0])

    def render(line: str) -> str:
        if not line.strip():
            return line
        ws = lead(line)
        if ws in known:
            return known[ws] + line[len(ws) :]
        cols = _columns(ws)
        cols = round(cols * scale) if scale is not None else max(0, cols + shift)
        text = "\t" * (cols // TAB) + " " * (cols % TAB) if tabs else " " * cols
        return text + line[len(ws) :]

    return render
