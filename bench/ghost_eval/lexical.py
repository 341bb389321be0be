"""Just enough lexing for cutting holes and judging answers: tokens and comment lines."""

from __future__ import annotations

_OPERATOR = frozenset("=<>!&|+-*/%^:.?~")
_HASH = frozenset({"python", "shellscript", "ruby"})
_DASH = frozenset({"lua"})
_BLOCKS: dict[str, tuple[tuple[str, str], ...]] = {
    "python": (('"""', '"""'), ("'''", "'''")),
    "lua": (("--[[", "]]"), ("[[", "]]")),
    "ruby": (("=begin", "=end"),),
    "shellscript": (),
}
_C_BLOCK = (("/*", "*/"),)


def is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def token_boundary(text: str, index: int) -> bool:
    """Whether `text[:index]` ends a token of `text`: not between two word characters, inside a
    two-character operator, or inside a number."""
    if index <= 0 or index >= len(text):
        return True
    last, nxt = text[index - 1], text[index]
    if is_word(last) and is_word(nxt):
        return False
    if last in _OPERATOR and nxt in _OPERATOR:
        return False
    return not (last == "." and nxt.isdigit() and index >= 2 and text[index - 2].isdigit())


def cut_point(line: str, index: int) -> bool:
    """A place where a cursor can sit in `line` for a hole: a token boundary that is not inside a
    run of spaces nor right after a backslash (an escape sequence)."""
    if not token_boundary(line, index) or line[index - 1] == "\\":
        return False
    return not (line[index - 1].isspace() and index < len(line) and line[index].isspace())


def _line_comment(language: str) -> str:
    if language in _HASH:
        return "#"
    return "--" if language in _DASH else "//"


def code_lines(lines: list[str], language: str) -> list[bool]:
    """Per line: True when no part of it is a comment or a docstring (conservative: a comment
    marker anywhere on the line, even inside a string, makes it False)."""
    blocks = _BLOCKS.get(language, _C_BLOCK)
    marker = _line_comment(language)
    flags: list[bool] = []
    closing = ""
    for line in lines:
        if closing:
            flags.append(False)
            if closing in line:
                closing = ""
            continue
        flags.append(marker not in line)
        for start, end in blocks:
            at = line.find(start)
            if at >= 0:
                flags[-1] = False
                if end not in line[at + len(start) :]:
                    closing = end
                break
    return flags
