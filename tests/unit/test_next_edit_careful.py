"""Next-edit answers read the way a careful human would (issue 15, heldout3's failure classes):
misspelt tags, elisions in any wording, fences spelled with a path, each on a real-shaped
answer; and where the answer cannot be read with certainty, no edit at all."""

from __future__ import annotations

from glm_lsp.edits.nextedit.elision import CERTAIN, LIKELY, elision
from glm_lsp.edits.nextedit.propose import Proposed, propose
from glm_lsp.edits.nextedit.prose import note_dropped
from glm_lsp.edits.nextedit.reading import _spelled_fence
from glm_lsp.edits.nextedit.region import Region, region_around
from glm_lsp.edits.nextedit.tags import marks_mended, near_name, tags_mended

DOC = [
    "import os",
    "",
    "",
    "def scale(value, factor):",
    '    """Scale a value."""',
    "    checked = abs(value)",
    "    doubled = checked * 2",
    "    result = doubled * factor",
    "    return result",
]
FIXED = [*DOC[:7], "    result = doubled * factor + 1", DOC[8]]
EDIT = [Proposed(7, 29, 7, 29, " + 1")]


def edits(answer: str, doc: list[str] = DOC) -> list[Proposed]:
    return propose(doc, region_around(doc, 5), answer, [], 5, 0)


