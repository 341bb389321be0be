"""The parse-tree filters (`inline/tree_rules.py`) in every language that has a grammar.

Documents are written with `|` at the cursor; holes come from the real trigger (`analyze`), so
each case also exercises the window tree the trigger hands over.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from glm_lsp.inline import Hole, Mode, analyze, postprocess
from glm_lsp.inline.filters import balance_brackets
from glm_lsp.inline.tree_rules import balance_by_tree, cut_at_unit_end
from glm_lsp.inline.trigger import PREFIX_LINES
from glm_lsp.parsing import parse


def hole_at(document: str, language: str) -> Hole:
    """The hole at the `|` of `document`."""
    before, after = document.split("|")
    lines = (before + after).split("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return analyze(lines, before.count("\n"), column, language=language)


@dataclass(frozen=True)
class Lang:
    """One language's documents: a statement being completed, a body being filled, a call
    whose closer the line may or may not already have, and a broken line elsewhere."""

    language: str
    statement: str
    over_statement: str
    statement_cut: str
    body: str
    over_body: str
    body_cut: str
    call: str
    closer: str
    broken: str

    @property
    def body_alone(self) -> str:
        """The body the user keeps: without the closer the document already has."""
        return self.body_cut.rsplit("\n", 1)[0]


LANGS = [
    Lang(
        "python",
        "def f(a, b):\n    total = |\n    return total\n",
        "a + b; print(total)",
        "a + b",
        "def area(r):\n    |\n\n\ndef main():\n    pass\n",
        "return 3.14 * r * r\n\n\ndef perimeter(r):\n    return 6.28 * r",
        "return 3.14 * r * r\n",
        "def f(a):\n    total = add(a, |{closer}\n    return total\n",
        ")",
        "value = = 1\n\n",
    ),
    Lang(
        "javascript",
        "function f(a, b) {\n  const total = |\n  return total;\n}\n",
        "a + b; console.log(total);",
        "a + b;",
        "function area(r) {\n  |\n}\n\nmain();\n",
        "return 3.14 * r * r;\n}\n\nfunction perimeter(r) {\n  return 6.28 * r;\n}",
        "return 3.14 * r * r;\n}",
        "function f(a) {\n  const total = add(a, |{closer}\n  return total;\n}\n",
        ");",
        "let = ;\n\n",
    ),
    Lang(
        "typescript",
        "function f(a: number, b: number): number {\n"
        "  const total: number = |\n  return total;\n}\n",
        "a + b; console.log(total);",
        "a + b;",
        "function area(r: number): number {\n  |\n}\n\nmain();\n",
        "return 3.14 * r * r;\n}\n\nfunction perimeter(r: number): number {\n  return 6.28 * r;\n}",
        "return 3.14 * r * r;\n}",
        "function f(a: number): number {\n  const total = add(a, |{closer}\n  return total;\n}\n",
        ");",
        "let x: = ;\n\n",
    ),
    Lang(
        "go",
        "func f(a, b int) int {\n\ttotal := |\n\treturn total\n}\n",
        "a + b; fmt.Println(total)",
        "a + b",
        "func area(r float64) float64 {\n\t|\n}\n\nfunc main() {}\n",
        "return 3.14 * r * r\n}\n\nfunc perimeter(r float64) float64 {\n\treturn 6.28 * r\n}",
        "return 3.14 * r * r\n}",
        "func f(a int) int {\n\ttotal := add(a, |{closer}\n\treturn total\n}\n",
        ")",
        "var = 1\n\n",
    ),
    Lang(
        "rust",
        "fn f(a: i32, b: i32) -> i32 {\n    let total = |\n    total\n}\n",
        'a + b; println!("{}", total);',
        "a + b;",
        "fn area(r: f64) -> f64 {\n    |\n}\n\nfn main() {}\n",
        "3.14 * r * r\n}\n\nfn perimeter(r: f64) -> f64 {\n    6.28 * r\n}",
        "3.14 * r * r\n}",
        "fn f(a: i32) -> i32 {\n    let total = add(a, |{closer}\n    total\n}\n",
        ");",
        "const X: i32 = ;\n\n",
    ),
    Lang(
        "java",
        "class A {\n    int f(int a, int b) {\n"
        "        int total = |\n        return total;\n    }\n}\n",
        "a + b; System.out.println(total);",
        "a + b;",
        "class Shapes {\n    double area(double r) {\n        |\n    }\n}\n",
        "return 3.14 * r * r;\n    }\n\n"
        "    double perimeter(double r) {\n        return 6.28 * r;\n    }",
        "return 3.14 * r * r;\n    }",
        "class A {\n    int f(int a) {\n        int total = add(a, |{closer}\n"
        "        return total;\n    }\n}\n",
        ");",
        "class Broken { int = ; }\n\n",
    ),
    Lang(
        "c",
        "int f(int a, int b) {\n    int total = |\n    return total;\n}\n",
        'a + b; printf("%d", total);',
        "a + b;",
        "double area(double r) {\n    |\n}\n\nint main(void) { return 0; }\n",
        "return 3.14 * r * r;\n}\n\ndouble perimeter(double r) {\n    return 6.28 * r;\n}",
        "return 3.14 * r * r;\n}",
        "int f(int a) {\n    int total = add(a, |{closer}\n    return total;\n}\n",
        ");",
        "int broken = ;\n\n",
    ),
    Lang(
        "cpp",
        "int f(int a, int b) {\n    int total = |\n    return total;\n}\n",
        "a + b; std::cout << total;",
        "a + b;",
        "double area(double r) {\n    |\n}\n\nint main() { return 0; }\n",
        "return 3.14 * r * r;\n}\n\ndouble perimeter(double r) {\n    return 6.28 * r;\n}",
        "return 3.14 * r * r;\n}",
        "int f(int a) {\n    int total = add(a, |{closer}\n    return total;\n}\n",
        ");",
        "int broken = ;\n\n",
    ),
    Lang(
        "lua",
        "local function f(a, b)\n  local total = |\n  return total\nend\n",
        "a + b; print(total)",
        "a + b",
        "local function area(r)\n  |\nend\n\nmain()\n",
        "return 3.14 * r * r\nend\n\nlocal function perimeter(r)\n  return 6.28 * r\nend",
        "return 3.14 * r * r\nend",
        "local function f(a)\n  local total = add(a, |{closer}\n  return total\nend\n",
        ")",
        "local = = 1\n\n",
    ),
    Lang(
        "ruby",
        "def f(a, b)\n  total = |\n  total\nend\n",
        "a + b; puts total",
        "a + b",
        "def area(r)\n  |\nend\n\nmain\n",
        "3.14 * r * r\nend\n\ndef perimeter(r)\n  6.28 * r\nend",
        "3.14 * r * r\nend",
        "def f(a)\n  total = add(a, |{closer}\n  total\nend\n",
        ")",
        "value = = 1\n\n",
    ),
    Lang(
        "bash",
        'f() {\n  local total=|\n  echo "$total"\n}\n',
        '$((a + b)); echo "$total"',
        "$((a + b))",
        "area() {\n  |\n}\n\nmain\n",
        "echo $((r * r))\n}\n\nperimeter() {\n  echo $((2 * r))\n}",
        "echo $((r * r))\n}",
        'f() {\n  total=$(add "$a" |{closer}\n  echo "$total"\n}\n',
        ")",
        "if then fi\n\n",
    ),
]
IDS = [lang.language for lang in LANGS]


@pytest.mark.parametrize("lang", LANGS, ids=IDS)
def test_single_line_over_generation_stops_at_the_statement_end(lang: Lang) -> None:
    """A second statement the model wrote on the cursor line is dropped; the statement being
    completed keeps its own terminator where the language has one."""
    hole = hole_at(lang.statement, lang.language)
    assert hole.mode is Mode.SINGLE_LINE
    assert cut_at_unit_end(lang.over_statement, hole) == lang.statement_cut
    assert postprocess(lang.over_statement, hole) == lang.statement_cut


@pytest.mark.parametrize("lang", LANGS, ids=IDS)
def test_block_over_generation_stops_at_the_block_end(lang: Lang) -> None:
    """A new function after the body being filled is dropped (the body's own closer is kept
    by the cut), and the whole pipeline shows the body alone: the document has the closer."""
    hole = hole_at(lang.body, lang.language)
    assert hole.mode is Mode.MULTI_LINE
    assert cut_at_unit_end(lang.over_body, hole) == lang.body_cut.rstrip("\n")
    shown = postprocess(lang.over_body, hole)
    assert shown == (lang.body_cut.rstrip("\n") if lang.language == "python" else lang.body_alone)


def _call(lang: Lang, closer: str, *, broken: bool = False) -> Hole:
    document = lang.call.replace("{closer}", closer)
    return hole_at((lang.broken if broken else "") + document, lang.language)


@pytest.mark.parametrize("broken", [False, True], ids=["clean", "error_elsewhere"])
@pytest.mark.parametrize("lang", LANGS, ids=IDS)
def test_closer_the_line_already_has_is_cut(lang: Lang, broken: bool) -> None:
    """`add(a, |)` answered with one closer too many loses it: the line's own closer closes the
    call. A broken statement elsewhere in the document does not change the decision."""
    hole = _call(lang, lang.closer, broken=broken)
    arg = '"$b"' if lang.language == "bash" else "b"
    doubled = arg + ")" + lang.closer
    assert balance_by_tree(doubled, hole) == arg


@pytest.mark.parametrize("broken", [False, True], ids=["clean", "error_elsewhere"])
@pytest.mark.parametrize("lang", LANGS, ids=IDS)
def test_closer_the_call_needs_is_kept(lang: Lang, broken: bool) -> None:
    """`add(a, |` with nothing after the cursor: an answer that closes the call keeps its
    closer, even though the window without the answer has a parse error at the cursor."""
    hole = _call(lang, "", broken=broken)
    arg = '"$b"' if lang.language == "bash" else "b"
    answer = arg + lang.closer
    assert balance_by_tree(answer, hole) == answer


def test_a_closer_kept_where_the_suffix_closes_something_else() -> None:
    """`JSON.stringify(` + `[title, ...args])`: the `}` below the cursor closes the function,
    not the call, so the answer's `)` stays."""
    document = (
        "function log(title, ...args) {\n  const line = JSON.stringify(|\n  console.log(line);\n}\n"
    )
    hole = hole_at(document, "javascript")
    assert balance_by_tree("[title, ...args])", hole) == "[title, ...args])"
    assert postprocess("[title, ...args])", hole) == "[title, ...args])"


