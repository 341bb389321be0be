"""Tree-sitter parsing for the editing engines: which grammar a document has, and a bounded parse.

The grammars come compiled in the `tree-sitter-language-pack` wheel (0.x: bundled; 1.x downloads
grammars at run time, which a closed network refuses, hence the `<1` pin). Nothing here knows about
LSP or about completion: `inline/` and `edits/` ask questions of the tree they get back.

Parsing is bounded: texts over `MAX_PARSE_CHARS` are not parsed (the caller falls back to its
regular-expression rules), so a keystroke in a huge file costs nothing here. The engines parse
windows of a few hundred lines around the cursor, a few milliseconds at most.

The questions the engines ask, code points in and out (bytes only inside):

* `cursor.cursor_facts(text, index, grammar)`: inside a word, a string or a comment (which
  kind), the innermost node and the enclosing statement/block/function/class chain, the block
  the code before the cursor opens and whether its body is still empty, a complete statement;
* `scope.enclosing_scope(text, line, grammar)`: rows of the function/method/class around a line;
* `region.local_rows(lines, row)`: the lines of the top-level construct around a cursor, the
  part of a window worth parsing (a fixed window may start inside a docstring);
* `tables`: the per-grammar node types those answers rest on (data only).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath

from tree_sitter import Node, Parser, Tree

__all__ = [
    "MAX_PARSE_CHARS",
    "Node",
    "Tree",
    "byte_offset",
    "grammar_for",
    "parse",
]

MAX_PARSE_CHARS = 400_000

# LSP language identifiers (and a few editor aliases) -> grammar names in the language pack.
_BY_LANGUAGE_ID: dict[str, str] = {
    "python": "python",
    "starlark": "starlark",
    "javascript": "javascript",
    "javascriptreact": "javascript",
    "typescript": "typescript",
    "typescriptreact": "tsx",
    "tsx": "tsx",
    "go": "go",
    "rust": "rust",
    "java": "java",
    "c": "c",
    "cpp": "cpp",
    "c++": "cpp",
    "cuda-cpp": "cuda",
    "objective-c": "objc",
    "lua": "lua",
    "ruby": "ruby",
    "shellscript": "bash",
    "sh": "bash",
    "bash": "bash",
    "zsh": "bash",
    "csharp": "csharp",
    "kotlin": "kotlin",
    "php": "php",
    "swift": "swift",
    "scala": "scala",
    "elixir": "elixir",
    "haskell": "haskell",
    "zig": "zig",
    "dart": "dart",
}

_BY_SUFFIX: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".lua": "lua",
    ".rb": "ruby",
    ".sh": "bash",
    ".bash": "bash",
    ".zsh": "bash",
    ".cs": "csharp",
    ".kt": "kotlin",
    ".php": "php",
    ".swift": "swift",
    ".scala": "scala",
    ".ex": "elixir",
    ".exs": "elixir",
    ".hs": "haskell",
    ".zig": "zig",
    ".dart": "dart",
}


def grammar_for(language_id: str, path: str = "") -> str | None:
    """The grammar for a document's LSP language id, else for its file suffix; None when the
    language pack has none (callers then use their regular-expression fallbacks)."""
    grammar = _BY_LANGUAGE_ID.get(language_id.lower())
    if grammar is None and path:
        grammar = _BY_SUFFIX.get(PurePosixPath(path).suffix.lower())
    if grammar is None or _parser(grammar) is None:
        return None
    return grammar


@lru_cache(maxsize=64)
def _parser(grammar: str) -> Parser | None:
    try:
        from tree_sitter_language_pack import get_parser

        return get_parser(grammar)  # type: ignore[arg-type]
    except Exception:  # a grammar missing from this wheel, or an ABI mismatch: fall back
        return None


def parse(text: str, grammar: str | None) -> Tree | None:
    """The syntax tree of `text`, or None when there is no grammar or the text is too long."""
    if grammar is None or len(text) > MAX_PARSE_CHARS:
        return None
    parser = _parser(grammar)
    if parser is None:
        return None
    return parser.parse(text.encode("utf-8", "surrogatepass"))


def byte_offset(text: str, index: int) -> int:
    """The UTF-8 byte offset of code point `index` in `text` (tree-sitter counts bytes)."""
    return len(text[:index].encode("utf-8", "surrogatepass"))