def body(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_misspelt_tags_are_read_as_the_tags() -> None:
    """Ensure a tag pair with another case, spaces, a letter missing, no slash on the closer or
    no `>` at the very end gives the edit, and the misspelt closer is not inserted as code."""
    for opener, closer in (
        ("<Rewrite>", "</Rewrite>"),
        ("<REWRITE>", "</REWRITE>"),
        ("<rewrite>", "<rewrite>"),
        ("<rewrite>", "</rewrite"),
        ("< rewrite >", "</ rewrite >"),
        ("<rewrite >", "</rewite>"),
    ):
        answer = opener + "\n" + body(FIXED) + closer
        assert edits(answer) == EDIT, (opener, closer)
        assert edits(answer.replace("\n", "\r\n")) == EDIT, (opener, closer)


def test_a_misspelt_closer_glued_to_the_last_line_is_not_code() -> None:
    """Ensure `return result</rewite>` loses the closer (an edit of the last line otherwise)."""
    answer = "<rewrite >\n" + body(FIXED).rstrip("\n") + "</rewite>"
    assert edits(answer) == EDIT


def test_a_tag_name_is_near_the_tag_within_two_letters_only() -> None:
    """Ensure `rewite`/`Rewrite`/`rewrites` count as the tag, and `reasoning`, `route`,
    `region` do not (those tokens are left as they are)."""
    assert near_name("rewite") and near_name("Rewrite") and near_name("rewrites")
    assert not near_name("reasoning") and not near_name("route") and not near_name("region")
    text = "<route>\nx\n</route>"
    assert tags_mended(text) == text


def test_an_opening_tag_glued_to_a_fence_is_read_as_both() -> None:
    """Ensure `<rewrite>```python` (fence right after the opening tag) is unwrapped, the fence
    not inserted as code."""
    answer = "<rewrite>```python\n" + body(FIXED) + "```</rewrite>"
    assert edits(answer) == EDIT


def test_a_fence_naming_a_path_is_a_fence() -> None:
    """Ensure a fence whose info string is a path, with or without a language, inside tags or
    instead of them, is not inserted as code."""
    for fence in ("```src/scale.py", "```python src/scale.py", "``` python", "~~~src/scale.py"):
        close = fence[:3]
        assert edits("<rewrite>\n" + fence + "\n" + body(FIXED) + close + "\n</rewrite>") == EDIT
        assert edits(fence + "\n" + body(FIXED) + close + "\n") == EDIT, fence


def test_elisions_are_recognised_by_shape_in_any_wording() -> None:
    """Ensure comment-only lines standing where unchanged lines are missing, in new wordings
    and comment syntaxes, give back those lines: the edit, never a deletion."""
    for marker in (
        "    # keep the existing lines here",
        "    # (unchanged lines omitted)",
        "    # ... rest of the code stays the same ...",
        "    // ... unchanged ...",
        "/* (unchanged lines omitted) */",
        "    -- the same as before",
        "    # …",
        "    ... unchanged ...",
    ):
        answer = "<rewrite>\n" + body([*FIXED[:4], marker, *FIXED[6:]]) + "</rewrite>"
        assert edits(answer) == EDIT, marker


def test_an_elision_that_cannot_be_aligned_gives_no_edit() -> None:
    """Ensure a likely elision whose neighbour is a new line (not found once in the region)
    gives no edit at all rather than deleting the lines it stands for."""
    new = "    checked = abs(value) or 1"
    answer = "<rewrite>\n" + body([*FIXED[:5], new, "    # keep the existing lines here", FIXED[8]])
    assert edits(answer + "</rewrite>") == []


def test_a_comment_speaking_of_the_same_thing_is_a_comment_where_nothing_is_missing() -> None:
    """Ensure a new comment with elision words between two neighbouring region lines is the
    edit the model meant (inserted), not an elision."""
    comment = "    # keep the same factor for the rest"
    answer = "<rewrite>\n" + body([*DOC[:7], comment, *DOC[7:]]) + "</rewrite>"
    assert edits(answer) == [Proposed(7, 0, 7, 0, comment + "\n")]


def test_comment_blocks_and_file_lines_are_never_elisions() -> None:
    """Ensure a line of a block comment, a line of a comment block the answer adds, a comment
    the file has outside the region, and code such as `...rest` or `#define KEEP` are no
    elisions, while dots and unchanged-words are."""
    assert elision(" * the rest of the options are unchanged", set()) == 0
    assert elision("...rest", set()) == 0
    assert elision("#define KEEP_SAME 1", set()) == 0
    assert elision("# keep the existing lines here", set()) == LIKELY
    assert elision("// ... existing code ...", set()) == CERTAIN
    assert elision("<!-- … -->", set()) == CERTAIN
    assert elision("# keep the existing lines here", {"# keep the existing lines here"}) == 0
    block = ["    # Values are scaled twice:", "    # the same factor applies to the rest."]
    answer = "<rewrite>\n" + body([*DOC[:7], *block, *DOC[7:]]) + "</rewrite>"
    assert edits(answer) == [Proposed(7, 0, 7, 0, body(block))]
    doc = [*DOC[:2], "# keep the existing lines here", *DOC[2:]]
    whole = "<rewrite>\n" + body([*doc[:8], FIXED[7], FIXED[8]]) + "</rewrite>"
    assert propose(doc, region_around(doc, 6), whole, [], 6, 0) == [Proposed(8, 29, 8, 29, " + 1")]


def test_more_tag_spellings_are_read_as_the_tags() -> None:
    """Ensure a hyphenated name (`<re-write>`), a backslash closer (`<\\rewrite>`), a
    self-closing opener (`<rewrite/>`) and a doubled `>` give the edit, nothing inserted."""
    for opener, closer in (
        ("<re-write>", "</re-write>"),
        ("<rewrite>", "<\\rewrite>"),
        ("<rewrite/>", "</rewrite>"),
        ("<rewritten>", "</rewritten>>"),
    ):
        assert edits(opener + "\n" + body(FIXED) + closer) == EDIT, (opener, closer)


def test_a_fence_with_attributes_is_a_fence() -> None:
    """Ensure ```` ```python title="src/scale.py" ```` and ```` ```python:src/scale.py ```` are
    fences (not inserted as code), while a line with backticks in it is not taken for one."""
    for fence in ('```python title="src/scale.py"', "```python:src/scale.py", "~~~ python"):
        close = fence[:3]
        assert edits("<rewrite>\n" + fence + "\n" + body(FIXED) + close + "\n</rewrite>") == EDIT
        assert edits(fence + "\n" + body(FIXED) + close + "\n") == EDIT, fence
    assert _spelled_fence("```py `x`") is None


def test_an_edit_merging_the_last_lines_is_not_cut_in_half() -> None:
    """Ensure an answer whose last line is an edit of a line followed by region lines it does
    not have (`x = a` / `` / `return x` -> `return a`) gives no edit rather than the edit
    without the deletion (which would leave a document nobody wrote); at the region's start
    the same."""
    doc = [*DOC[:7], "    result = doubled * factor", "", "    return result"]
    merged = "<rewrite>\n" + body([*doc[:7], "    return doubled * factor"]) + "</rewrite>"
    assert propose(doc, region_around(doc, 5), merged, [], 5, 0) == []
    start = "<rewrite>\n" + body(["import sys", *DOC[3:]]) + "</rewrite>"
    assert edits(start) == []


def test_tags_written_in_the_region_code_do_not_cut_the_answer() -> None:
    """Ensure a region whose code has `</rewrite>` in it (a test of this reader) is read to the
    answer's last closing tag, so the lines after the one in the code are not deleted."""
    doc = [
        "def test_answer():",
        '    merged = "<rewrite>\\n" + body(lines) + "</rewrite>"',
        "    assert edits(merged) == []",
        "    assert edits(start) == []",
    ]
    fixed = [*doc[:3], "    assert edits(start) == [EDIT]"]
    answer = "<rewrite>\n" + body(fixed) + "</rewrite>"
    assert propose(doc, region_around(doc, 1), answer, [], 1, 0) == [Proposed(3, 28, 3, 28, "EDIT")]
    assert propose(doc, region_around(doc, 1), answer.replace(fixed[3], doc[3]), [], 1, 0) == []


def test_a_first_line_flush_left_before_many_new_lines_gets_its_indentation_back() -> None:
    """Ensure an answer whose first line lost its indentation (the rest as the region has it)
    does not dedent that line even when the answer adds more lines than it keeps."""
    added = [f"    extra_{i} = {i}" for i in range(12)]
    lines = [DOC[4].lstrip(), *DOC[5:8], *added, DOC[8]]
    doc = DOC[4:]
    region = region_around(doc, 1)
    found = propose(doc, region, "\n".join(lines) + "\n", [], 1, 0)
    assert found == [Proposed(4, 0, 4, 0, body(added))]


def test_an_answer_without_an_end_mark_deletes_no_line_at_its_end() -> None:
    """Ensure an untagged, unfenced answer that stops before the region's last code line (the
    blank lines after it aside) deletes nothing there (nothing says it ended) and gives no edit
    of its own last line with the lines after it missing; with a closing tag the same answer
    deletes the line."""
    doc = [*DOC, "    log(result)", ""]
    region = region_around(doc, 5)
    assert propose(doc, region, body(FIXED), [], 5, 0) == EDIT
    tagged = propose(doc, region, "<rewrite>\n" + body(FIXED) + "</rewrite>", [], 5, 0)
    assert tagged == [*EDIT, Proposed(9, 0, 10, 0, "")]
    assert propose(doc, region, body([*DOC[:7], "    return doubled * factor"]), [], 5, 0) == []


def test_cursor_and_region_marks_as_models_respell_them_are_not_code() -> None:
    """Ensure `<cursor>`, `<|CURSOR|>`, `<| cursor |>`, `|cursor|` in a line and region marks
    such as `<region_start>`/`<|region end|>` are removed, not inserted; a spelling the region's
    code has stays code."""
    for mark in ("<cursor>", "<|CURSOR|>", "<| cursor |>", "|cursor|", "<|cursor_position|>"):
        lines = [*FIXED[:5], FIXED[5][:8] + mark + FIXED[5][8:], *FIXED[6:]]
        assert edits("<rewrite>\n" + body(lines) + "</rewrite>") == EDIT, mark
    for opener, closer in (
        ("<region_start>", "<region_end>"),
        ("<|region start|>", "<|REGION_END|>"),
    ):
        assert edits("<rewrite>\n" + body([opener, *FIXED, closer]) + "</rewrite>") == EDIT
    code = ['    html = "<cursor>"', "    x = 1"]
    assert (
        marks_mended("<rewrite>\n" + body(code), Region(0, 2, tuple(code))).count("<cursor>") == 1
    )


def test_a_markdown_note_after_an_untagged_answer_is_not_code() -> None:
    """Ensure `**Explanation:** ...` and a list after a blank line, closing an untagged answer,
    are not inserted; a list without a head (maybe code) is left alone by the note reader."""
    for note in (
        "**Explanation:** the factor is added.\n- one\n- two",
        "Changes: the factor is added\n\n1. one\n2. two",
        "**Changes**\n* one",
    ):
        assert edits(body(FIXED) + "\n" + note) == EDIT, note
    listed = body(["items:", "- one"]) + "\n- two\n"
    assert note_dropped(listed, Region(0, 2, ("items:", "- one"))) == listed


def test_tag_reading_stays_linear_on_long_whitespace_runs() -> None:
    """Ensure a misspelt tag followed by a long run of spaces (where a backtracking pattern
    goes quadratic) is read as no tag, and a closer after code still is one."""
    line = "<rewrite" + " " * 20000 + "x"
    assert tags_mended(line) == line
    mended = tags_mended("<rewrite >\n    y = x</rewite" + " " * 20000)
    assert mended.startswith("<rewrite>\n    y = x</rewrite>")


def test_more_elision_wordings_and_syntaxes() -> None:
    """Ensure elisions written as bracketed dots (`# [...]`), in JSX (`{/* ... */}`) or with
    words such as `code continues`, `other methods`, `omitted for brevity` give the edit."""
    for marker in (
        "    # [...]",
        "    {/* ... */}",
        "    # code continues",
        "    // other methods",
        "    # omitted for brevity",
        "    # original code",
    ):
        answer = "<rewrite>\n" + body([*FIXED[:4], marker, *FIXED[6:]]) + "</rewrite>"
        assert edits(answer) == EDIT, marker


def test_a_reworded_comment_with_elision_words_is_the_edit() -> None:
    """Ensure a comment replacing a comment it rewords (`# Scale it, more or less.` for
    `# Scale it.`), words like `more` in it, is the edit the model meant, not an elision of the
    old comment."""
    doc = [*DOC[:5], "    # Scale it.", *DOC[5:]]
    answer = "<rewrite>\n" + body([*doc[:5], "    # Scale it, more or less.", *doc[6:]])
    found = propose(doc, region_around(doc, 5), answer + "</rewrite>", [], 5, 0)
    assert found == [Proposed(5, 14, 5, 14, ", more or less")]


def test_tags_written_twice_are_read_once() -> None:
    """Ensure an opener or closer written twice (on two lines, around a fence, or glued on one
    line) gives the edit and no tag inserted as code."""
    code = body(FIXED)
    for answer in (
        "<rewrite>\n<rewrite>\n" + code + "</rewrite>",
        "<rewrite>\n<rewrite>\n" + code + "</rewrite>\n</rewrite>",
        "<rewrite>\n" + code + "</rewrite>\n</rewrite>",
        "<rewrite><rewrite>\n" + code + "</rewrite></rewrite>",
        "<rewrite>\n```\n<rewrite>\n" + code + "</rewrite>\n```\n</rewrite>",
    ):
        assert edits(answer) == EDIT, answer


def test_an_answer_written_twice_near_the_word_rewrite_is_read_once() -> None:
    """Ensure a region whose code says "rewrite" (no tag) does not make two tagged copies of the
    answer read as one."""
    doc = ['"""Repair the rewrite."""', *DOC[1:]]
    fixed = [doc[0], *FIXED[1:]]
    once = "<rewrite>\n" + body(fixed) + "</rewrite>"
    assert propose(doc, region_around(doc, 5), once + "\n" + once, [], 5, 0) == EDIT


def test_tags_in_the_code_of_a_whole_file_answer_keep_its_last_closer() -> None:
    """Ensure that with several tags in the code (the region has one), the answer's own last
    closer still ends it: not inserted as a line."""
    doc = ['a = "<rewrite>"', 'b = "</rewrite>"', *DOC[2:]]
    fixed = [*doc[:7], FIXED[7], doc[8]]
    answer = "<rewrite>\n" + body(fixed) + "</rewrite>"
    assert propose(doc, region_around(doc, 5), answer, [], 5, 0) == EDIT


def test_elisions_in_another_language_comment_syntax() -> None:
    """Ensure an elision written with another language's comment leader (Vim's `"`, Basic's
    `'`, Fortran's `!`, batch `REM`/`::`, PowerShell `<# #>`) gives the edit, while a quoted
    string line is no comment."""
    for marker in (
        '    " keep the existing lines here',
        "    ' rest of the code stays the same",
        "    ! unchanged lines omitted",
        "    REM keep the existing lines here",
        "    :: snip",
        "    <# ... #>",
    ):
        answer = "<rewrite>\n" + body([*FIXED[:4], marker, *FIXED[6:]]) + "</rewrite>"
        assert edits(answer) == EDIT, marker
    assert elision('    "rest unchanged",', set()) == 0


def test_one_weak_word_does_not_make_a_comment_an_elision() -> None:
    """Ensure a comment with one word such as `code` (`# VS Code converts line breaks`) is
    no elision, while two (`# more code here`) or a plain one (`# as above`) make one."""
    assert elision("    # VS Code converts inserted line breaks to the document's own.", set()) == 0
    assert elision("    # more code here", set()) == LIKELY
    assert elision("    // as above", set()) == LIKELY


def test_a_stream_stopped_mid_line_does_not_edit_that_line() -> None:
    """Ensure an answer cut in the middle of a line (no closing tag, no final line break)
    neither replaces the region's line by its beginning nor deletes the lines after it; with
    no tag at all, a last line that begins a region line is dropped the same way."""
    doc = [*DOC, "    log(result)", "    done()"]
    region = region_around(doc, 5)
    cut = [*FIXED[:9], "    lo"]
    assert propose(doc, region, "<rewrite>\n" + "\n".join(cut), [], 5, 0) == EDIT
    assert propose(doc, region, "\n".join(cut), [], 5, 0) == EDIT


def test_indentation_written_twice_as_wide_is_scaled_back() -> None:
    """Ensure an answer that writes every level 8 spaces wide where the file has 4 (one ratio
    over two depths) gives the edit, not a re-indentation of every line."""
    doc = [
        "def scale(value, factor):",
        "    if value:",
        "        value = abs(value)",
        "    return value * factor",
    ]
    fixed = [*doc[:3], "    return value * factor + 1"]
    wide = [" " * (2 * (len(x) - len(x.lstrip()))) + x.lstrip() for x in fixed]
    found = propose(doc, region_around(doc, 1), "<rewrite>\n" + body(wide) + "</rewrite>", [], 1, 0)
    assert found == [Proposed(3, 25, 3, 25, " + 1")]


def test_an_answer_that_lost_its_indentation_gives_no_edit() -> None:
    """Ensure an answer written all flush left, where the region's lines sit at two depths,
    gives no edit (the new lines' indentation cannot be known), not a dedent of every line."""
    flat = [line.lstrip() for line in FIXED]
    assert edits("<rewrite>\n" + body(flat) + "</rewrite>") == []


def test_an_opening_tag_with_attributes_is_the_tag() -> None:
    """Ensure `<rewrite lang="python">` opens the answer (its line not inserted as code)."""
    for opener in ('<rewrite lang="python">', '<rewrite file="src/scale.py" >'):
        assert edits(opener + "\n" + body(FIXED) + "</rewrite>") == EDIT, opener
