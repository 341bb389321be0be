"""The code gate: the last filter judges whether the answer reads as code where it is inserted."""

from __future__ import annotations

from glm_lsp.inline import analyze
from glm_lsp.inline.code_gate import MAX_GATED_CHARS, code_gate
from glm_lsp.inline.hole import Hole
from glm_lsp.inline.syntax import code_only

PY = [
    "def load(path):",
    "    with open(path) as handle:",
    "        data = handle.read()",
    "    ",
    "    return data",
]

C_MACRO = [
    "#define DEFINE_OP(op, name) \\",
    "    int name(int a, int b) { return a op b; }",
    "",
    "DEFINE_OP(-, minus)",
    "",
    "int main(void) { return 0; }",
]


def _hole(lines: list[str], line: int, character: int, language: str) -> Hole:
    return analyze(lines, line, character, language=language)


def test_code_only_blanks_strings_and_comments() -> None:
    """Only what is written in code position is left: strings and comments become spaces of
    the same length, line breaks stay."""
    text = 'x = "café"  # é\ny = 1'
    blanked = code_only(text, "python")
    assert blanked == 'x = "    "'.replace('"    "', " " * 6) + "  " + " " * 3 + "\ny = 1"
    assert len(blanked) == len(text)


def test_junk_on_a_later_line_cuts_there() -> None:
    """A block answer whose last line is markup keeps the lines above it, which parse."""
    hole = _hole(PY, 3, 4, "python")
    answer = "\n    data = data.strip()\n    data = data.lower()\n</pre>"
    assert code_gate(answer, hole) == "\n    data = data.strip()\n    data = data.lower()"


def test_accented_prose_line_after_code_is_cut() -> None:
    """A line of words in accented Latin, outside strings, in a file that writes no such letter
    in code: the answer keeps the code before that line."""
    hole = _hole(PY, 3, 4, "python")
    answer = "\n    data = data.strip()\n    Voilà la suite demandée"
    assert code_gate(answer, hole) == "\n    data = data.strip()"


def test_letters_the_window_writes_in_code_stay() -> None:
    """A file that names things in CJK in code keeps an answer that does too."""
    lines = ["数据 = [1, 2, 3]", "总数 = 0", "", "print(总数)"]
    hole = _hole(lines, 2, 0, "python")
    assert code_gate("总数 = sum(数据)", hole) == "总数 = sum(数据)"


def test_macro_arguments_the_grammar_cannot_read_stay() -> None:
    """`DEFINE_OP(+, plus)` does not parse as C (an operator as an argument) but the error lies
    inside brackets its line closes: the answer is kept whole."""
    hole = _hole(C_MACRO, 4, 0, "c")
    assert code_gate("DEFINE_OP(+, plus)", hole) == "DEFINE_OP(+, plus)"


def test_truncated_block_keeps_its_broken_last_line() -> None:
    """A stream cut in the middle of a call on the answer's last line: the parse error is only
    where the answer breaks off, after code: the answer stays as it is."""
    hole = _hole(PY, 3, 4, "python")
    answer = "\n    data = data.strip()\n    data = data.replace('a',"
    assert code_gate(answer, hole) == answer


def test_reasoning_word_alone_is_not_shown() -> None:
    """A lone word the window never writes followed by what breaks the parse (`Thinking...`)
    does not read as code of this window: nothing, not the word."""
    hole = _hole(PY, 3, 4, "python")
    assert code_gate("Thinking...", hole) is None


def test_truncated_call_over_lines_is_kept() -> None:
    """A stream cut inside a call whose arguments go over lines: the error spans from the open
    bracket to the end, which a truncated stream explains; the answer stays as it is."""
    hole = _hole(PY, 3, 4, "python")
    answer = "\n    data = data.replace(\n        'a',"
    assert code_gate(answer, hole) == answer


