"""Whether to ask for an inline completion at the cursor, and how much to ask for.

Rules (Continue / llm-ls / Cody style, no parser needed):

* NONE when word characters follow the cursor on its line (the user is editing inside a word
  or an expression), when the line already ends a statement (`;`, `)`, `]`, `}`), when the line
  opens a block that already has a body, or when the document is blank.
* MULTI_LINE on a blank line in an empty block body, and at the end of a line that opens a
  block whose body is still empty (`:`, `{`, `(`, `[`, `=>`, `do`, `then`, ...).
* SINGLE_LINE everywhere else (mid-line before closers or quotes, end of an ordinary line,
  blank lines between statements). Strings and comments are fine places to complete.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from glm_lsp.parsing import grammar_for

from .hole import TAB_WIDTH, Hole, Mode, detect_indent_unit, indent_width, width
from .syntax import PY_LIKE, code_part, scan

PREFIX_LINES = 240
SUFFIX_LINES = 120
WINDOW_SNAP = 32

_WORD = re.compile(r"\w")
_COLON = re.compile(r":$")
_BRACE = re.compile(r"\{$")
_KEYWORD = re.compile(r"(?:\b(?:do(?:\s*\|[^|]*\|)?|then|else|begin|repeat|of|loop)|->)$")
_RUBY_DEF = re.compile(r"^\s*(?:def|class|module)\s+[\w.:?!=]+(?:\(.*\))?$")
_LUA_FUNCTION = re.compile(r"\bfunction\b[^=]*\(.*\)$")
_RUBY_LIKE = frozenset({"ruby", "elixir", "crystal"})
_WEAK_OPENER = re.compile(r"(?:[(\[]|=>)$")
_COMPLETE = re.compile(r"[;)\]}]$")


def _strip_eol(line: str) -> str:
    return line.rstrip("\r\n")


def opener_kind(line: str, language: str = "") -> str:
    """'strong' when `line` opens a block whose body goes on the next line, 'weak' when it opens a
    bracket or arrow that may continue either inline or below, '' otherwise."""
    code = code_part(line, language)
    if code is None:
        return ""
    code = code.rstrip()
    if not code:
        return ""
    if _BRACE.search(code):
        return "strong"
    if _COLON.search(code) and not scan(code, language).open:
        return "strong"
    if language not in PY_LIKE:
        if _KEYWORD.search(code):
            return "strong"
        if language in _RUBY_LIKE and _RUBY_DEF.search(code):
            return "strong"
        if language in ("lua", "") and _LUA_FUNCTION.search(code):
            return "strong"
    if _WEAK_OPENER.search(code):
        return "weak"
    return ""


class _Verdict(NamedTuple):
    mode: Mode
    reason: str
    target_indent: int
    new_line: bool = False
    may_break: bool = False


class _Around(NamedTuple):
    """The cursor's line split at the cursor, with the lines around it (no line endings)."""

    before: list[str]
    current: str
    line_prefix: str
    line_suffix: str
    after: list[str]


def analyze(
    lines: Sequence[str],
    line: int,
    character: int,
    *,
    language: str = "",
    path: str = "",
) -> Hole:
    """Describe the cursor at (`line`, `character`) of a document given as lines.

    `lines` may keep their line endings (pygls `TextDocument.lines`). `character` counts code
    points (the LSP glue converts the editor's column). The returned `Hole.mode` is NONE when
    no request should be made; the windows and indentation are filled in regardless so that the
    cache can still answer a typed-through suggestion.
    """
    count = len(lines)
    line = max(0, min(line, count))
    current = _strip_eol(lines[line]) if line < count else ""
    index = max(0, min(character, len(current)))
    start = max(0, line - PREFIX_LINES) // WINDOW_SNAP * WINDOW_SNAP
    around = _Around(
        [_strip_eol(text) for text in lines[start:line]],
        current,
        current[:index],
        current[index:],
        [_strip_eol(text) for text in lines[line + 1 : line + 1 + SUFFIX_LINES]],
    )
    prefix = "\n".join([*around.before, around.line_prefix])
    suffix = "\n".join([around.line_suffix, *around.after]) if around.after else around.line_suffix
    unit = _indent_unit(around)
    lang = language.lower()
    if not prefix.strip() and not suffix.strip():
        verdict = _Verdict(Mode.NONE, "blank document", _column(around.line_prefix))
    else:
        verdict = _decide(around, unit, lang)
    return Hole(
        prefix=prefix,
        suffix=suffix,
        mode=verdict.mode,
        reason=verdict.reason,
        line=line,
        character=index,
        prefix_start_line=start,
        target_indent=verdict.target_indent,
        new_line=verdict.new_line,
        may_break=verdict.may_break,
        indent_unit=unit,
        language=lang,
        path=path,
        grammar=grammar_for(lang, path),
    )


def _indent_unit(around: _Around) -> str:
    current = around.current
    unit = detect_indent_unit(around.before[-80:] + [current] + around.after[:40])
    if not unit and current[:1] in (" ", "\t"):
        unit = "\t" if current.startswith("\t") else ""
    return unit


def _column(line_prefix: str) -> int:
    return width(line_prefix) if not line_prefix.strip() else len(line_prefix)


def _decide(around: _Around, unit: str, lang: str) -> _Verdict:
    """What to ask for in a document that is not blank."""
    line_prefix, line_suffix = around.line_prefix, around.line_suffix
    column = _column(line_prefix)
    if _WORD.search(line_suffix):
        return _Verdict(Mode.NONE, "word characters after the cursor", column)
    prev = next((text for text in reversed(around.before) if text.strip()), None)
    nxt = next((text for text in around.after if text.strip()), None)
    step = width(unit) or TAB_WIDTH
    if not line_prefix.strip():
        if line_suffix.strip():
            return _Verdict(Mode.SINGLE_LINE, "before closing characters", column)
        return _blank_line(width(line_prefix), prev, nxt, step, lang)
    if line_suffix.strip():
        return _Verdict(Mode.SINGLE_LINE, "mid-line", column)
    return _line_end(around.current, line_prefix, nxt, step, lang)


def _blank_line(here: int, prev: str | None, nxt: str | None, step: int, lang: str) -> _Verdict:
    if prev is not None and opener_kind(prev, lang):
        body = indent_width(prev) + step
        if nxt is None or indent_width(nxt) <= indent_width(prev):
            return _Verdict(Mode.MULTI_LINE, "empty block body", max(here, body))
        return _Verdict(Mode.SINGLE_LINE, "blank line at a block start", here or body)
    return _Verdict(Mode.SINGLE_LINE, "blank line", here)


def _line_end(current: str, line_prefix: str, nxt: str | None, step: int, lang: str) -> _Verdict:
    column = len(line_prefix)
    kind = opener_kind(line_prefix, lang)
    if kind:
        own = indent_width(current)
        if nxt is not None and indent_width(nxt) > own:
            return _Verdict(Mode.NONE, "the block already has a body", column)
        return _Verdict(
            Mode.MULTI_LINE,
            f"end of a line opening a block ({kind})",
            own + step,
            new_line=kind == "strong",
            may_break=kind == "weak",
        )
    code = code_part(line_prefix, lang)
    if code is not None and _COMPLETE.search(code.rstrip()):
        return _Verdict(Mode.NONE, "the statement is complete", column)
    return _Verdict(Mode.SINGLE_LINE, "end of line", indent_width(current), may_break=True)
