"""Tabs a model mixed into an answer for a space-indented file, read as wide as the answer's own
blocks say (`tab_reading.py`: one step, 8 columns, or one column each), through the whole
pipeline; and look-alike answers whose tabs read right as one step, which keep that reading."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

from glm_lsp.inline.tab_reading import tab_columns_by_blocks

REGISTRY_PY = [
    "class KeyringBackendMeta(abc.ABCMeta):",
    "    def __init__(cls, name, bases, dict):",
    "        super().__init__(name, bases, dict)",
    "        cls._register()",
    "",
    "    def _register(cls):",
    "        ",
    "",
    "    def _validate(cls):",
    "        orig = cls.set_password",
    "        if orig:",
    "            return orig",
]

ERROR_JS = [
    "var JsonWebTokenError = function (message, error) {",
    "};",
    "",
    "JsonWebTokenError.prototype = Object.create(Error.prototype);",
]

OPTION_JAVA = [
    "public class VMOption {",
    "    private final String name;",
    "",
    "    public static VMOption from(CompositeData cd) {",
    "",
    "    }",
    "}",
]

TAG_LUA = [
    "local function mk_tag_item(name, range, uri, position_encoding)",
    "  ",
    "end",
    "",
    "local function query_definition(pattern)",
    "  local bufnr = api.nvim_get_current_buf()",
    "  if not bufnr then",
    "    return {}",
    "  end",
    "end",
]


def test_tabs_of_eight_columns_under_python_openers_are_read_so() -> None:
    """The body lines under a tab, the others under four spaces, the whole block after the first
    line a step too shallow: a tab as one step would put `if`'s body on the `if`'s column, as
    8 columns every block reads right, and the anchors then move the rest under the cursor."""
    raw = (
        "<COMPLETION>if not hasattr(cls, '_classes'):\n\tcls._classes = set()\n"
        "    classes = cls._classes\n    if not cls.__abstractmethods__:\n\tclasses.add(cls)"
    )
    want = (
        "if not hasattr(cls, '_classes'):\n            cls._classes = set()\n"
        "        classes = cls._classes\n        if not cls.__abstractmethods__:\n"
        "            classes.add(cls)"
    )
    assert _shown(REGISTRY_PY, 6, 8, "python", raw) == want


def test_tabs_that_read_right_as_one_step_keep_that_reading() -> None:
    """Look-alike: tab-led lines that are each one step under their opener when a tab is one
    step (`if` at a tab, its body at two) keep the one-step reading."""
    raw = (
        "<COMPLETION>if cls:\n\t\tcls._classes = set()\n\tclasses = cls._classes\n"
        "\tif classes:\n\t\tclasses.add(cls)"
    )
    want = (
        "if cls:\n            cls._classes = set()\n        classes = cls._classes\n"
        "        if classes:\n            classes.add(cls)"
    )
    assert _shown(REGISTRY_PY, 6, 8, "python", raw) == want


def test_lone_tab_body_under_a_brace_takes_the_answers_step() -> None:
    """A file with no indented line yet, an answer in 2-space steps with the one body line of
    its `if (...) {` led by a tab: only a tab of 4 columns puts it one step under the `{`."""
    raw = (
        "<COMPLETION>\n  Error.call(this, message);\n  if(Error.captureStackTrace) {\n"
        "\tError.captureStackTrace(this, this.constructor);\n  }\n  this.name = 'E';"
    )
    want = (
        "\n  Error.call(this, message);\n  if(Error.captureStackTrace) {\n"
        "    Error.captureStackTrace(this, this.constructor);\n  }\n  this.name = 'E';"
    )
    assert _shown(ERROR_JS, 0, 51, "javascript", raw) == want


def test_lone_tab_line_after_a_plain_statement_is_left_as_written() -> None:
    """Look-alike: a lone tab line after a statement that opens nothing gives no reading (no
    block says how wide the tab is); the rules before this one decide, as they did (the line
    deeper than a `;` statement moves back, and the scope ends there)."""
    raw = (
        "<COMPLETION>\n  Error.call(this, message);\n\tthis.name = 'E';\n  this.message = message;"
    )
    want = "\n  Error.call(this, message);\n  this.name = 'E';"
    assert _shown(ERROR_JS, 0, 51, "javascript", raw) == want


def test_tabs_written_one_per_column_off_by_one_are_read_as_columns() -> None:
    """Seven tabs for a line at 8, eleven for its body: a tab per column (the model's columns
    one short). As steps the body would sit four steps deep; as columns it is one step in, and
    the block moves to the opener's body column."""
    tabs7, tabs11 = "\t" * 7, "\t" * 11
    raw = (
        f"<COMPLETION>\n{tabs7}if (cd == null) {{\n{tabs11}return null;\n{tabs7}}}\n"
        f"{tabs7}return new VMOption(cd);"
    )
    want = (
        "\n        if (cd == null) {\n            return null;\n        }\n"
        "        return new VMOption(cd);"
    )
    assert _shown(OPTION_JAVA, 3, 51, "java", raw) == want


