"""Long hostile answers through the patterns that read a line's end or a line's start: the
result is asserted, the bound is in the patterns (a bounded scan from each start position), so
a 200 KB line is read in linear time.

The strings are built here; none comes from an evaluation pool.
"""

from __future__ import annotations

from glm_lsp.inline import analyze
from glm_lsp.inline.code_span import unwrapped_span
from glm_lsp.inline.debris import strip_think, without_empty_comment_end
from glm_lsp.inline.markdown import unwrap_inline_code
from glm_lsp.inline.meta_comment import without_meta_comments

HOSTILE = 200_000


def test_comment_ending_in_a_long_run_of_backticks_is_read_whole() -> None:
    """A comment holding 200 KB of backticks or tags before its last word is no label of the
    answer (debris is read only at the comment's end, a few tokens of it): the line stays."""
    ticks = "x = 1  # inserted " + "`" * HOSTILE + "x"
    assert without_meta_comments(ticks) == ticks
    tags = "x = 1  // added " + "<b>" * (HOSTILE // 3) + "here"
    assert without_meta_comments(tags) == tags


def test_comment_with_a_little_debris_still_goes() -> None:
    """The bound keeps the rule: `// completion</code>` after code is still a label."""
    assert without_meta_comments("total = a + b;  // completion</code>") == "total = a + b;"


def test_reasoning_with_a_long_line_of_colons_is_read_whole() -> None:
    """`Let me think` then a 200 KB line of colons and spaces (no line announcing the answer of a
    bounded length): the reasoning never closes, so the text is kept as it came."""
    hostile = "Let me think about it.\n" + ": \t" * (HOSTILE // 3) + "x\nvalue = 1"
    assert strip_think(hostile, final=True) == hostile


def test_reasoning_closed_by_a_short_announcing_line_still_goes() -> None:
    """After a 200 KB line of reasoning, a short line ending in a colon ends it as before."""
    long_line = "word " * (HOSTILE // 5)
    raw = f"Let me reason about this.\n{long_line}\nSo the answer is:\nvalue = 1"
    assert strip_think(raw, final=True) == "value = 1"


def test_a_long_line_opening_a_code_span_is_read_whole() -> None:
    """A backtick, 200 KB of spaces, then another line: no one-line code span (the span is read
    on the answer without its blank edges, so no trailing blank is scanned twice)."""
    hostile = "`" + " " * HOSTILE + "\nx"
    assert unwrap_inline_code(hostile, "python", "python") == hostile
    hole = analyze(["const a = 1;", "const b = "], 1, 10, language="javascript")
    assert unwrapped_span(hostile, hole) == hostile
    assert unwrapped_span("`a + 1`" + " " * HOSTILE, hole) == "a + 1"


def test_many_lines_of_comment_markers_are_read_once() -> None:
    """100 000 lines of `//` before a last line of code: read line by line from the end."""
    hostile = "\n//" * (HOSTILE // 2) + "\nx /"
    assert without_empty_comment_end(hostile, "c") == hostile
    assert without_empty_comment_end("x;" + "\n//" * (HOSTILE // 2), "c") == "x;"
