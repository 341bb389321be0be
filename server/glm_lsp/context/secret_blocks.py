"""Secrets that only show across lines: key bodies and multi-line values.

`find_blocks` reads a whole text once and returns a `SecretBlocks`: inclusive line ranges
replaced whole (private-key bodies, heredocs into credential files, multi-line values of
secret keys) and value spans on single lines whose meaning comes from lines above them
(`credentials:` sections, Kubernetes `kind: Secret` data, `- name: DB_PASSWORD` followed
by `value: ...`). Line-by-line rules (`secret_rules`) cannot see either.

What a line can open (a key marker, a `key:` line, `name: DB_PASSWORD`, `kind: Secret`, a
heredoc into a credential file) depends on that line alone, so it is read once per distinct
line and kept (`_Marks`, two bounded generations): after a keystroke only the edited lines are
read again, and the scans start from the marked lines. A 5,000-line file costs a few hundred
microseconds per version instead of ~10 ms of whole-text regex passes.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
from collections.abc import Sequence
from typing import NamedTuple, cast

from . import secret_rules as rules
from . import secret_words as words
from .exclusions import BUILTIN_EXCLUDES

Span = tuple[int, int]

_END_KEY = re.compile(r"-----END[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
# A line of a key body: base64 (maybe quoted/concatenated/indented), a PGP checksum or an
# armor header, or blank.
_BODY = re.compile(
    r"[ \t]*[\"'`]?(?:[A-Za-z0-9+/]+={0,2}|=[A-Za-z0-9+/]{4}|[A-Za-z][\w\-]*: [^\n]*)?"
    r"(?:\\n)?[\"'`]?[ \t]*[,+]?[ \t]*\\?"
)
_BODY_MAX = 200
_BASE64_BODY = re.compile(r"[ \t]*[\"'`]?[A-Za-z0-9+/]+={0,2}(?:\\n)?[\"'`]?[ \t]*[,+]?[ \t]*")
# `key:`/`key =` lines (YAML, INI, shell, JSON) and what opens their value, if anything.
_KEY_LINE = re.compile(
    r"(?m)^(?P<indent>[ \t]*)(?:-[ \t]+)?(?:export[ \t]+)?[\"']?(?P<key>(?>[\w.\-$]+))[\"']?"
    r"[ \t]*(?::=|=>|=|:)(?>[ \t]*)(?P<open>[|>][-+0-9]*|\(|\{|\"\"\"|'{3}|\\"
    r"|<<-?[ \t]*[\"']?\w+[\"']?|\$\(cat[ \t]+<<-?[ \t]*[\"']?\w+[\"']?)?(?>[ \t]*)(?:#[^\n]*)?$"
)
_HEREDOC = re.compile(r"<<-?[ \t]*[\"']?(?P<tag>\w+)[\"']?")
_REDIRECT = re.compile(r">>?[ \t]*(?P<path>[^\s;|&<>]+)")
_NAME_LINE = re.compile(r"(?m)^[ \t]*(?:-[ \t]*)?[\"']?name[\"']?[ \t]*:(?P<rest>[^\n]*)$")
_SECRET_KIND = re.compile(r"(?m)^kind:[ \t]*[\"']?Secret[\"']?[ \t]*$")
_CREDENTIAL_FILES = tuple(p for p in BUILTIN_EXCLUDES if "/" not in p)


# Every regex above, by name (tests check their structure; bench/secrets.py times them).
# ANCHORED ones only ever run with `fullmatch`, on lines of at most `_BODY_MAX` characters.
ANCHORED = frozenset({"_BODY", "_BASE64_BODY"})
PATTERNS: dict[str, re.Pattern[str]] = {
    name: value for name, value in dict(globals()).items() if isinstance(value, re.Pattern)
}


class SecretBlocks(list[Span]):
    """Whole-line ranges (the list, inclusive) plus per-line value spans (`spans`)."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: dict[int, list[Span]] = {}
        self._covered: frozenset[int] | None = None

    def covers(self, i: int) -> bool:
        """Whether line `i` is inside a whole-line range (a set built once, on first use)."""
        if self._covered is None:
            self._covered = frozenset(j for a, b in self for j in range(a, b + 1))
        return i in self._covered

    def __bool__(self) -> bool:
        return len(self) > 0 or bool(self.spans)

    def add_span(self, line: int, span: Span) -> None:
        self.spans.setdefault(line, []).append(span)

    def line_spans(self, i: int) -> list[Span]:
        return self.spans.get(i, [])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def find_blocks(text: str, lines: Sequence[str]) -> SecretBlocks:
    """Every multi-line secret in `text` (`lines` is `text.split("\\n")`)."""
    return blocks_of(lines, mark_lines(lines))


