"""Trigger decisions from the syntax tree, one table per language with a grammar (issue 14).

Each row is a cursor snippet (`║` marks the cursor) and the mode the trigger must choose:
NONE inside a word, after a complete statement, or at a block opener whose body exists;
SINGLE_LINE mid-line (whatever follows), in strings and comments, at the end of open lines;
MULTI_LINE at a block opener whose body is still empty, and on the blank line of such a body.
"""

from __future__ import annotations

import pytest

from glm_lsp.inline.hole import Hole, Mode
from glm_lsp.inline.trigger import analyze
from glm_lsp.parsing import parse

CURSOR = "║"
N, S, M = Mode.NONE, Mode.SINGLE_LINE, Mode.MULTI_LINE

CASES = [
    # python
    ("python", "def f(x):║\n", M),
    ("python", "def f(x):\n    ║\n", M),
    ("python", "if ready:║\n    start()\n", N),
    ("python", "price = round(apply_discount(║), 2)\n", S),
    ("python", "print(va║lue)\n", N),
    ("python", 'print("hello ║")\n', S),
    ("python", "x = 1  # note: ║\n", S),
    ("python", "    run(task)║\n", N),
    ("python", "    total = ║\n", S),
    ("python", "for item in items:\n    ║\n\nprint(1)\n", M),
    ("python", 'data = {"a":║\n', S),
    # javascript
    ("javascript", "function f(a) {║\n}\n", M),
    ("javascript", "function f(a) {\n  ║\n}\n", M),
    ("javascript", "function f(a) {║\n  return a;\n}\n", N),
    ("javascript", "const total = sum(values.map((v) => ║), 0);\n", S),
    ("javascript", "foo();║\n", N),
    ("javascript", "if (x > 0)║\n", S),
    ("javascript", "const s = `a ${na║me}`;\n", N),
    ("javascript", "const s = 'hello ║';\n", S),
    ("javascript", "// TODO: ║\n", S),
    ("javascript", "items.forEach((item) => {║\n});\n", M),
    # typescript
    ("typescript", "class A {\n  m(x: number): void {║\n  }\n}\n", M),
    ("typescript", "const n: number = Math.max(║, 1);\n", S),
    ("typescript", "interface P {\n  ║\n}\n", M),
    ("typescript", "let value = compute(ar║gs);\n", N),
    # tsx
    ("typescriptreact", "function App() {║\n}\n", M),
    ("typescriptreact", "const el = <div className={cls(║)}>hi</div>;\n", S),
    # go
    ("go", "func f() {║\n}\n", M),
    ("go", "func f() {\n\t║\n}\n", M),
    ("go", "func f() {║\n\treturn\n}\n", N),
    ("go", 'x := strconv.Itoa(║) + "s"\n', S),
    ("go", "for i := 0; i < n; i++ {║\n", M),
    # rust
    ("rust", "fn f() {║\n}\n", M),
    ("rust", "impl A {\n    fn f(&self) {\n        ║\n    }\n}\n", M),
    ("rust", "let v = vec.iter().map(|x| ║).collect();\n", S),
    ("rust", "let n = 4║2;\n", N),
    # java
    ("java", "class A {\n  void f() {║\n  }\n}\n", M),
    ("java", "class A {\n  int f() { return Math.max(║, 2); }\n}\n", S),
    ("java", "class A {\n  void f() {\n    run();║\n  }\n}\n", N),
    # c
    ("c", "int f(void) {║\n}\n", M),
    ("c", "int f(void) {\n  ║\n}\n", M),
    ("c", '  printf("%d\\n", ║);\n', S),
    ("c", "  x = y;║\n", N),
    # cpp
    ("cpp", "class A {\n  int f() {║\n  }\n};\n", M),
    ("cpp", "auto v = std::max(║, 2);\n", S),
    ("cpp", "/* block ║ */\n", S),
    # lua
    ("lua", "if x then║\nend\n", M),
    ("lua", "local function f(a)║\nend\n", M),
    ("lua", "for i = 1, 3 do\n  ║\nend\n", M),
    ("lua", "local t = math.max(║, 2)\n", S),
    ("lua", "if x then║\n  y()\nend\n", N),
    # ruby
    ("ruby", "def foo(a)║\nend\n", M),
    ("ruby", "def foo\n  ║\nend\n", M),
    ("ruby", "items.each do |item|║\nend\n", M),
    ("ruby", "total = [a, b].max(║) + 1\n", S),
    ("ruby", "def foo(a)║\n  a + 1\nend\n", N),
    # bash
    ("shellscript", 'if [ -f "$f" ]; then║\nfi\n', M),
    ("shellscript", "for f in *.txt; do\n  ║\ndone\n", M),
    ("shellscript", "greet() {║\n}\n", M),
    ("shellscript", 'echo "hello ║"\n', S),
    ("shellscript", "# comment ║\n", S),
]

