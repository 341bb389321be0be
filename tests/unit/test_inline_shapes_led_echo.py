"""Single-line answers after typed code that restart a line just above with its own
indentation (the stream cut inside the repeat or at its end), through the whole pipeline, and
the answers after code that look alike but continue the line."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

REPLY_H = [
    "typedef struct {",
    "    BYTE type;  /* X_Reply */",
    "    BYTE pad1;",
    "    CARD16",
    "    CARD32 length;",
    "} xListPropertiesReply;",
]

SECURITY_CC = [
    "Sid allocatedSid(PSID v) {",
    "    struct Impl : Sid::Impl {",
    "        PSID m_v;",
    "        virtual ~Impl() {",
    "            if (m_v != nullptr) {",
    "                FreeSid();",
    "            }",
    "        }",
    "    };",
    "}",
]

COL_SH = [
    "_col_module()",
    "{",
    "\tlocal cur prev",
    '\tprev="${COMP_WORDS[COMP_CWORD-1]}"',
    "\tcase $prev in",
    "\t\t'-l'|'",
    '\t\t\tCOMPREPLY=( $(compgen -W "number" -- $cur) )',
    "\t\t\t;;",
    "\tesac",
    "}",
]


def test_cut_repeat_of_a_line_above_with_its_indentation_shows_nothing() -> None:
    """`    BYTE` after `    CARD16|`: the model restarted from `    BYTE pad1;` (its
    indentation and words), and the stream stopped there; none of it continues the line."""
    assert _shown(REPLY_H, 3, 10, "c", "<COMPLETION>    BYTE") is None


def test_repeat_two_lines_up_in_a_mid_line_hole_shows_nothing() -> None:
    """`        virtual ~Impl(` inside `FreeSid(|);`: a line two lines up, with its
    indentation, restarted where an argument belongs."""
    raw = "<COMPLETION>        virtual ~Impl("
    assert _shown(SECURITY_CC, 5, 24, "cpp", raw) is None


def test_tab_led_repeat_of_a_shell_line_shows_nothing() -> None:
    """`\\tprev="${` after `'-l'|'`: a tab-indented line above restarted, cut."""
    assert _shown(COL_SH, 5, 8, "shellscript", '<COMPLETION>\tprev="${') is None


def test_answer_with_one_space_and_the_line_above_words_is_kept() -> None:
    """` sequenceNumber;` (one space, not a line's indentation) continues the typed code, and
    so does a space-led answer that is a name the lines above use."""
    raw = "<COMPLETION> sequenceNumber;"
    assert _shown(REPLY_H, 3, 10, "c", raw) == " sequenceNumber;"
    assert _shown(REPLY_H, 3, 10, "c", "<COMPLETION> pad1;") == " pad1;"


def test_aligned_answer_not_starting_a_line_above_is_kept() -> None:
    """Alignment spaces before a member name (`CARD16    sequenceNumber;`) are the file's
    style when the text is not a line above restarted."""
    raw = "<COMPLETION>    sequenceNumber;"
    assert _shown(REPLY_H, 3, 10, "c", raw) == " sequenceNumber;"


KERBEROS_CC = [
    "NAN_METHOD(InitializeClient) {",
    "    Nan::Utf8String service(info[0]);",
    "    Local<Function> callback = Local<Function>::Cast(info[2]);",
    "    Nan::Callback *cb = new Nan::Callback(callback);",
    "}",
]


def test_cursor_line_restarted_with_its_indentation_and_cut_shows_nothing() -> None:
    """`    Local` inside `Cast(|)`: the model began the cursor line again from its
    indentation and the stream stopped before it reached the cursor."""
    assert _shown(KERBEROS_CC, 2, 53, "cpp", "<COMPLETION>    Local") is None


TESTS_JS = [
    "test('lengths', function (t) {",
    "  var ok = true;",
    "  [ safer.Buffer.alloc,",
    "    dangerous.Buffer.allocUnsafeSlow",
    "  ].forEach(function (method) {",
    "    for (var i = 0; i < 1e2; i++) {",
    "    }",
    "  })",
    "})",
]


def test_block_answer_repeating_lines_above_cut_in_the_last_shows_nothing() -> None:
    """A block answer that writes two lines from above again, left of the body, and stops
    inside the second (`  ].forEach(`): nothing of it is the body."""
    raw = "<COMPLETION>    dangerous.Buffer.allocUnsafeSlow\n  ].forEach("
    assert _shown(TESTS_JS, 5, 35, "javascript", raw) is None


def test_block_body_after_the_repeated_lines_is_kept() -> None:
    """The same repeat followed by the cursor line and the body: the body is shown."""
    raw = (
        "<COMPLETION>  ].forEach(function (method) {\n"
        "    for (var i = 0; i < 1e2; i++) {\n"
        "      var buf = method(8)"
    )
    assert _shown(TESTS_JS, 5, 35, "javascript", raw) == "\n      var buf = method(8)"


RANGE_JAVA = [
    "/*",
    " * PURPOSE.",
    " * See the License for more details.",
    " */",
    "",
    "package org.w3c",
]


def test_whole_comment_line_led_by_one_space_after_code_shows_nothing() -> None:
    """` * PURPOSE.` after `package org.w3c|`: a whole line from above (led by its one space)
    where the stream stopped after its first line: a repeat, never the package name."""
    assert _shown(RANGE_JAVA, 5, 15, "java", "<COMPLETION> * PURPOSE.\n */") is None


def test_one_space_start_of_a_line_above_is_kept() -> None:
    """` * See` (one space, a start of the comment line ` * See the value` rather than the
    whole line) may be code going on after `x = y` (a product): only a whole line counts with
    a one-space lead."""
    doc = ["/*", " * See the value", " */", "int x = y"]
    assert _shown(doc, 3, 9, "c", "<COMPLETION> * See") == " * See"


LIMIT_TS = [
    "const def: CodeKeywordDefinition = {",
    '  keyword: ["maxProperties", "minProperties"],',
    '  type: "object",',
    "  schemaType: ",
    "  $data: true,",
    "}",
]


def test_whole_line_above_on_a_line_of_its_own_after_code_shows_nothing() -> None:
    """Under `  schemaType: |` the model wrote `  keyword: [...],` (two lines up, with its
    indentation) and the single-line stream stopped at its end: a repeat, not the value."""
    raw = '<COMPLETION>\n  keyword: ["maxProperties", "minProperties"],\n  type: "object",'
    assert _shown(LIMIT_TS, 3, 14, "typescript", raw) is None


def test_short_continuation_equal_to_a_line_above_is_kept() -> None:
    """`    b)` on the next line after `bar(a,` is the call's continuation even where the call
    above ends the same way: a short line identifies no place."""
    doc = ["foo(a,", "    b)", "bar(a,"]
    shown = _shown(doc, 2, 6, "javascript", "<COMPLETION>\n    b)")
    assert shown is not None
    assert shown.strip() == "b)"


def test_long_led_line_is_read_in_one_pass() -> None:
    """A 200 KB answer line led like a 200 KB line above is still recognised as its repeat
    (the checks compare starts, they do not search)."""
    long_line = "    value = " + "a" * 200_000
    doc = ["int f() {", long_line + "b;", "    int x = y"]
    assert _shown(doc, 2, 13, "c", "<COMPLETION>" + long_line, piece=50_000) is None


LOOP_C = [
    "\tif (rounds >= 4) {",
    "\t\tenc_inner(s, o);",
    "\t\tenc_inner(s, o);",
    "\t\tenc_inner(s, ",
    "\t\trounds -= 4;",
    "\t}",
]


def test_cursor_line_equal_to_the_line_above_restated_then_the_next_line() -> None:
    """The cursor line, once complete, equals the line above: a model that writes it whole and
    goes on with the file's next line restated the cursor line, so the answer is its end (not
    the next line, as if the line above had been repeated)."""
    raw = "<COMPLETION>\t\tenc_inner(s, o);\n\t\trounds -= 4;"
    assert _shown(LOOP_C, 3, 15, "c", raw) == "o);"


def test_line_above_repeated_then_the_answer_on_the_next_line() -> None:
    """A copy of the line above followed by the answer (not the file's next line) is still the
    line above repeated: the answer is the line after it."""
    raw = "<COMPLETION>\t\tenc_inner(s, o);\nsize);"
    assert _shown(LOOP_C, 3, 15, "c", raw) == "size);"


PREFIX_GO = [
    "\t} else {",
    '\t\tlog.SetPrefix(" ")',
    "\t\tclient := &Client{}",
]


def test_string_written_again_with_its_quotes_and_the_line_end_gives_its_text() -> None:
    """Inside `SetPrefix("|")` the model wrote the opening quote, the text and the rest of the
    line (`"name: ")`): the text alone goes in."""
    raw = '<COMPLETION>"git-remote-https: ")\n\t\tclient := &Client{}'
    assert _shown(PREFIX_GO, 1, 17, "go", raw) == "git-remote-https:"


BRANCHES_CC = [
    "bool test() {",
    "    if (a) {",
    "        assert(x == 1);",
    "        return true;",
    "    } else if (b) {",
    "    } else {",
    "        assert(false);",
    "    }",
    "}",
]


def test_block_answer_restarting_from_a_return_above_drops_it() -> None:
    """A body that starts with the previous branch's last line `return true;` and goes on at
    its column: code after a return is never reached, so the return is the line above written
    again and the body is what follows it."""
    raw = (
        "<COMPLETION>\n        return true;\n\n        // Fail.\n"
        "        assert(x == 7);\n        return false;"
    )
    want = "\n        // Fail.\n        assert(x == 7);\n        return false;"
    assert _shown(BRANCHES_CC, 4, 19, "cpp", raw) == want


def test_block_answer_that_is_only_the_same_return_is_kept() -> None:
    """A body that is `return true;` alone, like the branch above, is an answer."""
    raw = "<COMPLETION>\n        return true;"
    assert _shown(BRANCHES_CC, 4, 19, "cpp", raw) == "\n        return true;"
