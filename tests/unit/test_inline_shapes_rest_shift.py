"""Block answers whose first line is on its column but whose other lines the model indented
again (all lines but the first too deep), through the whole pipeline (`StreamStop` then
`postprocess`), and the answers that look alike but are written right."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

TAGS_PY = [
    "def _musllinux_tags(archs):",
    "    sys_musl = _get_musl_version()",
    "    if sys_musl is None:",
    "        return",
    "    for arch in archs:",
    "",
    "",
    "def main():",
    "    pass",
]

WATCHER_CC = [
    "bool Watcher::unwatch(Callback callback) {",
    "  bool removed = false;",
    "  if (removed && mCallbacks.size() == 0) {",
    "    unref();",
    "    return true;",
    "  }",
    "  return false;",
    "}",
    "",
    "void Watcher::unref() {",
    "}",
    "",
]

UNIT_H = [
    "struct unit_head {",
    "\t__u8 ANAC;",
    "\t__u8 NACs;",
    "} __attribute__((packed));",
    "",
    "struct unit_tail {",
    "} __attribute__((packed));",
]


def test_python_body_indented_twice_under_the_first_line_moves_back() -> None:
    """`for ...:` on the body's column, its own body 8 columns deeper in a 4-column file: the
    model shifted every line but the first; the body goes one step under its opener."""
    raw = "<COMPLETION>\n        for minor in range(3):\n                yield minor"
    want = "\n        for minor in range(3):\n            yield minor"
    assert _shown(TAGS_PY, 4, 22, "python", raw) == want


def test_braced_block_with_its_closer_shifted_moves_back() -> None:
    """`if (...) {` at 2, its body at 8 and its `}` at 6: the closer says where the rest goes
    (under the `if`), so the body lands one step in."""
    raw = "<COMPLETION>\n  if (mCallbacks.size() == 0) {\n        removeShared(this);\n      }"
    want = "\n  if (mCallbacks.size() == 0) {\n    removeShared(this);\n  }"
    assert _shown(WATCHER_CC, 9, 23, "cpp", raw) == want


def test_statements_after_the_first_one_tab_too_deep_move_back() -> None:
    """Struct members where every member but the first has one tab too many: nothing opened a
    block after the first, so the next statement sits on its column."""
    raw = "<COMPLETION>\n\t__u8 parity;\n\t\t__u8 ANAC;\n\t\t__u16 prevUnitNo;"
    want = "\n\t__u8 parity;\n\t__u8 ANAC;\n\t__u16 prevUnitNo;"
    assert _shown(UNIT_H, 5, 18, "c", raw) == want


def test_continuation_lines_deeper_than_the_first_line_are_kept() -> None:
    """A call continued on a line aligned under its bracket is written right: the continuation
    is no body and stays where the model put it, and so does the next statement."""
    raw = "<COMPLETION>\n  int total = add(first,\n                  second);\n  return total;"
    want = "\n  int total = add(first,\n                  second);\n  return total;"
    assert _shown(WATCHER_CC, 9, 23, "cpp", raw) == want


def test_nested_block_written_right_is_kept() -> None:
    """A body that opens its own block one step deeper is consistent: nothing moves."""
    raw = (
        "<COMPLETION>\n        for minor in range(3):\n            if minor:\n"
        "                yield minor"
    )
    want = "\n        for minor in range(3):\n            if minor:\n                yield minor"
    assert _shown(TAGS_PY, 4, 22, "python", raw) == want


ERROR_JS = [
    "var TokenError = function (message, error) {",
    "};",
    "",
    "TokenError.prototype = Object.create(Error.prototype);",
    "module.exports = TokenError;",
]


def test_file_without_indentation_takes_the_answer_own_step() -> None:
    """A file with no indented line in view says no step: a body written 6 columns in whose
    own `if (...) {` indents by 2 is a 2-column body shifted by 4, so it goes 2 columns in."""
    raw = (
        "<COMPLETION>\n      Error.call(this, message);\n      if (error) {\n"
        "        this.inner = error;\n      }"
    )
    want = "\n  Error.call(this, message);\n  if (error) {\n    this.inner = error;\n  }"
    assert _shown(ERROR_JS, 0, 44, "javascript", raw) == want


def test_file_without_indentation_keeps_a_plain_step() -> None:
    """The same body written 4 columns in (a usual step) is kept as the model wrote it."""
    raw = (
        "<COMPLETION>\n    Error.call(this, message);\n    if (error) {\n"
        "      this.inner = error;\n    }"
    )
    want = "\n    Error.call(this, message);\n    if (error) {\n      this.inner = error;\n    }"
    assert _shown(ERROR_JS, 0, 44, "javascript", raw) == want


MODULE_JAVA = [
    "/*",
    " * Provides charsets.",
    " */",
    "module jdk.charsets {",
    "}",
]


def test_first_line_off_by_one_keeps_its_continuation_on_the_step() -> None:
    """`provides X with` written one column too deep and its continuation right (a step under
    the statement): only the first line moves; moving both would put the continuation off
    the file's steps."""
    raw = (
        "<COMPLETION>\n     provides java.nio.charset.spi.CharsetProvider with\n"
        "        sun.nio.cs.ext.ExtendedCharsets;"
    )
    want = (
        "\n    provides java.nio.charset.spi.CharsetProvider with\n"
        "        sun.nio.cs.ext.ExtendedCharsets;"
    )
    assert _shown(MODULE_JAVA, 3, 21, "java", raw) == want


