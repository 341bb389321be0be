"""A stream the host cut (token budget, dropped connection) shows only what is whole and new."""

from __future__ import annotations

from tests.unit.inline.test_inline_stream_stop import at, feed_all

from glm_lsp.inline.stream_stop import StreamStop


def cut(document: str, stream: str, language: str = "python") -> str:
    """What `StreamStop` keeps of `stream` when the host ended it with `length`."""
    stop = StreamStop(at(document, language))
    feed_all(stop, [stream])
    return stop.finish("length")


def test_a_piece_of_the_typed_line_written_again_shows_nothing() -> None:
    """After typed code, a cut one-line answer that is a piece of the cursor line's typed text
    (`==` of `x == "`, `'filter'` of `f('filter', {`) is a repeat the stream ended in; the
    answer the host ended itself, or new text, stays."""
    typed = 'def test():\n    assert library() == "║"\n'
    assert cut(typed, "<COMPLETION>== ") == ""
    lua = "local items = fn('filter', { ║, cond })\n"
    assert cut(lua, "<COMPLETION>'filter'", "lua") == ""
    assert cut(lua, "<COMPLETION>getlist(), ", "lua").strip() == "getlist(),"
    ended = StreamStop(at(typed))
    feed_all(ended, ["<COMPLETION>=="])
    assert ended.finish("stop") == "=="


def test_the_whole_typed_line_written_again_shows_nothing() -> None:
    """A cut answer that writes the typed text again up to its end (`callback =` after
    `  callback = `) is a restatement, like a cut start of it."""
    document = "vim.api.nvim_create_autocmd('BufRead', {\n  callback = ║\n})\n"
    assert cut(document, "<COMPLETION>  callback =", "lua") == ""


def test_a_cut_operator_alone_after_an_operand_shows_nothing() -> None:
    """One operator character that ends the stream right after a name may start a longer
    operator (`-` of `->`, `:` of `::`), and dots may be an ellipsis: nothing is shown. After an
    opening bracket a `!` is whole, and so is an operator the stream went past."""
    assert cut("void f(T *victim) {\n    victim║\n}\n", "<COMPLETION>-", "cpp") == ""
    assert cut("const __pool_base║\n", "<COMPLETION>:", "cpp") == ""
    assert cut("func: Callable[║, int]\n", "<COMPLETION>.") == ""
    assert cut("if (║) {\n}\n", "<COMPLETION>!", "java") == "!"
    assert cut("local x║\n", "<COMPLETION> = b", "lua") == " ="


def test_a_start_of_a_line_above_after_typed_code_shows_nothing() -> None:
    """After typed code the answer goes on with that code: a cut answer that is the start of a
    line just above, cut at a token's end (`virtual ~Impl(`), is a repeat. On a blank line the
    same start may be a sibling statement and stays."""
    document = (
        "class Impl {\n"
        "    virtual ~Impl() {\n"
        "        if (m_v != nullptr) {\n"
        "            FreeSid(║);\n"
        "        }\n"
        "    }\n"
        "};\n"
    )
    assert cut(document, "<COMPLETION>        virtual ~Impl(", "cpp") == ""
    sibling = "def main():\n    System.out.println(a)\n    ║\n"
    assert cut(sibling, "<COMPLETION>System.out.println(") == "System.out.println("


def test_only_lines_above_written_again_show_nothing_after_typed_code() -> None:
    """After typed code, a cut answer whose every line repeats a line just above (one of them
    distinctive) shows nothing; in block mode a whole repeated line may be the body (a sibling
    branch's statement) and stays."""
    shell = "case $x in\n    a)\n        comps=''\n        ;;\nesac\nCOMPREPLY=( $(║) )\n"
    assert cut(shell, "<COMPLETION>\n        comps=''\n        ", "shellscript") == ""
    block = "if (a) {\n    done = true;\n} else if (b) {║\n}\n"
    kept = cut(block, "<COMPLETION>\n    done = true;\n   ", "javascript")
    assert kept.strip() == "done = true;"


def test_a_cut_word_that_starts_a_keyword_is_not_shown() -> None:
    """A last word cut by the stream that starts a keyword (`do` of `done`) may be that keyword:
    it goes, even when the window writes the shorter word."""
    document = "for x in a; do\n    echo $x\n    if true; then\n        :\n    fi\n║\n"
    assert cut(document, "<COMPLETION>do", "shellscript") == ""


def test_a_hostile_long_cut_line_is_read_whole() -> None:
    """A 200 KB cut line is read in linear time: the answer is what the rules give."""
    line = "x = " + "a + " * 50_000 + "b"
    assert cut("y = 1\n║\n", "<COMPLETION>" + line).startswith("x = a + a")


def test_a_lone_opener_before_a_cut_object_shows_nothing() -> None:
    """Single-line mode: a cut stream whose line is only `{` and that went on over lines (an
    object written out, `{` then `  "key"`) shows nothing rather than the bracket; a `{` that
    repeats the line above is an echo the rules read past, and a stream cut right at a `(` keeps
    it."""
    document = 'const def = {\n  type: "object",\n  schemaType: ["║", "boolean"],\n}\n'
    assert cut(document, '<COMPLETION>{\n  "', "typescript") == ""
    echo = "void f(int e)\n{\n    super(║);\n}\n"
    assert cut(echo, "<COMPLETION>{\n\n    super(e.getMessag", "java").strip() != ""
    assert cut("x = f║\n", "<COMPLETION>(") == "("


def test_a_number_alone_on_its_line_shows_nothing() -> None:
    """A cut answer on a line of its own that is only a number (a listing's line number, the code
    after it cut) is no statement: nothing. After typed code a number is a value and stays."""
    assert cut("struct ctx;\n\n║\n", "<COMPLETION> 197  cmac_ae", "c") == ""
    assert cut("x = ║\n", "<COMPLETION>197 ").strip() == "197"