def mark_lines(lines: Sequence[str]) -> Marked:
    """(index, marks) of the lines that open something, in order (`blocks_of` reads them)."""
    return _MARKS.marked(lines)


def remark_lines(old: Marked, lines: Sequence[str], start: int, stop: int, tail: int) -> Marked:
    """`mark_lines(lines)` from the marks `old` of the previous version of `lines`, when the
    new lines are the old ones with `old_lines[start:tail]` replaced by `lines[start:stop]`
    (one edited range): only the new lines are read."""
    shift = stop - tail
    fresh = _MARKS.marked(lines[start:stop])
    return [
        *(item for item in old if item[0] < start),
        *((start + i, m) for i, m in fresh),
        *((i + shift, m) for i, m in old if i >= tail),
    ]


def blocks_of(lines: Sequence[str], marked: Marked) -> SecretBlocks:
    """`find_blocks` from the marks of `lines` (`mark_lines` or `remark_lines`)."""
    out = SecretBlocks()
    if not marked:
        return out
    key_markers = [(i, m.key) for i, m in marked if m.key]
    if key_markers:
        _key_blocks(lines, key_markers, out)
    for i, m in marked:
        if m.secret_name:
            _name_value(lines, i, out)
    secret_kind = any(m.secret_kind for _, m in marked)
    for i, m in marked:
        if m.key_line is not None:
            _keyed_block(lines, i, m.key_line, secret_kind, out)
    for i, m in marked:
        if m.heredoc:
            _credential_heredoc(lines, i, out)
    out.sort()
    return out


_PUTTY, _BEGIN, _END = 1, 2, 3


class _KeyLine(NamedTuple):
    """A `key:`/`key =` line whose key is secret, a secret section or a top-level `data`."""

    key: str
    opener: str
    top_data: bool


class _LineMarks(NamedTuple):
    key: int
    secret_name: bool
    key_line: _KeyLine | None
    secret_kind: bool
    heredoc: bool


Marked = list[tuple[int, _LineMarks]]


def _read_marks(line: str) -> _LineMarks | None:
    """What `line` can open for the scans below; None for the (usual) line that opens none."""
    key = 0
    if "PuTTY-User-Key-File" in line:
        key = _PUTTY
    elif "PRIVATE KEY" in line:
        if "BEGIN" in line and "END" not in line:
            key = _BEGIN
        elif "BEGIN" not in line and _END_KEY.search(line) is not None:
            key = _END
    name = _NAME_LINE.match(line) if "name" in line else None
    secret_name = name is not None and words.is_secret_key(rules.raw_value(name["rest"], 0))
    key_line = _read_key_line(line) if (":" in line or "=" in line) else None
    secret_kind = line.startswith("kind:") and _SECRET_KIND.match(line) is not None
    heredoc = "<<" in line and _into_credential_file(line)
    if key or secret_name or key_line is not None or secret_kind or heredoc:
        return _LineMarks(key, secret_name, key_line, secret_kind, heredoc)
    return None


def _read_key_line(line: str) -> _KeyLine | None:
    m = _KEY_LINE.match(line)
    if m is None:
        return None
    key = m.group("key")
    top_data = key in ("data", "stringData") and not m.group("indent")
    if top_data or words.is_section_parent(key) or words.is_secret_key(key):
        return _KeyLine(key, m.group("open") or "", top_data)
    return None


