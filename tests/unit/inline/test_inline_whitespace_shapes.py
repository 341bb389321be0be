"""Whitespace, echo and truncation repairs of ghost text read from the shape of the answer and
the document (issue 14, fourth round): preprocessor lines, tab separators, the rest of the line
re-typed with other spacing."""

from __future__ import annotations

from glm_lsp.inline import StreamStop, analyze, postprocess
from glm_lsp.inline.filters import trim_suffix_echo
from glm_lsp.inline.hole import TAB_WIDTH, width


def _shown(  # noqa: PLR0913 - the document, the cursor, the answer and how the stream ended
    lines: list[str], line: int, character: int, language: str, raw: str, reason: str = "stop"
) -> str | None:
    hole = analyze(lines, line, character, language=language)
    stop = StreamStop(hole)
    for start in range(0, len(raw), 4):
        if stop.feed(raw[start : start + 4]):
            reason = ""
            break
    return postprocess(stop.finish(reason or None), hole)


C_DIRECTIVES = [
    "void",
    "encode(struct state *s)",
    "{",
    '\t#include "head.c"',
    "#if WORDSIZE == 32",
    "\tloop_32(&s, &slen);",
    "#elif WORDSIZE == 64",
    "",
    "#endif",
    '\t#include "tail.c"',
    "}",
]


def test_tab_of_a_statement_under_a_column_0_directive_is_kept() -> None:
    """On an empty line under `#elif` inside a tab-indented body, the answer's leading tab is
    the body's: a directive's column 0 says nothing of the depth of the code around it."""
    raw = "<COMPLETION>\tloop_64(&s, &slen);"
    assert _shown(C_DIRECTIVES, 7, 0, "c", raw) == "\tloop_64(&s, &slen);"


TS = [
    "export type TokenRequest = {",
    "    clientId: string;",
    "    resource?: ",
    "};",
]


def test_tab_separating_code_from_the_answer_becomes_a_space() -> None:
    """`resource?:` answered `\\tstring;` in a file that never puts a tab after code: the tab
    is the model's separator, shown as one space."""
    lines = [*TS[:2], "    resource?:", TS[3]]
    assert _shown(lines, 2, 14, "typescript", "<COMPLETION>\tstring;") == " string;"


def test_tab_after_code_is_kept_where_the_file_aligns_with_tabs() -> None:
    """In a header that aligns declarations with tabs after code, a tab-led answer keeps it."""
    lines = ["EXTERN int\t\tfirst(int a);", "EXTERN void", ""]
    assert _shown(lines, 1, 11, "c", "<COMPLETION>\t\tsecond(void);") == "\t\tsecond(void);"


def test_rest_of_the_line_retyped_without_its_spaces_is_cut() -> None:
    """`set(|, mp_digit b);` answered `mp_int *a,mp_digit b`: the answer goes on with the
    start of the text after the cursor written without its space; only `mp_int *a` is new."""
    lines = ["EXTERN void set(, mp_digit b);", ""]
    assert _shown(lines, 0, 16, "c", "<COMPLETION>mp_int *a,mp_digit b") == "mp_int *a"


def test_rest_of_a_list_retyped_by_a_cut_stream_is_cut() -> None:
    """A stream cut (`length`) while re-typing the rest of an initializer list with other
    spacing shows only the item the hole needed."""
    lines = ['char *names[] = {, "ASCII", "EBCDIC", "Image" };', ""]
    raw = '<COMPLETION>"0","ASCII","EBCDIC","'
    assert _shown(lines, 0, 17, "c", raw, "length") == '"0"'


TS_CLASS = [
    "export class Named {",
    "    private readonly name: string;",
    "}",
    "",
    "export class Client extends Base {",
    "    ",
    "}",
]


def test_tabs_written_one_per_column_become_spaces_column_for_column() -> None:
    """A body written with a tab per column (8 tabs for 8 columns) in a 4-space file: the
    fewest tabs of a code line are the cursor's column, so each tab is one column."""
    eight, four = "\t" * 8, "\t" * 4
    raw = f"<COMPLETION>constructor(\n{eight}config: Config\n{four}) {{\n"
    raw += f"{eight}super(config);\n{four}}}"
    expected = "constructor(\n        config: Config\n    ) {\n        super(config);\n    }"
    assert _shown(TS_CLASS, 5, 4, "typescript", raw) == expected


