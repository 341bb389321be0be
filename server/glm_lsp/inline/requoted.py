"""Answers that write the string around the cursor again, quotes and all: the text inside is
the answer."""

from __future__ import annotations

from .hole import Hole
from .syntax import imbalance

_QUOTES = frozenset("\"'`")


def requoted_inner(code: str, hole: Hole) -> str | None:
    """The inside of an answer that writes the string around the cursor again: the opening
    quote the cursor line ends with, the text, then the whole rest of the line with its
    closing quote (`"name: ")` inside `SetPrefix("|")`), when the line reads better without
    that quote; None for any other answer."""
    rest = hole.line_suffix.rstrip()
    quote = code[:1]
    if not rest or quote not in _QUOTES or not hole.line_prefix.endswith(quote):
        return None
    if quote not in rest or not code.endswith(rest) or len(code) <= len(rest) + 1:
        return None
    inner = code[1 : len(code) - len(rest)]
    head, lang = hole.line_prefix, hole.language
    if not inner.strip() or imbalance(head + quote + inner + rest, lang) <= imbalance(
        head + inner + rest, lang
    ):
        return None  # `", "x` after `f("` reads right with its quote: only the end repeats
    return inner
