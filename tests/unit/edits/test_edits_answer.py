"""AnswerReader and Shape: the answer found in its wrappers, streamed, fitted to the range."""

from __future__ import annotations

import pytest

from glm_lsp.edits.answer import AnswerReader, Shape, is_prose

CODE = "def f(x):\n    return x + 1\n"


def read(chunks: list[str], **kwargs: bool) -> AnswerReader:
    reader = AnswerReader(**kwargs)
    for chunk in chunks:
        reader.feed(chunk)
    return reader


def chars(text: str) -> list[str]:
    return list(text)


@pytest.mark.parametrize(
    "raw",
    [
        f"<REPLACEMENT>\n{CODE}</REPLACEMENT>",
        f"<REPLACEMENT>\n```python\n{CODE}```\n</REPLACEMENT>",
        f"```python\n{CODE}```",
        f"Here is the refactored function:\n\n```python\n{CODE}```\n\nIt adds one.",
        f"<think>I should add one.</think>\n<REPLACEMENT>{CODE}</REPLACEMENT>",
        f"Sure! Here it is:\n{CODE}",
        CODE,
        f"<replacement>\n{CODE}",
    ],
)
def test_final_answer_is_found_in_any_wrapper(raw: str) -> None:
    """Ensure tags, fences, think blocks and prose around the code are all removed."""
    assert read(chars(raw)).final() == CODE


@pytest.mark.parametrize(
    "raw",
    [
        f"<REPLACEMENT>\n{CODE}</REPLACEMENT>",
        f"<REPLACEMENT>\n```python\n{CODE}```\n</REPLACEMENT>",
        f"Here is the code:\n```\n{CODE}```\nDone.",
    ],
)
def test_streamed_lines_are_a_prefix_of_the_final_answer(raw: str) -> None:
    """Ensure every intermediate set of streamed lines is a prefix of the final answer, so no
    wrapper line (fence, tag, prose) is ever written into the document."""
    reader = AnswerReader()
    final_lines = ["def f(x):\n", "    return x + 1\n"]
    for ch in raw:
        reader.feed(ch)
        assert reader.lines == final_lines[: len(reader.lines)]
    assert reader.lines == final_lines
    assert reader.final() == CODE


def test_lines_stream_before_the_answer_is_complete() -> None:
    """Ensure a complete line is available as soon as its line break arrives."""
    reader = AnswerReader()
    assert reader.feed("<REPLACEMENT>\ndef f(x):") is False
    assert reader.lines == []
    assert reader.feed("\n    ret") is True
    assert reader.lines == ["def f(x):\n"]
    assert not reader.complete


def test_closing_tag_or_fence_marks_the_answer_complete() -> None:
    """Ensure the end of the answer is recognised from the closing tag or fence."""
    assert read([f"<REPLACEMENT>{CODE}</REPLACEMENT>"]).complete
    assert read([f"```py\n{CODE}```\n"]).complete
    assert not read([f"<REPLACEMENT>{CODE}"]).complete


def test_trailing_blank_lines_are_held_back_while_streaming() -> None:
    """Ensure a blank line is not streamed until a code line follows it."""
    reader = read(["<REPLACEMENT>\na = 1\n\n"])
    assert reader.lines == ["a = 1\n"]
    reader.feed("b = 2\n")
    assert reader.lines == ["a = 1\n", "\n", "b = 2\n"]


def test_unclosed_think_block_yields_nothing() -> None:
    """Ensure reasoning written into the content is never streamed as code."""
    reader = read(["<think>\nlet me see\nthe code\n"])
    assert reader.lines == []


def test_fences_are_kept_when_the_range_itself_has_fences() -> None:
    """Ensure editing markdown keeps fences that belong to the document."""
    md = "Text\n```py\nx = 1\n```\n"
    assert read([f"<REPLACEMENT>\n{md}</REPLACEMENT>"], keep_fences=True).final() == md


def test_prose_detection() -> None:
    """Ensure English sentences count as prose and code lines do not."""
    assert is_prose("Here is the refactored code:")
    assert is_prose("This version avoids the extra loop.")
    assert not is_prose("return x")
    assert not is_prose("    Here is an indented line.")
    assert not is_prose("Result = compute(value)")


def test_shape_matches_line_breaks_of_the_range() -> None:
    """Ensure the fitted answer ends with as many line breaks as the replaced range."""
    shape = Shape.of("def f():\n    pass\n\n", starts_line=True)
    assert shape.fit("def f():\n    return 1") == "def f():\n    return 1\n\n"
    assert Shape.of("x + 1", starts_line=False).fit("x + 2\n") == "x + 2"
    assert shape.fit("  \n") == ""


def test_shape_restores_dropped_indentation() -> None:
    """Ensure an answer written at column 0 for an indented range gets the range's indent."""
    original = "    def m(self):\n        return 1\n"
    shape = Shape.of(original, starts_line=True)
    assert shape.fit("def m(self):\n    return 2\n") == "    def m(self):\n        return 2\n"
    assert shape.fit("    def m(self):\n        return 2\n") == (
        "    def m(self):\n        return 2\n"
    )
    assert shape.streaming(["def m(self):\n"]) == ["    def m(self):\n"]


def test_shape_uses_the_documents_line_breaks() -> None:
    """Ensure a CRLF document gets CRLF in the answer (editors convert inserted breaks)."""
    shape = Shape.of("def f():\r\n    pass\r\n", starts_line=True, eol="\r\n")
    assert shape.fit("def f():\n    return 1\n") == "def f():\r\n    return 1\r\n"
    assert shape.streaming(["def f():\n"]) == ["def f():\r\n"]
