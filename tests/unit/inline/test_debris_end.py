"""A stream cut right after a comment marker (`inline/debris.without_empty_comment_end`): bare
markers of the language's comment syntax ending the answer after its code are no code; an
answer that is only a marker (the cut start of a real comment), comments with text, and code
ending in the same characters (`n--`) stay.

The strings were written for these tests; none comes from an evaluation pool.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.debris import without_empty_comment_end

C_BODY = "int main(void) {\n\tint n = 0;\n\t║\n\treturn n;\n}\n"


@pytest.mark.parametrize(
    ("text", "language", "kept"),
    [
        ("n++;\n\t// ", "c", "n++;"),
        ("n++;\n\t/*\n//", "cpp", "n++;"),
        ("x = 1\n#", "python", "x = 1"),
        ("x = 1\n  --", "lua", "x = 1"),
    ],
)
def test_bare_comment_markers_after_the_code_go(text: str, language: str, kept: str) -> None:
    """Last lines that only open a comment of the language go when code comes before them."""
    assert without_empty_comment_end(text, language) == kept


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("//", "c"),
        ("\t/*", "c"),
        ("--", "cpp"),
        ("x = y\n--", "c"),
        ("args\n#", "c"),
        ("x = a /\n", "c"),
        ("n++;  //", "c"),
        ("// count the items", "c"),
    ],
)
def test_code_markers_alone_and_comments_with_text_stay(text: str, language: str) -> None:
    """A marker alone (the cut start of a comment the file may have), `--` or `#` where they
    are no comment, a division cut at its operator, a trailing marker after code on its line,
    a comment with words: unchanged."""
    assert without_empty_comment_end(text, language) == text


def test_the_pipeline_drops_a_bare_marker_after_code() -> None:
    """A block answer that the stream cut after `//` on its last line shows the code only."""
    assert shown(C_BODY, "c", "<COMPLETION>n++;\n\t// ") == "n++;"
