"""propose: the model's answer (in any of the shapes models write) turned into the smallest
edits against the region, and the guards that drop harmful ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glm_lsp.edits.nextedit.history import Hunk
from glm_lsp.edits.nextedit.propose import Proposed, apply_edits, propose, read_answer
from glm_lsp.edits.nextedit.region import Region, region_around

DOC = [
    "import os",
    "",
    "def area(width, height):",
    "    w = width * 2",
    "    h = width * 3",
    "    return w * h",
    "",
    "print(area(1, 2))",
]


def rewrite(*lines: str) -> str:
    return "<rewrite>\n" + "\n".join(lines) + "\n</rewrite>"


def edits_for(
    answer: str, doc: list[str] | None = None, hunks: list[Hunk] | None = None
) -> list[Proposed]:
    doc = DOC if doc is None else doc
    return propose(doc, region_around(doc, 3), answer, hunks or [], 3, 0)


def replaced(doc: list[str], edits: list[Proposed]) -> list[str]:
    """The document once the edits are applied."""
    region = Region(0, len(doc), tuple(doc))
    text = apply_edits(region, edits)
    return text[:-1].split("\n")


def changed(line: int, new: str) -> list[str]:
    lines = list(DOC)
    lines[line] = new
    return lines


H_FIXED = changed(4, "    h = height * 3")


def test_single_line_change_is_the_changed_word_only() -> None:
    """Ensure a one-word change in one line becomes one edit of just that word."""
    edits = edits_for(rewrite(*H_FIXED))
    assert edits == [Proposed(4, 8, 4, 13, "height")]
    assert replaced(DOC, edits) == H_FIXED


def test_insertion_of_a_line() -> None:
    """Ensure an added line is an insertion that leaves the other lines untouched."""
    wanted = DOC[:4] + ["    assert w > 0"] + DOC[4:]
    edits = edits_for(rewrite(*wanted))
    assert len(edits) == 1 and edits[0].start_line == edits[0].end_line
    assert replaced(DOC, edits) == wanted


def test_deletion_of_a_line() -> None:
    """Ensure a removed line in the middle of the region is one deletion."""
    wanted = DOC[:3] + DOC[4:]
    edits = edits_for(rewrite(*wanted))
    assert len(edits) == 1 and edits[0].text == ""
    assert replaced(DOC, edits) == wanted


def test_multiple_hunks_give_one_edit_each_in_order() -> None:
    """Ensure separate changes (two lines, not adjacent) give separate edits in document order."""
    wanted = list(DOC)
    wanted[3] = "    w = height * 2"
    wanted[5] = "    return w + h"
    edits = edits_for(rewrite(*wanted))
    assert [(e.start_line, e.text) for e in edits] == [(3, "height"), (5, "+")]
    assert replaced(DOC, edits) == wanted


def test_adjacent_changed_lines_are_split_per_line() -> None:
    """Ensure two consecutive changed lines are two small edits, not one two-line rewrite."""
    wanted = list(DOC)
    wanted[3] = "    w = height * 2"
    wanted[4] = "    h = height * 3"
    edits = edits_for(rewrite(*wanted))
    assert [(e.start_line, e.start_char, e.end_char, e.text) for e in edits] == [
        (3, 8, 13, "height"),
        (4, 8, 13, "height"),
    ]


def test_addition_at_the_end_of_a_document_without_final_newline() -> None:
    """Ensure a line added after the last line of a document without a final line break is
    inserted at the end of that line, not at a position past the document."""
    wanted = DOC + ["print(area(3, 4))"]
    edits = edits_for(rewrite(*wanted))
    assert edits == [Proposed(7, 17, 7, 17, "\nprint(area(3, 4))")]
    assert replaced(DOC, edits) == wanted


@pytest.mark.parametrize(
    "answer",
    [
        rewrite(*H_FIXED),
        "```python\n" + "\n".join(H_FIXED) + "\n```",
        "<think>The user renamed things.</think>\n" + rewrite(*H_FIXED),
        "Here is the rewritten region:\n\n```python\n" + "\n".join(H_FIXED) + "\n```\nDone.",
        "<rewrite>\n```python\n" + "\n".join(H_FIXED) + "\n```\n</rewrite>",
        rewrite(*H_FIXED[:4], "    h = height<|cursor|> * 3", *H_FIXED[5:]),
        rewrite("<|region_start|>", *H_FIXED, "<|region_end|>"),
        rewrite(*DOC, *H_FIXED),
        rewrite(*["  " + line for line in H_FIXED]),
        rewrite(*H_FIXED).replace("\n", "\r\n"),
    ],
    ids=[
        "tags",
        "fence",
        "think",
        "prose",
        "fence-in-tags",
        "cursor-echo",
        "markers-echo",
        "region-then-rewrite",
        "indented",
        "crlf",
    ],
)
def test_answer_shapes_all_give_the_same_edit(answer: str) -> None:
    """Ensure the wrappers and corruptions models produce give the same single edit."""
    assert edits_for(answer) == [Proposed(4, 8, 4, 13, "height")]


NESTED = [
    "class Box:",
    "    def area(self, width, height):",
    "        if width:",
    "            return width * width",
    "        return 0",
]


def test_a_dedent_clamped_at_column_zero_is_undone() -> None:
    """Ensure an answer dedented by one level, whose top lines stayed at column 0, is put back
    at the region's indentation, so only the real change is suggested."""
    wanted = list(NESTED)
    wanted[3] = "            return width * height"
    dedented = [line[4:] if line.startswith("    ") else line for line in wanted]
    edits = propose(NESTED, region_around(NESTED, 3), rewrite(*dedented), [], 3, 0)
    assert edits == [Proposed(3, 27, 3, 32, "height")]