def test_closer_repeated_from_the_rest_of_the_line_is_cut() -> None:
    """`foo(|)` answered `bar)` becomes `bar`; answered `bar()` it stays."""
    hole = hole_at("function run() {\n  foo(|)\n}\n", "javascript")
    assert balance_by_tree("bar)", hole) == "bar"
    assert balance_by_tree("bar()", hole) == "bar()"


def test_mid_line_statement_that_goes_on_after_the_cursor_is_not_cut() -> None:
    """In `round(apply_discount(|), 2)` the statement ends after the cursor's line suffix: the
    answer is not a whole statement and is kept; its repeat of the suffix is cut by balancing."""
    hole = hole_at("def f(price):\n    return round(apply_discount(|), 2)\n", "python")
    assert cut_at_unit_end("price", hole) == "price"
    assert balance_by_tree("price), 2)", hole) == "price"


def test_comment_after_the_statement_stays() -> None:
    """A comment on the statement's own line belongs to it; the next line does not."""
    hole = hole_at("def f(price):\n    total = |\n    return total\n", "python")
    answer = "round(price, 2)  # cents\n    return total"
    assert cut_at_unit_end(answer, hole) == "round(price, 2)  # cents"


def test_bracketed_block_ends_at_its_closer_with_the_statement_end() -> None:
    """A list opened at the end of the cursor line is the unit being filled: the answer ends
    with its `]` and the `;` that ends the statement, not with the next statement."""
    hole = hole_at("function f() {\n  const items = [|\n}\n", "javascript")
    answer = "\n    1,\n    2,\n  ];\n  console.log(items);"
    assert cut_at_unit_end(answer, hole) == "\n    1,\n    2,\n  ];"


