"""Final filters that read the parse tree: where the unit being completed ends, which closers fit.

Both filters insert the answer into the parsed code around the cursor (`tree_site`) with an
incremental reparse, and judge the result by the parse errors it adds compared to the code
without the answer. The window around a cursor often has errors of its own (a partial window,
code being typed), so only the difference counts. Without a grammar, or when the tree cannot
decide, the regular-expression rules of `filters` and `reindent` decide.

* `cut_at_unit_end`: over-generation stops where the syntactic unit around the cursor ends: in
  single-line mode the statement being completed, in block mode the block being filled.
* `balance_by_tree`: among a few cut points (the whole answer, line ends, before and after
  closers), the one with the fewest parse errors is kept, the longest on a tie, provided it
  adds no error to the code without the answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node, Tree

from .hole import Hole, Mode
from .tree_site import MAX_WALK_UP, Site, error_count, errors_with, site_of, with_answer

MAX_CANDIDATES = 8
"""Reparses tried per answer by `balance_by_tree` (each costs a fraction of a millisecond)."""

_CONTAINERS = frozenset(
    "module program source_file translation_unit chunk block statement_block compound_statement "
    "statement_list class_body interface_body enum_body declaration_list field_declaration_list "
    "body_statement then else do_block do_group begin ensure rescue switch_body "
    "switch_block".split()
)

_SEMICOLON_SEPARATES = frozenset({"python", "starlark", "go", "ruby", "bash", "lua"})


def _decode(answer: bytes, end: int) -> str:
    return answer[:end].decode("utf-8", "ignore")


# --- truncation at the end of the unit being completed ------------------------------------------


def _is_container(node: Node) -> bool:
    return node.parent is None or node.type in _CONTAINERS


def _statement_at(leaf: Node, line_start: int) -> Node | None:
    """The statement around `leaf` that starts on the cursor line and sits directly in a block
    (None when the cursor is inside a construct that began on an earlier line)."""
    node: Node | None = leaf
    for _ in range(MAX_WALK_UP):
        if node is None or node.parent is None:
            return None
        if node.is_error or node.start_byte < line_start:
            return None
        if _is_container(node.parent):
            return node
        node = node.parent
    return None


def _enclosing(leaf: Node, cursor: int) -> Node | None:
    """The smallest node around `leaf` that began before the cursor: the block being filled."""
    node: Node | None = leaf
    for _ in range(MAX_WALK_UP):
        if node is None or node.start_byte < cursor:
            break
        node = node.parent
    else:
        return None
    if node is None or node.parent is None:
        return None
    return node


def _in_error(node: Node) -> bool:
    """The node has parse errors or sits inside an ERROR node: its extent means nothing."""
    current: Node | None = node
    for _ in range(MAX_WALK_UP):
        if current is None:
            return False
        if current.is_error or current is node and node.has_error:
            return True
        current = current.parent
    return True


def _statement_end(unit: Node, grammar: str) -> int:
    """Where the statement `unit` ends with what follows it on its last line and belongs to it:
    a comment, a `,`, and a `;` where it ends declarations (not where it separates statements:
    `a + b; print(total)` in Python)."""
    ends = (",",) if grammar in _SEMICOLON_SEPARATES else (";", ",")
    end = unit.end_byte
    sibling = unit.next_sibling
    while sibling is not None and sibling.start_point[0] == unit.end_point[0]:
        if "comment" not in sibling.type and sibling.type not in ends:
            break
        end = sibling.end_byte
        sibling = sibling.next_sibling
    return end


def _unit_end(tree: Tree, site: Site, hole: Hole, answer: bytes, first: int) -> int | None:
    """Offset in `answer` where the unit holding the answer's first token ends: in block mode
    the end of the line where the block being filled ends (`)();`, `];` stay)."""
    leaf = tree.root_node.descendant_for_byte_range(first, first + 1)
    if leaf is None:
        return None
    if hole.mode is Mode.MULTI_LINE:
        unit = _enclosing(leaf, site.cursor)
    else:
        unit = _statement_at(leaf, site.head.rfind(b"\n") + 1)
    if unit is None or _in_error(unit):
        return None
    if hole.mode is not Mode.MULTI_LINE:
        return _statement_end(unit, hole.grammar or "") - site.cursor
    end = unit.end_byte - site.cursor
    line_end = answer.find(b"\n", max(end, 0))
    return len(answer) if line_end < 0 else line_end


def cut_at_unit_end(text: str, hole: Hole) -> str | None:
    """Drop what the model wrote after the syntactic unit being completed: the rest of the line
    after the statement at the cursor (single-line mode), or the code after the block being
    filled (block mode). A cut is kept only if it adds no parse error."""
    site = site_of(hole)
    content = text.lstrip()
    if site is None or not content:
        return text
    answer = text.encode("utf-8", "surrogatepass")
    lead = len(answer) - len(content.encode("utf-8", "surrogatepass"))
    tree = with_answer(site, answer)
    end = _unit_end(tree, site, hole, answer, site.cursor + lead)
    if end is None or end >= len(answer.rstrip()):
        return text
    cut = answer[:end]
    errors = errors_with(site, cut)
    if errors is None or errors > max(site.errors, error_count(tree.root_node)):
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
    site = site_of(hole)
    if site is None or not text.strip():
        return _regex_balance(text, hole)
    answer = text.encode("utf-8", "surrogatepass")
    best_end, best_errors = 0, -1
    for tried, end in enumerate(_cut_points(answer)):
        if tried >= MAX_CANDIDATES:
            break
        errors = errors_with(site, answer[:end])
        if errors is None:
            continue
        if best_errors < 0 or errors < best_errors:
            best_end, best_errors = end, errors
        if errors == 0:
            break
    if best_errors < 0 or best_errors > site.errors:
        return _regex_balance(text, hole)
    return _decode(answer, best_end)
