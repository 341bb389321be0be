"""Final filters that read the parse tree: where the unit being completed ends, which closers fit.

Both filters insert the answer into the window tree the hole carries (`Hole.tree`, the parse of
`prefix + suffix`) with an incremental reparse, and judge the result by the parse errors it adds
compared to the document without the answer. The window around a cursor often has errors of its
own (a partial window, code being typed), so only the difference counts. Without a grammar, or
when the tree cannot decide, the regular-expression rules of `filters` and `reindent` decide.

* `cut_at_unit_end`: over-generation stops where the syntactic unit around the cursor ends: in
  single-line mode the statement being completed, in block mode the block being filled.
* `balance_by_tree`: among a few cut points (line ends, before and after closers, the whole
  answer), the longest answer that adds no parse error is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tree_sitter import Node, Parser, Tree

from .hole import Hole, Mode

MAX_CANDIDATES = 8
"""Reparses tried per answer by `balance_by_tree` (each costs a fraction of a millisecond)."""

LOCAL_ERROR_LINES = 12
"""A parse error around the cursor that began further up than this is not the line being typed
but a window that starts inside a string or a construct: the tree is not trusted there."""

CLOSERS = b")]}"

_CONTAINERS = frozenset(
    "module program source_file translation_unit chunk block statement_block compound_statement "
    "statement_list class_body interface_body enum_body declaration_list field_declaration_list "
    "body_statement then else do_block do_group begin ensure rescue switch_body "
    "switch_block".split()
)


@dataclass(frozen=True)
class _Site:
    """The window around the cursor as bytes, with its tree and the errors it has alone."""

    tree: Tree
    parser: Parser
    head: bytes
    tail: bytes
    errors: int

    @property
    def cursor(self) -> int:
        return len(self.head)


@lru_cache(maxsize=16)
def _parser_for(tree_language: object) -> Parser:
    return Parser(tree_language)  # type: ignore[arg-type]


@lru_cache(maxsize=4)
def _site(hole: Hole) -> _Site | None:
    """The hole's window tree and its error count; None without a grammar or a tree, or when
    the tree around the cursor is not to be trusted."""
    tree = hole.tree if hole.grammar is not None else None
    if tree is None:
        return None
    head = hole.prefix.encode("utf-8", "surrogatepass")
    if not _trusted(tree, len(head), head.count(b"\n")):
        return None
    tail = hole.suffix.encode("utf-8", "surrogatepass")
    return _Site(tree, _parser_for(tree.language), head, tail, error_count(tree.root_node))


def _trusted(tree: Tree, cursor: int, row: int) -> bool:
    """False when the cursor lies in a parse error that began well above the cursor line."""
    node: Node | None = tree.root_node.descendant_for_byte_range(cursor, cursor)
    while node is not None:
        if node.is_error and node.start_point[0] < row - LOCAL_ERROR_LINES:
            return False
        node = node.parent
    return True


def error_count(node: Node) -> int:
    """ERROR and MISSING nodes under `node` (only subtrees that have errors are visited)."""
    if not node.has_error:
        return 0
    if node.is_missing:
        return 1
    own = 1 if node.is_error else 0
    return own + sum(error_count(child) for child in node.children)


def _point_after(start: tuple[int, int], inserted: bytes) -> tuple[int, int]:
    lines = inserted.count(b"\n")
    if not lines:
        return start[0], start[1] + len(inserted)
    return start[0] + lines, len(inserted) - inserted.rfind(b"\n") - 1


def _parse_with(site: _Site, answer: bytes) -> Tree:
    """The window tree with `answer` inserted at the cursor (incremental reparse)."""
    head = site.head
    start = (head.count(b"\n"), len(head) - head.rfind(b"\n") - 1)
    edited = site.tree.copy()
    edited.edit(
        start_byte=site.cursor,
        old_end_byte=site.cursor,
        new_end_byte=site.cursor + len(answer),
        start_point=start,
        old_end_point=start,
        new_end_point=_point_after(start, answer),
    )
    return site.parser.parse(head + answer + site.tail, edited)


def _decode(answer: bytes, end: int) -> str:
    return answer[:end].decode("utf-8", "ignore")


# --- truncation at the end of the unit being completed ------------------------------------------


def _is_container(node: Node) -> bool:
    return node.parent is None or node.type in _CONTAINERS


def _statement_at(leaf: Node, line_start: int) -> Node | None:
    """The statement around `leaf` that starts on the cursor line and sits directly in a block
    (None when the cursor is inside a construct that began on an earlier line)."""
    node: Node | None = leaf
    while node is not None and node.parent is not None:
        if node.is_error or node.start_byte < line_start:
            return None
        if _is_container(node.parent):
            return node
        node = node.parent
    return None


def _enclosing(leaf: Node, cursor: int) -> Node | None:
    """The smallest node around `leaf` that began before the cursor: the block being filled."""
    node: Node | None = leaf
    while node is not None and node.start_byte >= cursor:
        node = node.parent
    if node is None or node.parent is None or node.is_error:
        return None
    return node


def _unit_end(tree: Tree, site: _Site, hole: Hole, first: int) -> int | None:
    """Byte offset in the window where the unit holding the answer's first token ends."""
    root = tree.root_node
    leaf = root.descendant_for_byte_range(first, first + 1)
    if leaf is None:
        return None
    if hole.mode is Mode.MULTI_LINE:
        unit = _enclosing(leaf, site.cursor)
    else:
        unit = _statement_at(leaf, site.head.rfind(b"\n") + 1)
    if unit is None:
        return None
    end = unit.end_byte
    sibling = unit.next_sibling
    while sibling is not None and "comment" in sibling.type:
        if sibling.start_point[0] != unit.end_point[0]:
            break
        end = sibling.end_byte
        sibling = sibling.next_sibling
    return end


