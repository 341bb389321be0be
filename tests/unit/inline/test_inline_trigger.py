"""Trigger rules: when to ask for a completion, in which mode, with which indentation."""

from __future__ import annotations

from glm_lsp.inline.hole import MAX_TREE_CHARS, Hole, Mode, detect_indent_unit
from glm_lsp.inline.trigger import PREFIX_LINES, WINDOW_SNAP, analyze, opener_kind
from glm_lsp.lsp.positions import code_point_column, units

CURSOR = "║"


def at(document: str, language: str = "python") -> Hole:
    before, after = document.split(CURSOR)
    lines = (before + after).split("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return analyze(lines, before.count("\n"), column, language=language)


def test_inside_a_word_means_no_request() -> None:
    """Editing inside a word is left alone, with or without a grammar."""
    assert at("print(va║lue)\n").mode is Mode.NONE
    assert at("print(va║lue)\n", "plaintext").mode is Mode.NONE
    assert at("x = 1.║5\n").mode is Mode.NONE  # inside a float token: only the tree knows


def test_word_characters_later_on_the_line_do_not_prevent_a_request() -> None:
    """Only the cursor being inside a word skips: a hole before other arguments, before a word
    or before `, 2)` is filled (issue 14: `round(apply_discount(|), 2)` got nothing)."""
    for language in ("python", "plaintext"):
        hole = at("price = round(apply_discount(║), 2)\n", language)
        assert hole.mode is Mode.SINGLE_LINE and hole.reason == "mid-line"
        assert at("foo(║, bar)\n", language).mode is Mode.SINGLE_LINE
        assert at("foo(║bar)\n", language).mode is Mode.SINGLE_LINE
        assert at("total = ║value * 2\n", language).mode is Mode.SINGLE_LINE


def test_before_closers_is_single_line() -> None:
    """Only closing characters after the cursor: complete the line."""
    hole = at("result = compute(║)\n")
    assert hole.mode is Mode.SINGLE_LINE
    assert hole.reason == "mid-line"
    assert hole.line_prefix == "result = compute(" and hole.line_suffix == ")"


def test_inside_string_and_comment_is_allowed() -> None:
    """A cursor inside a string or a comment still gets a single-line completion."""
    assert at('print("hello ║")\n').mode is Mode.SINGLE_LINE
    assert at("# TODO: ║\n").mode is Mode.SINGLE_LINE


def test_end_of_ordinary_line_is_single_line_and_may_break() -> None:
    """At the end of an ordinary line the answer may continue it or start the next line."""
    hole = at("    total = ║\n")
    assert hole.mode is Mode.SINGLE_LINE and hole.may_break and not hole.new_line
    assert hole.target_indent == 4


def test_complete_statement_means_no_request() -> None:
    """A line that ends a statement with `;` or a closer gets nothing."""
    assert at("foo();║\n", "javascript").mode is Mode.NONE
    assert at("    run(task)║\n").mode is Mode.NONE


def test_python_block_opener_with_empty_body_is_multi_line_on_a_new_line() -> None:
    """`def f():` at the end of the line with nothing below: a block body on the next line."""
    hole = at("class A:\n    def f(self):║\n\n    x = 1\n")
    assert hole.mode is Mode.MULTI_LINE and hole.new_line
    assert hole.target_indent == 8


def test_block_with_existing_body_means_no_request() -> None:
    """The end of `if x:` whose body already exists is not a place to insert a block."""
    assert at("if ready:║\n    start()\n").mode is Mode.NONE


def test_blank_line_in_empty_block_is_multi_line() -> None:
    """A blank line right under a block opener with nothing else in the block."""
    hole = at("def f(x):\n    ║\n\ndef g():\n    pass\n")
    assert hole.mode is Mode.MULTI_LINE and not hole.new_line
    assert hole.reason == "empty block body" and hole.target_indent == 4


def test_blank_line_at_column_zero_in_empty_block_targets_the_body() -> None:
    """Cursor at column 0 of an empty body: the body's indentation is the target."""
    hole = at("def f(x):\n║\n")
    assert hole.mode is Mode.MULTI_LINE and hole.target_indent == 4


def test_blank_line_between_statements_is_single_line_at_the_cursor() -> None:
    """A blank line inside a body with code below is one statement, at the cursor's column."""
    hole = at("def f(x):\n    y = x\n    ║\n    return y\n")
    assert hole.mode is Mode.SINGLE_LINE and hole.target_indent == 4


def test_comment_ending_with_colon_is_not_a_block_opener() -> None:
    """`# Example:` ends with a colon but opens nothing."""
    assert opener_kind("# Example:", "python") == ""
    assert at("# Example:║\n").mode is Mode.SINGLE_LINE


def test_opener_kinds_across_languages() -> None:
    """Strong openers force a new line, weak ones (brackets, arrows) let the model choose."""
    assert opener_kind("if x > 0:", "python") == "strong"
    assert opener_kind("function f() {", "javascript") == "strong"
    assert opener_kind("items.each do |item|", "ruby") == "strong"
    assert opener_kind("if count > 10 then", "lua") == "strong"
    assert opener_kind("const f = (x) =>", "typescript") == "weak"
    assert opener_kind("result = compute(", "python") == "weak"
    assert opener_kind("x = y if z else", "python") == ""
    assert opener_kind('label = "value:', "python") == ""
    assert opener_kind("values = data[1:", "python") == ""


def test_weak_opener_is_multi_line_that_may_break() -> None:
    """After `(` at the end of a line the answer may stay inline or go below."""
    hole = at("result = compute(║\n")
    assert hole.mode is Mode.MULTI_LINE and hole.may_break and not hole.new_line


def test_blank_document_means_no_request() -> None:
    """Nothing to go on in an empty document."""
    assert at("║").mode is Mode.NONE
    assert at("\n\n║\n").mode is Mode.NONE


def test_lsp_columns_are_utf16_code_units() -> None:
    """An emoji counts two UTF-16 units: the cursor after it lands after it in the string."""
    line = 'label = "🙂 ' + '")'
    hole = analyze([line], 0, code_point_column(line, len('label = "') + 2 + 1, "utf-16"))
    assert hole.line_prefix == 'label = "🙂 '
    assert code_point_column("a🙂b", 3, "utf-16") == 2
    assert units("a🙂b"[:2], "utf-16") == 3


def test_line_endings_from_pygls_are_ignored() -> None:
    """pygls keeps line endings in `TextDocument.lines`; they do not reach the hole."""
    hole = analyze(["def f(x):\r\n", "    \r\n"], 1, 4)
    assert "\r" not in hole.prefix + hole.suffix
    assert hole.mode is Mode.MULTI_LINE


def test_windows_are_bounded_and_start_on_snapped_lines() -> None:
    """In a 5,000-line file the prefix window is bounded and starts on a multiple of the snap,
    so it does not move while the user types on one line."""
    lines = [f"value_{n} = {n}" for n in range(5000)] + ["    "]
    hole = analyze(lines, 4000, 0)
    assert hole.prefix_start_line % WINDOW_SNAP == 0
    assert 4000 - hole.prefix_start_line <= PREFIX_LINES + WINDOW_SNAP
    assert hole.prefix.count("\n") == 4000 - hole.prefix_start_line
    assert analyze(lines, 4000, 5).prefix_start_line == hole.prefix_start_line


def test_indent_unit_detection() -> None:
    """Tabs, two spaces, four spaces, or unknown when nothing is indented."""
    assert detect_indent_unit(["func f() {", "\tif x {", "\t\treturn", "\t}", "}"]) == "\t"
    assert detect_indent_unit(["if (a) {", "  b();", "  if (c) {", "    d();"]) == "  "
    assert detect_indent_unit(["def f():", "    '''Doc:", "       text", "    '''"]) == "    "
    assert detect_indent_unit(["x = 1", "y = 2"]) == ""


def test_binary_document_means_no_request() -> None:
    """NUL characters in the window: a binary file, never sent to the model, wherever the
    cursor is (it used to be protected only by the old word-after-the-cursor refusal)."""
    assert at("abc║\x00\x01\x02abc\n").mode is Mode.NONE
    assert at("x = 1\n║\n\x00\n").mode is Mode.NONE


def test_huge_minified_line_is_not_parsed_on_a_keystroke() -> None:
    """Text around the cursor over `MAX_TREE_CHARS` gets the regular-expression rules and no
    tree, so a keystroke in minified code costs no long parse."""
    line = "var a=1;" * (MAX_TREE_CHARS // 8 + 1)
    hole = analyze([line], 0, 8, language="javascript")
    assert hole.mode is Mode.SINGLE_LINE and hole.tree is None


def test_languages_without_comment_syntax_do_not_break_the_rules() -> None:
    """Plain text, Markdown, HTML have no comment syntax in the lexer: the end-of-line rules
    still answer (they raised IndexError on the missing comment group)."""
    for language in ("plaintext", "markdown", "html"):
        assert at("Sub Main() {║\n", language).mode is Mode.MULTI_LINE
        assert at('say("hi")║\n', language).mode is Mode.NONE