def test_whole_answer_shifted_moves_its_continuation_too() -> None:
    """The same answer with both lines 2 columns too deep: the continuation moves with the
    first line (it stays a step under it)."""
    raw = (
        "<COMPLETION>\n      provides java.nio.charset.spi.CharsetProvider with\n"
        "          sun.nio.cs.ext.ExtendedCharsets;"
    )
    want = (
        "\n    provides java.nio.charset.spi.CharsetProvider with\n"
        "        sun.nio.cs.ext.ExtendedCharsets;"
    )
    assert _shown(MODULE_JAVA, 3, 21, "java", raw) == want


TOKENS_TS = [
    "enum Color {",
    "    Red = 1,",
    "    Green = 2,",
    "}",
    "",
    "enum Token {",
    "}",
    "",
    "function sum(values: number[]): number {",
    "}",
]


def test_enum_items_after_the_first_shifted_deeper_move_back() -> None:
    """Enum members are siblings: a first member on its column and the others one step deeper
    (each ending with a comma but the last) were shifted by the model; they go under the
    first."""
    raw = "<COMPLETION>\n    Label = 1,\n        Serial = 2,\n        Model = 3"
    want = "\n    Label = 1,\n    Serial = 2,\n    Model = 3"
    assert _shown(TOKENS_TS, 5, 12, "typescript", raw) == want


def test_declaration_continued_after_a_comma_is_kept() -> None:
    """`let a = 1,` then `    b = 2;` deeper: one declaration continued (it ends with `;`),
    written right; nothing moves."""
    raw = "<COMPLETION>\n    let total = 0,\n        count = 0;\n    return total;"
    want = "\n    let total = 0,\n        count = 0;\n    return total;"
    assert _shown(TOKENS_TS, 8, 40, "typescript", raw) == want


CONSOLE_CC = [
    "void show(bool enable) {",
    "    DWORD mode = 0;",
    "    if (!GetConsoleMode(conin, &mode)) {",
    "    }",
    "    DWORD restore = mode;",
    "}",
]


def test_whole_block_shifted_after_a_continued_call_moves_together() -> None:
    """A call continued on a second line, then a statement, all one step too deep: every line
    moves by the first line's shift (the statement lands on the first line's column)."""
    raw = (
        '<COMPLETION>\n            fprintf(stderr, "could not read "\n'
        '                            "the mode\\n");\n            exit(1);'
    )
    want = (
        '\n        fprintf(stderr, "could not read "\n'
        '                        "the mode\\n");\n        exit(1);'
    )
    assert _shown(CONSOLE_CC, 2, 40, "cpp", raw) == want


STRINGS_TS = [
    "export class StringUtils {",
    "    static isEmpty(str: string): boolean {",
    "        return !str;",
    "    }",
    "",
    "    static startsWith(str: string, search: string): boolean {",
    "    }",
    "",
    "    static endsWith(str: string, search: string): boolean {",
    "        return str.endsWith(search);",
    "    }",
    "}",
]