class _Marks:
    """Marks per distinct line, in two generations: a full generation becomes the old one, so
    the lines of the open documents stay while lines gone for a while are dropped."""

    def __init__(self, max_lines: int = 200_000) -> None:
        self._max = max_lines
        self._new: dict[str, _LineMarks | None] = {}
        self._old: dict[str, _LineMarks | None] = {}

    def marked(self, lines: Sequence[str]) -> Marked:
        """(index, marks) of the lines of `lines` that open something, in order."""
        found: list[_LineMarks | None | object] = list(
            map(self._new.get, lines, itertools.repeat(_UNREAD))
        )
        if _UNREAD in found:
            for i in range(found.index(_UNREAD), len(found)):
                if found[i] is _UNREAD:
                    found[i] = self._read(lines[i])
        return [
            (i, cast(_LineMarks, found[i])) for i in itertools.compress(range(len(found)), found)
        ]

    def _read(self, line: str) -> _LineMarks | None:
        old = self._old
        marks = old[line] if line in old else _read_marks(line)
        if len(self._new) >= self._max:
            self._old, self._new = self._new, {}
        self._new[line] = marks
        return marks


_UNREAD = object()
_MARKS = _Marks()


def _key_blocks(lines: Sequence[str], starts: list[tuple[int, int]], out: SecretBlocks) -> None:
    """Key bodies from the marked lines `starts` ((index, _PUTTY/_BEGIN/_END), in order)."""
    n = len(lines)
    floor = 0  # lines before this are in a block already or were passed over
    for i, kind in starts:
        if i < floor:
            continue
        if kind == _PUTTY:
            j = i + 1
            while j < n and not lines[j].startswith("Private-MAC"):
                j += 1
            out.append((i + 1, min(j, n - 1)))
            floor = j + 1
        elif kind == _BEGIN:
            j = i + 1
            while j < n and _END_KEY.search(lines[j]) is None and _is_body(lines[j]):
                j += 1
            if j > i + 1:
                out.append((i + 1, j - 1))
            floor = j + 1
        else:
            j = i
            while j > floor and _is_base64(lines[j - 1]):
                j -= 1
            if j < i:
                out.append((j, i - 1))
            floor = i + 1


def _is_body(line: str) -> bool:
    return len(line) <= _BODY_MAX and _BODY.fullmatch(line) is not None


def _is_base64(line: str) -> bool:
    return len(line) <= _BODY_MAX and _BASE64_BODY.fullmatch(line) is not None


def _keyed_block(
    lines: Sequence[str], i: int, m: _KeyLine, secret_kind: bool, out: SecretBlocks
) -> None:
    """The multi-line value of a secret key, or the values nested under a secret section."""
    section = words.is_section_parent(m.key) or (secret_kind and m.top_data)
    if section and m.opener in ("", "{"):
        _section_values(lines, i, out)
    elif words.is_secret_key(m.key):
        _value_lines(lines, i, m.opener, out)


def _children(lines: Sequence[str], i: int) -> range:
    """Lines after `i` indented deeper than it (blank lines inside included)."""
    base = _indent(lines[i])
    j = i + 1
    last = i
    while j < len(lines):
        line = lines[j]
        if line.strip():
            if _indent(line) <= base:
                break
            last = j
        j += 1
    return range(i + 1, last + 1)


def _section_values(lines: Sequence[str], i: int, out: SecretBlocks) -> None:
    for j in _children(lines, i):
        line = lines[j]
        for m in rules.KEY_ASSIGN.finditer(line):
            key = m.group("key")
            if words.is_benign_child(key) or words.is_section_parent(key):
                continue
            span = rules.value_span(line, m.end(), key, "YAML", whole_rest=m.group("op") == ":")
            if span is not None:
                out.add_span(j, span)
            break


