"""Just enough lexing to reason about brackets, strings and comments in any language.

The inline filters must know which brackets are open before the cursor, which closers the text
after the cursor already provides, and whether a line ends inside a string or a comment. A full
parser per language is out of reach and unnecessary: one regular expression per comment style
skips strings and comments, and the brackets that remain are counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

OPENERS = "([{"
PAIRS = {")": "(", "]": "[", "}": "{"}

HASH_COMMENT = frozenset(
    "python shellscript bash sh zsh fish ruby perl r yaml toml make makefile dockerfile "
    "cmake elixir nim julia coffeescript powershell conf ini gitignore starlark nix tcl".split()
)
DASH_COMMENT = frozenset("lua sql haskell elm ada vhdl".split())
NO_SLASH_COMMENT = HASH_COMMENT | DASH_COMMENT | frozenset({"html", "xml", "markdown", "plaintext"})
TRIPLE_QUOTES = frozenset({"python", "starlark", "julia", "toml", "kotlin", "swift", "scala"})
PY_LIKE = frozenset({"python", "starlark"})
BACKTICK_COMMANDS = frozenset("shellscript bash sh zsh ruby perl".split())
"""Hash-comment languages where backticks quote a command."""


@lru_cache(maxsize=64)
def _lexer(language: str) -> re.Pattern[str]:
    lang = language.lower()
    parts: list[str] = []
    if lang in TRIPLE_QUOTES or not lang:
        parts += [r'(?P<tq>"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z))']
    strings = [r'"(?:\\.|[^"\\\n])*(?:"|$)']
    if lang == "rust":
        strings.append(r"'(?:\\.|[^'\\\n])'")
    else:
        strings.append(r"'(?:\\.|[^'\\\n])*(?:'|$)")
    if lang not in PY_LIKE and (lang not in HASH_COMMENT or lang in BACKTICK_COMMANDS):
        strings.append(r"`(?:\\.|[^`\\])*(?:`|\Z)")
    parts.append("(?P<str>" + "|".join(strings) + ")")
    comments: list[str] = []
    if lang in HASH_COMMENT or not lang:
        comments.append(r"#[^\n]*")
    if lang in DASH_COMMENT:
        comments.append(r"--[^\n]*")
    if lang not in NO_SLASH_COMMENT:
        comments += [r"//[^\n]*", r"/\*[\s\S]*?(?:\*/|\Z)"]
    parts.append("(?P<com>" + ("|".join(comments) or "(?!)") + ")")  # (?!): no comment syntax
    parts.append(r"(?P<br>[()\[\]{}])")
    return re.compile("|".join(parts), re.MULTILINE)


_TOKEN_STARTS = r"[\"'`#/\-()\[\]{}]"
"""Every character a token of `_lexer` can start with."""


@lru_cache(maxsize=64)
def _skipping_lexer(language: str) -> re.Pattern[str]:
    """`_lexer` with the run of characters no token starts with consumed in the same match (a
    run matched at once instead of one failed try per character), a token start that begins no
    token consumed alone (`skip`), and the end of the text: every match ends past the last, so
    a long line stays linear."""
    other = "[^" + _TOKEN_STARTS[1:]
    return re.compile(
        f"{other}*+(?:{_lexer(language).pattern}|(?P<skip>{_TOKEN_STARTS})|\\Z)", re.MULTILINE
    )


@dataclass
class Scan:
    """Result of scanning a text from a neutral state.

    `open` holds the brackets still open at the end, innermost last; `stray` the closers that
    matched nothing inside the text (in order) and `stray_at` their indexes; `in_string` /
    `in_comment` say whether the text ends inside one, which starts at `tail_start`.
    """

    open: list[str]
    stray: list[str]
    stray_at: list[int]
    mismatched: int = 0
    in_string: bool = False
    in_comment: bool = False
    tail_start: int = -1


def scan(text: str, language: str = "") -> Scan:
    """Count the brackets of `text` outside strings and comments."""
    result = Scan(open=[], stray=[], stray_at=[])
    stack = result.open
    end = len(text)
    for match in _skipping_lexer(language).finditer(text):
        kind = match.lastgroup
        if kind is None or kind == "skip":
            continue
        if kind != "br":
            if match.end() == end:
                token = match.group(kind)
                if kind == "com":
                    result.in_comment = not token.startswith("/*") or not token.endswith("*/")
                else:
                    result.in_string = _unterminated(token)
                if result.in_comment or result.in_string:
                    result.tail_start = match.start(kind)
            continue
        bracket = match.group(kind)
        if bracket in OPENERS:
            stack.append(bracket)
        elif stack and stack[-1] == PAIRS[bracket]:
            stack.pop()
        elif stack:
            stack.pop()
            result.mismatched += 1
        else:
            result.stray.append(bracket)
            result.stray_at.append(match.start(kind))
    return result


def _unterminated(token: str) -> bool:
    if token[:3] in ('"""', "'''"):
        return len(token) < 6 or token[-3:] != token[:3]
    return len(token) < 2 or token[-1] != token[0] or token.endswith("\\" + token[0])


