"""What the syntax tree says about a cursor: in a word, a string or a comment; which block the
code before it opens and whether that block has a body yet; whether its statement is complete.

Code points in, code points out: `cursor_facts(text, index, grammar)` converts to UTF-8 bytes
inside. The caller passes a bounded window (the inline trigger's prefix + suffix, a few hundred
lines: under a millisecond or two to parse), or the tree it already has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node, Tree

from . import byte_offset, parse
from .tables import (
    BLOCK_CLOSERS,
    COMPLETERS,
    HEADER_ENDS,
    HEADER_PARTS,
    INTERPOLATIONS,
    KEYWORD_OPENERS,
    STRINGS,
    blocks,
    is_comment,
    scopes,
)

__all__ = ["CursorFacts", "cursor_facts", "leaf_before", "previous_leaf"]

_WORD_TOKEN = re.compile(rb"^[\w.]*\w[\w.]*$")
_WEAK_OPENERS = frozenset({"(", "[", "=>"})
_LINE_COMMENT = (b"#", b"//", b"--")


@dataclass(frozen=True)
class CursorFacts:
    """The tree's view of one cursor position.

    `opener` is "strong" when the last code token before the cursor opens a block whose body
    goes on the next line (`:`, `{`, `do`, `then`, the end of a Ruby `def` or Lua `function`
    header), "weak" for `(`, `[` and `=>`, else ""; `last_row` is the row of that last code
    token (-1: none before the cursor), counted from the start of the parsed text.
    `body` says whether the block it opens already holds statements (None: the tree cannot
    tell, the block is unclosed or broken). `complete` is True when the statement that ends
    right before the cursor ends with `;`, `)`, `]` or `}` and parsed without error.
    `enclosing` lists the statement, block, function and class nodes around the cursor,
    innermost first.
    """

    in_word: bool
    string_kind: str
    comment_kind: str
    innermost: str
    enclosing: tuple[str, ...]
    opener: str
    last_row: int
    body: bool | None
    complete: bool

    @property
    def in_string(self) -> bool:
        return bool(self.string_kind)

    @property
    def in_comment(self) -> bool:
        return bool(self.comment_kind)


def cursor_facts(
    text: str, index: int, grammar: str | None, tree: Tree | None = None
) -> CursorFacts | None:
    """The facts at code point `index` of `text` (None without a grammar or a tree).

    `tree`, when given, must be the parse of `text` (it saves the parse)."""
    if tree is None:
        tree = parse(text, grammar)
    if tree is None or grammar is None:
        return None
    source = text.encode("utf-8", "surrogatepass")
    at = byte_offset(text, index)
    root = tree.root_node
    node = root.descendant_for_byte_range(at, at) or root
    before = leaf_before(root, at)
    code = _code_leaf(before)
    opener, body = _opener(code, grammar) if code is not None else ("", None)
    return CursorFacts(
        in_word=_in_word(node, at, source, text, index),
        string_kind=_string_kind(node, at),
        comment_kind=_comment_kind(before, at, source),
        innermost=_named(node).type,
        enclosing=_enclosing(node, grammar),
        opener=opener,
        last_row=code.end_point.row if code is not None else -1,
        body=body,
        complete=code is not None and _complete(code, grammar),
    )


def leaf_before(root: Node, at: int) -> Node | None:
    """The last token that starts before byte `at` (it may contain `at`), skipping the
    zero-width tokens the parser invents for missing ones."""
    node = root
    while node.child_count:
        chosen = None
        for child in node.children:
            if child.start_byte >= at:
                break
            if child.end_byte > child.start_byte:
                chosen = child
        if chosen is None:
            return None if node is root else node
        node = chosen
    return node


def previous_leaf(node: Node) -> Node | None:
    """The token before `node` in the document (zero-width tokens skipped)."""
    current: Node | None = node
    while current is not None:
        sibling = current.prev_sibling
        while sibling is not None and sibling.end_byte == sibling.start_byte:
            sibling = sibling.prev_sibling
        if sibling is not None:
            return _last_leaf(sibling)
        current = current.parent
    return None


def _last_leaf(node: Node) -> Node:
    while node.child_count:
        wide = [c for c in node.children if c.end_byte > c.start_byte]
        if not wide:
            break
        node = wide[-1]
    return node


def _comment_around(leaf: Node | None) -> Node | None:
    """The comment node `leaf` is or is part of (some grammars split `--` from the text)."""
    found = None
    while leaf is not None:
        if is_comment(leaf.type):
            found = leaf
        elif found is not None:
            break
        leaf = leaf.parent
    return found


def _code_leaf(leaf: Node | None) -> Node | None:
    comment = _comment_around(leaf)
    while comment is not None:
        leaf = previous_leaf(comment)
        comment = _comment_around(leaf)
    return leaf


def _named(node: Node) -> Node:
    current: Node | None = node
    while current is not None and not current.is_named:
        current = current.parent
    return current or node


def _in_word(node: Node, at: int, source: bytes, text: str, index: int) -> bool:
    if 0 < index < len(text) and _word_char(text[index - 1]) and _word_char(text[index]):
        return True
    if node.child_count or not node.start_byte < at < node.end_byte:
        return False
    if node.type in STRINGS or is_comment(node.type):
        return False
    return bool(_WORD_TOKEN.match(source[node.start_byte : node.end_byte]))


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _string_kind(node: Node, at: int) -> str:
    kind = ""
    current: Node | None = node
    while current is not None:
        if current.type in INTERPOLATIONS and current.start_byte < at < current.end_byte:
            return kind
        if current.type in STRINGS and current.start_byte < at:
            if at < current.end_byte or (at == current.end_byte and current.has_error):
                kind = current.type
        current = current.parent
    return kind


def _comment_kind(before: Node | None, at: int, source: bytes) -> str:
    leaf = _comment_around(before)
    if leaf is None or leaf.start_byte >= at:
        return ""
    if at < leaf.end_byte:
        return leaf.type
    if b"\n" in source[leaf.end_byte : at]:
        return ""
    text = source[leaf.start_byte : leaf.end_byte]
    if text.startswith(_LINE_COMMENT) and not text.startswith(b"--[["):
        return leaf.type
    if text.startswith(b"/*") and not text.rstrip().endswith(b"*/"):
        return leaf.type
    return ""


def _enclosing(node: Node, grammar: str) -> tuple[str, ...]:
    containers = blocks(grammar)
    functions = scopes(grammar)
    chain: list[str] = []
    current: Node | None = node
    while current is not None and current.parent is not None:
        parent = current.parent
        if current.type in functions or current.type in containers:
            chain.append(current.type)
        elif parent.type in containers or parent.parent is None:
            chain.append(current.type)
        current = parent
    return tuple(chain)


def _opener(leaf: Node, grammar: str) -> tuple[str, bool | None]:
    token = leaf.type
    parent = leaf.parent
    if parent is None:
        return "", None
    if token == ":" and grammar in ("python", "starlark"):
        if parent.type == "ERROR":
            return "strong", None
        following = [node for node in _siblings_after(leaf) if not is_comment(node.type)]
        if following and following[0].type == "block":
            return "strong", _has_statements(following[0])
        return "", None
    if token == "{" or token in KEYWORD_OPENERS:
        if token in KEYWORD_OPENERS and leaf.is_named:
            return "", None
        return "strong", _body_after(leaf)
    header = _header_end(leaf, grammar)
    if header is not None:
        return "strong", _body_after(header)
    if token in _WEAK_OPENERS:
        return "weak", None
    return "", None


def _header_end(leaf: Node, grammar: str) -> Node | None:
    """The header part of a Ruby method/class or Lua function that `leaf` ends, if it does."""
    kinds = HEADER_ENDS.get(grammar)
    if not kinds:
        return None
    part: Node = leaf
    while part.parent is not None and part.parent.type not in kinds:
        if part.end_byte != part.parent.end_byte and part.parent.type != "ERROR":
            return None
        part = part.parent
    owner = part.parent
    if owner is None or part.end_byte != leaf.end_byte:
        return None
    if part.type in blocks(grammar) or part.type in ("def", "function", "end"):
        return None
    after = _siblings_after(part)
    if after and after[0].type in ("parameters", "method_parameters", "."):
        return None
    return part


def _body_after(token: Node) -> bool | None:
    """Whether the block opened by `token` holds a statement (None: it is broken or unclosed)."""
    parent = token.parent
    if parent is None or parent.type == "ERROR" or parent.has_error:
        return None
    for sibling in _siblings_after(token):
        if sibling.type in BLOCK_CLOSERS:
            return False
        if sibling.is_named and sibling.type not in HEADER_PARTS:
            if sibling.end_byte > sibling.start_byte and _has_statements(sibling) is not False:
                return True
    return False


def _siblings_after(token: Node) -> list[Node]:
    """The nodes after `token` in its parent (`next_sibling` skips zero-width ones)."""
    parent = token.parent
    if parent is None:
        return []
    children = parent.children
    for position, child in enumerate(children):
        if child == token:
            return children[position + 1 :]
    return []


def _has_statements(node: Node) -> bool | None:
    if node.has_error:
        return None
    if not node.named_child_count:
        return node.end_byte > node.start_byte and node.type not in HEADER_PARTS
    return any(
        not is_comment(child.type) and child.end_byte > child.start_byte
        for child in node.named_children
    )


def _complete(leaf: Node, grammar: str) -> bool:
    if leaf.type not in COMPLETERS:
        return False
    containers = blocks(grammar)
    statement: Node = leaf
    while statement.parent is not None and statement.parent.parent is not None:
        if statement.parent.type in containers:
            break
        statement = statement.parent
    return statement.end_byte == leaf.end_byte and not statement.has_error