def test_tabs_one_per_level_still_count_a_step_each() -> None:
    """The same body written with a tab per level (2 tabs, 1 tab) keeps the usual reading."""
    raw = "<COMPLETION>constructor(\n\t\tconfig: Config\n\t) {\n\t\tsuper(config);\n\t}"
    expected = "constructor(\n        config: Config\n    ) {\n        super(config);\n    }"
    assert _shown(TS_CLASS, 5, 4, "typescript", raw) == expected


JAVA_TWO_STEPS = [
    "public class Remote extends Base  {",
    "  public Remote(Client client, long id) {",
    "     super(client, id);",
    "  }",
    "",
    "  public Context getContext() {",
    "  }",
    "}",
]


def test_body_one_step_of_the_enclosing_block_deeper_is_kept_where_siblings_differ() -> None:
    """Members 2 columns into the class, a constructor body 3 columns into the constructor: a
    body the model writes 2 columns deeper (and its inner block 2 more) is one of the file's
    steps and stays as written."""
    body = "\n    Context c = make();\n    if (c == null) {\n      return none();\n    }"
    body += "\n    return c;"
    raw = "<COMPLETION>" + body
    shown = _shown(JAVA_TWO_STEPS, 5, 32, "java", raw)
    assert shown == raw.removeprefix("<COMPLETION>")


PY_CLASS = ["class Shared:", "    def _format(self):", "", "    def other(self):", "        pass"]


def test_block_answer_that_is_a_cut_repeat_of_the_opener_shows_nothing() -> None:
    """After `def _format(self):` a stream cut inside a repeat of that line (`def _format(self)`
    on a line of its own) shows nothing: no body is a start of its own opener."""
    raw = "<COMPLETION>    def _format(self):\n        return 1"
    assert _shown(PY_CLASS, 1, 22, "python", raw[:32], "length") is None


SHELL_CASE = ["case $x in", "    -a)", "        ;;", "    -", "esac"]


def test_line_above_copied_with_its_indentation_after_code_shows_nothing() -> None:
    """After `    -` an answer that is the line above as it stands (`        ;;`) is a copied
    line, even that short."""
    assert _shown(SHELL_CASE, 3, 5, "shellscript", "<COMPLETION>        ;;\n    ", "length") is None


SHELL_BRANCH = [
    "_complete()",
    "{",
    "\tcase $prev in",
    "\t\t'-h'|'--help')",
    "",
    "\t\t\t;;",
    "\tesac",
    "}",
]


def test_statement_under_a_shell_case_pattern_goes_one_step_deeper() -> None:
    """On an empty line under the pattern `'-h'|'--help')` an answer indented too deep is
    placed one tab deeper than the pattern: the pattern opens its branch."""
    raw = "<COMPLETION>\t\t\t\treturn 0"
    assert _shown(SHELL_BRANCH, 4, 0, "shellscript", raw) == "\t\t\treturn 0"


CPP_LOOP = [
    "void Loop::run() {",
    "    while (true) {",
    "        ",
    "    }",
    "}",
]


def test_call_continuation_aligned_as_if_the_call_began_at_column_0_moves_under_it() -> None:
    """A cut stream whose call goes on under its `(` counted from column 0 (the model wrote the
    answer for column 0; the cursor is at 8): the continuation lines move under the real `(`."""
    under = " " * len("int r = wait(")
    raw = f"<COMPLETION>int r = wait(handles.size(),\n{under}handles.data(),\n{under}FAL"
    expected = f"int r = wait(handles.size(),\n{' ' * 8}{under}handles.data(),"
    assert _shown(CPP_LOOP, 2, 8, "cpp", raw, "length") == expected


C_MIXED = [
    "struct widget {",
    "\tint\twidth;",
    "\tint\theight;",
    "};",
    "static int names[] = {",
    "    1, 2,",
    "};",
    "typedef enum {",
    "    ",
    "} Anchor;",
]