def test_spaces_before_the_first_lines_tab_are_no_tab_alignment() -> None:
    """A body written with a tab per level, its first line led by two stray spaces before the
    tab: no sign of 8-column tab alignment in a file of 2-space steps with no such line, so
    each tab is one step and the nested table keeps its depth."""
    raw = (
        "<COMPLETION>  \tlocal bufnr = vim.uri_to_bufnr(uri)\n\t-- 0-indexed position\n"
        "\treturn {\n\t\tname = name,\n\t}"
    )
    want = (
        "local bufnr = vim.uri_to_bufnr(uri)\n  -- 0-indexed position\n  return {\n"
        "    name = name,\n  }"
    )
    assert _shown(TAG_LUA, 1, 2, "lua", raw) == want


def test_comment_deeper_than_a_complete_lua_statement_is_a_shifted_line() -> None:
    """Every line after the first a step too deep, the second a `--` comment: the comment's
    dashes are no leading operator, so the line after a complete statement cannot sit deeper
    and the lines move back under the cursor."""
    raw = (
        "<COMPLETION>local bufnr = vim.uri_to_bufnr(uri)\n    -- 0-indexed position\n"
        "    local byte = 1\n    return {\n      name = name,\n    }"
    )
    want = (
        "local bufnr = vim.uri_to_bufnr(uri)\n  -- 0-indexed position\n  local byte = 1\n"
        "  return {\n    name = name,\n  }"
    )
    assert _shown(TAG_LUA, 1, 2, "lua", raw) == want


def test_lua_continuation_after_an_operator_keeps_its_depth() -> None:
    """Look-alike: a line deeper than one ending in an operator continues it and stays."""
    raw = "<COMPLETION>local total = first +\n    second\n  return total"
    want = "local total = first +\n    second\n  return total"
    assert _shown(TAG_LUA, 1, 2, "lua", raw) == want


def test_a_long_tab_led_answer_is_read_in_one_pass() -> None:
    """Hostile input: a 200 KB line under an opener is read without a quadratic scan, and one
    step under `{` needs no other reading."""
    lines = ["if (x) {", "\t" + "a" * 200_000 + ";", "}"]
    assert tab_columns_by_blocks(lines, 4, True, "c") is None
    assert tab_columns_by_blocks(["if (x) {", "\t\t" + "b" * 200_000 + ";"], 4, True, "c") == 2


POSIX_H = [
    "#ifndef __kernel_size_t",
    "typedef __kernel_ulong_t\t__kernel_size_t;",
    "typedef __kernel_long_t\t__kernel_ssize_t;",
    "typedef __kernel_long_t\t__kernel_ptrdiff_t;",
    "#endif",
    "",
    "#ifndef __kernel_fsid_t",
    "typedef struct {",
    "} __kernel_fsid_t;",
    "#endif",
    "",
    "typedef __kernel_long_t\t__kernel_off_t;",
]


def test_space_led_body_in_a_file_that_aligns_with_tabs_gets_a_tab() -> None:
    """No indented line in view, but the file aligns its columns with tabs after code: a tab
    file, so the member written after eight spaces is led by one tab, like the document's."""
    raw = "<COMPLETION>\n        int\tval[2];"
    assert _shown(POSIX_H, 7, 16, "c", raw) == "\n\tint\tval[2];"


def test_space_led_body_in_a_file_indented_with_spaces_stays() -> None:
    """Look-alike: the same file with a member indented by four spaces in view is a space file;
    the body keeps its spaces."""
    lines = ["typedef struct {", "    int\tpad;", "} pad_t;", *POSIX_H]
    raw = "<COMPLETION>\n    int\tval[2];"
    assert _shown(lines, 10, 16, "c", raw) == "\n    int\tval[2];"


MODULE_JAVA = [
    "/**",
    " * Defines the API for XML cryptography.",
    " */",
    "module java.xml.crypto {",
    "}",
    "",
]


def test_lone_tab_under_a_statement_going_on_after_a_word_is_two_steps() -> None:
    """`provides X with` ends in a word: in Java the statement goes on, deeper, on the next
    line; only a tab of 8 columns puts its lone tab-led line deeper than it."""
    raw = (
        "<COMPLETION>\n    requires java.logging;\n\n    provides java.security.Provider with\n"
        "\torg.jcp.xml.dsig.internal.dom.XMLDSigRI;\n"
    )
    want = (
        "\n    requires java.logging;\n\n    provides java.security.Provider with\n"
        "        org.jcp.xml.dsig.internal.dom.XMLDSigRI;"
    )
    assert _shown(MODULE_JAVA, 3, 24, "java", raw) == want


def test_tab_continuation_after_an_operator_keeps_one_step() -> None:
    """Look-alike: after `a &&` at 12 the next operand may sit on the same column as the line
    before it; a tab read as one step reads right and no other reading is taken."""
    lines = [
        "return this->valid() &&",
        "            m_GetCurrentConsoleFontEx != NULL &&",
        "\t\t\tm_SetCurrentConsoleFontEx != NULL;",
    ]
    assert tab_columns_by_blocks(lines, 4, False, "cpp") is None