def cut_at_unit_end(text: str, hole: Hole) -> str | None:
    """Drop what the model wrote after the syntactic unit being completed: the rest of the line
    after the statement at the cursor (single-line mode), or the code after the block being
    filled (block mode). A cut is kept only if it adds no parse error."""
    site = _site(hole)
    content = text.lstrip()
    if site is None or not content:
        return text
    answer = text.encode("utf-8", "surrogatepass")
    lead = len(answer) - len(content.encode("utf-8", "surrogatepass"))
    tree = _parse_with(site, answer)
    end = _unit_end(tree, site, hole, site.cursor + lead)
    if end is None or end >= site.cursor + len(answer.rstrip()):
        return text
    cut = answer[: end - site.cursor]
    errors = error_count(_parse_with(site, cut).root_node)
    if errors > max(site.errors, error_count(tree.root_node)):
        return text
    return _decode(cut, len(cut)).rstrip() or None


# --- bracket balancing by the tree --------------------------------------------------------------


def _cut_points(answer: bytes) -> Iterator[int]:
    """Where the answer may end, longest first: the whole answer, each line end, before and
    after each closing bracket (a few at most)."""
    seen: set[int] = set()
    for index in range(len(answer), 0, -1):
        byte = answer[index - 1 : index]
        ends_line = index == len(answer) or answer[index : index + 1] == b"\n"
        before_closer = answer[index : index + 1] in (b")", b"]", b"}")
        if not (ends_line or byte in (b")", b"]", b"}") or before_closer):
            continue
        end = len(answer[:index].rstrip())
        if end and end not in seen:
            seen.add(end)
            yield end


def _regex_balance(text: str, hole: Hole) -> str | None:
    from .filters import balance_brackets  # filters imports this module

    return balance_brackets(text, hole)


def balance_by_tree(text: str, hole: Hole) -> str | None:
    """Keep the answer cut where its insertion leaves the fewest parse errors in the window (the
    longest such cut: whole, at a line end, or around a closing bracket), provided that adds no
    error to the window without the answer. The regular-expression bracket count decides without
    a grammar, or when every cut adds errors."""
    site = _site(hole)
    if site is None or not text.strip():
        return _regex_balance(text, hole)
    answer = text.encode("utf-8", "surrogatepass")
    best_end, best_errors = 0, -1
    for tried, end in enumerate(_cut_points(answer)):
        if tried >= MAX_CANDIDATES:
            break
        errors = error_count(_parse_with(site, answer[:end]).root_node)
        if best_errors < 0 or errors < best_errors:
            best_end, best_errors = end, errors
        if errors == 0:
            break
    if best_errors < 0 or best_errors > site.errors:
        return _regex_balance(text, hole)
    return _decode(answer, best_end)
