"""Enclosing function/class by indentation, and selections grown to whole lines."""

from __future__ import annotations

from glm_lsp.edits.scope import enclosing_block, whole_lines
from glm_lsp.edits.text import split_lines

PY = """\
import os


@decorator
def outer(a,
          b):
    x = 1

    def inner():
        return x
    return inner


class Box:
    def get(self):
        return self.value
"""

TS = """\
export class Store {
  private items: string[] = [];

  add(item: string): void {
    if (item) {
      this.items.push(item);
    }
  }
}

function helper(x: number) {
  return x * 2;
}
"""


def lines_of(text: str) -> list[str]:
    return split_lines(text)


def test_python_innermost_function_with_decorator() -> None:
    """Ensure the innermost def around the cursor is found, decorators included."""
    lines = lines_of(PY)
    assert enclosing_block(lines, 9) == (8, 9)  # inside inner()
    assert enclosing_block(lines, 6) == (3, 10)  # outer body, decorator on line 3
    assert enclosing_block(lines, 7) == (3, 10)  # blank line inside outer
    assert enclosing_block(lines, 15) == (14, 15)  # method of Box


def test_python_cursor_on_header_and_outside_any_block() -> None:
    """Ensure the header line itself belongs to its block and top-level code has none."""
    lines = lines_of(PY)
    assert enclosing_block(lines, 13) == (13, 15)  # class Box header
    assert enclosing_block(lines, 0) is None


def test_python_multiline_signature_closing_line() -> None:
    """Ensure a signature split over lines ending in '):' does not end the search."""
    lines = lines_of("def f(\n    a,\n):\n    return a\n\nx = 1\n")
    assert enclosing_block(lines, 3) == (0, 3)


def test_brace_language_method_and_function() -> None:
    """Ensure brace blocks include their closing line and skip if/for blocks."""
    lines = lines_of(TS)
    assert enclosing_block(lines, 5) == (3, 7)  # add(): inside the if
    assert enclosing_block(lines, 11) == (10, 12)
    assert enclosing_block(lines, 1) == (0, 8)  # class field -> class


def test_whole_lines_growth() -> None:
    """Ensure selections grow to whole lines and a selection ending at column 0 stops there."""
    lines = lines_of("a\nbb\nccc\n")
    assert whole_lines(lines, (0, 1), (1, 1)) == ((0, 0), (2, 0))
    assert whole_lines(lines, (0, 0), (2, 0)) == ((0, 0), (2, 0))
    assert whole_lines(lines, (2, 1), (2, 2)) == ((2, 0), (3, 0))
    no_break = lines_of("a\nbb")
    assert whole_lines(no_break, (1, 0), (1, 1)) == ((1, 0), (1, 2))
