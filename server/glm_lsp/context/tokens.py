"""Token estimates without a tokenizer download: characters per token by language.

The ratios are conservative (a little low) so that an estimate rarely undercounts
what GLM's tokenizer produces for source code; budgets therefore hold.
"""

from __future__ import annotations

import math
import posixpath

CHARS_PER_TOKEN: dict[str, float] = {
    "python": 3.6,
    "javascript": 3.4,
    "javascriptreact": 3.4,
    "typescript": 3.4,
    "typescriptreact": 3.4,
    "go": 3.4,
    "rust": 3.3,
    "java": 3.6,
    "c": 3.3,
    "cpp": 3.3,
    "csharp": 3.6,
    "ruby": 3.5,
    "php": 3.3,
    "lua": 3.4,
    "shellscript": 3.2,
    "json": 3.0,
    "yaml": 3.4,
    "toml": 3.4,
    "html": 3.2,
    "css": 3.2,
    "markdown": 4.0,
    "plaintext": 4.0,
    "diff": 3.3,
    "git": 3.8,
}
DEFAULT_CHARS_PER_TOKEN = 3.4

EXTENSION_LANGUAGE: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascriptreact",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescriptreact",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".hpp": "cpp",
    ".cs": "csharp",
    ".rb": "ruby",
    ".php": "php",
    ".lua": "lua",
    ".sh": "shellscript",
    ".bash": "shellscript",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".html": "html",
    ".css": "css",
    ".md": "markdown",
    ".txt": "plaintext",
}


def language_for_path(path: str) -> str:
    """Guess an LSP language id from a file name (for files not open in the editor)."""
    ext = posixpath.splitext(path)[1].lower()
    return EXTENSION_LANGUAGE.get(ext, "plaintext")


def chars_per_token(language_id: str) -> float:
    return CHARS_PER_TOKEN.get(language_id, DEFAULT_CHARS_PER_TOKEN)


def estimate_tokens(text: str, language_id: str = "") -> int:
    """Estimated token count of `text` (0 for empty text)."""
    if not text:
        return 0
    return math.ceil(len(text) / chars_per_token(language_id))


def chars_for_tokens(tokens: int, language_id: str = "") -> int:
    """How many characters fit in `tokens` for this language."""
    return max(0, int(tokens * chars_per_token(language_id)))
