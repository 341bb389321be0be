"""The edit_file engine: parsing search/replace blocks and applying them to real code."""

from __future__ import annotations

import pytest

from glm_lsp.chat.edit_blocks import (
    EditBlock,
    EditFormatError,
    apply_edits,
    parse_blocks,
    parse_edit_arguments,
)
from glm_lsp.chat.edit_match import is_elision

CACHE_PY = """\
import os


class Cache:
    def __init__(self, size):
        self.size = size
        self.items = {}

    def get(self, key):
        value = self.items.get(key)
        if value is None:
            return None
        return value

    def put(self, key, value):
        if len(self.items) >= self.size:
            self.items.pop(next(iter(self.items)))
        self.items[key] = value
        return value
"""

SERVER_GO = """\
package main

func serve(addr string) error {
\tln, err := net.Listen("tcp", addr)
\tif err != nil {
\t\treturn err
\t}
\tdefer ln.Close()
\treturn loop(ln)
}
"""

QUEUE_JS = """\
function push(queue, item) {
  queue.items.push(item);
  queue.size += 1;
  return queue;
}

function pop(queue) {
  const item = queue.items.shift();
  queue.size -= 1;
  return item;
}
"""


def one(text: str, search: str, replace: str) -> str | None:
    return apply_edits(text, [EditBlock(search, replace)]).text


def test_exact_search_replaces_those_lines_only() -> None:
    """An exact search is replaced in place and the rest of the file is untouched."""
    result = apply_edits(
        CACHE_PY,
        [EditBlock("        self.items = {}\n", "        self.items: dict[str, int] = {}\n")],
    )
    assert result.text == CACHE_PY.replace("self.items = {}", "self.items: dict[str, int] = {}")
    assert result.outcomes[0].rule == "exact"
    assert result.outcomes[0].lines == (7, 7)


def test_trailing_spaces_in_the_search_still_match_and_do_not_reach_the_file() -> None:
    """Trailing whitespace the model adds to search and replacement is ignored."""
    search = "    def get(self, key):   \n        value = self.items.get(key)  \n"
    replace = "    def get(self, key):  \n        value = self.items.get(key, 0)   \n"
    result = apply_edits(CACHE_PY, [EditBlock(search, replace)])
    assert result.text == CACHE_PY.replace("self.items.get(key)", "self.items.get(key, 0)")
    assert result.outcomes[0].rule == "trailing-space"


def test_flush_left_search_matches_and_the_replacement_is_indented_like_the_file() -> None:
    """A search written without the method's indentation matches; the replacement gets the
    four spaces back, nested lines keep their relative depth."""
    search = "def get(self, key):\n    value = self.items.get(key)\n"
    replace = "def get(self, key):\n    # cached\n    value = self.items.get(key)\n"
    text = one(CACHE_PY, search, replace)
    expected = CACHE_PY.replace(
        "    def get(self, key):\n", "    def get(self, key):\n        # cached\n"
    )
    assert text == expected


def test_over_indented_search_is_cut_back_to_the_file_depth() -> None:
    """A search indented deeper than the file matches; the same indentation is cut from the
    replacement."""
    search = "            if value is None:\n                return None\n"
    replace = "            if value is None:\n                raise KeyError(key)\n"
    text = one(CACHE_PY, search, replace)
    assert text == CACHE_PY.replace("return None", "raise KeyError(key)")


def test_spaces_against_a_tab_indented_file_write_tabs() -> None:
    """A Go file indented with tabs: a search in spaces matches and the new lines are
    written with tabs."""
    search = "    if err != nil {\n        return err\n    }\n"
    replace = '    if err != nil {\n        return fmt.Errorf("listen: %w", err)\n    }\n'
    text = one(SERVER_GO, search, replace)
    assert text == SERVER_GO.replace("\t\treturn err", '\t\treturn fmt.Errorf("listen: %w", err)')


