"""Answers written as a unified diff (issue 14, fresh6): `@@` hunk headers, `+` lines added,
`-` lines removed, context lines prefixed with a space; and code that starts with `+` or `-`.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes chat models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.diff_answer import diff_arriving, undiffed

PY_BODY = 'def lookup(name):\n    if name == "PATH":\n        ║\n    raise KeyError(name)\n'
PY_STRING = 'def lines(self):\n    if self.link:\n        yield f"║"\n'
PY_SUM = "total = (\n    first\n    ║\n)\n"
C_NEGATE = "int flip(int x) {\n    return ║\n}\n"


@pytest.mark.parametrize(
    "raw",
    [
        '<COMPLETION>@@ -3,1 +3,1 @@\n     if name == "PATH":\n+        return _paths.PATH',
        "Here it is:\n<COMPLETION>@@ -3,1 +3,1 @@\n-        \n+        return _paths.PATH\n<eos>",
        "<COMPLETION>+        return _paths.PATH",
        "```diff\n+        return _paths.PATH\n```",
    ],
)
def test_a_diff_answer_shows_the_added_line(raw: str) -> None:
    """Headers and removed lines go, the added line loses its `+` column, the context line
    the file already has is an echo."""
    assert shown(PY_BODY, "python", raw) == "return _paths.PATH"


def test_an_unindented_pair_writing_the_same_line() -> None:
    """`-end, {` then `+end, { ... })`: the removed line is held while the added one arrives
    (its first word is still being written), then only the added line is shown."""
    lua = 'vim.keymap.set("n", "]]", function()\n  go()\n║\n'
    raw = "<COMPLETION>-end, { buffer = 0 \n+end, { buffer = 0, silent = false })"
    assert shown(lua, "lua", raw) == "end, { buffer = 0, silent = false })"


def test_a_removed_and_added_pair_in_single_line_mode() -> None:
    """`-` the line as it is, `+` the line completed: the stream does not stop at the removed
    line's end, and only the hole's text is shown."""
    raw = '<COMPLETION>-        yield f""\n+        yield f"Link: {self.link}"'
    assert shown(PY_STRING, "python", raw) == "Link: {self.link}"


@pytest.mark.parametrize(
    ("document", "language", "raw"),
    [
        (PY_SUM, "python", "+ second"),
        (C_NEGATE, "c", "-x;"),
        (C_NEGATE, "c", "++x;"),
    ],
)
def test_code_that_starts_with_a_sign_stays(document: str, language: str, raw: str) -> None:
    """A continuation line `+ second`, a negation `-x`, an increment `++x`: code, not a diff
    (no header, no `+` before indentation, no removed and added line writing the same line)."""
    assert shown(document, language, raw) == raw


def test_diff_shapes_read_directly() -> None:
    """`undiffed` keeps added and context lines without their column and drops the rest;
    `diff_arriving` holds a stream that so far has only a header or removed line."""
    assert undiffed("--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a = 1\n+a = 2", "python") == "a = 2"
    assert undiffed("-a = 1\n+b = 2", "python") == "-a = 1\n+b = 2"
    assert undiffed("+ second\n- third", "python") == "+ second\n- third"
    assert undiffed("@@ -1 +1 @@\n-a\n+b", "diff") == "@@ -1 +1 @@\n-a\n+b"
    assert diff_arriving("@@ -3,1 +3,1 @@\n-    x", "python")
    assert diff_arriving("-    x = 1\n+", "python")
    assert not diff_arriving("-x;\n}\n", "c")
    assert diff_arriving("-    x = 1\n+    x", "python")
    assert not diff_arriving("-    x = 1\n+    x = 2\n", "python")


def test_context_lines_before_a_pair_in_single_line_mode() -> None:
    """A context line (a space before the file's tab), then the removed and the added line:
    the context is an echo of the line above, the removed line goes, the hole's part of the
    added line is shown."""
    shell = "f() {\n\tif x; then\n\t\tCOMPREPLY=( x )\n\t\treturn ║\n\tfi\n}\n"
    raw = "<COMPLETION> \t\tCOMPREPLY=( x )\n-\t\treturn \n+ \t\treturn 0"
    assert shown(shell, "shellscript", raw) == "0"


def test_a_space_before_the_added_lines_tab_is_no_indentation() -> None:
    """`+ \\tcall()`: the `+` column and the space after it go, the tab stays."""
    assert undiffed("+ \tsock.wait()\n+ \tsock.close()", "go") == "\tsock.wait()\n\tsock.close()"


TS_SET = "function attach(proxy?: Proxy) {\n    if (proxy) {\n        this.proxy = ║\n    }\n}\n"
C_DECL = "int main(void) {\n    if (ready()) {\n        char ║\n    }\n}\n"


@pytest.mark.parametrize(
    ("document", "language", "raw", "expected"),
    [
        (
            TS_SET,
            "typescript",
            "     if (proxy) {\n-        this.proxy = \n+        this.proxy = proxy;",
            "proxy;",
        ),
        (C_DECL, "c", "     if (ready()) {\n-        char \n+        char name[64];", "name[64];"),
        (C_DECL, "c", "-        char \n+        char name[64];\n\nThat is all.", "name[64];"),
        (C_DECL, "c", "-        char \n+        char name[64];", "name[64];"),
    ],
)
def test_single_line_diff_after_a_context_line(
    document: str, language: str, raw: str, expected: str
) -> None:
    """A context line (the line above, after a space), then the cursor line removed as it
    stands and added completed: the stream does not stop at the removed line, the hole's part
    of the added line is shown (streamed a character at a time: the removed line arrives whole
    before any of the added one); prose after the diff does not hide it."""
    assert shown(document, language, raw, piece=1) == expected


def test_a_removed_line_cut_inside_its_first_call() -> None:
    """`-attach(dump, ` and `+attach(dump_all)`: the same line written twice (first word
    and what precedes it match), so a diff even though the words split differently."""
    assert undiffed("-attach(dump, \n+attach(dump_all)", "lua") == "attach(dump_all)"
    assert undiffed("-a = 1\n+a2 = 2", "python") == "-a = 1\n+a2 = 2"


def test_context_then_added_lines_of_mixed_indentation() -> None:
    """A context line, then added lines of which one has `+` before indentation: a diff (no
    code line starts so), even though the others are `+` right before the code."""
    raw = " struct Pair {\n+   int left;\n+ int right;"
    assert undiffed(raw, "cpp") == "struct Pair {\n   int left;\n int right;"
    assert undiffed("+ second\n+ third", "python") == "+ second\n+ third"


LUA_CALL = 'vim.keymap.set("n", "]]", function()\n  jump()\n║\n'
JAVA_TOP = "import java.util.List;\n║\n\nclass Store {}\n"
TS_BODY = "if (ready) {\n    start();\n    ║\n}\n"


@pytest.mark.parametrize(
    ("document", "language", "raw", "expected"),
    [
        (LUA_CALL, "lua", "<COMPLETION>+end, { buffer = 0 })", "end, { buffer = 0 })"),
        (
            JAVA_TOP,
            "java",
            "Here it is:\n<COMPLETION>+import java.util.Map;",
            "import java.util.Map;",
        ),
        (TS_BODY, "typescript", "```diff\n+stop();\n```", "stop();"),
    ],
)
def test_lone_added_lines_on_a_line_of_their_own(
    document: str, language: str, raw: str, expected: str
) -> None:
    """Only added lines, `+` glued to the code, where a line of its own starts a statement (in
    a fence, after prose, inside a call when the word is no operand: `+end`): the `+` goes."""
    assert shown(document, language, raw) == expected


@pytest.mark.parametrize(
    ("document", "language", "raw"),
    [
        ("total = (\n    first\n    ║\n)\n", "python", "+second"),
        ("total = first +\n║\n", "python", "+second"),
        ("const n = ║\n", "javascript", "+value;"),
        ('const s = "║";\n', "javascript", "+1"),
    ],
)
def test_a_plus_that_is_code_stays(document: str, language: str, raw: str) -> None:
    """`+second` continuing a sum inside brackets or after an operator, a unary plus after
    code on the cursor line, a `+` in a string: code, kept."""
    assert shown(document, language, raw) == raw


def test_a_diff_after_an_introduction_line() -> None:
    """A sentence ending in a colon before the diff (in any language) leaves it a diff: the
    removed line is not shown, the hole's part of the added one is; a line of code ending in a
    colon before a plain answer changes nothing."""
    raw = "<COMPLETION>Voici la partie manquante :\n-        char \n+        char name[64];"
    assert shown(C_DECL, "c", raw, piece=1) == "name[64];"
    assert undiffed("Note:\n-a = 1\n+a = 2", "python") == "Note:\na = 2"
    assert undiffed("else:\n-x\n+y", "python") == "else:\n-x\n+y"