def test_lines_echoed_from_outside_the_region_are_ignored() -> None:
    """Ensure lines repeated from above and below the region are not inserted again."""
    doc = [f"x{i} = {i}" for i in range(40)]
    region = region_around(doc, 20)
    wanted = list(region.lines)
    wanted[3] = "x11 = 111"
    above = doc[region.start_line - 2 : region.start_line]
    below = doc[region.end_line : region.end_line + 2]
    edits = propose(doc, region, rewrite(*above, *wanted, *below), [], 20, 0)
    assert len(edits) == 1 and edits[0].start_line == edits[0].end_line == 11
    assert replaced(doc, edits)[region.start_line : region.end_line] == wanted


def test_unchanged_region_is_no_edit() -> None:
    """Ensure an answer equal to the region (the model's "nothing to do") gives no edit, also
    when it lacks the region's trailing blank line."""
    assert edits_for(rewrite(*DOC)) == []
    doc = DOC + [""]
    assert propose(doc, region_around(doc, 3), rewrite(*DOC), [], 3, 0) == []


def test_empty_and_prose_only_answers_give_nothing() -> None:
    """Ensure an empty answer, empty tags and a bare sentence give no edit."""
    for answer in ("", "<rewrite></rewrite>", "<rewrite>\n\n</rewrite>", "I cannot help."):
        assert edits_for(answer) == [], answer
    assert read_answer("<think>unfinished") is None


def test_undo_of_the_last_edit_is_dropped() -> None:
    """Ensure an edit that only reverts the user's last edit is never suggested, while another
    edit in the same answer survives."""
    doc = changed(3, "    w = height * 2")
    last = Hunk("u", 3, "width", "height", 1.0, 5, 8)
    assert edits_for(rewrite(*DOC), doc, [last]) == []
    both = list(DOC)
    both[4] = "    h = height * 3"
    edits = edits_for(rewrite(*both), doc, [last])
    assert edits == [Proposed(4, 8, 4, 13, "height")]


def test_undo_guard_ignores_an_older_or_moved_hunk() -> None:
    """Ensure the undo guard looks at the document: a hunk whose text is not where it says does
    not block an edit."""
    stale = Hunk("u", 3, "x", "zzz", 1.0, 5, 8)
    assert edits_for(rewrite(*H_FIXED), None, [stale]) == [Proposed(4, 8, 4, 13, "height")]


def test_junk_answers_that_rewrite_most_of_the_region_are_dropped() -> None:
    """Ensure an answer replacing most lines of the region (lost track) gives no edit."""
    junk = [f"junk {i}" for i in range(len(DOC))]
    assert edits_for(rewrite(*junk)) == []