def test_crlf_file_keeps_crlf_and_crlf_blocks_fit_an_lf_file() -> None:
    """The file's line endings win: a CRLF file stays CRLF after LF blocks, and CRLF blocks
    applied to an LF file add no carriage return."""
    crlf = QUEUE_JS.replace("\n", "\r\n")
    text = one(crlf, "  queue.size += 1;\n", "  queue.size += 1;\n  queue.pushed += 1;\n")
    assert text == crlf.replace("size += 1;\r\n", "size += 1;\r\n  queue.pushed += 1;\r\n")
    text = one(QUEUE_JS, "  queue.size -= 1;\r\n  return item;\r\n", "  return item;\r\n")
    assert text == QUEUE_JS.replace("  queue.size -= 1;\n", "")


def test_repeated_context_lines_come_back_as_the_file_has_them() -> None:
    """Context lines the model only repeats (here with tabs expanded inside the line) are
    written back exactly as the file has them; only the changed line is new."""
    header = "struct point {\n\tint\tx;\n\tint\ty;\n};\n"
    search = "struct point {\n    int x;\n    int y;\n};\n"
    replace = "struct point {\n    int x;\n    int y;\n    int z;\n};\n"
    assert one(header, search, replace) == "struct point {\n\tint\tx;\n\tint\ty;\n\tint z;\n};\n"


def test_elided_search_and_replacement_keep_the_elided_lines() -> None:
    """`# ... existing code ...` in both search and replacement: the quoted parts change,
    the lines in between stay."""
    search = (
        "    def put(self, key, value):\n        # ... existing code ...\n        return value\n"
    )
    replace = (
        "    def put(self, key, value):\n        # ... existing code ...\n        return None\n"
    )
    result = apply_edits(CACHE_PY, [EditBlock(search, replace)])
    assert result.outcomes[0].rule == "elided"
    assert result.text == CACHE_PY[: CACHE_PY.rindex("return value")] + "return None\n"


def test_elided_search_with_a_full_replacement_replaces_the_whole_region() -> None:
    """A search that elides its middle with `// ...` and a replacement written in full
    replaces everything from the first quoted line to the last."""
    search = "function pop(queue) {\n  // ...\n}\n"
    replace = "function pop(queue) {\n  return queue.items.shift();\n}\n"
    text = one(QUEUE_JS, search, replace)
    assert text == QUEUE_JS[: QUEUE_JS.index("function pop")] + replace


def test_elided_search_whose_parts_fit_several_ways_is_refused() -> None:
    """`{ ... }` style quoting where the closing line occurs inside the quoted block more
    than once is refused, with the number of ways."""
    text = "if (a) {\n  x();\n  done();\n  y();\n  done();\n}\n"
    result = apply_edits(text, [EditBlock("if (a) {\n  // ...\n  done();\n", "if (b) {\n")])
    assert not result.applied
    assert "fit 2 ways" in result.reason


def test_replacement_that_elides_what_the_search_quotes_is_refused() -> None:
    """A replacement with `// ... existing code ...` for lines the search quoted in full
    would write the marker into the file: refused."""
    search = "function push(queue, item) {\n  queue.items.push(item);\n"
    replace = "function push(queue, item) {\n  // ... existing code ...\n"
    result = apply_edits(QUEUE_JS, [EditBlock(search, replace)])
    assert not result.applied
    assert "write the replacement in full" in result.reason


def test_duplicated_anchor_is_refused_naming_block_and_lines() -> None:
    """`return value` occurs twice: the block is refused, never the first guessed."""
    result = apply_edits(
        CACHE_PY,
        [
            EditBlock("import os\n", "import os\nimport sys\n"),
            EditBlock("        return value\n", "        return value  # hit\n"),
        ],
    )
    assert result.text is None
    assert result.outcomes[0].status == "applied"
    assert result.outcomes[1].status == "refused"
    assert result.reason.startswith("block 2: the search matches 2 places (lines 14, 20)")


