"""The code actions' enclosing function/class from the syntax tree, per language (issue 14).

Each sample marks the expected scope of some lines; `None` means the line is outside any
function or class. Without a grammar the indentation rule of `test_edits_scope.py` still works.
"""

from __future__ import annotations

import pytest

from glm_lsp.edits import preparation
from glm_lsp.edits.scope import SCOPE_LINES_BEFORE, enclosing_block
from glm_lsp.edits.text import split_lines

SAMPLES: dict[str, tuple[str, dict[int, tuple[int, int] | None]]] = {
    "python": (
        "import os\n\n\n@decorator\ndef outer(a,\n          b):\n    x = 1\n\n"
        "    def inner():\n        return x\n    return inner\n\n\nclass Box:\n"
        "    def get(self):\n        return self.value\n",
        {0: None, 3: (3, 10), 6: (3, 10), 7: (3, 10), 9: (8, 9), 13: (13, 15), 15: (14, 15)},
    ),
    "javascript": (
        "function outer() {\n  function inner() {\n    return 1;\n  }\n  return inner;\n}\n"
        "const y = 2;\nitems.forEach((x) => {\n  use(x);\n});\n",
        {0: (0, 5), 2: (1, 3), 4: (0, 5), 6: None, 7: (7, 9), 8: (7, 9)},
    ),
    "typescript": (
        "export class Store {\n  private items: string[] = [];\n\n  add(item: string): void {\n"
        "    if (item) {\n      this.items.push(item);\n    }\n  }\n}\n\n"
        "export const helper = (x: number) => {\n  return x * 2;\n};\n",
        {1: (0, 8), 5: (3, 7), 8: (0, 8), 9: None, 11: (10, 12)},
    ),
    "typescriptreact": (
        "export function App() {\n  return <div>{items.map((i) => {\n"
        "    return <p>{i}</p>;\n  })}</div>;\n}\n",
        {0: (0, 4), 2: (1, 3), 4: (0, 4)},
    ),
    "go": (
        "package m\n\nfunc (r *R) M() int {\n\tf := func() {\n\t\tx()\n\t}\n\treturn 1\n}\n\n"
        "var x = 1\n",
        {0: None, 2: (2, 7), 4: (3, 5), 6: (2, 7), 9: None},
    ),
    "rust": (
        "impl A {\n    fn f(&self) -> i32 {\n        1\n    }\n}\n\nfn g() {\n}\n"
        "const X: i32 = 1;\n",
        {0: (0, 4), 2: (1, 3), 4: (0, 4), 6: (6, 7), 8: None},
    ),
    "java": (
        "class A {\n  int x;\n  void f() {\n    run();\n  }\n}\n",
        {1: (0, 5), 3: (2, 4), 5: (0, 5)},
    ),
    "c": (
        "#include <x.h>\nint f(void) {\n  return 1;\n}\nint x = 2;\n",
        {0: None, 2: (1, 3), 4: None},
    ),
    "cpp": (
        "namespace n {\nclass A {\n  int f() {\n    return 1;\n  }\n};\n}\n",
        {0: (0, 6), 1: (1, 5), 3: (2, 4), 5: (1, 5)},
    ),
    "lua": (
        "local function f(a)\n  local g = function()\n    return 1\n  end\n  return g\nend\n"
        "x = 1\n",
        {0: (0, 5), 2: (1, 3), 4: (0, 5), 6: None},
    ),
    "ruby": (
        "class A\n  def b\n    1\n  end\n\n  def self.c\n    2\n  end\nend\nputs 1\n",
        {0: (0, 8), 2: (1, 3), 4: (0, 8), 6: (5, 7), 9: None},
    ),
    "shellscript": (
        "greet() {\n  echo hi\n}\necho done\n",
        {1: (0, 2), 3: None},
    ),
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_enclosing_scope_per_language(language: str) -> None:
    """The tree finds the innermost function, method or class (nested ones, methods inside
    classes, decorators and `export` included) and nothing for a line outside them."""
    text, expected = SAMPLES[language]
    lines = split_lines(text)
    for line, rows in expected.items():
        assert enclosing_block(lines, line, language=language) == rows, (language, line)


def test_the_path_suffix_chooses_the_grammar_when_the_language_id_is_unknown() -> None:
    """A document opened without a usable language id still gets the tree by its suffix."""
    text, _ = SAMPLES["go"]
    assert enclosing_block(split_lines(text), 4, path="/src/m.go") == (3, 5)


def test_tree_beats_indentation_where_indentation_is_misleading() -> None:
    """A C function whose body is not indented, and a Go method whose body starts with a
    closure: indentation would be wrong, the tree is not."""
    c_text = "int f(void)\n{\nreturn 1;\n}\n"
    assert enclosing_block(split_lines(c_text), 2, language="c") == (0, 3)
    js_text = "const handler = async (event) => {\n  await run(event);\n};\n"
    assert enclosing_block(split_lines(js_text), 1, language="javascript") == (0, 2)


def test_without_a_grammar_the_indentation_rule_decides() -> None:
    """Languages with no grammar (and broken trees that find nothing) use indentation."""
    text = "proc area {r} {\n  set x [expr $r * $r]\n  return $x\n}\n"
    assert enclosing_block(split_lines(text), 1, language="tcl") == (0, 3)
    broken = "def f(x):\n    y = (x +\n    return y\n"
    assert enclosing_block(split_lines(broken), 2, language="python") == (0, 2)


def test_a_function_far_below_the_file_start_is_found_in_the_parsed_window() -> None:
    """The tree is parsed over a window of lines around the cursor, not the whole file; a
    function far down a long file is still found, at its document lines."""
    filler = [f"value_{n} = {n}\n" for n in range(3 * SCOPE_LINES_BEFORE)]
    lines = [*filler, "def last(a):\n", "    b = a\n", "    return b\n"]
    start = len(filler)
    assert enclosing_block(lines, start + 1, language="python") == (start, start + 2)
    assert enclosing_block(lines, 10, language="python") is None


def test_tests_are_written_for_the_function_the_tree_finds() -> None:
    """`glm.tests` without a selection targets the enclosing function by the tree too (here a
    Go method holding a raw string at column 0, which stops the indentation rule)."""
    text = "package m\n\nfunc (c *C) Q() string {\n\tq := `\nSELECT 1\n`\n\treturn q\n}\n"
    cursor = text.index("return q")
    start, end = preparation.tests_range(text, cursor, cursor, language="go", path="/src/m.go")
    assert text[start:end] == text[text.index("func") :]
    assert preparation.tests_range(text, cursor, cursor) == (0, len(text))
