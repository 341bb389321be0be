"""Secrets that only show across lines: key bodies and multi-line values.

`find_blocks` reads a whole text once and returns a `SecretBlocks`: inclusive line ranges
replaced whole (private-key bodies, heredocs into credential files, multi-line values of
secret keys) and value spans on single lines whose meaning comes from lines above them
(`credentials:` sections, Kubernetes `kind: Secret` data, `- name: DB_PASSWORD` followed
by `value: ...`). Line-by-line rules (`secret_rules`) cannot see either.

Cheap substring checks on the whole text decide which scans run; every scan is one
linear regex pass over the text plus work per matched line.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Sequence

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


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def _line_of(starts: Sequence[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def find_blocks(text: str, lines: Sequence[str]) -> SecretBlocks:
    """Every multi-line secret in `text` (`lines` is `text.split("\\n")`)."""
    out = SecretBlocks()
    if "PRIVATE KEY" in text or "PuTTY-User-Key-File" in text:
        _key_blocks(lines, out)
    starts: list[int] | None = None
    if "name" in text:
        starts = _line_starts(text)
        _name_value_pairs(text, lines, starts, out)
    if any(h in text for h in (":", "=")):
        starts = starts or _line_starts(text)
        _keyed_blocks(text, lines, starts, out)
    if "<<" in text:
        _heredocs(lines, out)
    out.sort()
    return out


def _key_blocks(lines: Sequence[str], out: SecretBlocks) -> None:
    n = len(lines)
    i = 0
    floor = 0  # lines before this are in a block already or were passed over
    while i < n:
        line = lines[i]
        if "PuTTY-User-Key-File" in line:
            j = i + 1
            while j < n and not lines[j].startswith("Private-MAC"):
                j += 1
            out.append((i + 1, min(j, n - 1)))
            i = floor = j + 1
            continue
        if "BEGIN" in line and "PRIVATE KEY" in line and "END" not in line:
            j = i + 1
            while j < n and _END_KEY.search(lines[j]) is None and _is_body(lines[j]):
                j += 1
            if j > i + 1:
                out.append((i + 1, j - 1))
            i = floor = j + 1
            continue
        if _END_KEY.search(line) is not None and "BEGIN" not in line:
            j = i
            while j > floor and _is_base64(lines[j - 1]):
                j -= 1
            if j < i:
                out.append((j, i - 1))
            floor = i + 1
        i += 1


def _is_body(line: str) -> bool:
    return len(line) <= _BODY_MAX and _BODY.fullmatch(line) is not None


def _is_base64(line: str) -> bool:
    return len(line) <= _BODY_MAX and _BASE64_BODY.fullmatch(line) is not None


def _keyed_blocks(text: str, lines: Sequence[str], starts: list[int], out: SecretBlocks) -> None:
    """Multi-line values of secret keys, and values nested under secret sections."""
    secret_kind = _SECRET_KIND.search(text) is not None
    for m in _KEY_LINE.finditer(text):
        key = m.group("key")
        opener = m.group("open") or ""
        section = words.is_section_parent(key) or (
            secret_kind and key in ("data", "stringData") and not m.group("indent")
        )
        secret = words.is_secret_key(key)
        if not (section or secret):
            continue
        i = _line_of(starts, m.start())
        if section and opener in ("", "{"):
            _section_values(lines, i, out)
        elif secret:
            _value_lines(lines, i, opener, out)


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


def _heredocs(lines: Sequence[str], out: SecretBlocks) -> None:
    """Heredocs written into a credential file (`cat > ~/.pgpass <<EOF`)."""
    for i, line in enumerate(lines):
        if "<<" not in line:
            continue
        tag = _HEREDOC.search(line)
        if tag is None:
            continue
        for r in _REDIRECT.finditer(line):
            name = os.path.basename(r.group("path").strip("\"'"))
            if any(fnmatch.fnmatchcase(name, p) for p in _CREDENTIAL_FILES):
                _heredoc_body(lines, i, tag.group("tag"), out)
                break


def _name_value_pairs(
    text: str, lines: Sequence[str], starts: list[int], out: SecretBlocks
) -> None:
    """`- name: DB_PASSWORD` then `value: ...` on a following line of the same item."""
    for m in _NAME_LINE.finditer(text):
        if not words.is_secret_key(rules.raw_value(m.group("rest"), 0)):
            continue
        i = _line_of(starts, m.start())
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