def test_tabs_one_per_column_in_a_mixed_file_do_not_become_levels() -> None:
    """In a file indented with tabs here and spaces there, continuation lines written with 4
    tabs under a cursor at 4 spaces are not shown 4 levels deep: a tab is a column there."""
    raw = "<COMPLETION>ANCHOR_N, ANCHOR_E,\n\t\t\t\tANCHOR_S, ANCHOR_W,\n\t\t\t\tANCHOR_CENTER"
    shown = _shown(C_MIXED, 8, 4, "c", raw)
    assert shown is not None
    assert "\t" not in shown
    assert all(line.startswith("    A") for line in shown.split("\n")[1:])


JS_RULES = [
    "export default [",
    "    {",
    "        rules: {",
    "            'max-depth': {",
    "                max: 25,",
    "                min: ",
    "            },",
    "        },",
    "    },",
    "];",
]


def test_answer_at_column_0_after_a_repeat_of_the_line_above_goes_on_at_the_cursor() -> None:
    """`min: ` answered with the line above again, then `1,` at column 0: the line break was
    the repeat's, so `1,` goes on the cursor line instead of on a new line of its own."""
    raw = "<COMPLETION>                max: 25,\n1,"
    assert _shown(JS_RULES, 5, 21, "javascript", raw) == "1,"


JAVA_TRY = [
    "class Loader {",
    "    Object load(Class<?> type) throws LoadException {",
    "        try {",
    "            return type.getConstructor().newInstance();",
    "        } catch (ClassNotFoundException e) {",
    '          throw new LoadException("Could not find class: " + e);',
    "        } catch (InstantiationException e) {",
    "          ",
    "        } catch (InvocationTargetException e) {",
    '          throw new LoadException("Could not create: " + e);',
    "        }",
    "    }",
    "}",
]


def test_cut_stream_ending_in_a_start_of_the_next_line_drops_that_line() -> None:
    """An answer whose last line is a strict start of the line below the hole (`} catch (`, a
    stream cut while it went on with the file) loses that line at the suffix-echo step, before
    any syntax-tree rule: it is a repeat of the file, not code for the hole."""
    hole = analyze(JAVA_TRY, 7, 10, language="java")
    text = 'throw new LoadException("Cannot: " + e);\n        } catch ('
    assert trim_suffix_echo(text, hole) == 'throw new LoadException("Cannot: " + e);'
    raw = '<COMPLETION>throw new LoadException("Cannot: " + e);\n        } catch (Invoc'
    shown = _shown(JAVA_TRY, 7, 10, "java", raw, "length")
    assert shown == 'throw new LoadException("Cannot: " + e);'


CPP_MACRO = [
    "#define DEFINE_OP(_Op, _Name)\t\t\\",
    "  template<typename _Tp>\t\t\\",
    "    inline _Tp\t\t\t\\",
    "    operator _Op(const _Tp& __v)\t\t\\",
    "    {\t\t\t\t\\",
    "      return _Name(__v);\t\t\\",
    "    }",
    "",
    "",
    "DEFINE_OP(-, minus)",
]


def test_statement_after_a_macro_body_is_not_placed_by_the_macro_lines() -> None:
    """On an empty line at column 0 after a macro whose body lines are indented, between code
    at column 0, an answer indented by 2 goes to column 0: a macro's lines say nothing of the
    depth of the code after it."""
    raw = "<COMPLETION>  DEFINE_OP(+, plus)"
    assert _shown(CPP_MACRO, 8, 0, "cpp", raw) == "DEFINE_OP(+, plus)"


JS_SCAN = [
    "function detect(buffer, opts) {",
    "    let begin = opts.begin ?? 0;",
    "    if (opts.begin == null) {",
    "        let encoding = getEncoding(buffer, { length, begin });",
    "        if (encoding === TEXT) {",
    "            begin = Math.max(, buffer.length / 2);",
    "        }",
    "    }",
    "}",
]


def test_whole_line_from_a_few_lines_above_after_typed_code_shows_nothing() -> None:
    """Inside `Math.max(` an answer that is a whole statement from two lines above (a restart
    from there, stream stopped at its end) is no argument: nothing is shown."""
    raw = "<COMPLETION>let encoding = getEncoding(buffer, { length, begin });\nif (encoding ="
    assert _shown(JS_SCAN, 5, 29, "javascript", raw, "length") is None


