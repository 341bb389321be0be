"""`glm_lsp.parsing`: what the tree says at a cursor, which lines are parsed, scopes by row.

Snippets mark the cursor with `║`; positions are code points (the package converts to bytes).
"""

from __future__ import annotations

import pytest

from glm_lsp.parsing import MAX_PARSE_CHARS, grammar_for
from glm_lsp.parsing.cursor import CursorFacts, cursor_facts
from glm_lsp.parsing.region import local_rows
from glm_lsp.parsing.scope import enclosing_scope

CURSOR = "║"


def facts(snippet: str, grammar: str) -> CursorFacts:
    before, after = snippet.split(CURSOR)
    found = cursor_facts(before + after, len(before), grammar)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("grammar", "snippet", "kind"),
    [
        ("python", 'print("hello ║")\n', "string"),
        ("python", 's = f"a {x} ║b"\n', "string"),
        ("javascript", "const s = `a ${x} ║b`;\n", "template_string"),
        ("typescript", "const s: string = 'a ║b';\n", "string"),
        ("go", 'x := "a ║b"\n', "interpreted_string_literal"),
        ("go", "x := `a ║b`\n", "raw_string_literal"),
        ("rust", 'let s = "a ║b";\n', "string_literal"),
        ("java", 'String s = "a ║b";\n', "string_literal"),
        ("c", 'char *s = "a ║b";\n', "string_literal"),
        ("cpp", 'auto s = "a ║b";\n', "string_literal"),
        ("lua", 'local s = "a ║b"\n', "string"),
        ("ruby", 's = "a #{x} ║b"\n', "string"),
        ("bash", 'echo "a ║b"\n', "string"),
    ],
)
def test_string_kind_at_the_cursor(grammar: str, snippet: str, kind: str) -> None:
    """A cursor inside a string literal reports that literal's node type."""
    found = facts(snippet, grammar)
    assert found.string_kind == kind and found.in_string and not found.in_comment


@pytest.mark.parametrize(
    ("grammar", "snippet"),
    [
        ("python", 's = f"a {na║me} b"\n'),
        ("typescript", "const s = `a ${na║me} b`;\n"),
        ("ruby", 's = "a #{na║me} b"\n'),
        ("python", 'print("done")║\n'),
    ],
)
def test_code_inside_interpolations_and_after_a_string_is_not_in_a_string(
    grammar: str, snippet: str
) -> None:
    """`${...}`, `#{...}` and f-string braces are code; so is the place right after a string."""
    assert not facts(snippet, grammar).in_string


@pytest.mark.parametrize(
    ("grammar", "snippet", "kind"),
    [
        ("python", "x = 1  # note ║\n", "comment"),
        ("javascript", "// TODO ║\n", "comment"),
        ("javascript", "/** doc\n * ║\n */\n", "comment"),
        ("rust", "// note ║\n", "line_comment"),
        ("rust", "/* a ║ */\n", "block_comment"),
        ("go", "// Package m ║\n", "comment"),
        ("lua", "-- note ║\n", "comment"),
        ("ruby", "# note ║\n", "comment"),
        ("bash", "# note ║\n", "comment"),
    ],
)
def test_comment_kind_at_the_cursor(grammar: str, snippet: str, kind: str) -> None:
    """A cursor in a comment (or at the end of a line comment) reports the comment's type."""
    assert facts(snippet, grammar).comment_kind == kind


def test_after_a_closed_block_comment_is_code() -> None:
    """`/* a */ |` is past the comment: the cursor is in code again."""
    assert not facts("/* a */ ║\n", "c").in_comment


def test_inside_a_token_is_known_from_the_tree() -> None:
    """Word characters on both sides, or a number token around the cursor (`1.|5`), mean the
    cursor is inside a word; the boundaries of a word are not inside it."""
    assert facts("x = 1.║5\n", "python").in_word
    assert facts("let n = 4║2;\n", "rust").in_word
    assert facts("print(va║lue)\n", "python").in_word
    assert not facts("foo(║bar)\n", "python").in_word
    assert not facts("foo║(bar)\n", "python").in_word


