"""Indentation and echo repairs read from the shape of the answer and the document, not from
phrasings."""

from __future__ import annotations

from tests.unit.inline_stream import shown

JAVA = [
    "class Rates {",
    "    boolean valid(int[] parts) {",
    "        int unused = 0;",
    "    }",
    "",
    "    boolean positive(int[] parts) {",
    "    }",
    "}",
]


def _shown(lines: list[str], line: int, character: int, language: str, raw: str) -> str | None:
    return shown(lines, line, character, language, raw, piece=4)


def test_continuation_line_keeps_its_alignment_when_only_the_first_line_was_shifted() -> None:
    """The first line moves to the body column; the line under it, already aligned with the
    open parenthesis of the moved line, stays where it is."""
    raw = "<COMPLETION>\n    return (parts.length == 2 &&\n                parts[0] > 0);"
    shown = _shown(JAVA, 5, 35, "java", raw)
    assert shown == "\n        return (parts.length == 2 &&\n                parts[0] > 0);"


def test_continuation_line_follows_a_whole_block_shift() -> None:
    """When the model shifted every line, the continuation moves with the first line."""
    raw = "<COMPLETION>\n    return (parts.length == 2 &&\n            parts[0] > 0);"
    shown = _shown(JAVA, 5, 35, "java", raw)
    assert shown == "\n        return (parts.length == 2 &&\n                parts[0] > 0);"


PY = [
    "def load(path):",
    "    with open(path, 'rb') as handle:",
    "        data = handle.read()",
    "    checksum = digest(data, ",
    "",
]


def test_previous_line_echoed_with_other_quotes_is_removed() -> None:
    """The line above repeated with double quotes instead of single ones is still an echo."""
    lines = ["def load(path):", "    with open(path, 'rb') as handle:", "        ", ""]
    raw = '<COMPLETION>with open(path, "rb") as handle:\n        return handle.read()'
    assert _shown(lines, 2, 8, "python", raw) == "return handle.read()"


def test_cursor_line_echoed_with_other_spacing_is_removed() -> None:
    """`checksum=digest(data,` repeated without its spaces before the answer is dropped."""
    raw = "<COMPLETION>checksum=digest(data,algorithm)"
    assert _shown(PY, 3, 28, "python", raw) == "algorithm)"


def test_rest_of_the_line_echoed_with_other_spacing_is_removed() -> None:
    """The text after the cursor written again at the end, re-spaced, is cut."""
    raw = "<COMPLETION>price, rate) ,2)"
    assert _shown(["total = round(apply(), 2)", ""], 0, 20, "python", raw) == "price, rate"


def test_a_space_before_the_tab_of_a_line_at_column_zero_goes() -> None:
    """On a blank line of a tab-indented file with the cursor at column 0, the answer's ` \\t`
    lead is the tab alone (the space is invisible, not the file's); a file whose lines are led
    so keeps it."""
    lines = ["struct pair {", "\tint left;", "", "\tint tag;", "};"]
    assert _shown(lines, 2, 0, "c", "<COMPLETION> \tint right;") == "\tint right;"
    odd = ["struct pair {", " \tint left;", "", " \tint tag;", "};"]
    assert _shown(odd, 2, 0, "c", "<COMPLETION> \tint right;") == " \tint right;"
