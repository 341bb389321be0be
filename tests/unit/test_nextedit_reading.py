"""Reading a next-edit answer: the model's wrappers and echoes removed so that only the edit
it meant is diffed against the region (each case: the shape, then the one edit expected)."""

from __future__ import annotations

from glm_lsp.edits.nextedit.indent import retab
from glm_lsp.edits.nextedit.propose import Proposed, propose
from glm_lsp.edits.nextedit.reading import read_answer
from glm_lsp.edits.nextedit.region import Region, region_around

DOC = [
    "class Judge:",
    '    """Say whether <think> tags are allowed here."""',
    "",
    "    def check(self, width, height):",
    "        w = width * 2",
    "        h = width * 3",
    "        return w * h",
]
FIXED = [*DOC[:5], "        h = height * 3", DOC[6]]
EDIT = [Proposed(5, 12, 5, 17, "height")]


def edits(answer: str, doc: list[str] = DOC) -> list[Proposed]:
    return propose(doc, region_around(doc, 4), answer, [], 4, 0)


def body(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_think_tags_inside_the_code_are_code() -> None:
    """Ensure a leading think block is dropped but `<think>` written in the code is kept (it
    does not cut the answer, which would read as deleting the rest)."""
    answer = "<think>\nrename\n</think>\n<rewrite>\n" + body(FIXED) + "</rewrite>"
    assert edits(answer) == EDIT
    assert read_answer("<think>\nstill thinking about it") is None


def test_chat_template_tokens_at_the_end_are_dropped() -> None:
    """Ensure an end-of-text or role token after the answer is not inserted into the code."""
    for junk in ("<|endoftext|>", "<|user|>", "\n<|assistant|>"):
        assert edits("<rewrite>\n" + body(FIXED) + "</rewrite>" + junk) == EDIT
        assert edits(body(FIXED) + junk) == EDIT


def test_a_closing_fence_glued_to_the_last_line_is_not_code() -> None:
    """Ensure "last line```" (no line break before the fence) loses the fence."""
    assert edits("```python\n" + body(FIXED).rstrip("\n") + "```\n") == EDIT
    assert edits("<rewrite>\n```python\n" + body(FIXED).rstrip("\n") + "```\n</rewrite>") == EDIT


def test_the_original_region_echoed_before_an_untagged_answer_is_skipped() -> None:
    """Ensure "Original: <region block> Updated: <answer>" gives the answer, fenced or not."""
    original = "Original:\n```\n" + body(DOC) + "```\nUpdated:\n"
    assert edits(original + "```python\n" + body(FIXED) + "```\n") == EDIT
    assert edits(original + body(FIXED)) == EDIT


def test_region_lines_that_read_like_prose_are_kept() -> None:
    """Ensure a docstring sentence at the start of an untagged answer is not dropped as prose
    (which would read as deleting it)."""
    doc = ["The blocks themselves are rendered in the blocks module.", "x = 1", "y = 2"]
    fixed = [doc[0], "x = 10", doc[2]]
    assert propose(doc, region_around(doc, 1), body(fixed), [], 1, 0) == [Proposed(1, 5, 1, 5, "0")]


def test_lines_echoed_from_below_after_an_insertion_at_the_region_end() -> None:
    """Ensure lines below the region echoed after a true insertion at the region's end are not
    inserted, and the insertion is."""
    doc = [f"value_{i} = compute({i})" for i in range(30)]
    region = region_around(doc, 10)
    below = doc[region.end_line : region.end_line + 2]
    answer = [*region.lines, "extra = compute(99)", *below]
    out = propose(doc, region, "<rewrite>\n" + body(answer) + "</rewrite>", [], 10, 0)
    assert [e.text for e in out] == ["extra = compute(99)\n"]


def test_an_echoed_line_equal_to_the_region_end_is_not_taken_for_the_region() -> None:
    """Ensure an echo of two lines below whose last equals the region's last line is removed."""
    doc = [f"if x{i}:" if i % 2 == 0 else "    return False" for i in range(40)]
    region = region_around(doc, 9)
    below = doc[region.end_line : region.end_line + 2]
    assert below[-1] == region.lines[-1]
    assert propose(doc, region, "<rewrite>\n" + body([*region.lines, *below]), [], 9, 0) == []


def test_trailing_whitespace_and_retabbed_indentation_are_not_edits() -> None:
    """Ensure trailing spaces added by the model and tabs for the file's spaces change
    nothing but the real edit."""
    spaced = [line + "  " if line.strip() else line for line in FIXED]
    assert edits("<rewrite>\n" + body(spaced) + "</rewrite>") == EDIT
    tabbed = [line.replace("        ", "\t\t").replace("    ", "\t") for line in FIXED]
    assert edits("<rewrite>\n" + body(tabbed) + "</rewrite>") == EDIT


def test_retab_uses_the_file_when_the_region_has_no_indentation() -> None:
    """Ensure an answer with tabs for a region without indented lines gets the file's spaces."""
    doc = ["def f():", "  return 1", "", "x = 1", "y = 2"]
    region = Region(3, 5, ("x = 1", "y = 2"))
    assert retab(["x = 1", "if y:", "\tz = 2"], region, doc) == ["x = 1", "if y:", "  z = 2"]


def test_closers_below_are_an_echo_only_right_after_the_region_end() -> None:
    """Ensure a closer echoed from below (``}``) is dropped when it follows the region's last
    line, and that the region's own last closer is never taken for an echo of the next one."""
    doc = ["fn a() {", "    if x {", "        y();", "    }", "}", "", "fn b() {}"]
    region = Region(0, 4, tuple(doc[:4]))
    answer = "<rewrite>\n" + body([*doc[:2], "        z();", doc[3], "}"]) + "</rewrite>"
    assert propose(doc, region, answer, [], 2, 0) == [Proposed(2, 8, 2, 9, "z")]
    nested = ["t(() => {", "\tx(() => {", "\t\ty(() => {", "\t\t\tz();", "\t\t});", "\t});", "});"]
    inner = Region(0, 5, tuple(nested[:5]))
    echoed = "<rewrite>\n" + body([*nested[:5], "\t});"]) + "</rewrite>"
    assert propose(nested, inner, echoed, [], 3, 0) == []


def test_lines_moved_to_the_region_start_are_not_a_truncation() -> None:
    """Ensure lines moved from the region's end to its start are deleted at the end (the
    truncation guard keeps deletions at the edges only when the lines are gone for good)."""
    doc = ["a = 1", "b = 2", "c = 3", "x = 9", "y = 8"]
    region = Region(0, 5, tuple(doc))
    moved = ["x = 9", "y = 8", "a = 1", "b = 2", "c = 3"]
    edits = propose(doc, region, "<rewrite>\n" + body(moved) + "</rewrite>", [], 0, 0)
    text = "\n".join(doc)
    for edit in sorted(edits, key=lambda e: (e.start_line, e.start_char), reverse=True):
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        a = starts[edit.start_line] + edit.start_char
        b = starts[edit.end_line] + edit.end_char
        text = text[:a] + edit.text + text[b:]
    assert text.split("\n") == moved


def test_a_long_line_copied_from_below_is_dropped_after_an_edited_last_line() -> None:
    """Ensure the line below the region, echoed after an answer whose last line was edited,
    is not inserted again."""
    doc = [
        "def put(url):",
        '    """Sends a PUT request.',
        "    :param data: the body to send with the request.",
        "    :param json: json data to send in the body of the request.",
    ]
    region = Region(0, 3, tuple(doc[:3]))
    answer = [*doc[:2], "    :param data: the body to send.", doc[3]]
    edits = propose(doc, region, "<rewrite>\n" + body(answer) + "</rewrite>", [], 2, 0)
    assert [e.start_line for e in edits] == [2] and "json" not in edits[0].text


def test_a_labelled_closing_sentence_after_an_untagged_answer_is_not_code() -> None:
    """Ensure "Note: ..." or "Explanation: ..." after a bare answer (a blank line between) is
    not inserted at the region's end, while such a line in a tagged answer or one the region
    has stays."""
    for closing in (
        "Note: only the lines that needed it were changed.",
        "Explanation: the change follows the pattern of the previous edit.",
        "Summary of changes: height is used for h.",
    ):
        assert edits(body(FIXED) + "\n" + closing + "\n") == EDIT
        assert edits("Sure, the region becomes:\n" + body(FIXED) + "\n\n" + closing) == EDIT
    code = ["x = 1", "", "Note: the value is kept."]
    assert read_answer(body(code), Region(0, 3, tuple(code))) == code
    tagged = "<rewrite>\n" + body([*FIXED, "", "Note: kept inside the tags."]) + "</rewrite>"
    assert read_answer(tagged) == [*FIXED, "", "Note: kept inside the tags."]


DOC_FENCED = [
    "/*!",
    "Walk a directory:",
    "",
    "```no_run",
    'for entry in WalkDir::new("foo") {',
    '    println!("{}", entry?.path().display());',
    "}",
    "```",
    "*/",
    "",
    "pub fn walk() {}",
]


def test_an_echo_of_a_region_with_fences_of_its_own_is_skipped() -> None:
    """Ensure a region that has fence lines itself (a doc comment's example, a docstring's
    ``~~~~`` underline), echoed before the answer, tagged or not, gives the answer only: no
    fence of the echo inserted."""
    region = Region(0, len(DOC_FENCED), tuple(DOC_FENCED))
    echo = "Current region:\n```\n" + body(DOC_FENCED) + "```\nAfter the next edit:\n"
    for answer in (
        echo + "<rewrite>\n" + body(DOC_FENCED) + "</rewrite>",
        echo + body(DOC_FENCED),
        echo + "```rust\n" + body(DOC_FENCED) + "```\n",
    ):
        assert read_answer(answer, region) == DOC_FENCED
        assert propose(DOC_FENCED, region, answer, [], 4, 0) == []
    fixed = [*DOC_FENCED[:-1], "pub fn walk_dir() {}"]
    assert read_answer(echo + body(fixed), region) == fixed


def test_a_closing_sentence_right_under_indented_code_or_a_glued_fence_is_not_code() -> None:
    """Ensure a labelled closing sentence written on the line after the answer's last
    (indented) line is dropped, and that a fence glued to the last code line inside the tags
    is found past such a sentence after the closing tag."""
    closing = "Explanation: the change follows the pattern of the previous edit."
    assert edits(body(FIXED) + closing + "\n") == EDIT
    glued = "<rewrite>\n```python\n" + body(FIXED).rstrip("\n") + "```\n</rewrite>\n" + closing
    assert edits(glued) == EDIT


def test_opening_fences_spelled_with_a_space_or_a_path_are_not_code() -> None:
    """Ensure ``` py, ```python path/x.py and ```python:path open a fence, not code lines."""
    for opener in ("``` py", "```python src/judge.py", "```python:src/judge.py"):
        answer = f"<rewrite>\n{opener}\n" + body(FIXED) + "```\n</rewrite>"
        assert edits(answer) == EDIT, opener


def test_an_opening_tag_glued_to_an_indented_first_line_keeps_its_indentation() -> None:
    """Ensure '<rewrite>    x = 1' keeps the first line's indentation (no dedent suggested)."""
    doc = DOC[3:]
    fixed = FIXED[3:]
    answer = "<rewrite>" + body(fixed) + "</rewrite>"
    found = propose(doc, region_around(doc, 1), answer, [], 1, 0)
    assert found == [Proposed(2, 12, 2, 17, "height")]


def test_only_the_first_line_flush_left_is_not_a_dedent() -> None:
    """Ensure a first line written at column 0 while the rest keep their indentation gets the
    region's indentation back (no edit on that line)."""
    doc = DOC[3:]
    fixed = [FIXED[3].lstrip(), *FIXED[4:]]
    found = propose(
        doc, region_around(doc, 1), "<rewrite>\n" + body(fixed) + "</rewrite>", [], 1, 0
    )
    assert found == [Proposed(2, 12, 2, 17, "height")]


def test_elided_unchanged_lines_stand_for_the_region_lines_between_their_anchors() -> None:
    """Ensure '# ... existing code ...' between two anchors found once is read as the region's
    lines there, not as a replacement of them."""
    for marker in ("    # ... existing code ...", "    # (rest unchanged)", "    # ..."):
        answer = rewrite_of([DOC[0], marker, *FIXED[4:]])
        assert edits(answer) == EDIT, marker


def test_an_elision_that_cannot_be_placed_suggests_nothing() -> None:
    """Ensure an elision whose neighbours are not region lines found once deletes nothing: no
    edit at all."""
    answer = rewrite_of(["# ... existing code ...", "        h = height * 3", "# ..."])
    assert edits(answer) == []


def test_a_cut_answer_does_not_delete_the_lines_it_did_not_write() -> None:
    """Ensure an answer that stops before its closing tag, after an unchanged line, keeps the
    region's remaining lines (read as missing, not deleted)."""
    doc = [*DOC, "", "    def other(self):", "        return 1"]
    fixed = [*FIXED, "", "    def other(self):"]
    found = propose(doc, region_around(doc, 4), "<rewrite>\n" + body(fixed), [], 4, 0)
    assert found == EDIT


def rewrite_of(lines: list[str]) -> str:
    return "<rewrite>\n" + body(lines) + "</rewrite>"


def test_a_heading_or_thinking_block_before_an_untagged_fence_is_not_code() -> None:
    """Ensure '**Updated region:**', '### Rewritten', a <thinking> block or reasoning closed
    without an opener before a fenced answer are dropped, not inserted as code."""
    fenced = "~~~py\n" + body(FIXED) + "~~~"
    heads = (
        "**Updated region:**\n\n",
        "### Rewritten region\n\n",
        "<thinking>\nThe user edited w.\n</thinking>\n\n",
        "The user edited w, so h follows.</think>\n\n",
    )
    for head in heads:
        assert edits(head + fenced) == EDIT, head


def test_a_tag_inside_the_code_is_not_an_opening_tag_glued_to_its_line() -> None:
    """Ensure a region line that mentions '<rewrite>    x' mid-line is code: no line break is
    suggested inside it."""
    doc = [
        '    """A tag glued: ``<rewrite>    x = 1``."""',
        "    w = width * 2",
        "    h = width * 3",
    ]
    answer = rewrite_of([doc[0], doc[1], "    h = height * 3"])
    found = propose(doc, region_around(doc, 1), answer, [], 1, 0)
    assert found == [Proposed(2, 8, 2, 13, "height")]


def test_a_line_echoed_from_above_at_column_0_keeps_its_indentation() -> None:
    """Ensure a first answer line at column 0 that is not the region's first line (an echo of
    the file above) is not given a region line's indentation."""
    doc = ["end", "", "function f", "    set x 1", "    end", "    echo $x", "end"]
    answer = rewrite_of(["end", "", "function f", "    set x 2", "    end", "    echo $x", "end"])
    found = propose(doc, Region(1, 7, tuple(doc[1:])), answer, [], 3, 0)
    assert found == [Proposed(3, 10, 3, 11, "2")]


def test_an_elision_in_an_answer_dedented_as_a_whole_changes_no_indentation() -> None:
    """Ensure an answer written flush left whose start is elided ('# ...' then the last line)
    suggests nothing: the elided lines are the region's, the dedent is undone."""
    doc = DOC[3:]
    answer = rewrite_of(["# ... unchanged ...", DOC[6].lstrip()])
    assert propose(doc, region_around(doc, 1), answer, [], 1, 0) == []


def test_a_cut_answer_ending_on_a_repeated_line_is_placed_by_the_lines_before_it() -> None:
    """Ensure an unclosed answer whose last line occurs twice in the region is completed
    after the place its last two lines occur once, not read as deleting the rest."""
    doc = [
        "def f():",
        "    # note",
        "    a = 1",
        "",
        "def g():",
        "    # note",
        "    b = 2",
        "x = 3",
    ]
    fixed = ["def f():", "    # note", "    a = 10", "", "def g():", "    # note"]
    found = propose(doc, Region(0, 8, tuple(doc)), "<rewrite>\n" + body(fixed), [], 2, 0)
    assert found == [Proposed(2, 9, 2, 9, "0")]


def test_a_reasoning_closer_mentioned_in_the_code_is_code() -> None:
    """Ensure a '</think>' inside a code line of a fenced answer (a comment that mentions it)
    does not cut the answer there: nothing before it is lost or inserted."""
    doc = ["# after `</think>` a space", "w = width * 2", "h = width * 3"]
    answer = "```python\n# after `</think>` a space\nw = width * 2\nh = height * 3\n```\n"
    found = propose(doc, Region(1, 3, tuple(doc[1:])), answer, [], 1, 0)
    assert found == [Proposed(2, 4, 2, 9, "height")]