def test_truncated_answers_do_not_delete_the_region_tail_or_head() -> None:
    """Ensure an answer that stops early (or skips the first lines) deletes nothing; the change
    it does contain is kept unless it is on the answer's edge line, where an edit with the lines
    after (before) it missing reads as lines merged as well: then no edit at all."""
    assert edits_for(rewrite(*H_FIXED[:6])) == [Proposed(4, 8, 4, 13, "height")]
    assert edits_for(rewrite(*H_FIXED[:5])) == []
    assert edits_for(rewrite(*H_FIXED[2:])) == [Proposed(4, 8, 4, 13, "height")]
    assert edits_for(rewrite(*H_FIXED[4:])) == []


def test_edits_never_leave_the_region() -> None:
    """Ensure every edit of a big answer lies inside the region's lines."""
    doc = [f"v{i} = {i}" for i in range(60)]
    region = region_around(doc, 30)
    wanted = [
        line.replace("=", ":=") if i % 5 == 0 else line for i, line in enumerate(region.lines)
    ]
    edits = propose(doc, region, rewrite(*wanted, "extra = 1"), [], 30, 0)
    assert edits
    for edit in edits:
        assert region.start_line <= edit.start_line and edit.end_line <= region.end_line


def test_a_region_from_another_version_gives_nothing() -> None:
    """Ensure a region whose lines no longer match the document gives no edit."""
    region = region_around(DOC, 3)
    assert propose(changed(3, "    w = 0"), region, rewrite(*H_FIXED), [], 3, 0) == []


def _apply_to_document(doc: list[str], edits: list[Proposed]) -> list[str]:
    """The document (lines joined by line breaks, no final one) with ``edits`` applied."""
    text = "\n".join(doc)
    starts = [0]
    for line in doc:
        starts.append(starts[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.start_line, e.start_char), reverse=True):
        assert 0 <= edit.start_line < len(doc) and 0 <= edit.end_line < len(doc)
        assert edit.start_char <= len(doc[edit.start_line])
        assert edit.end_char <= len(doc[edit.end_line])
        a = starts[edit.start_line] + edit.start_char
        b = starts[edit.end_line] + edit.end_char
        assert a <= b
        text = text[:a] + edit.text + text[b:]
    return text.split("\n")


_LINE = st.text(alphabet="ab (", min_size=0, max_size=6).map(str.rstrip)


@settings(max_examples=300, deadline=None)
@given(
    doc=st.lists(_LINE, min_size=1, max_size=30),
    cursor=st.integers(min_value=0, max_value=29),
    op=st.sampled_from(["replace", "insert", "delete", "append"]),
    where=st.integers(min_value=0, max_value=29),
    new=st.text(alphabet="xyz ", min_size=1, max_size=5),
)
def test_a_clean_answer_gives_edits_that_make_exactly_the_answer(
    doc: list[str], cursor: int, op: str, where: int, new: str
) -> None:
    """Ensure that for any region and any one-line change inside it (replace, insert, delete,
    add at the end, including at the end of the document), the edits proposed for a clean
    answer are valid positions that turn the document into exactly the answer."""
    new = new.strip() or "x"  # trailing whitespace is not compared (models add and drop it)
    region = region_around(doc, cursor)
    lines = list(region.lines)
    row = where % len(lines)
    if op == "replace":
        lines[row] = new
    elif op == "insert":
        lines.insert(row, new)
    elif op == "delete":
        del lines[row]
    else:
        lines.append(new)
    answer = "<rewrite>\n" + "".join(line + "\n" for line in lines) + "</rewrite>"
    edits = propose(doc, region, answer, [], cursor, 0)
    wanted = doc[: region.start_line] + lines + doc[region.end_line :]
    got = _apply_to_document(doc, edits)
    if got != wanted:
        # Where the answer is ambiguous, the guards keep the document's text: a deletion at the
        # region's edge (truncation), a region without code, or blank lines at the region's end
        # (wrappers drop them, so they are restored, also after a line added past them).
        ends_blank = not region.lines[-1].strip()
        if ends_blank and [x for x in got if x.strip()] == [x for x in wanted if x.strip()]:
            return  # the region's trailing blank lines kept, the change made
        assert op == "delete" or not any(x.strip() for x in region.lines)
        assert got == doc or edits == []