def test_method_body_ends_before_the_next_method() -> None:
    """In a class, the body of the method being written ends where the model starts the next
    method at the class's depth."""
    document = "class A:\n    def f(self):|\n\n    def g(self):\n        pass\n"
    hole = hole_at(document, "python")
    answer = "\n        return 1\n\n    def h(self):\n        return 2"
    assert cut_at_unit_end(answer, hole) == "\n        return 1"


def test_language_without_a_grammar_uses_the_regular_expression_rules() -> None:
    """No grammar (COBOL): the tree cut changes nothing and bracket balancing is the regular
    expression count."""
    hole = hole_at("MOVE A TO |.\n", "cobol")
    assert hole.grammar is None
    assert cut_at_unit_end("B). MOVE C TO D", hole) == "B). MOVE C TO D"
    assert balance_by_tree("B). MOVE C", hole) == balance_brackets("B). MOVE C", hole)


def test_window_that_starts_inside_a_string_falls_back_to_the_regular_expression_rules() -> None:
    """When the prefix window starts inside a docstring, the tree sees code as text and text as
    code around the cursor: the tree filters leave the decision to the regular expressions."""
    filler = [f"    line {n} of a long docstring (with a bracket" for n in range(PREFIX_LINES + 40)]
    lines = ["def f(a):", '    """Start.', *filler, '    """', "    total = add(a, "]
    document = "\n".join(lines) + "|)\n    return total\n"
    hole = hole_at(document, "python")
    assert hole.grammar == "python" and not hole.prefix.startswith("def f")
    answer = '"""b""")'
    assert cut_at_unit_end(answer, hole) == answer
    assert balance_by_tree(answer, hole) == balance_brackets(answer, hole)