def test_end_of_the_cursor_line_repeated_without_its_space_is_dropped() -> None:
    """`if (` answered `if(done == end`: the answer starts with the end of the cursor line
    written with other spacing; only `done == end` goes after the cursor."""
    lines = ["int main() {", "      if ()", "        return 0;", "}"]
    assert _shown(lines, 1, 10, "cpp", "<COMPLETION>if(done == end") == "done == end"


TS_DOC = [
    "export class Done extends Base {",
    "    /**",
    "     * The kind of the result.",
    "     */",
    "    kind = DONE;",
    "}",
    "",
    "export class Started extends Base {",
    "    ",
    "}",
]


def test_doc_comment_star_lines_sit_one_column_right_of_their_opener() -> None:
    """A doc comment whose `*` lines the model put under the `/**` (or anywhere else) gets them
    one column right of it, as every comment of the file has them."""
    raw = "<COMPLETION>/**\n    * The kind of the state.\n    */\n    kind = STARTED;"
    shown = _shown(TS_DOC, 8, 4, "typescript", raw)
    assert shown == "/**\n     * The kind of the state.\n     */\n    kind = STARTED;"


TS_RESULT = [
    "export class Result {",
    "    static failed(error: Error): Result {",
    "        const result = new Result(",
    "            new FailedState()",
    "        );",
    "        return result;",
    "    }",
    "",
    "    static started(error: Error): Result {",
    "    }",
    "}",
]


def test_body_written_with_half_steps_hanging_indents_included_is_rescaled() -> None:
    """A body written with 2-column steps for a 4-column file (first line at 4 for 8, the
    arguments of a call 2 deeper): every line goes to the file's column for its level."""
    raw = "<COMPLETION>\n    const result = new Result(\n      new StartedState()\n    );"
    raw += "\n    return result;"
    expected = "\n        const result = new Result(\n            new StartedState()\n        );"
    shown = _shown(TS_RESULT, 8, 42, "typescript", raw)
    assert shown == expected + "\n        return result;"


C_STRUCT = [
    "typedef struct _PartRec {",
    "\tint\tsize;",
    "} PartRec;",
    "",
    "typedef struct _ClassRec {",
    "  \t",
    "} ClassRec;",
]


def test_spaces_before_a_tab_at_the_cursor_are_the_tab_s_column() -> None:
    """The editor's `  \\t` on the cursor line is one tab stop wide (the tab reaches the next
    stop), so a body written with tabs keeps them: nothing is added after the tab."""
    raw = "<COMPLETION>CorePart  core;\n\tShellPart shell;"
    assert _shown(C_STRUCT, 5, 3, "c", raw) == "CorePart  core;\n\tShellPart shell;"
    assert width("  \t") == width("\t") == TAB_WIDTH
    assert width("\t  ") == TAB_WIDTH + 2


def test_restated_cursor_line_then_its_bracket_again_keeps_only_the_answer() -> None:
    """The cursor line restated, then its `(` once more before the answer (`f ( (int x`):
    the second bracket is the line's own, not the answer's."""
    lines = ["extern int first (int __a);", "extern int leaf_of ();", ""]
    raw = "<COMPLETION>extern int leaf_of ( (const char *__name"
    assert _shown(lines, 1, 20, "c", raw) == "const char *__name"


def test_restated_cursor_line_then_its_equals_sign_again_keeps_only_the_value() -> None:
    """`size_t count = ` restated and answered `= 0;`: the `=` repeats the line's own."""
    lines = ["void clear(void) {", "\tsize_t count = ", "}"]
    raw = "<COMPLETION>\tsize_t count = =0;"
    assert _shown(lines, 1, 16, "c", raw) == "0;"


def test_stray_spaces_before_tabs_in_a_tab_file_are_dropped() -> None:
    """A body whose lines are led by `  \\t` (a tab stop wide, as the file's `\\t`) in a file
    led by tabs alone is shown with the tabs only: the spaces are the model's."""
    lines = ["struct rmtcallres {", "\tint size;", "};", "struct rmtcallargs {", "};"]
    raw = "<COMPLETION>\n  \tint *port;\n  \tint length;"
    assert _shown(lines, 3, 20, "c", raw) == "\n\tint *port;\n\tint length;"