def open_at(text: str, language: str = "") -> list[int]:
    """Indexes in `text` of the brackets still open at its end, outermost first (strings and
    comments skipped)."""
    positions: list[int] = []
    for match in _lexer(language).finditer(text):
        bracket = match.group("br")
        if bracket is None:
            continue
        if bracket in OPENERS:
            positions.append(match.start())
        elif positions:
            positions.pop()
    return positions


def code_only(text: str, language: str = "") -> str:
    """`text` with its strings and comments blanked (each character but line breaks becomes a
    space): what is left is written in code position."""
    parts: list[str] = []
    last = 0
    for match in _lexer(language).finditer(text):
        if match.group("br") is not None:
            continue
        parts += [text[last : match.start()], re.sub(r"[^\n]", " ", match.group(0))]
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def imbalance(text: str, language: str = "") -> int:
    """How far a single line is from balanced: open + stray + mismatched brackets, open string."""
    result = scan(text, language)
    return len(result.open) + len(result.stray) + result.mismatched + int(result.in_string)


def code_part(line: str, language: str = "") -> str | None:
    """`line` without its trailing comment, or None when it ends inside a string or comment."""
    cut = len(line)
    for match in _lexer(language).finditer(line):
        if match.group("com") is not None:
            token = match.group(0)
            if token.startswith("/*") and token.endswith("*/") and match.end() < len(line):
                continue
            cut = match.start()
            break
        if match.group("br") is None and match.end() == len(line) and _unterminated(match.group(0)):
            return None
    return line[:cut]


def continuation(prefix: str, language: str = "") -> str:
    """The start of the string or comment the cursor is in at the end of `prefix` ("" if none):
    text after the cursor must be scanned as its continuation."""
    state = scan(prefix, language)
    return prefix[state.tail_start :] if state.tail_start >= 0 else ""


def only_closers(text: str) -> bool:
    """True when `text` is nothing but closing brackets and statement punctuation."""
    stripped = text.strip()
    return bool(stripped) and all(ch in ")]};,. \t\n" for ch in stripped)


def statement_breaks(text: str, language: str = "") -> list[tuple[int, int]]:
    """(index, depth) of each `;` of `text` outside strings, comments and the brackets `text`
    opens; depth -1 is after a closer that matched nothing in `text`, and so on."""
    skipped: list[tuple[int, int]] = []
    depth_at: dict[int, int] = {}
    depth = 0
    for match in _lexer(language).finditer(text):
        bracket = match.group("br")
        if bracket is None:
            skipped.append(match.span())
        else:
            depth += 1 if bracket in OPENERS else -1
            depth_at[match.start()] = depth
    found: list[tuple[int, int]] = []
    depth = 0
    spans = iter(skipped)
    span = next(spans, None)
    for index, char in enumerate(text):
        while span is not None and index >= span[1]:
            span = next(spans, None)
        if span is not None and span[0] <= index < span[1]:
            continue
        if index in depth_at:
            depth = depth_at[index]
        elif char == ";" and depth <= 0:
            found.append((index, depth))
    return found


_QUOTE_KINDS = str.maketrans("'`", '""')


def squeeze(line: str) -> str:
    """`line` as a run of tokens: no whitespace, one kind of quote. This is how a repeat of a
    line is recognised when the model re-indented or re-spaced it, or changed its quotes."""
    return "".join(line.split()).translate(_QUOTE_KINDS)
