"""Model-chosen patterns on RE2: linear time whatever the pattern; globs translated to RE2.

Python's ``re`` can backtrack for minutes on ``(a+)+$`` while holding the GIL; a pattern RE2
cannot compile (back-references, look-around) is refused with its reason.
"""

from __future__ import annotations

from typing import Any, Protocol

import re2

from glm_lsp.chat.tool_schema import ToolError

__all__ = ["ANY_FILE", "Pattern", "compile_pattern", "compile_whole", "glob_regex"]


class Pattern(Protocol):
    """The part of a compiled RE2 pattern the tools use."""

    pattern: str
    options: Any

    def search(self, text: str) -> object | None: ...

    def fullmatch(self, text: str) -> object | None: ...


def compile_pattern(pattern: str, *, case_sensitive: bool, what: str) -> Pattern:
    """RE2 (linear time); a pattern it cannot run is refused with its reason."""
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = case_sensitive
    try:
        compiled: Pattern = re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise ToolError(
            f"the {what} is not a regular expression RE2 can run ({detail}); RE2 has no "
            "look-around and no back-references"
        ) from exc
    return compiled


def compile_whole(line_pattern: Pattern) -> Pattern:
    """The line pattern for a whole text (``^``/``$`` at line ends): a cheap first test.

    Every line match is also a match here, so a file without one is skipped unredacted.
    """
    whole: Pattern = re2.compile("(?m)" + line_pattern.pattern, line_pattern.options)
    return whole


def glob_regex(pattern: str) -> str:
    """An RE2 pattern for a glob where ``**`` spans directories and ``*`` does not."""
    out = []
    i = 0
    pattern = pattern.replace("\\", "/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re2.escape(ch))
        i += 1
    return "".join(out)


ANY_FILE: Pattern = re2.compile(".*")
