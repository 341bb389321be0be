"""A one-line answer in a markdown code span where a backtick also writes a string.

Chat models quote a short answer as inline code: `` `Stat(s.Dir)` ``, `` `?: string;` ``, or
open the span and never close it (`` `  return false; ``). In Python or C a backtick is never
code and `extract` takes the span off. In JavaScript, TypeScript and Go it starts a template
literal or a raw string, and in shell a command substitution, so the span may be the answer
itself. Which it is depends on the cursor, so this is decided with the hole:

* in a string opened by another quote, or right after a name, a member dot or a closing
  bracket (where no string literal can follow), the backticks are markdown;
* otherwise the parse decides, for a closed span only (a string the stream cut errs either
  way): the span's inside inserted at the cursor makes fewer parse errors than the span with
  its backticks; at a tie, the inside starts with a name the window already writes
  (`` `home` `` among files that use ``home``);
* a span that starts a statement (only indentation before the cursor, no expression left open
  above) or restates the text typed on the cursor line is markdown; in shell only those are
  (a command substitution alone on its line runs its output, which no script means).

In Python, C, Java and the other languages where a backtick is never code, a span is markdown
anywhere outside strings (also with blank lines around it).

In a comment, where backticks quote code in prose, the span stays.
"""

from __future__ import annotations

import re

from .hole import Hole
from .markdown import NO_BACKTICKS
from .tree_site import errors_with, site_of

__all__ = ["unwrapped_span"]

_SPAN = re.compile(r"\A(?P<indent>[ \t]*)`(?!`)(?P<inner>[^`\n]+?)(?P<close>`?)\Z")
"""One line in a code span (read on the line without its blank edges: a bounded scan)."""
_STRING_TICKS = frozenset(
    "javascript javascriptreact typescript typescriptreact go shellscript".split()
)
_SHELL = frozenset({"shellscript"})
_NO_STRING_AFTER = re.compile(r"(?:(?P<word>[\w$]+)|[.)\]])[ \t]*\Z")
"""The cursor right after a name, a member dot or a closing bracket: no string literal there."""
_BEFORE_EXPRESSION = frozenset(
    """return typeof case yield await in of throw delete void instanceof new else do default
    extends go defer""".split()
)
"""Keywords a string literal may follow."""
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_CONTINUES = re.compile(r"(?:[-=(\[,+*/%:?&|!<>]|=>|\b(?:return|yield|await))[ \t]*\Z")
"""A line ending in an operator, an opener or a keyword: the expression goes on below."""
_MIN_RESTATED = 3


def unwrapped_span(text: str, hole: Hole) -> str:
    """``text`` without the backticks of a one-line code span when they are markdown at this
    cursor (see the module); unchanged otherwise."""
    if "`" not in text:
        return text
    core = text.strip("\n")
    if "\n" in core:
        return text
    found = _SPAN.match(core.rstrip(" \t"))
    if found is None or not found.group("inner").strip():
        return text
    lead = text[: len(text) - len(text.lstrip("\n"))]
    state = hole.prefix_scan
    inner = lead + found.group("indent") + found.group("inner").rstrip(" \t")
    if state.in_comment:
        return text
    if state.in_string:
        quotes = [ch for ch in hole.line_prefix if ch in "\"'`"]
        return inner if quotes and quotes[-1] != "`" else text
    if hole.language in NO_BACKTICKS:
        return inner
    if hole.language not in _STRING_TICKS:
        return text
    if _statement_start(hole) or _restates_line(found.group("inner"), hole):
        return inner
    if hole.language in _SHELL:
        return text
    after = _NO_STRING_AFTER.search(hole.line_prefix)
    if after is not None and after.group("word") not in _BEFORE_EXPRESSION:
        return inner
    if not found.group("close"):
        return text  # a template or raw string the stream cut parses badly either way
    return inner if _parses_better(inner, text.strip("\n"), hole) else text


def _statement_start(hole: Hole) -> bool:
    """The cursor starts a statement: only indentation before it on its line, and the line
    above (if any) does not leave an expression open."""
    if hole.line_prefix.strip():
        return False
    above = hole.prev_line
    return above is None or _CONTINUES.search(above) is None


def _restates_line(inner: str, hole: Hole) -> bool:
    """The span starts with the text typed on the cursor line: the model quoted its line."""
    typed = hole.line_prefix.strip()
    return len(typed) >= _MIN_RESTATED and inner.strip().startswith(typed)


def _parses_better(inner: str, spanned: str, hole: Hole) -> bool:
    """The inside of the span reads as the code at the cursor better than the span does; at a
    tie, the inside starts with a name the window writes."""
    site = site_of(hole)
    if site is None:
        return False
    plain = errors_with(site, inner.strip("\n").encode("utf-8", "surrogatepass"))
    quoted = errors_with(site, spanned.encode("utf-8", "surrogatepass"))
    if plain is None or quoted is None or plain > quoted:
        return False
    if plain < quoted:
        return True
    name = _NAME.match(inner.strip())
    if name is None:
        return False
    written = rf"(?<![\w$]){re.escape(name.group(0))}(?![\w$])"
    return re.search(written, hole.prefix + hole.suffix) is not None