def test_exact_anchor_that_also_fits_at_another_depth_is_refused() -> None:
    """`return None` is quoted exactly at one depth but also exists at another: the model
    may have shifted the one it meant, so the block is refused."""
    text = "def f(a):\n    if a:\n        return None\n    return None\n"
    result = apply_edits(text, [EditBlock("    return None\n", "    return 0\n")])
    assert not result.applied
    assert "matches 2 places (lines 3, 4)" in result.reason


def test_search_with_a_typo_is_refused_quoting_the_closest_lines() -> None:
    """A search that matches nothing (one character wrong) is refused and the reason quotes
    the closest file lines with their numbers."""
    search = "        if len(self.items) > self.size:\n"
    result = apply_edits(CACHE_PY, [EditBlock(search, "        pass\n")])
    assert not result.applied
    assert "matches nothing" in result.reason
    assert "16|         if len(self.items) >= self.size:" in result.reason


def test_blocks_apply_in_order_against_the_evolving_text() -> None:
    """The second block sees the first one's result; blocks given bottom-up also apply."""
    blocks = [
        EditBlock("function pop(queue) {\n", "function popItem(queue) {\n"),
        EditBlock("function popItem(queue) {\n", "function take(queue) {\n"),
        EditBlock("function push(queue, item) {\n", "function put(queue, item) {\n"),
    ]
    result = apply_edits(QUEUE_JS, blocks)
    assert result.text == QUEUE_JS.replace("push(queue,", "put(queue,").replace(
        "pop(queue)", "take(queue)"
    )
    assert [o.status for o in result.outcomes] == ["applied"] * 3


def test_fragment_of_one_line_is_replaced_when_it_occurs_once() -> None:
    """A one-line search that is part of a line is replaced where it occurs once, and
    refused where it occurs several times."""
    assert one(SERVER_GO, "ln.Close()", "ln.Close() //nolint") == SERVER_GO.replace(
        "ln.Close()", "ln.Close() //nolint"
    )
    result = apply_edits(SERVER_GO, [EditBlock("err", "e")])
    assert not result.applied


def test_blank_lines_around_the_search_are_not_required() -> None:
    """Blank lines a model wraps its search in do not have to exist in the file."""
    search = "\n\n    def put(self, key, value):\n        if len(self.items) >= self.size:\n\n"
    replace = "\n\n    def put(self, key, value):\n        if len(self.items) > self.size:\n\n"
    assert one(CACHE_PY, search, replace) == CACHE_PY.replace(">= self.size", "> self.size")


def test_empty_search_fills_an_empty_file_and_is_refused_elsewhere() -> None:
    """An empty search writes an empty file; on a file with text it is refused with how to
    add lines instead."""
    assert one("", "", "print('hi')\n") == "print('hi')\n"
    result = apply_edits(CACHE_PY, [EditBlock("", "x = 1\n")])
    assert not result.applied
    assert "quote the line before them" in result.reason


def test_last_line_without_newline_and_deleted_lines() -> None:
    """A file that ends without a newline still does after its last line is changed, and
    deleted lines take their endings with them."""
    text = "a = 1\nb = 2\nc = 3"
    assert one(text, "c = 3", "c = 4") == "a = 1\nb = 2\nc = 4"
    assert one(text, "b = 2\n", "") == "a = 1\nc = 3"


def test_unchanged_block_is_reported_as_unchanged() -> None:
    """A block whose replacement equals its search applies and changes nothing."""
    result = apply_edits(CACHE_PY, [EditBlock("import os\n", "import os\n")])
    assert result.text == CACHE_PY
    assert result.outcomes[0].status == "unchanged"


def test_python_ellipsis_is_code_when_the_file_has_it() -> None:
    """A bare `...` line that exists in the file is matched as code, not as an elision."""
    stub = "class Reader(Protocol):\n    def read(self) -> bytes:\n        ...\n"
    search = "    def read(self) -> bytes:\n        ...\n"
    replace = "    def read(self, size: int = -1) -> bytes:\n        ...\n"
    assert one(stub, search, replace) == stub.replace("(self)", "(self, size: int = -1)")
    assert is_elision("// ... existing code ...")
    assert is_elision("/* ... */")
    assert is_elision("--[[ ... ]]")
    assert is_elision("# … rest of the code unchanged …")
    assert not is_elision("foo(...args)")
    assert not is_elision("...", bare=False)


