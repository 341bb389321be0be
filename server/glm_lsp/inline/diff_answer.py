"""An answer written as a unified diff: `@@` hunk headers, `+` lines added, `-` lines removed,
context lines prefixed with a space.

The buffer wants the text after the change: the `+` and context lines without their prefix
column, nothing of the `-` lines or the headers (the echo rules then drop the context the file
already has). Only an answer that reads as a diff as a whole is one: a hunk header, or every
line prefixed, with each `+` before indentation (no line of code starts so) or a removed and
an added line writing the same line (their first words match). Code that starts with `+` or
`-` (`-x`, `++i`, `+ b` continuing a sum) stays.
"""

from __future__ import annotations

import re

from .hole import Hole
from .syntax import code_part

__all__ = ["diff_arriving", "undiffed", "without_added_marks"]

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@")
_HUNK_CUT = re.compile(r"\A@@(?: -\d*(?:,\d*)?(?: \+\d*(?:,\d*)?)?)?\Z")
"""A hunk header the stream ended inside (`@@ -25,`)."""
_FILE_HEADER = re.compile(r"^(?:--- |\+\+\+ )(?:a/|b/|/dev/null)")
_ADDED_INDENTED = re.compile(r"^\+ ?(?:\t| {2})")
"""`+` then indentation: no line of code starts so, a diff's added line does."""
_DIFF_START = re.compile(r"\A(?:@@|-(?!-)| \t)")
"""A hunk header, a removed line or a context line (a space before a tab: no code is indented
so) at the answer's start: maybe a diff's first line."""
_DIFF_LANGUAGES = frozenset({"diff", "patch", "git-commit", "git-rebase"})


def _prefixed(line: str) -> bool:
    return line[:1] in ("+", "-", " ") and line[:2] not in ("++", "--")


def _diff_block(lines: list[str]) -> int:
    """How many lines from the start are diff lines (prefixed, headers, blank): a diff followed
    by prose (`Hope this helps.`) is a diff all the same."""
    end = 0
    for index, line in enumerate(lines):
        if line.strip() and not (_prefixed(line) or _HUNK.match(line) or _FILE_HEADER.match(line)):
            break
        end = index + 1
    return end


def _reads_as_diff(lines: list[str]) -> bool:
    if any(_HUNK.match(line) for line in lines):
        return True
    content = [line for line in lines if line.strip()]
    if not content or not all(_prefixed(line) for line in content):
        return False
    added = [line for line in content if line[0] == "+"]
    removed = [line for line in content if line[0] == "-"]
    if not added:
        return False
    indented = [bool(_ADDED_INDENTED.match(line)) or line == "+" for line in added]
    if all(indented) or (any(indented) and len(added) < len(content)):
        return True  # with a context or removed line, one added line before indentation tells
    return any(_rewritten(old[1:], new[1:]) for old in removed for new in added)


_FIRST_WORD = re.compile(r"\w+")


def _rewritten(old: str, new: str) -> bool:
    """A removed line and an added line that write the same line twice (`-    buffer`,
    `+    buffer = bufnr,`; `-  f(a, ` and `+  f(`): their first words match."""
    old_word, new_word = _FIRST_WORD.search(old), _FIRST_WORD.search(new)
    if old_word is None or new_word is None or old_word.group(0) != new_word.group(0):
        return False
    return old[: old_word.start()].strip() == new[: new_word.start()].strip()


def undiffed(text: str, language: str) -> str:
    """`text` after the change it writes as a diff; unchanged unless it reads as one."""
    if language in _DIFF_LANGUAGES or ("\n+" not in text and not text.startswith(("+", "@@"))):
        return text
    lines = text.split("\n")
    if len(lines) == 1 and _HUNK_CUT.match(text):
        return ""
    lead = _introduction(lines)
    body = lines[lead:]
    block = len(body) if any(_HUNK.match(line) for line in body) else _diff_block(body)
    if not _reads_as_diff(body[:block]):
        return text
    kept: list[str] = lines[:lead]
    for line in body[:block]:
        if _HUNK.match(line) or _FILE_HEADER.match(line):
            continue
        if line.startswith("-"):
            continue
        # `+ \tcode`: the space before a tab is no indentation either.
        prefix = 2 if line.startswith("+ \t") else 1 if line[:1] in ("+", " ") else 0
        kept.append(line[prefix:])
    return "\n".join([*kept, *body[block:]])


def _introduction(lines: list[str]) -> int:
    """How many lines before a diff introduce it (`Hier ist der fehlende Teil:`, a sentence
    ending in a colon, not prefixed like a diff line): the prose rules remove them."""
    count = 0
    for line in lines:
        stripped = line.strip()
        if not stripped:
            count += 1
            continue
        if _prefixed(line) or _HUNK.match(line) or not stripped.endswith((":", "：")):
            break
        count += 1
    return count if count < len(lines) else 0


def diff_arriving(text: str, language: str) -> bool:
    """A stream that starts as a diff (a hunk header, a removed line), every line since
    prefixed, with no added line complete yet: held back until one has arrived (a removed line
    that is code, `-x;`, shows once a line of code follows it or the stream ends)."""
    if language in _DIFF_LANGUAGES or not _DIFF_START.match(text):
        return False
    lines = text.split("\n")
    if not all(_prefixed(line) or _HUNK.match(line) for line in lines[1:-1] if line.strip()):
        return False
    return not any(line[1:].strip() for line in lines[:-1] if line.startswith("+"))


_MARKED = re.compile(r"^\+(?=[A-Za-z_#@$])")
"""`+` glued to the start of a word at a line's start: the diff column before an added line."""
_OPEN_EXPRESSION = re.compile(r"(?:[-+*/%&|^=<>?,.\\([]|\b(?:and|or|not|in))\Z")


_STATEMENT_WORDS = frozenset(
    """end else elif elsif import from return if for while def class local fi done esac then
    do package public private protected static const let var struct enum typedef namespace
    using try catch finally switch case break continue throw raise pass""".split()
)
"""Words that start a statement and are never an operand: `+end` continues no sum."""
_FIRST = re.compile(r"\+(#|\w+)")


def without_added_marks(text: str, hole: Hole) -> str | None:
    """An answer on a line of its own whose every line is `+` glued to code (`+import x;`,
    `+end, {`, in a ```diff fence or a sentence): the added lines of a diff without their
    column. Inside brackets or after a line that leaves an expression open, where `+x` may
    continue a sum, only when the first word can be no operand (`+end`, `+#include`); never
    inside a string or comment, nor on a line with code before the cursor (`n = +value`)."""
    state = hole.prefix_scan
    if hole.line_prefix.strip() or state.in_string or state.in_comment:
        return text
    lines = text.split("\n")
    content = [line for line in lines if line.strip()]
    if not content or not all(_MARKED.match(line) for line in content):
        return text
    above = [line for line in hole.lines_before if line.strip()]
    previous = (code_part(above[-1], hole.language) or "").rstrip() if above else ""
    continues = _OPEN_EXPRESSION.search(previous) or any(b in "([" for b in state.open)
    word = _FIRST.match(content[0])
    if continues and (word is None or word.group(1) not in {"#", *_STATEMENT_WORDS}):
        return text
    return "\n".join(line[1:] if _MARKED.match(line) else line for line in lines)
