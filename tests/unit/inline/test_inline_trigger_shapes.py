"""Trigger cases that used to get no request although the line was being typed."""

from __future__ import annotations

from test_inline_trigger import at

from glm_lsp.inline.hole import Mode


def test_condition_bracket_typed_above_an_existing_body_gets_a_request() -> None:
    """`if (|` above a body whose brackets never close it: the user is typing the condition."""
    doc = "function check(item) {\n    if (║\n        return;\n    }\n    use(item);\n}\n"
    for language in ("javascript", "typescript", "c", "java"):
        hole = at(doc, language)
        assert hole.mode is Mode.SINGLE_LINE and hole.may_break, language


def test_arguments_written_below_the_bracket_get_no_request() -> None:
    """`call(|` whose arguments are already on the lines below, closed there: nothing to add."""
    doc = "int main(void) {\n    report(║\n        first,\n        second);\n}\n"
    assert at(doc, "c").mode is Mode.NONE


def test_space_after_a_closing_brace_gets_a_request() -> None:
    """`} |`: `else`, `catch`, `while` or a typedef's name follows the brace."""
    go = "func f(x int) int {\n\tif x > 0 {\n\t\treturn 1\n\t} ║\n\treturn 0\n}\n"
    assert at(go, "go").mode is Mode.SINGLE_LINE
    c = "typedef struct {\n    int width;\n} ║\n"
    assert at(c, "c").mode is Mode.SINGLE_LINE


def test_brace_without_a_space_still_ends_the_statement() -> None:
    """`}|` with nothing typed after it is a complete line."""
    go = "func f(x int) int {\n\tif x > 0 {\n\t\treturn 1\n\t}║\n\treturn 0\n}\n"
    assert at(go, "go").mode is Mode.NONE


def test_lua_then_followed_by_else_is_an_empty_block() -> None:
    """`if x then|` with `else` on the next line: the `then` branch is still empty."""
    doc = "local function f(x)\n  if x then║\n  else\n    return 2\n  end\nend\n"
    hole = at(doc, "lua")
    assert hole.mode is Mode.MULTI_LINE and hole.new_line