def test_window_inside_a_docstring_is_parsed_from_the_last_definition() -> None:
    """A prefix window that starts inside a docstring inverts every string after it; the tree
    filters parse from the last top-level definition instead, so a docstring answer is whole."""
    filler = [f"    line {n} of a long docstring" for n in range(PREFIX_LINES + 40)]
    lines = ["def f(a):", '    """Start.', *filler, '    """', "    return a", "", ""]
    hole = hole_at("\n".join([*lines, "def g(b):|"]) + "\n", "python")
    assert not hole.prefix.startswith("def f")
    answer = '\n    """Doc."""\n    return b'
    assert cut_at_unit_end(answer, hole) == answer
    assert balance_by_tree(answer, hole) == answer


def test_closer_of_an_enclosing_class_does_not_count_against_the_answer() -> None:
    """Filling a method of a class, the answer's own `}` closing its `if` stays: the class's
    closing brace below is not mistaken for one the answer made stray."""
    document = (
        "class Handle {\n    void close() {\n        release();\n    }\n\n"
        "    void dispose() {|\n    }\n}\n"
    )
    hole = hole_at(document, "java")
    answer = "\n        if (handle != null) {\n            handle.close();\n        }"
    assert balance_by_tree(answer, hole) == answer


def test_window_full_of_parse_errors_is_left_to_the_regular_expressions() -> None:
    """Code around the cursor with many parse errors (half-written, or not the language the
    editor says) is not judged by its tree: both filters give what the regex rules give."""
    broken = "".join(f"value{n} = = ) {n}\n" for n in range(20))
    hole = hole_at(broken + "total = add(a, |)\n", "python")
    window = parse(hole.prefix + hole.suffix, hole.grammar)
    assert window is not None and window.root_node.has_error
    answer = "b)); print(total)"
    assert cut_at_unit_end(answer, hole) == answer
    assert balance_by_tree(answer, hole) == balance_brackets(answer, hole)
