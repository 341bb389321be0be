"""Answers that parse thousands of levels deep (`/*/*/*...` in Python is a chain of operators):
the walks over the tree use a stack instead of recursion, and the walks up from a leaf stop
after `MAX_WALK_UP` parents (tree-sitter finds each parent from the root). Before, 60 KB of
`/*` ended in RecursionError after a minute.

The strings are built here; none comes from an evaluation pool.
"""

from __future__ import annotations

from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.tree_site import error_count
from glm_lsp.parsing import parse

PY_ASSIGN = "def cache_dir(env):\n    root = ║\n    return root\n"
DEEP = "/*" * 30_000


def test_errors_of_a_tree_thousands_deep_are_counted() -> None:
    """The parse errors of a 30,000-level chain are counted (no RecursionError), and a tree
    without errors counts none."""
    tree = parse("x = " + DEEP + "\n", "python")
    assert tree is not None and error_count(tree.root_node) >= 1
    clean = parse("x = " + "a / " * 5_000 + "a\n", "python")
    assert clean is not None and error_count(clean.root_node) == 0


def test_answer_thousands_deep_goes_through_every_filter() -> None:
    """The whole pipeline reads a 60 KB answer nested 30,000 deep and returns (a result or
    nothing) instead of raising RecursionError."""
    result = shown(PY_ASSIGN, "python", DEEP, len(DEEP))
    assert result is None or result.startswith("/*")