def test_answers_past_the_bound_are_not_reparsed() -> None:
    """An answer longer than `MAX_GATED_CHARS` (hostile: the model is asked for far less) is not
    judged by the tree; letters of a script the window never writes in code are still cut."""
    hole = _hole(PY, 3, 4, "python")
    junk = "</x> " * (MAX_GATED_CHARS // 4)
    assert code_gate(junk, hole) == junk
    assert code_gate("data = 1\n" + "é " * MAX_GATED_CHARS, hole) == "data = 1"


def test_a_script_the_window_never_writes_is_cut_in_a_comment_too() -> None:
    """CJK letters in a comment the answer writes, in a window that writes none anywhere, are a
    note to the user (`# 补全`): the answer keeps the code before that line. In a string hole
    there is no gate: a sentence in any script may be the string's text."""
    hole = _hole(PY, 3, 4, "python")
    assert code_gate("\n    data = data.strip()\n    # 补全", hole) == "\n    data = data.strip()"
    hole = _hole(['print("', "x = 1"], 0, 7, "python")
    assert code_gate("操作成功。", hole) == "操作成功。"


def test_a_cut_never_keeps_the_start_of_a_sentence() -> None:
    """`Here you go —` breaks the parse at the dash; `Here you` parses but has no word the
    window's code writes: no cut keeps it, and nothing is shown."""
    hole = _hole(C_MACRO, 4, 0, "c")
    assert code_gate("Here you go —", hole) is None


JS_BROKEN = [
    "function first(items) {",
    "  const broken = (items;",
    "  return items[0];",
    "}",
    "",
    "function sum(items) {",
    "  let total = ",
    "  return total;",
    "}",
]


def test_errors_the_window_already_has_do_not_count() -> None:
    """A parse error above the cursor (code being edited elsewhere) is not the answer's: a
    correct answer stays, and a sentence is still not shown."""
    hole = _hole(JS_BROKEN, 6, 14, "javascript")
    assert code_gate("items.reduce((a, b) => a + b, 0);", hole) == (
        "items.reduce((a, b) => a + b, 0);"
    )
    assert code_gate("the sum of all the items goes here", hole) is None


def test_a_fence_spelt_anew_is_not_shown() -> None:
    """A fence no filter reads (tildes with a file name) does not parse and starts a line with
    marks the window's code never starts one with: nothing."""
    hole = _hole(PY, 3, 4, "python")
    assert code_gate("~~~python3:load.py", hole) is None


JAVA_DOC = [
    "class Debug {",
    "    /**",
    "     * Whether debugging is on.",
    "     */",
    "    ",
    "    static boolean on(int flag) {",
    "        return flag != 0;",
    "    }",
    "}",
]


def test_the_end_of_a_comment_nothing_opened_is_cut() -> None:
    """In code position a line that ends a block comment (`*/`) or is only its `*` margin,
    where no comment is open, is the comment above written again: the answer stops before it,
    or shows nothing when it starts with it. A comment the answer opens itself keeps its end,
    and a `*` that goes on with the typed line (`f(int` then ` *`) is code."""
    hole = _hole(JAVA_DOC, 4, 4, "java")
    assert code_gate("*/\n    static boolean off(int flag) {", hole) is None
    assert code_gate("int level = 1;\n     *\n", hole) == "int level = 1;"
    own = "/**\n     * The level.\n     */\n    int level = 1;"
    assert code_gate(own, hole) == own
    typed = _hole(["int f(char", "    );"], 0, 10, "c")
    assert code_gate(" *", typed) == " *"


def test_a_cut_answer_of_a_grammar_keyword_or_a_code_shaped_name_stays() -> None:
    """A stream cut after a keyword of the language that the window never writes (`chan` in Go)
    or after a name shaped as code (`__u32`, `int64`) leaves an answer that breaks the parse but
    reads as code: it stays. A lone word that is neither goes."""
    go = ["package main", "", "func run() {", "\terrs := make()", "}"]
    hole = _hole(go, 3, len("\terrs := make("), "go")
    assert code_gate("chan", hole) == "chan"
    assert code_gate("Thinking...", hole) is None
    c = ["struct msg {", "\tint kind;", "", "};"]
    blank = _hole(c, 2, 1, "c")
    assert code_gate("__u32", blank) == "__u32"
