"""An answer as lines: split after its optional first line break, joined back, and the
line shapes (comment, block closer) the indentation and scope rules read."""

from __future__ import annotations

import re

_COMMENT_LINE = re.compile(r"\s*(?:\*|/[/*]|#|--|$)|.*\*/$")
_CLOSER_LINE = re.compile(
    r"^(?:[)\]}]|(?:end|fi|done|esac|endif|endfor|endwhile|endfunction|until)\b)"
)
_DIRECTIVE_LINE = re.compile(r"#\s*[a-z]+\b")
PREPROCESSED = frozenset({"c", "cpp", "objective-c", "objective-cpp", "csharp", "cuda"})
"""Languages whose `#` directives sit at column 0 whatever the depth of the code around."""


def split_answer(text: str) -> tuple[bool, list[str]]:
    """(whether the answer starts on a new line, its lines without that first break)."""
    if text.startswith("\n"):
        return True, text[1:].split("\n")
    return False, text.split("\n")


def join_answer(broken: bool, lines: list[str]) -> str:
    return ("\n" if broken else "") + "\n".join(lines)


def is_comment_line(code: str) -> bool:
    """The line is a comment, or ends one (or is empty)."""
    return bool(_COMMENT_LINE.match(code))


def is_closer_line(line: str) -> bool:
    """The line closes a block (`}`, `)`, `end`, `fi`, ...)."""
    return bool(_CLOSER_LINE.match(line.strip()))


def is_flush_directive(line: str, language: str) -> bool:
    """A preprocessor directive written at column 0 (`#elif X`): its column says nothing of
    the depth of the code around it."""
    return language in PREPROCESSED and bool(_DIRECTIVE_LINE.match(line))
