"""Whether to ask for an inline completion at the cursor, and how much to ask for.

With a tree-sitter grammar for the language (`glm_lsp.parsing`) the decisions come from the
syntax tree of the window around the cursor; without one, from the regular-expression rules
(`opener_kind`, `inline/syntax.py`). The rules:

* NONE only when the cursor is inside a word: a word character right before AND right after
  it, or (with a tree) strictly inside an identifier, number or keyword token (`1.|5`). Like
  Copilot, which completes mid-line whenever the cursor is not inside a token, every other
  mid-line position is a hole to fill: `round(apply_discount(|), 2)`, `foo(|bar)` (an argument
  before `bar`), `x = |value` all get a SINGLE_LINE request.
* NONE in a binary document (NUL characters in the window).
* NONE when the line ends a complete statement (with a tree: the statement ending at the cursor
  ends with `;`, `)`, `]`, `}` and parsed without error, so `if (x > 0)|` still gets one; or
  the line's code ends with `;` outside brackets, even where the tree is broken), when
  the line opens a block that already has a body, or when the document is blank.
* MULTI_LINE on a blank line in an empty block body, and at the end of a line that opens a
  block whose body is still empty (`:`, `{`, `do`, `then`, a Ruby `def` or Lua `function`
  header; weakly `(`, `[`, `=>`). With a tree, "empty" is the block node holding no statement;
  when the block is unclosed or broken (the parser reports ERROR/MISSING there) the indentation
  of the next line decides, as without a tree.
* SINGLE_LINE everywhere else (mid-line, end of an ordinary line, blank lines between
  statements, inside strings and comments, which are fine places to complete).

Cost: one parse of the top-level construct around the cursor inside the prefix + suffix windows
(`parsing.region.local_rows`; at most `PREFIX_LINES` + `SUFFIX_LINES` lines, never the whole
file), skipped when the cursor is plainly inside a word; `bench/parse_cost.py` measures it. When
that construct is the whole window the tree is handed to the `Hole` (`Hole.tree`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from glm_lsp.parsing import Tree, grammar_for, parse
from glm_lsp.parsing.cursor import CursorFacts, cursor_facts
from glm_lsp.parsing.region import local_rows

from .hole import (
    MAX_TREE_CHARS,
    TAB_WIDTH,
    Hole,
    Mode,
    detect_indent_unit,
    indent_width,
    seed_tree,
    width,
)
from .syntax import PAIRS, PY_LIKE, code_part, continuation, scan

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
_SPACE_AFTER_BRACE = re.compile(r"\}[ \t]+$")
"""`} |`: a space typed after a closing brace, where `else`, `catch` or a type name follows."""
OPEN_LOOKAHEAD = 12
"""Lines below the cursor in which a bracket ending the cursor line must close to count as
a bracket with its contents already written."""


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
    grammar = grammar_for(lang, path)
    tree: Tree | None = None
    if not prefix.strip() and not suffix.strip():
        verdict = _Verdict(Mode.NONE, "blank document", _column(around.line_prefix))
    elif "\x00" in prefix or "\x00" in suffix:
        verdict = _Verdict(Mode.NONE, "binary document", _column(around.line_prefix))
    elif _inside_word(around.line_prefix, around.line_suffix):
        verdict = _Verdict(Mode.NONE, "inside a word", _column(around.line_prefix))
    else:
        tree, facts = _parse_around(around, grammar)
        verdict = _decide(around, unit, lang, facts)
    hole = Hole(
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
        grammar=grammar,
    )
    return seed_tree(hole, tree) if tree is not None else hole


def _parse_around(around: _Around, grammar: str | None) -> tuple[Tree | None, CursorFacts | None]:
    """The tree facts at the cursor, from a parse of the construct around it only (see
    `parsing.region`); the tree too when that construct is the whole window."""
    if grammar is None:
        return None, None
    lines = [*around.before, around.current, *around.after]
    row = len(around.before)
    first, end = local_rows(lines, row)
    text = "\n".join(lines[first:end])
    if len(text) > MAX_TREE_CHARS:
        return None, None
    index = sum(len(line) + 1 for line in lines[first:row]) + len(around.line_prefix)
    tree = parse(text, grammar)
    facts = cursor_facts(text, index, grammar, tree) if tree is not None else None
    if facts is not None and first and facts.last_row >= 0:
        facts = replace(facts, last_row=facts.last_row + first)
    whole = first == 0 and end == len(lines)
    return (tree if whole else None), facts


def _inside_word(line_prefix: str, line_suffix: str) -> bool:
    return bool(line_prefix[-1:] and _WORD.match(line_prefix[-1]) and _WORD.match(line_suffix[:1]))


def _indent_unit(around: _Around) -> str:
    current = around.current
    unit = detect_indent_unit(around.before[-80:] + [current] + around.after[:40])
    if not unit and current[:1] in (" ", "\t"):
        unit = "\t" if current.startswith("\t") else ""
    return unit


def _column(line_prefix: str) -> int:
    return width(line_prefix) if not line_prefix.strip() else len(line_prefix)


class _Opener(NamedTuple):
    """The block opener ending a line: its kind ('' for none) and whether the block already
    has a body (None: unknown, the indentation of the next line decides)."""

    kind: str
    body: bool | None = None


def _tree_opener(facts: CursorFacts, row: int, line: str, lang: str) -> _Opener:
    """The opener the tree sees at the end of `line` (window row `row`); where the tree is
    broken around it (no verdict on the body) the regular-expression rules say what it is."""
    if facts.last_row != row or facts.in_string or facts.in_comment or not facts.opener:
        return _Opener("")
    if facts.body is None:
        return _Opener(opener_kind(line, lang))
    return _Opener(facts.opener, facts.body)


def _decide(around: _Around, unit: str, lang: str, facts: CursorFacts | None) -> _Verdict:
    """What to ask for in a document that is not blank, the cursor not inside a word."""
    line_prefix, line_suffix = around.line_prefix, around.line_suffix
    column = _column(line_prefix)
    if facts is not None and facts.in_word:
        return _Verdict(Mode.NONE, "inside a token", column)
    step = width(unit) or TAB_WIDTH
    row = len(around.before)
    if not line_prefix.strip():
        if line_suffix.strip():
            return _Verdict(Mode.SINGLE_LINE, "before the line's code", column)
        prev_row = next((n for n in range(row - 1, -1, -1) if around.before[n].strip()), -1)
        prev = around.before[prev_row] if prev_row >= 0 else None
        if facts is not None:
            opener = _tree_opener(facts, prev_row, prev or "", lang)
        else:
            opener = _Opener(opener_kind(prev, lang) if prev is not None else "")
        return _blank_line(width(line_prefix), prev, _next_line(around), step, opener)
    if line_suffix.strip():
        return _Verdict(Mode.SINGLE_LINE, "mid-line", column)
    return _line_end(around, step, lang, facts)


def _next_line(around: _Around) -> str | None:
    return next((text for text in around.after if text.strip()), None)


def _blank_line(
    here: int, prev: str | None, nxt: str | None, step: int, opener: _Opener
) -> _Verdict:
    if prev is not None and opener.kind:
        body = indent_width(prev) + step
        empty = _empty(opener, prev, nxt)
        if empty:
            return _Verdict(Mode.MULTI_LINE, "empty block body", max(here, body))
        return _Verdict(Mode.SINGLE_LINE, "blank line at a block start", here or body)
    return _Verdict(Mode.SINGLE_LINE, "blank line", here)


def _empty(opener: _Opener, opening_line: str, nxt: str | None) -> bool:
    """Whether the block opened on `opening_line` has no body yet."""
    if opener.body is not None:
        return not opener.body
    return nxt is None or indent_width(nxt) <= indent_width(opening_line)


def _ends_with_semicolon(line_prefix: str, lang: str) -> bool:
    """`;` ends the line's code outside any bracket (`for (i = 0;` goes on): a statement ends
    there even where the tree is broken around it."""
    code = code_part(line_prefix, lang)
    return code is not None and code.rstrip().endswith(";") and not scan(code, lang).open


def _line_end(around: _Around, step: int, lang: str, facts: CursorFacts | None) -> _Verdict:
    current, line_prefix = around.current, around.line_prefix
    column = len(line_prefix)
    if facts is not None:
        opener = _tree_opener(facts, len(around.before), line_prefix, lang)
        ends_here = facts.last_row == len(around.before) and not facts.in_comment
        complete = ends_here and (facts.complete or _ends_with_semicolon(line_prefix, lang))
    else:
        opener = _Opener(opener_kind(line_prefix, lang))
        code = code_part(line_prefix, lang)
        complete = code is not None and bool(_COMPLETE.search(code.rstrip()))
    if opener.kind:
        if not _empty(opener, current, _next_line(around)):
            if opener.kind == "weak" and _left_open(around, lang):
                return _Verdict(Mode.SINGLE_LINE, "an open bracket", column, may_break=True)
            return _Verdict(Mode.NONE, "the block already has a body", column)
        return _Verdict(
            Mode.MULTI_LINE,
            f"end of a line opening a block ({opener.kind})",
            indent_width(current) + step,
            new_line=opener.kind == "strong",
            may_break=opener.kind == "weak",
        )
    if complete and not _SPACE_AFTER_BRACE.search(line_prefix):
        return _Verdict(Mode.NONE, "the statement is complete", column)
    return _Verdict(Mode.SINGLE_LINE, "end of line", indent_width(current), may_break=True)


def _left_open(around: _Around, lang: str) -> bool:
    """The bracket ending the cursor line is still open after the next lines: the user is
    typing inside it (`if (|` above a body), not above arguments written on lines of their own."""
    code = code_part(around.line_prefix, lang)
    if not code or not code.rstrip():
        return False
    opener = code.rstrip()[-1:]
    following = "\n".join(around.after[:OPEN_LOOKAHEAD])
    state = scan(continuation(code, lang) + following, lang)
    return not state.stray or PAIRS[state.stray[0]] != opener
