"""The function, method or class around a line, from the syntax tree.

`enclosing_scope(text, line, grammar)` parses `text` (the caller bounds it: a window of lines
around the cursor) and returns the rows of the innermost scope node whose rows hold `line`,
grown to take in what only names or decorates it (`@decorator`, `export`, `const f = () =>`).
"""

from __future__ import annotations

from tree_sitter import Node, Tree

from . import byte_offset, parse
from .tables import SCOPE_WRAPPERS, scopes

__all__ = ["enclosing_scope", "scope_rows"]


def enclosing_scope(
    text: str, line: int, grammar: str | None, tree: Tree | None = None
) -> tuple[int, int] | None:
    """(first, last) rows of the innermost function/method/class around row `line` of `text`,
    or None when there is none, no grammar, or `text` is too long to parse."""
    if tree is None:
        tree = parse(text, grammar)
    if tree is None or grammar is None:
        return None
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    row = lines[line]
    start = sum(len(above) + 1 for above in lines[:line])
    first = start + len(row) - len(row.lstrip())
    last = start + max(len(row.rstrip()) - 1, 0)
    found = []
    for index in {first, last}:
        at = byte_offset(text, index)
        node = tree.root_node.descendant_for_byte_range(at, at)
        rows = scope_rows(node, line, grammar) if node is not None else None
        if rows is not None:
            found.append(rows)
    # The scope from the line's start, or one that opens on it (`items.forEach((x) => {`).
    return max(found, key=lambda rows: (rows[0], -rows[1])) if found else None


def scope_rows(node: Node, line: int, grammar: str) -> tuple[int, int] | None:
    """Rows of the innermost scope at or above `node` that holds row `line`."""
    kinds = scopes(grammar)
    current: Node | None = node
    while current is not None:
        if _rows(current)[0] <= line <= _rows(current)[1]:
            if current.is_named and current.type in kinds:
                return _rows(_wrapped(current))
            scope = _wrapped_scope(current, kinds)
            if scope is not None:
                return _rows(scope)
        current = current.parent
    return None


def _wrapped_scope(node: Node, kinds: frozenset[str]) -> Node | None:
    """`node` when it is a wrapper (decorators, `export`...) around a scope, else None."""
    if node.type not in SCOPE_WRAPPERS:
        return None
    inner = [child for child in node.named_children if child.type in kinds]
    if inner:
        return _wrapped(inner[-1])
    wrapped = [child for child in node.named_children if child.type in SCOPE_WRAPPERS]
    if wrapped and _wrapped_scope(wrapped[-1], kinds) is not None:
        return _wrapped(node)
    return None


def _wrapped(node: Node) -> Node:
    """`node` grown through the wrappers that only name or decorate it."""
    while node.parent is not None and node.parent.type in SCOPE_WRAPPERS:
        node = node.parent
    return node


def _rows(node: Node) -> tuple[int, int]:
    start, end = node.start_point, node.end_point
    last = end.row - 1 if end.column == 0 and end.row > start.row else end.row
    return start.row, last
