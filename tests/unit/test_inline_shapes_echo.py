"""Answers that restart from the line above the cursor before the answer: real code, through the
whole pipeline (stream stop, then the filters)."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

SPEEDUPS_C = [
    "static PyMethodDef speedups_methods[] = {",
    "    {",
    '        "apply_mask",',
    "        (PyCFunction)apply_mask,",
    "        METH_VARARGS | ",
    "    },",
    "};",
]


def test_line_above_repeated_before_a_single_line_answer_is_dropped() -> None:
    """`(PyCFunction)apply_mask,` (the line above) then the answer: only the answer is shown."""
    raw = "<COMPLETION>(PyCFunction)apply_mask,\nMETH_KEYWORDS,"
    assert _shown(SPEEDUPS_C, 4, 23, "c", raw) == "METH_KEYWORDS,"


def test_line_above_repeated_stripped_and_after_a_blank_line_is_dropped() -> None:
    """The repeat written without its indentation and followed by a blank line is a repeat too."""
    raw = "<COMPLETION>(PyCFunction)apply_mask,\n\nMETH_KEYWORDS,"
    assert _shown(SPEEDUPS_C, 4, 23, "c", raw) == "METH_KEYWORDS,"


JAVA_FIELD = [
    "class SAX2RTFDTM {",
    "  /**",
    "   * Tail-pruning mark:  initial number of nodes in use",
    "   */",
    "  int ",
    "",
    "}",
]


def test_short_closer_above_repeated_after_typed_code_is_dropped() -> None:
    """`*/` (the line above, a short line) repeated before the answer on a line with code typed:
    the answer continues the cursor line, so the `*/` is a repeat and the stream goes on past it."""
    assert _shown(JAVA_FIELD, 4, 6, "java", "   */\nm_emptyNodeCount;") == "m_emptyNodeCount;"


ENCODING_C = [
    "int validate(argon2_context *ctx) {",
    "    int validation_result;",
    "    validation_result = validate_inputs(ctx);",
    "    if (ARGON2_OK != validation_result) {",
    "    }",
    "    return 0;",
    "}",
]


def test_block_answer_after_a_repeat_of_the_line_above_the_opener() -> None:
    """A block body after a repeat of the statement above the `if` (at the opener's column, left
    of the body): only the body is shown."""
    raw = (
        "<COMPLETION>\n    validation_result = validate_inputs(ctx);\n\n"
        "        return validation_result;"
    )
    assert _shown(ENCODING_C, 3, 41, "c", raw) == "\n        return validation_result;"


def test_block_body_repeating_the_line_above_at_the_body_column_is_kept() -> None:
    """The same statement written in the body (at the body's column) is code the file may
    repeat: it is an answer, not a repeat."""
    raw = (
        "<COMPLETION>\n        validation_result = validate_inputs(ctx);\n"
        "        return validation_result;"
    )
    shown = _shown(ENCODING_C, 3, 41, "c", raw)
    assert shown == (
        "\n        validation_result = validate_inputs(ctx);\n        return validation_result;"
    )


C_GENERATOR_PY = [
    "precedence_map = {",
    '    ">": 6,',
    '    ">=": 6,',
    '    "": 6,',
    "}",
]


def test_one_character_answer_in_a_string_after_a_repeat() -> None:
    """`<` inside a string (a dict key) after a repeat of the line above is shown: a lone `<` is
    junk only outside strings."""
    assert _shown(C_GENERATOR_PY, 3, 5, "python", '    ">=": 6,\n<') == "<"


def test_bracket_the_cursor_line_ends_with_repeated_is_dropped() -> None:
    """The cursor after `(` answered `(cp`: the `(` repeats the one typed (the line is balanced
    without it)."""
    lines = ["int f(const u_char *cp) {", "\treturn ns_get16();", "}"]
    assert _shown(lines, 1, 17, "c", "<COMPLETION>(cp") == "cp"


def test_bracket_opening_a_group_of_its_own_is_kept() -> None:
    """`f(` answered `(a + b) * c`: the answer's `(` opens its own group and is kept."""
    lines = ["int g(int a, int b, int c) {", "\treturn f();", "}"]
    assert _shown(lines, 1, 10, "c", "(a + b) * c") == "(a + b) * c"


RESEND_TS = [
    "export class SignInResendCodeResult {",
    "    /**",
    "     * Creates a result.",
    "     */",
    "    constructor(state: SignInResendCodeResultState) {",
    "    }",
    "}",
]


def test_short_line_above_the_opener_repeated_before_the_body_is_dropped() -> None:
    """`*/` (the line above the constructor) repeated before the body, left of it: dropped."""
    raw = "<COMPLETION>     */\n\n        super(state);"
    assert _shown(RESEND_TS, 4, 53, "typescript", raw) == "\n        super(state);"


UNDICI_JS = [
    "module.exports.Headers = require('./lib/web/fetch/headers').Headers",
    "module",
    "",
]


def test_line_above_starting_like_the_cursor_line_is_a_repeat_not_a_restatement() -> None:
    """`module` typed, answered with the line above (which starts with `module` too) then the
    answer: the first line repeats the line above, it does not restate the cursor line."""
    raw = (
        "<COMPLETION>module.exports.Headers = require('./lib/web/fetch/headers').Headers\n"
        ".exports.Response = require('./lib/web/fetch/response').Response"
    )
    assert _shown(UNDICI_JS, 1, 6, "javascript", raw) == (
        ".exports.Response = require('./lib/web/fetch/response').Response"
    )


DEBOUNCE_CC = [
    "void Debounce::notify() {",
    "  mLastTime = std::chrono::steady_clock::now();",
    "  for (auto it = mCallbacks.begin(); it != mCallbacks.end(); it++) {",
    "  }",
    "}",
]


def test_brace_the_cursor_line_ends_with_repeated_before_the_body_is_dropped() -> None:
    """`for (...) {` answered ` {` then the body: the `{` repeats the cursor line's own."""
    raw = "<COMPLETION> {\n  auto cb = it->second;\n  cb();"
    assert _shown(DEBOUNCE_CC, 2, 68, "cpp", raw) == "\n    auto cb = it->second;\n    cb();"


TLS_PY = [
    "def unwrap(self):",
    "    try:",
    "        self._ssl_object.unwrap()",
    "    except ssl.SSLSyscallError as exc:",
    "",
]


def test_colon_the_cursor_line_ends_with_repeated_before_the_body_is_dropped() -> None:
    """`except ... as exc:` answered `:` then the body: the `:` repeats the cursor line's own."""
    raw = "<COMPLETION>:\n        self._read_bio.write_eof()\n        raise BrokenResourceError"
    shown = _shown(TLS_PY, 3, 38, "python", raw)
    assert shown == "\n        self._read_bio.write_eof()\n        raise BrokenResourceError"


def test_assignment_sign_repeated_after_a_line_ending_in_it_is_dropped() -> None:
    """`X_SKU =` answered ` = "x-sku";`: `= =` is never code, the answer is what follows."""
    lines = ["export const AADServerParamKeys = {", "    X_SKU =", "};"]
    assert _shown(lines, 1, 11, "typescript", '<COMPLETION> = "x-sku";') == ' "x-sku";'


def test_second_equals_sign_typed_after_one_is_kept() -> None:
    """`if (a =` answered `= b)` (no space between): the answer completes `==`, it is kept."""
    lines = ["if (a =", ""]
    assert _shown(lines, 0, 7, "javascript", "= b) {") == "= b) {"


def test_comma_the_rest_of_the_line_starts_with_is_not_doubled() -> None:
    """`setTimeout(|, duration);` answered `resolve,`: the rest's comma is not written twice."""
    lines = ["return new Promise(resolve => {", "\tsetTimeout(, duration);", "});"]
    assert _shown(lines, 1, 12, "javascript", "<COMPLETION>resolve,") == "resolve"


BYTEARRAY_EXTRA_OPS_C = [
    "PyObject *CPyByteArray_GetSlice(PyObject *obj, CPyTagged start, CPyTagged end) {",
    "    if (CPyTagged_CheckShort(start) && CPyTagged_CheckShort(end)) {",
    "        Py_ssize_t startn = CPyTagged_ShortAsSsize_t(start);",
    "        if (0 <= startn && startn <= endn && endn <= size) {",
    "        }",
    "    }",
    "}",
]


def test_a_repeated_opener_glued_to_the_body_by_its_indentation_gives_the_body() -> None:
    """mypyc's bytearray_extra_ops.c: the cursor line repeated, then the body's tabs where the
    line break was (`... {\\t\\t\\treturn ...`): the body on a line of its own, in the file's
    spaces."""
    raw = (
        "<COMPLETION>```C\n        if (0 <= startn && startn <= endn && endn <= size) {"
        "\t\t\treturn PyByteArray_FromStringAndSize(PyBytes_AS_STRING(obj) + startn, endn);\n```\n"
    )
    shown = _shown(BYTEARRAY_EXTRA_OPS_C, 3, 60, "c", raw)
    assert shown == (
        "\n            return PyByteArray_FromStringAndSize(PyBytes_AS_STRING(obj) + startn, endn);"
    )


PROXY_GO = [
    "func (p *Proxy) listen() error {",
    "\tresult := make(chan error, 2)",
    "\tgo p.serveUnix(result)",
    "\tgo func() {",
    "\t}()",
    "\treturn <-result",
    "}",
]


def test_lines_above_then_the_opener_glued_to_the_body_give_the_body() -> None:
    """git's persistent-https proxy.go: the two lines above repeated, the cursor line glued to
    the body by spaces (the model's spaces for the file's tabs): only the body is shown."""
    raw = "```go\n\tgo p.serveUnix(result)\n\tgo func() {                result <- serve(hl)\n```"
    assert _shown(PROXY_GO, 3, 12, "go", raw) == "\n\t\tresult <- serve(hl)"


def test_alignment_spaces_inside_a_body_line_stay() -> None:
    """Spaces that align code inside the body (`Director:      func`) are no lost line break:
    only a repeat of the cursor line before them makes one."""
    lines = ["\tproxy := &httputil.ReverseProxy{", "\t}"]
    raw = "<COMPLETION>\n\t\tFlushInterval: 500 * time.Millisecond,\n\t\tDirector:      director,"
    assert _shown(lines, 0, 33, "go", raw) == (
        "\n\t\tFlushInterval: 500 * time.Millisecond,\n\t\tDirector:      director,"
    )


GETFONT_CC = [
    "int main() {",
    "    setBufferSize(WIDTH, 40);",
    "    setWindowPos(0, 0, WIDTH, 20);",
    '    system("cls");',
    "    for (int i = 0; i < 100; ++i) {",
    "    }",
    "}",
]


def test_the_cursor_line_restated_twice_after_the_lines_above_is_all_echo() -> None:
    """winpty's misc/ tests: the lines above, then the cursor line `for (...) {` twice, then
    the body: only the body is shown."""
    raw = (
        '<COMPLETION>    setWindowPos(0, 0, WIDTH, 20);\n    system("cls");\n'
        "    for (int i = 0; i < 100; ++i) {\n    for (int i = 0; i < 100; ++i) {\n"
        '        printf("FOO(%d)\\n", i);'
    )
    assert _shown(GETFONT_CC, 4, 35, "cpp", raw) == '\n        printf("FOO(%d)\\n", i);'


SIGNAL_HH = [
    "class Signal {",
    "public:",
    "  void notify() {",
    "    std::unique_lock<std::mutex> lock(mMutex);",
    "    mFlag = true;",
    "    mCond.notify_all();",
    "  }",
    "",
    "  void reset() {",
    "  }",
    "};",
]


def test_lines_above_and_a_blank_line_then_the_glued_opener_give_the_body() -> None:
    """@parcel/watcher's Signal.hh: the end of the method above, a blank line, then the cursor
    line glued to the body by four spaces: the body on its own line."""
    raw = (
        "```\nmCond.notify_all();\n  }\n\n  void reset() {    std::unique_lock<std::mutex> "
        "lock(mMutex);\n    mFlag = false;\n```"
    )
    assert _shown(SIGNAL_HH, 8, 16, "cpp", raw) == (
        "\n    std::unique_lock<std::mutex> lock(mMutex);\n    mFlag = false;"
    )
