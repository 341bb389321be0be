"""Holes cut from real files: the document with the hole, the cursor, and the text that was cut.

Five kinds:

- `eol`: a line cut at a token boundary; the rest of the line is the answer, nothing follows it.
- `mid`: a span inside a line (call arguments, one argument, a bracketed condition, a string's
  contents); the rest of the real line stays after the cursor as the suffix.
- `blank`: a whole simple statement removed, its line left blank (with the indentation an editor
  would put there, or at column 0); the statement is the answer.
- `block`: a whole block body (function, if, loop...) removed after its opener line; the cursor is
  at the end of the opener and the answer is a line break followed by the body.
- `block_blank`: the same body removed, the cursor on the line under the opener with the body's
  indentation (where an editor puts it after Enter); the answer is the body from its first code.

Positions count code points; lines carry no line endings.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .lexical import code_lines, cut_point, is_word

KINDS = ("eol", "mid", "blank", "block", "block_blank")
MAX_CODE_LINE = 140
MAX_BODY_LINES = 10
_COMMENT = re.compile(r"^\s*(#|//|/\*|\*|--|;|\"\"\"|'''|<!--|@)")
_OPENER = {
    "python": re.compile(
        r"^\s*(async\s+def|def|class|if|elif|else|for|while|with|try|except|finally)\b.*:$"
    ),
    "lua": re.compile(r"(\bthen|\bdo|\bfunction\b.*\)|\belse|\brepeat)$"),
    "shellscript": re.compile(r"(;\s*then|;\s*do|^\s*(then|do|else)|\)\s*\{|\{)$"),
    "ruby": re.compile(r"(\bdo(\s*\|[^|]*\|)?|^\s*(def|class|module|if|unless|while)\b.*)$"),
}
_BRACE_OPENER = re.compile(r"[)\w>\]]\s*\{$|^\s*(else|try|do|finally)\s*\{$")
_CLOSER = {
    "python": None,
    "lua": re.compile(r"^\s*(end|else|elseif|until)\b"),
    "shellscript": re.compile(r"^\s*(fi|done|\}|else|elif|esac)\b|^\s*\}"),
    "ruby": re.compile(r"^\s*(end|else|elsif|rescue|ensure)\b"),
}
_TERMINATED = frozenset({"c", "cpp", "java"})
_BRACE_CLOSER = re.compile(r"^\s*\}")
_CONTINUES = re.compile(r"[,(\[{\\+\-*/|&=.?:]$")
_PAIRS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Cut:
    """One hole: `lines` is the document with the hole, the cursor at (`line`, `character`)."""

    language: str
    label: str
    kind: str
    lines: tuple[str, ...]
    line: int
    character: int
    expected: str


def original(hole: Cut) -> list[str]:
    """The document with the expected text inserted at the cursor: the file as it was."""
    text = "\n".join(hole.lines)
    offset = sum(len(line) + 1 for line in hole.lines[: hole.line]) + hole.character
    return (text[:offset] + hole.expected + text[offset:]).split("\n")


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _code_line(line: str, code: bool) -> bool:
    stripped = line.strip()
    return (
        code
        and 3 <= len(stripped)
        and len(line) <= MAX_CODE_LINE
        and not _COMMENT.match(line)
        and any(is_word(ch) for ch in stripped)
    )


def _eol(
    lines: list[str], code: list[bool], rng: random.Random, language: str, label: str
) -> Cut | None:
    index = rng.randrange(len(lines))
    line = lines[index]
    if not _code_line(line, code[index]):
        return None
    start = indent(line)
    points = [p for p in range(start + 1, len(line)) if cut_point(line, p)]
    points = [p for p in points if any(is_word(ch) for ch in line[p:]) and len(line) - p <= 80]
    if not points:
        return None
    cut = rng.choice(points)
    doc = [*lines[:index], line[:cut], *lines[index + 1 :]]
    return Cut(language, label, "eol", tuple(doc), index, cut, line[cut:])


def _spans(line: str) -> list[tuple[int, int]]:
    """Bracket contents, single arguments and string contents of `line` as (start, end)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int, list[int]]] = []
    quote = ""
    start = 0
    for i, ch in enumerate(line):
        if quote:
            if ch == quote and line[i - 1] != "\\":
                if i > start + 1:
                    spans.append((start + 1, i))
                quote = ""
        elif ch in "\"'`":
            quote, start = ch, i
        elif ch in _PAIRS:
            stack.append((ch, i, []))
        elif ch in _PAIRS.values() and stack:
            opener, at, commas = stack.pop()
            if _PAIRS[opener] != ch:
                return spans
            edges = [at, *commas, i]
            spans.append((at + 1, i))
            if commas:
                for left, right in zip(edges, edges[1:], strict=False):
                    spans.append((left + 1, right))
        elif ch == "," and stack:
            stack[-1][2].append(i)
    return spans


