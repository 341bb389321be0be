"""What a code action works on: the selection grown to whole lines, or the enclosing block.

With no selection the actions take the innermost function or class around the cursor. When the
document's language has a tree-sitter grammar (`glm_lsp.parsing`) the syntax tree says which
(`function_definition`, `method_declaration`, `impl_item`, `func_literal`, Ruby `method`...,
decorators and `export` included); the tree is parsed over the top-level construct around the
cursor (`parsing.region.local_rows`) inside a bounded window of lines (`SCOPE_LINES_BEFORE`
above, `SCOPE_LINES_AFTER` below), a few milliseconds, so a scope longer than that window is not
found whole. Without a grammar, or when the tree is broken and
finds nothing, indentation decides, which works the same for Python, brace languages, Ruby and
Lua: a header line (``def``, ``class``, ``function``, ``func``, ``fn``, a method signature
ending in ``{``...) whose indented body reaches the cursor line. Decorators and attributes
above the header and the closing ``}``/``end`` line belong to the block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from glm_lsp.parsing import grammar_for, parse
from glm_lsp.parsing.region import local_rows
from glm_lsp.parsing.scope import enclosing_scope

__all__ = ["SCOPE_LINES_AFTER", "SCOPE_LINES_BEFORE", "enclosing_block", "whole_lines"]

SCOPE_LINES_BEFORE = 600
SCOPE_LINES_AFTER = 400
_SNAP_SEARCH = 200
_NOT_A_TOP_LINE = tuple(" \t})]#/*")

_KEYWORD_HEADER = re.compile(
    r"^\s*(?:@\w+\s+)?(?:(?:export|default|pub(?:\([^)]*\))?|public|private|protected|static|"
    r"async|abstract|final|override|internal|open|unsafe|extern|inline|virtual)\s+)*"
    r"(?:def|class|function\*?|func|fn|struct|impl|trait|interface|enum|module|sub|proc|fun|"
    r"object|record|union|namespace|local\s+function)\b"
)
_BRACE_HEADER = re.compile(r"\)\s*(?:(?::|->)\s*[^{;]*)?\s*(?:\bthrows\b[^{]*)?\{\s*$|=>\s*\{\s*$")
_CONTROL = re.compile(
    r"^\s*(?:\}\s*)?(?:if|else|elif|for|foreach|while|do|switch|case|try|catch|except|finally|"
    r"with|match|when|loop|unless|until|return|select|go|defer)\b"
)
_DECORATOR = re.compile(r"^\s*(?:@|#\[|\[\w)")
_CLOSER = re.compile(r"^\s*(?:[})\]]|end\b)")


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def _blank(line: str) -> bool:
    return not line.strip()


def _is_header(line: str) -> bool:
    if _blank(line) or _CONTROL.match(line):
        return False
    return bool(_KEYWORD_HEADER.match(line) or _BRACE_HEADER.search(line.rstrip()))


def _block_end(lines: Sequence[str], header: int) -> int:
    """Last line of the block opened at ``header``."""
    base = _indent(lines[header])
    last = header
    i = header + 1
    while i < len(lines):
        line = lines[i]
        if _blank(line):
            i += 1
            continue
        if _indent(line) > base:
            last = i
            i += 1
            continue
        if _CLOSER.match(line):
            last = i
            stripped = line.rstrip()
            if stripped.endswith((":", "{")) or (
                stripped.endswith(")") and i + 1 < len(lines) and _indent(lines[i + 1]) > base
            ):
                i += 1
                continue
        break
    return last


def enclosing_block(
    lines: Sequence[str], line: int, *, language: str = "", path: str = ""
) -> tuple[int, int] | None:
    """(first, last) lines of the innermost function or class around ``line``, or None.

    ``lines`` may keep their line breaks or not; ``language`` (an LSP language id) or the
    ``path``'s suffix chooses the grammar.
    """
    if not lines:
        return None
    line = max(0, min(line, len(lines) - 1))
    grammar = grammar_for(language, path) if language or path else None
    if grammar is not None:
        start = _window_start(lines, line)
        window = [text.rstrip("\r\n") for text in lines[start : line + SCOPE_LINES_AFTER]]
        first, end = local_rows(window, line - start)
        text = "\n".join(window[first:end])
        tree = parse(text, grammar)
        rows = enclosing_scope(text, line - start - first, grammar, tree)
        if rows is not None:
            return rows[0] + start + first, rows[1] + start + first
        if tree is not None and not tree.root_node.has_error:
            return None
    return _by_indentation(lines, line)


def _window_start(lines: Sequence[str], line: int) -> int:
    """Where the parsed window starts: `SCOPE_LINES_BEFORE` above, moved up to a line of top
    level code when one is near (a window starting inside a function or a string misleads
    the parser)."""
    start = max(0, line - SCOPE_LINES_BEFORE)
    for candidate in range(start, max(0, start - _SNAP_SEARCH) - 1, -1):
        text = lines[candidate]
        if text.strip() and not text.startswith(_NOT_A_TOP_LINE):
            return candidate
    return start


def _by_indentation(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    anchor = line
    while anchor > 0 and _blank(lines[anchor]):
        anchor -= 1
    if _blank(lines[anchor]):
        return None
    ceiling = _indent(lines[anchor]) + 1
    for i in range(anchor, -1, -1):
        text = lines[i]
        if _blank(text) or (
            i != anchor and _CLOSER.match(text) and text.rstrip().endswith((":", "{"))
        ):
            continue
        indent = _indent(text)
        if indent >= ceiling and i != anchor:
            continue
        ceiling = min(ceiling, indent)
        if _is_header(text):
            end = _block_end(lines, i)
            if end >= line or (i == anchor and end >= anchor):
                start = i
                while (
                    start > 0
                    and _DECORATOR.match(lines[start - 1])
                    and (_indent(lines[start - 1]) == indent)
                ):
                    start -= 1
                return start, end
        if indent == 0 and i != anchor:
            break
    return None


def whole_lines(
    lines: Sequence[str], start: tuple[int, int], end: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """``start``..``end`` grown to whole lines, ending at the start of the next line.

    ``lines`` keep their line breaks (``split_lines``); positions are (line, column).
    A selection that ends at column 0 does not take in that line. At the end of a file that
    has no final line break the range ends at the end of the last line.
    """
    first, last = start[0], end[0]
    if end[1] == 0 and last > first:
        last -= 1
    if last + 1 < len(lines) or (lines and last + 1 == len(lines) and _ends_with_break(lines)):
        return (first, 0), (last + 1, 0)
    last = min(last, len(lines) - 1) if lines else 0
    return (first, 0), (last, len(lines[last].rstrip("\n")) if lines else 0)


def _ends_with_break(lines: Sequence[str]) -> bool:
    return bool(lines) and lines[-1].endswith("\n")
