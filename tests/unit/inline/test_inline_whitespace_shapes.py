"""Whitespace, echo and truncation repairs of ghost text read from the shape of the answer and
the document (issue 14, fourth round): preprocessor lines, tab separators, the rest of the line
re-typed with other spacing."""

from __future__ import annotations

from glm_lsp.inline import StreamStop, analyze, postprocess


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