def _trim(line: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and line[start] == " ":
        start += 1
    while end > start and line[end - 1] == " ":
        end -= 1
    return start, end


def _mid(
    lines: list[str], code: list[bool], rng: random.Random, language: str, label: str
) -> Cut | None:
    index = rng.randrange(len(lines))
    line = lines[index]
    if not _code_line(line, code[index]):
        return None
    spans = {_trim(line, span) for span in _spans(line)}
    spans = {
        (a, b)
        for a, b in spans
        if b < len(line)
        and b - a <= 60
        and line[a:b].strip()
        and not (is_word(line[a - 1]) and is_word(line[b]))
        and cut_point(line, a)
        and cut_point(line, b)
    }
    if not spans:
        return None
    ordered = sorted(spans)
    richer = [s for s in ordered if any(is_word(ch) for ch in line[s[1] :])]
    a, b = rng.choice(richer if richer and rng.random() < 0.6 else ordered)
    doc = [*lines[:index], line[:a] + line[b:], *lines[index + 1 :]]
    return Cut(language, label, "mid", tuple(doc), index, a, line[a:b])


def _neighbour(lines: list[str], index: int, step: int) -> str | None:
    index += step
    while 0 <= index < len(lines):
        if lines[index].strip():
            return lines[index]
        index += step
    return None


def _blank(
    lines: list[str], code: list[bool], rng: random.Random, language: str, label: str
) -> Cut | None:
    index = rng.randrange(len(lines))
    line = lines[index]
    prev, nxt = _neighbour(lines, index, -1), _neighbour(lines, index, 1)
    if not _code_line(line, code[index]) or prev is None or nxt is None:
        return None
    opens_block = prev.endswith(("{", ":"))
    if _CONTINUES.search(line) or indent(nxt) > indent(line):
        return None
    if not opens_block and _CONTINUES.search(prev):
        return None
    if not is_word(line.lstrip()[0]) and line.lstrip()[0] not in "$@\"'":
        return None
    if language in _TERMINATED and (not line.endswith((";", "}", ")")) or nxt.lstrip()[:1] == "{"):
        return None  # a declaration split over lines (a return type alone, a K&R header)
    lead = line[: indent(line)]
    if lead and rng.random() < 0.8:
        doc = [*lines[:index], lead, *lines[index + 1 :]]
        return Cut(language, label, "blank", tuple(doc), index, len(lead), line[len(lead) :])
    doc = [*lines[:index], "", *lines[index + 1 :]]
    return Cut(language, label, "blank", tuple(doc), index, 0, line)


def _opens(line: str, code: bool, language: str) -> bool:
    if not code or _COMMENT.match(line) or len(line) > MAX_CODE_LINE:
        return False
    pattern = _OPENER.get(language)
    return bool(pattern.search(line)) if pattern else bool(_BRACE_OPENER.search(line))


def _body_end(lines: list[str], opener: int) -> int | None:
    """Index of the first line after the body of the block opened at `opener`."""
    depth = indent(lines[opener])
    end = opener + 1
    while end < len(lines) and (not lines[end].strip() or indent(lines[end]) > depth):
        end += 1
    while end - 1 > opener and not lines[end - 1].strip():
        end -= 1
    return end if end > opener + 1 else None


def _body(lines: list[str], code: list[bool], rng: random.Random, language: str) -> int | None:
    """A random block opener whose body (up to `_body_end`) makes a fair hole, or None."""
    index = rng.randrange(len(lines))
    if not _opens(lines[index], code[index], language):
        return None
    end = _body_end(lines, index)
    if end is None or end >= len(lines):
        return None
    body = lines[index + 1 : end]
    if not body[0].strip():
        return None  # a body opening with a blank line: the model cannot know it is there
    closer = _CLOSER.get(language, _BRACE_CLOSER)
    after = _neighbour(lines, end - 1, 1)
    if closer is not None and (after is None or not closer.match(after)):
        return None
    filled = [ln for ln in body if ln.strip()]
    if len(filled) > MAX_BODY_LINES or any(len(ln) > MAX_CODE_LINE for ln in body):
        return None
    return index if any(code[index + 1 : end]) else None


def _block(
    lines: list[str], code: list[bool], rng: random.Random, language: str, label: str
) -> Cut | None:
    index = _body(lines, code, rng, language)
    if index is None:
        return None
    end = _body_end(lines, index) or index + 1
    doc = [*lines[: index + 1], *lines[end:]]
    body = "\n" + "\n".join(lines[index + 1 : end])
    return Cut(language, label, "block", tuple(doc), index, len(lines[index]), body)


def _block_blank(
    lines: list[str], code: list[bool], rng: random.Random, language: str, label: str
) -> Cut | None:
    index = _body(lines, code, rng, language)
    if index is None:
        return None
    end = _body_end(lines, index) or index + 1
    first = lines[index + 1]
    lead = first[: indent(first)]
    doc = [*lines[: index + 1], lead, *lines[end:]]
    body = "\n".join([first[len(lead) :], *lines[index + 2 : end]])
    return Cut(language, label, "block_blank", tuple(doc), index + 1, len(lead), body)


CUTTERS = {
    "eol": _eol,
    "mid": _mid,
    "blank": _blank,
    "block": _block,
    "block_blank": _block_blank,
}


def cut(kind: str, lines: list[str], rng: random.Random, language: str, label: str) -> Cut | None:
    """One hole of `kind` at a random place of `lines`, or None (a few tries, then give up)."""
    cutter = CUTTERS[kind]
    code = code_lines(lines, language)
    for _ in range(12):
        found = cutter(lines, code, rng, language, label)
        if found is not None:
            return found
    return None