def test_inserted_blank_lines_keep_the_indentation_the_model_wrote() -> None:
    """Ensure a blank line the answer inserts keeps its whitespace when it is the indentation
    of the code next to it (files that indent blank lines), and loses stray trailing spaces."""
    doc = ["def f():", "    a = 1", "    return a", "", "print(f())"]
    answer = rewrite("def f():", "    a = 1", "    ", "    b = 2", "    return a", "", "print(f())")
    assert replaced(doc, edits_for(answer, doc))[:5] == [
        "def f():",
        "    a = 1",
        "    ",
        "    b = 2",
        "    return a",
    ]
    stray = rewrite("def f():", "    a = 1", "  ", "    b = 2", "    return a", "", "print(f())")
    assert replaced(doc, edits_for(stray, doc))[:5] == [
        "def f():",
        "    a = 1",
        "",
        "    b = 2",
        "    return a",
    ]


def test_new_lines_keep_trailing_whitespace_only_in_files_that_keep_it() -> None:
    """Ensure a new line keeps the model's trailing whitespace when the file has code lines
    ending in whitespace (the model copied the habit) and loses it otherwise; a line the
    region has keeps the region's own whitespace."""
    tidy = ["function f() {", "  a();", "  b();", "}", ""]
    messy = ["function f() { ", "  a(); ", "  b(); ", "}", ""]
    for doc, kept in ((tidy, "  c();"), (messy, "  c(); ")):
        answer = rewrite(doc[0].rstrip(), doc[1], doc[2], "  c(); ", "}", "")
        assert replaced(doc, edits_for(answer, doc))[:5] == [*doc[:3], kept, "}"]


def test_lines_only_retabbed_are_not_edits() -> None:
    """Ensure lines the answer gives back with their indentation written in other characters
    (spaces for the file's tabs, which the width repair could not undo) are not suggested,
    while the real edit in the same answer is."""
    doc = ["func f() {", "\ta := 1", "\tb := 2", "\treturn a", "}", ""]
    answer = rewrite("func f() {", "    a := 1", "  b := 2", "\treturn a + b", "}", "")
    assert replaced(doc, edits_for(answer, doc)) == [*doc[:3], "\treturn a + b", "}", ""]


def test_retabbing_lines_is_an_edit_after_the_user_retabbed_the_same_way() -> None:
    """Ensure lines only retabbed are suggested when the user's last edit converted
    indentation the same way (spaces to tabs here: the next lines follow), and not when the
    answer converts them the other way."""
    doc = ["func f() {", "\ta := 1", "\tb := 2", "    return a", "}", ""]
    last = Hunk("u", 2, "    ", "\t", 1.0, 5, 0)
    follow = rewrite("func f() {", "\ta := 1", "\tb := 2", "\treturn a", "}", "")
    assert edits_for(follow, doc, [last]) == [Proposed(3, 0, 3, 4, "\t")]
    assert edits_for(follow, doc) == []
    back = rewrite("func f() {", "    a := 1", "\tb := 2", "    return a + b", "}", "")
    assert edits_for(back, doc, [last]) == [Proposed(3, 12, 3, 12, " + b")]


def test_a_rewritten_region_end_is_kept_whole() -> None:
    """Ensure an answer whose last lines replace more old lines at the region's end with new
    code (no edit of any of them) is suggested whole, the deletion with the insertion: half
    of it (the new lines without removing the old) would leave a wrong document."""
    doc = [f"x{i} = {i}" for i in range(6)] + ["try:", "    dict(value)", "except ValueError:"]
    doc += ["    raise ValueError('no')"]
    region = Region(0, len(doc), tuple(doc))
    answer = rewrite(*doc[:6], "if isinstance(value, str):", "    return None")
    edits = propose(doc, region, answer, [], 3, 0)
    assert replaced(doc, edits) == [
        *doc[:6],
        "if isinstance(value, str):",
        "    return None",
    ]