LANGUAGES = {case[0] for case in CASES}


def at(document: str, language: str) -> Hole:
    before, after = document.split(CURSOR)
    lines = (before + after).split("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return analyze(lines, before.count("\n"), column, language=language)


@pytest.mark.parametrize(("language", "snippet", "expected"), CASES)
def test_trigger_table(language: str, snippet: str, expected: Mode) -> None:
    """The trigger picks the expected mode for this snippet in this language, with a tree."""
    hole = at(snippet, language)
    assert hole.grammar is not None
    assert hole.mode is expected, hole.reason


def test_the_table_covers_every_language_with_a_grammar() -> None:
    """Python, JavaScript, TypeScript, TSX, Go, Rust, Java, C, C++, Lua, Ruby and Bash each have
    rows for the three modes' typical places."""
    assert LANGUAGES == {
        "python",
        "javascript",
        "typescript",
        "typescriptreact",
        "go",
        "rust",
        "java",
        "c",
        "cpp",
        "lua",
        "ruby",
        "shellscript",
    }


def test_block_opener_with_body_broken_by_missing_brace_uses_indentation() -> None:
    """Just typed `{` with no `}` yet: the parser swallows the next function into the block,
    so the tree cannot tell; the next line's indentation says the body is still empty."""
    hole = at("function f(a) {║\n\nfunction g() {\n  return 1;\n}\n", "javascript")
    assert hole.mode is M and hole.new_line
    assert at("function f(a) {║\n  return a;\n", "javascript").mode is N


def test_colon_inside_an_open_bracket_is_not_a_block_opener() -> None:
    """`{"a":` at the end of a Python line continues a dict, it opens no block."""
    assert at('data = {"a":║\n', "python").mode is S
    assert at("values = items[1:║\n", "python").mode is S


def test_opener_in_a_comment_or_string_does_not_open_a_block() -> None:
    """A `{` or `:` inside a comment or a string at the end of the line is text."""
    assert at("x = 1  // see {║\n", "javascript").mode is S
    assert at('label = "value:║\n', "python").mode is S


def test_incomplete_statement_ending_in_a_closer_still_gets_a_request() -> None:
    """`if (x > 0)` ends with `)` but is no complete statement: the line may go on."""
    assert at("if (x > 0)║\n", "javascript").mode is S
    assert at("def f(a)║\n", "python").mode is S
    assert at("foo();║\n", "javascript").mode is N


def test_semicolon_ends_a_statement_even_where_the_tree_is_broken() -> None:
    """A C field whose struct the parsed lines cut in two still ends with `;`; a `for` header
    being typed does not end at its first `;`."""
    assert at("  volatile void *buf;\t/* Location. */║\n}\n", "c").mode is N
    assert at("for (int i = 0;║\n", "c").mode is S


def test_a_comment_between_the_colon_and_the_body_is_skipped() -> None:
    """`def f():` followed by a comment line and a body has a body: no block is asked for."""
    assert at("def f():║\n    # type: () -> str\n    return 1\n", "python").mode is N
    assert at("def f():║\n    # to do\n\nx = 1\n", "python").mode is M


def test_the_trigger_hands_its_tree_to_the_hole() -> None:
    """The hole's tree is the parse of its window, made once by the trigger; a hole that is
    built by hand parses lazily; `cursor_byte` counts UTF-8 bytes (trees count bytes)."""
    hole = at('label = "é║")\n', "python")
    assert "tree" in vars(hole)
    assert hole.tree is not None and hole.tree.root_node.type == "module"
    assert str(hole.tree.root_node) == str(parse(hole.prefix + hole.suffix, "python").root_node)
    assert hole.cursor_byte == len('label = "é'.encode())
    made = Hole(prefix="x = (", suffix=")", mode=S, reason="", line=0, character=5, grammar="go")
    assert made.tree is not None and str(made.tree.root_node) == str(
        parse("x = ()", "go").root_node
    )
    assert Hole(prefix="", suffix="", mode=N, reason="", line=0, character=0).tree is None


def test_languages_without_a_grammar_keep_the_regular_expression_rules() -> None:
    """No grammar: block openers by regular expression, and the same inside-a-word rule."""
    assert at("procedure P is begin║\n", "ada").grammar is None
    assert at("Sub Main() {║\n", "vb").mode is M
    assert at("call(fo║o)\n", "plaintext").mode is N
    assert at("call(║foo)\n", "plaintext").mode is S
