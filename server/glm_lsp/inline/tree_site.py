"""The parse of the code around the cursor that the tree filters insert answers into.

The hole's windows start and end at fixed line counts, so the prefix window may begin inside a
docstring or a block comment; every string after that point then reads inverted and the tree is
nonsense around the cursor. The tree filters therefore parse a narrower window of their own: from
the nearest line above the cursor that starts a top-level construct (column 0, after a blank line,
not a closing keyword) to the next such line below it, which also keeps a parse cheap. Without such
lines they use the hole's whole window (`Hole.tree`). The answer is then inserted with an
incremental reparse (`with_answer`), and the result is judged by its ERROR and MISSING nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tree_sitter import Node, Parser, Tree

from glm_lsp.parsing import parse
from glm_lsp.parsing.region import CONTINUATION

from .hole import Hole

MAX_WALK_UP = 256
"""The most parents a walk up the tree visits. tree-sitter finds a node's parent from the root,
so a walk up a tree nested thousands deep (a hostile answer: `/*/*/*...`) takes quadratic
time; a tree deeper than this is one the rules do not judge."""
LOCAL_ERROR_LINES = 12
"""A parse error around the cursor that began further up than this is not the line being typed
but a window that starts inside a string or a construct: the tree is not trusted there."""

HEAD_LINES = 120
TAIL_LINES = 60
"""The narrow window's bounds around the cursor line: without a construct start this close
above, the tree filters stand down; a construct going on longer below is cut."""

MAX_SITE_ERRORS = 12
"""A window with more parse errors than this is not judged by its tree (the counts say little
and every reparse of such a window is slow): the regular-expression rules decide."""

_BRACED = frozenset(
    "javascript typescript tsx c cpp cuda java go rust csharp kotlin swift php scala dart".split()
)
"""Grammars whose constructs may start indented in the window (blocks in braces, comments
that start with `/*` or ` *`): a construct start need not be at column 0."""
_TOP_LEVEL_START = re.compile(r"[A-Za-z_@#/$]|--")


@dataclass(frozen=True)
class Site:
    """The code around the cursor as bytes (`head` ends at the cursor), its tree, the parser
    that made it, and the number of parse errors it has without an answer."""

    tree: Tree
    parser: Parser
    head: bytes
    tail: bytes
    errors: int
    parsed: dict[bytes, Tree] = field(default_factory=dict)

    @property
    def cursor(self) -> int:
        return len(self.head)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _starts_construct(lines: list[str], index: int, floor: int, indented: bool) -> bool:
    """Line `index` starts a construct at the depth `floor` or outside it, after a blank line."""
    line = lines[index]
    depth = _indent(line)
    if depth > floor or (depth and not indented) or not _after_boundary(lines, index, depth):
        return False
    code = line[depth:]
    return bool(_TOP_LEVEL_START.match(code)) and not CONTINUATION.match(code)


def _after_boundary(lines: list[str], index: int, depth: int) -> bool:
    """The line before `index` is blank, or closes a block or is a line comment at `depth` or
    outside it (bundled code has no blank lines)."""
    if index == 0:
        return False
    previous = lines[index - 1]
    if not previous.strip():
        return True
    return _indent(previous) <= depth and previous.lstrip().startswith(("}", "end", "//", "--"))


def _head_start(before: list[str], *, indented: bool) -> int:
    floor = _indent(before[-1]) if before[-1].strip() else len(before[-1])
    for index in range(len(before) - 1, 0, -1):
        line = before[index]
        if line.strip():
            floor = min(floor, _indent(line))
            if _starts_construct(before, index, floor, indented):
                return index
    return 0


def _tail_end(after: list[str], floor: int, indented: bool) -> int:
    """The first line below the cursor line that starts a construct at the depth `floor` or
    outside it, or that is shallower than `floor` (it closes a block the head does not open);
    past `TAIL_LINES` the window is cut there anyway, so the search stops."""
    base = floor
    for index in range(1, min(len(after), TAIL_LINES + 1)):
        line = after[index]
        if not line.strip():
            continue
        if _indent(line) < base:
            return index
        if index > 1 and _starts_construct(after, index, floor, indented):
            return index
        floor = min(floor, _indent(line))
    return len(after)


def narrow_window(hole: Hole) -> tuple[str, str] | None:
    """(head, tail): the hole's prefix from the nearest construct start above the cursor at
    column 0 (in braced grammars, at the cursor's depth or outside it when the window has no
    column-0 start, as in bundled code), and its suffix up to the next one below or to the
    first line shallower than the head. None when no construct starts within `HEAD_LINES`
    above the cursor (the window may start in a comment: prose is slow to parse as code)."""
    indented = hole.grammar in _BRACED
    before = hole.prefix.split("\n")
    start = _head_start(before, indented=False)
    if not start and indented:
        start = _head_start(before, indented=True)
    after = hole.suffix.split("\n")
    floor = min((_indent(ln) for ln in before[start:] if ln.strip()), default=0)
    end = _tail_end(after, floor, indented)
    if (start or hole.prefix_start_line) and start < len(before) - HEAD_LINES:
        return None
    end = min(end, TAIL_LINES)
    head = "\n".join(before[start:])
    tail = "\n".join(after[:end])
    return head, tail + "\n" if end < len(after) else tail


@lru_cache(maxsize=16)
def _parser_for(language: object) -> Parser:
    return Parser(language)  # type: ignore[arg-type]


@lru_cache(maxsize=4)
def site_of(hole: Hole) -> Site | None:
    """The parsed code around the hole; None without a grammar, or when the tree around the
    cursor is not to be trusted (a parse error that began well above the cursor line, or too
    many errors).

    The window tree the trigger handed over is used when the narrow window is not much smaller
    or has more errors (a method parsed without its class); otherwise the narrow window, at
    most `HEAD_LINES` + `TAIL_LINES` lines, is parsed (the whole window never is: 10-40 ms in a
    header full of comments)."""
    if hole.grammar is None:
        return None
    seeded = _seeded_tree(hole)
    narrowed = narrow_window(hole)
    if narrowed is None:
        return None if seeded is None else _site(seeded, hole.prefix, hole.suffix)
    head, tail = narrowed
    small = 2 * (len(head) + len(tail)) <= len(hole.prefix) + len(hole.suffix)
    if seeded is not None and not small:
        return _site(seeded, hole.prefix, hole.suffix)
    narrow = _site(parse(head + tail, hole.grammar), head, tail)
    if seeded is None or (narrow is not None and narrow.errors == 0):
        return narrow
    whole = _site(seeded, hole.prefix, hole.suffix)
    if whole is None or (narrow is not None and narrow.errors <= whole.errors):
        return narrow
    return whole


def _seeded_tree(hole: Hole) -> Tree | None:
    """`Hole.tree` if the trigger already parsed it (asking for it otherwise parses the whole
    window)."""
    tree = hole.__dict__.get("tree")
    return tree if isinstance(tree, Tree) else None


def _site(tree: Tree | None, head: str, tail: str) -> Site | None:
    if tree is None:
        return None
    head_bytes = head.encode("utf-8", "surrogatepass")
    if not _trusted(tree, len(head_bytes), head_bytes.count(b"\n")):
        return None
    errors = error_count(tree.root_node)
    if errors > MAX_SITE_ERRORS:
        return None
    tail_bytes = tail.encode("utf-8", "surrogatepass")
    return Site(tree, _parser_for(tree.language), head_bytes, tail_bytes, errors)


def _trusted(tree: Tree, cursor: int, row: int) -> bool:
    """False when the cursor lies in an ERROR node that began well above the cursor line."""
    node: Node | None = tree.root_node.descendant_for_byte_range(cursor, cursor)
    for _ in range(MAX_WALK_UP):
        if node is None:
            return True
        if node.is_error and node.start_point[0] < row - LOCAL_ERROR_LINES:
            return False
        node = node.parent
    return False


def error_count(node: Node) -> int:
    """ERROR and MISSING nodes under `node` (only subtrees that have errors are visited). An
    ERROR node that spans more than `LOCAL_ERROR_LINES` lines is how the parser wraps a window
    it cannot place; whether it appears flips with distant text, so only what is inside counts."""
    count = 0
    pending = [node]  # a stack, not recursion: a hostile answer nests thousands deep
    while pending:
        node = pending.pop()
        if not node.has_error:
            continue
        if node.is_missing:
            count += 1
            continue
        rows = node.end_point[0] - node.start_point[0]
        count += 1 if node.is_error and rows <= LOCAL_ERROR_LINES else 0
        pending.extend(node.children)
    return count


def _point_after(start: tuple[int, int], inserted: bytes) -> tuple[int, int]:
    lines = inserted.count(b"\n")
    if not lines:
        return start[0], start[1] + len(inserted)
    return start[0] + lines, len(inserted) - inserted.rfind(b"\n") - 1


def with_answer(site: Site, answer: bytes) -> Tree:
    """The tree with `answer` inserted at the cursor (an incremental reparse of the site; the
    filters of one request share them)."""
    tree = site.parsed.get(answer)
    if tree is None:
        tree = site.parsed[answer] = _reparse(site, answer)
    return tree


def _reparse(site: Site, answer: bytes) -> Tree:
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


def errors_with(site: Site, answer: bytes) -> int | None:
    """Parse errors in the site with `answer` inserted at the cursor; None when the parser
    wrapped the cursor in an ERROR node that began well above it (the count means nothing)."""
    tree = with_answer(site, answer)
    if not _trusted(tree, site.cursor, site.head.count(b"\n")):
        return None
    return error_count(tree.root_node)
