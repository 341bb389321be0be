"""Single-line answers that restate the enclosing scope from a line further up than the lines
right above the cursor (`inline/restated.py`, used by the stream stop): the restated lines are
never the answer, the line after them is.

Every snippet here was written for these tests; none comes from an evaluation pool.
"""

from __future__ import annotations

from tests.unit.inline_stream import shown

from glm_lsp.inline import analyze
from glm_lsp.inline.restated import NOT_RESTATED, past_restated_scope
from glm_lsp.inline.rewrite import without_rewritten_scope

PY = [
    "class Budget:",
    '    """Money left to spend this month."""',
    "",
    "    def __init__(self, limit):",
    "        if limit < 0:",
    '            raise ValueError("negative limit")',
    "        self.limit = limit",
    "        self.spent = 0",
    "        ",
    "        self.log = []",
    "",
    "    def left(self):",
    "        return self.limit - self.spent",
]

C = [
    "static int",
    "parse_flags(const char *text)",
    "{",
    "    int flags = 0;",
    "    if (text == NULL)",
    "        return -1;",
    "    for (; *text; text++) {",
    "        flags |= flag_of(*text);",
    "    }",
    "    if (flags < 0)",
    "        ",
    "    return flags;",
    "}",
]


def test_scope_restated_from_its_header_shows_the_new_line() -> None:
    """The class restated from its header down to the line above a blank cursor line, then the
    new line and the rest: the new line is shown (the stream no longer stops at the header)."""
    raw = "\n".join([*PY[:8], "        self.rate = 0.0", *PY[9:]])
    assert shown(PY, 8, 8, "python", "<COMPLETION>" + raw) == "self.rate = 0.0"


def test_restated_typed_part_of_the_cursor_line_goes_too() -> None:
    """Restated from the function's first line, with the cursor line written out whole: only
    the part after the typed text is shown."""
    lines = [*C[:10], "        return ", *C[11:]]
    raw = "\n".join([*C[1:10], "        return -1;", *C[11:]])
    assert shown(lines, 10, len(lines[10]), "c", raw) == "-1;"


def test_restatement_with_nothing_after_it_shows_nothing() -> None:
    """A stream that only restates lines above the cursor has no answer in it."""
    raw = "\n".join(PY[3:8])
    assert shown(PY, 8, 8, "python", raw) is None


def test_a_line_that_really_repeats_is_kept() -> None:
    """`return -1;` is written above too, but what follows it in the answer is not what follows
    it above: a repeated statement, not a restatement."""
    assert shown(C, 10, 8, "c", "return -1;\n    return flags;\n}") == "return -1;"


def test_a_closing_line_that_repeats_is_kept() -> None:
    """`}` then `break;` written above as well: trivial lines alone are no restatement."""
    lines = [
        "switch (mode) {",
        "case 1:",
        "    run();",
        "    break;",
        "case 2:",
        "    stop();",
        "    ",
        "}",
    ]
    assert shown(lines, 6, 4, "c", "break;\ncase 3:") == "break;"


def test_the_run_must_reach_the_line_above_the_cursor() -> None:
    """Lines restated from above that stop matching before the cursor line are no
    restatement; while all arrived lines match, the stream keeps reading (None)."""
    hole = analyze(PY, 8, 8, language="python")
    above = hole.lines_before
    lines = [*PY[4:6], "        self.other = 1", ""]
    assert past_restated_scope(lines, 3, above, final=False, cursor_indent=8) == NOT_RESTATED
    assert past_restated_scope([*PY[4:6], ""], 2, above, final=False, cursor_indent=8) is None


def test_a_stream_ending_inside_repeated_code_keeps_it() -> None:
    """Lines that repeat lines above at the cursor's own depth, the stream ended before the
    line above the cursor: code that repeats (two `case` bodies alike), not a restatement."""
    hole = analyze(PY, 8, 8, language="python")
    lines = [*PY[4:6]]
    assert past_restated_scope(lines, 2, hole.lines_before, final=True, cursor_indent=8) == (
        NOT_RESTATED
    )
    assert past_restated_scope(lines, 2, hole.lines_before, final=True, cursor_indent=12) == 2


def test_a_stream_cut_inside_the_restated_scope_shows_nothing() -> None:
    """The stream ended while restating the class from its header, its last line cut: nothing
    new arrived (single-line mode, and the rewrite filter for any mode)."""
    raw = "\n".join(PY[:5]) + "\n            raise Val"
    assert shown(PY, 8, 8, "python", "<COMPLETION>" + raw) is None
    hole = analyze(PY, 8, 8, language="python")
    assert without_rewritten_scope(raw, hole) is None
    assert without_rewritten_scope("\n".join(PY[5:7]), hole) == "\n".join(PY[5:7])


def test_a_cut_repeat_of_the_lines_right_above_a_blank_line_shows_nothing() -> None:
    """A stream cut while writing again the two lines right above a blank cursor line (the
    last one cut) has nothing new; after a block opener on the cursor line the same lines may
    be the body of a sibling branch, left to the other rules."""
    hole = analyze(PY, 8, 8, language="python")
    cut = ["        self.limit = limit", "        self.spe"]
    assert past_restated_scope(cut, 2, hole.lines_before, final=True, cursor_indent=8) == 2
    assert past_restated_scope(
        cut, 2, hole.lines_before, final=True, cursor_indent=8, typed=True
    ) == (NOT_RESTATED)