def test_parse_edits_list_aliases_and_conflict_marker_blocks() -> None:
    """`edits` as a JSON list (with old_string/new_string aliases) and as Aider/Cline
    SEARCH/REPLACE text inside a fence parse to the same blocks."""
    listed = parse_edit_arguments(
        {"path": "a.py", "edits": [{"old_string": "a\n", "new_string": "b\n"}]}
    )
    text = "```python\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n"
    assert listed == [EditBlock("a\n", "b\n")]
    assert parse_blocks(text) == [EditBlock("a\n", "b\n")]
    assert parse_edit_arguments({"blocks": text}) == [EditBlock("a\n", "b\n")]
    deleting = "<<<<<<< SEARCH\nx = 1\n\n=======\n>>>>>>> REPLACE"
    assert parse_blocks(deleting) == [EditBlock("x = 1\n\n", "")]
    assert parse_edit_arguments({"search": "x", "replace": "y"}) == [EditBlock("x", "y")]


@pytest.mark.parametrize(
    ("arguments", "remedy"),
    [
        ({"edits": []}, "at least one"),
        ({"edits": [{"search": "a"}]}, "needs two strings"),
        ({"edits": ["a"]}, "is not an object"),
        ({"blocks": "<<<<<<< SEARCH\na\n=======\nb\n"}, ">>>>>>> REPLACE"),
        ({"blocks": "just text"}, "no search/replace block"),
        ({"path": "a.py"}, "edit_file needs 'edits'"),
    ],
)
def test_malformed_arguments_name_the_remedy(arguments: dict[str, object], remedy: str) -> None:
    """Each malformed edit_file call raises EditFormatError saying what to send."""
    with pytest.raises(EditFormatError, match=remedy):
        parse_edit_arguments(arguments)


def test_elision_never_stands_for_blank_lines_only() -> None:
    """`/* ... */` after a `})` that closes every bench case: the `})` right above the quoted
    case (only a blank line between) is never taken, since an elision stands for code. With
    one `})` further up the edit applies there; with two, it is refused."""
    cases = [f"bench.add('{n}', function () {{\n  equal({n})\n}})\n" for n in "abcd"]
    search = "})\n/* ... */\nbench.add('d', function () {\n"
    replace = "})\n\nbench.add('b2', function () {\n})\n\nbench.add('d', function () {\n"
    three = "\n".join(cases[:2] + cases[3:])
    result = apply_edits(three, [EditBlock(search, replace)])
    assert result.outcomes[0].lines == (3, 9)
    assert result.text == "\n".join(cases[:1]) + replace[3:] + "  equal(d)\n})\n"
    refused = apply_edits("\n".join(cases), [EditBlock(search, replace)])
    assert not refused.applied
    assert "fit 2 ways" in refused.reason


def test_blank_edges_that_the_replacement_does_not_repeat_refuse() -> None:
    """A search wrapped in one blank line above and two below, whose replacement has only
    two blank lines: which blank lines the change removes is unknown, so it is refused."""
    text = "x = 1\n\nvalidate(venv)\n\ny = 2\n"
    result = apply_edits(text, [EditBlock("\nvalidate(venv)\n\n\n", "\n\n")])
    assert not result.applied
    assert one(text, "\nvalidate(venv)\n\n", "\n\n") == "x = 1\n\n\ny = 2\n"


def test_fragment_found_without_its_spaces_keeps_the_replacement_layout() -> None:
    """A fragment quoted with spaces around it matches without them; a replacement over
    several lines keeps the indentation of its inner lines."""
    search = '  net.Listen("tcp", addr) '
    replace = 'net.Listen(\n\t\t"tcp",\n\t\taddr,\n\t)'
    text = one(SERVER_GO, search, replace)
    assert text == SERVER_GO.replace('net.Listen("tcp", addr)', replace)