def _value_lines(lines: Sequence[str], i: int, opener: str, out: SecretBlocks) -> None:
    key = rules.KEY_ASSIGN.match(lines[i].lstrip(" \t-"))
    name = key.group("key") if key is not None else ""
    if opener == "\\":
        _continued_value(lines, i, name, out)
    elif opener.startswith(("|", ">")) or opener == "":
        _indented_value(lines, i, opener, out)
    elif opener in ('"""', "'''"):
        _triple_quoted_value(lines, i, opener, out)
    elif opener == "(":
        _parenthesized_values(lines, i, out)
    elif "<<" in opener:
        tag = _HEREDOC.search(opener)
        if tag is not None:
            _heredoc_body(lines, i, tag.group("tag"), out)


def _continued_value(lines: Sequence[str], i: int, name: str, out: SecretBlocks) -> None:
    """`KEY=\\` then the value on the next line."""
    if i + 1 < len(lines):
        span = rules.value_span(lines[i + 1], 0, name, "OTHER", whole_rest=False)
        if span is not None:
            out.add_span(i + 1, span)


def _indented_value(lines: Sequence[str], i: int, opener: str, out: SecretBlocks) -> None:
    """A YAML block scalar (`key: |`) or a bare `key:` whose indented lines are its value
    (not when they are keys or list items)."""
    body = _children(lines, i)
    if opener == "" and any(
        rules.KEY_ASSIGN.match(lines[j].lstrip()) or lines[j].lstrip().startswith("-") for j in body
    ):
        return
    if len(body):
        out.append((body.start, body.stop - 1))


def _triple_quoted_value(lines: Sequence[str], i: int, opener: str, out: SecretBlocks) -> None:
    j = i + 1
    while j < len(lines) and opener not in lines[j]:
        j += 1
    if j > i + 1:
        out.append((i + 1, j - 1))


def _parenthesized_values(lines: Sequence[str], i: int, out: SecretBlocks) -> None:
    """The quoted literals of a `KEY = (` ... `)` value, line by line."""
    j = i + 1
    while j < len(lines) and not lines[j].lstrip().startswith(")"):
        for q in re.finditer(r"\"[^\"\n]*\"|'[^'\n]*'", lines[j]):
            if words.is_literal(q.group()[1:-1], "", quoted=True):
                out.add_span(j, (q.start() + 1, q.end() - 1))
        j += 1


def _heredoc_body(lines: Sequence[str], i: int, tag: str, out: SecretBlocks) -> None:
    j = i + 1
    while j < len(lines) and lines[j].strip() != tag:
        j += 1
    if j > i + 1:
        out.append((i + 1, j - 1))


def _into_credential_file(line: str) -> bool:
    """A heredoc written into a credential file (`cat > ~/.pgpass <<EOF`)."""
    if _HEREDOC.search(line) is None:
        return False
    for r in _REDIRECT.finditer(line):
        name = os.path.basename(r.group("path").strip("\"'"))
        if any(fnmatch.fnmatchcase(name, p) for p in _CREDENTIAL_FILES):
            return True
    return False


def _credential_heredoc(lines: Sequence[str], i: int, out: SecretBlocks) -> None:
    tag = _HEREDOC.search(lines[i])
    if tag is not None:
        _heredoc_body(lines, i, tag.group("tag"), out)


def _name_value(lines: Sequence[str], i: int, out: SecretBlocks) -> None:
    """`- name: DB_PASSWORD` on line `i`, then `value: ...` on a following line of the item."""
    for j in range(i + 1, min(i + 4, len(lines))):
        line = lines[j]
        stripped = line.lstrip(" \t-")
        if stripped.startswith(("name:", '"name"')):
            break
        if stripped.startswith(("value:", '"value"')):
            colon = line.index(":", len(line) - len(stripped))
            span = rules.value_span(line, colon + 1, "", "YAML", whole_rest=True)
            if span is not None:
                out.add_span(j, span)
            break