def test_whole_answer_shifted_with_the_closer_and_the_next_method_keeps_the_body() -> None:
    """The body, the closing brace and the next method all one step too deep: every line moves
    with the first (the closer and the method are no continuation), so the body lands on its
    column and what follows the block is cut."""
    raw = (
        "<COMPLETION>\n            return str.indexOf(search) === 0;\n        }\n\n"
        "        static endsWith(str: string, search: string): boolean {"
    )
    want = "\n        return str.indexOf(search) === 0;"
    assert _shown(STRINGS_TS, 5, 61, "typescript", raw) == want


TYPES_H = [
    "typedef unsigned int\t__kernel_size_t;",
    "typedef int\t\t__kernel_ssize_t;",
    "typedef int\t\t__kernel_ptrdiff_t;",
    "",
    "typedef struct {",
    "} __kernel_fsid_t;",
    "",
    "typedef long long\t__kernel_loff_t;",
]


def test_member_at_column_zero_in_a_tab_aligned_header_gets_a_tab() -> None:
    """No indented line in view, but the header lines up its columns with tabs after code: a
    file written with tabs, so a struct member written at column 0 is indented by a tab."""
    assert _shown(TYPES_H, 4, 16, "c", "<COMPLETION>\nint\tval[2];") == "\n\tint\tval[2];"


def test_member_at_column_zero_in_a_space_aligned_header_gets_spaces() -> None:
    """The same header aligned with runs of spaces: the member gets the default 4 spaces."""
    spaced = [line.replace("\t\t", "  ").replace("\t", "  ") for line in TYPES_H]
    assert _shown(spaced, 4, 16, "c", "<COMPLETION>\nint  val[2];") == "\n    int  val[2];"


AUTH_JAVA = [
    "class AuthenticationInfo {",
    "    static String getProxyAuthKey(String host, int port, String realm) {",
    "        ",
    "    }",
    "}",
]


def test_block_written_at_column_zero_after_a_continued_statement_moves_whole() -> None:
    """After the editor's 8 columns the model wrote its block as if at column 0: a statement
    continued on `+` lines 16 columns in, then `return key;` at 0. The continuation is no line
    of the block, so `return` at 0 does not end it: every line moves by the cursor's 8."""
    raw = (
        '<COMPLETION>String key = PROXY + ":" + host\n                + ":" + port\n'
        '                + ":" + realm;\nreturn key;'
    )
    want = (
        'String key = PROXY + ":" + host\n                        + ":" + port\n'
        '                        + ":" + realm;\n        return key;'
    )
    assert _shown(AUTH_JAVA, 2, 8, "java", raw) == want


REALDIR_SH = [
    "#!/usr/bin/env bash",
    "realdir() {",
    "}",
    "",
    'ROOT="$(dirname "$(realdir "$0")")"',
]


def test_spaces_before_the_tabs_of_every_line_go_where_no_line_is_space_led() -> None:
    """A body whose lines all start with four spaces then their tabs, in a file with no line
    led by spaces: the spaces shifted the whole answer; the tabs are its indentation."""
    raw = (
        '<COMPLETION>\n    \tSOURCE=$1\n    \twhile [ -h "$SOURCE" ]; do\n'
        "    \t\tDIR=$1\n    \tdone"
    )
    want = '\n\tSOURCE=$1\n\twhile [ -h "$SOURCE" ]; do\n\t\tDIR=$1\n\tdone'
    assert _shown(REALDIR_SH, 1, 11, "shellscript", raw) == want


SUM_PY = [
    "def total(items):",
    "    result = 0",
    "    for item in items:",
    "",
    "    return result",
]


def test_branch_off_its_statement_column_marks_the_rest_shifted() -> None:
    """`if item:` on its column, then its body and `else:` two columns too deep: an `else` off
    the column of every line before it cannot be written so; the lines after the first move
    back by the body's anchor."""
    raw = (
        "<COMPLETION>\n        if item:\n              result += item\n"
        "          else:\n              result -= 1"
    )
    want = "\n        if item:\n            result += item\n        else:\n            result -= 1"
    assert _shown(SUM_PY, 2, 22, "python", raw) == want


def test_branch_under_its_statement_is_kept() -> None:
    """`try:` / `except ...:` on one column, their bodies a step in: written right."""
    raw = (
        "<COMPLETION>\n        try:\n            result += item\n"
        "        except TypeError:\n            result -= 1"
    )
    want = (
        "\n        try:\n            result += item\n"
        "        except TypeError:\n            result -= 1"
    )
    assert _shown(SUM_PY, 2, 22, "python", raw) == want