def test_enclosing_chain_innermost_first() -> None:
    """The statement, block, method and class nodes around the cursor, innermost first."""
    found = facts("class A {\n  void f() {\n    run(║);\n  }\n}\n", "java")
    assert found.innermost == "argument_list"
    assert found.enclosing == (
        "expression_statement",
        "block",
        "method_declaration",
        "class_body",
        "class_declaration",
    )


@pytest.mark.parametrize(
    ("grammar", "snippet", "opener", "body"),
    [
        ("python", "def f():║\n", "strong", False),
        ("python", "if ready:║\n    start()\n", "strong", True),
        ("python", "x = [║\n", "weak", None),
        ("javascript", "function f() {║\n}\n", "strong", False),
        ("javascript", "function f() {║\n\nfunction g() {}\n", "strong", None),
        ("go", "func f() {║\n\treturn\n}\n", "strong", True),
        ("rust", "impl A {\n    fn f(&self) {\n        ║\n    }\n}\n", "strong", False),
        ("c", "int f(void) {\n  ║\n}\n", "strong", False),
        ("lua", "local function f(a)║\nend\n", "strong", False),
        ("lua", "if x then║\n  y()\nend\n", "strong", True),
        ("ruby", "items.each do |item|║\nend\n", "strong", False),
        ("ruby", "def foo║\nend\n", "strong", False),
        ("bash", "if [ x ]; then║\nfi\n", "strong", False),
    ],
)
def test_block_openers_and_their_bodies(
    grammar: str, snippet: str, opener: str, body: bool | None
) -> None:
    """The last code token before the cursor opens a block (strong) or a bracket (weak); the
    block holds statements, none yet, or is unclosed so the tree cannot tell (None)."""
    found = facts(snippet, grammar)
    assert (found.opener, found.body) == (opener, body)


def test_a_comment_after_the_opener_is_skipped() -> None:
    """`{ // note` still opens the block: the last code token is the brace."""
    found = facts("fn f() { // note\n    ║\n}\n", "rust")
    assert found.opener == "strong" and found.body is False and found.last_row == 0


def test_complete_statement_before_the_cursor() -> None:
    """A statement ending in `;` or a closer, parsed without error, is complete; an `if`
    waiting for its body is not."""
    assert facts("foo();║\n", "javascript").complete
    assert facts("    run(task)║\n", "python").complete
    assert not facts("if (x > 0)║\n", "javascript").complete
    assert not facts("total = ║\n", "python").complete


def test_positions_are_code_points_and_non_ascii_text_is_counted_in_bytes_inside() -> None:
    """Text with multi-byte characters before the cursor still puts it in the right token."""
    found = facts('label = "héllo wörld ║"\n', "python")
    assert found.in_string
    assert facts('x = "é"; y = (║)\n', "python").opener == "weak"


def test_no_grammar_or_a_text_over_the_bound_gives_no_facts() -> None:
    """Without a grammar, or over `MAX_PARSE_CHARS`, the callers fall back to their rules."""
    assert cursor_facts("x = 1\n", 2, None) is None
    assert cursor_facts("x" * (MAX_PARSE_CHARS + 1), 3, "python") is None
    assert grammar_for("plaintext") is None and grammar_for("", "a/b.rs") == "rust"


def test_local_rows_start_at_the_construct_around_the_cursor() -> None:
    """The parsed lines start at the nearest top-level construct above the cursor (after a
    blank line, at column 0), so a window that begins inside a docstring is left out."""
    lines = [
        "    text of a docstring that began above the window",
        '    """',
        "",
        "def f(a):",
        "    return a",
        "",
        "else:",
        "    b = 2",
        "",
        "def g():",
        "    pass",
    ]
    assert local_rows(lines, 4) == (3, 9)  # `else:` continues a construct, it starts none
    assert local_rows(lines, 10) == (9, 11)
    assert local_rows(lines, 0) == (0, 3)


def test_enclosing_scope_rows() -> None:
    """Rows of the innermost scope, grown over decorators; None outside, out of range, or with
    no grammar."""
    text = "import os\n\n@cache\ndef f():\n    def g():\n        return 1\n    return g\n"
    assert enclosing_scope(text, 5, "python") == (4, 5)
    assert enclosing_scope(text, 6, "python") == (2, 6)
    assert enclosing_scope(text, 0, "python") is None
    assert enclosing_scope(text, 99, "python") is None
    assert enclosing_scope(text, 5, None) is None
