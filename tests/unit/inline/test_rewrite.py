"""An answer that rewrites the enclosing function (`inline/rewrite.py`): only the part between
the restated lines above and below the cursor is shown.

Every snippet here was written for these tests; none comes from an evaluation pool.
"""

from __future__ import annotations

from glm_lsp.inline import analyze, postprocess
from glm_lsp.inline.rewrite import without_rewritten_scope

PY = [
    "def mean(values):",
    '    """The arithmetic mean of a non-empty list."""',
    "    total = sum(values)",
    "    ",
    "    return result",
    "",
]


def test_rewrite_around_a_blank_line_keeps_the_middle() -> None:
    """The function restated from its `def` down to its last line leaves the new line only."""
    hole = analyze(PY, 3, 4, language="python")
    raw = "\n".join([*PY[:3], "    result = total / len(values)", *PY[4:]])
    assert without_rewritten_scope(raw, hole) == "    result = total / len(values)"
    assert postprocess("<COMPLETION>" + raw, hole) == "result = total / len(values)"


def test_rewrite_after_typed_text_keeps_the_rest_of_the_line() -> None:
    """On a line typed up to the cursor the restated typed part goes, with the lines around."""
    lines = [*PY[:3], "    result = total / ", *PY[4:]]
    hole = analyze(lines, 3, len(lines[3]), language="python")
    raw = "\n".join([*PY[:3], "    result = total / len(values)", *PY[4:]])
    assert without_rewritten_scope(raw, hole) == "len(values)"


def test_rewrite_with_nothing_new_is_empty() -> None:
    """A restatement of the lines around with nothing between them shows nothing."""
    hole = analyze(PY, 3, 4, language="python")
    raw = "\n".join([*PY[:3], *PY[4:]])
    assert without_rewritten_scope(raw, hole) is None


def test_answer_that_does_not_restate_the_lines_above_is_kept() -> None:
    """An answer whose first lines are not the lines above the cursor is not a rewrite, even when
    it ends with the line below."""
    hole = analyze(PY, 3, 4, language="python")
    raw = "result = total / len(values)\nreturn result"
    assert without_rewritten_scope(raw, hole) == raw


def test_one_restated_line_is_not_enough() -> None:
    """A single repeated line above is an ordinary echo, left to the echo rules."""
    hole = analyze(PY, 3, 4, language="python")
    raw = "    total = sum(values)\n    result = total / len(values)"
    assert without_rewritten_scope(raw, hole) == raw


def test_repeated_closing_lines_alone_are_not_a_rewrite() -> None:
    """Restating only trivial lines (`}` twice) is code that closes blocks, not a rewrite."""
    lines = ["int f(int n) {", "    if (n) {", "        g(n);", "    }", "}", "", ""]
    hole = analyze(lines, 6, 0, language="c")
    raw = "    }\n}\nint h(void) {\n    return 0;\n}"
    assert without_rewritten_scope(raw, hole) == raw


def test_restatement_cut_before_the_cursor_line_is_empty() -> None:
    """A stream cut while still restating the lines above (several of them) shows nothing."""
    lines = [*PY[:3], "    result = total / ", *PY[4:]]
    hole = analyze(lines, 3, len(lines[3]), language="python")
    assert without_rewritten_scope("\n".join(PY[:3]) + "\n", hole) is None
