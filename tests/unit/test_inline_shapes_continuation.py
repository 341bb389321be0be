"""Continuation lines of a block answer's first statement at a column nothing explains (neither
whole steps under the statement nor under a token of a line above it): their depth is lost,
so the answer is shown up to them (`continuation.unaligned_continuation`). Through the whole
pipeline; continuation lines aligned the usual ways are kept."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

from glm_lsp.inline.continuation import unaligned_continuation

FONT_CC = [
    "class ConsoleFontApi {",
    "public:",
    "    bool valid() const {",
    "        ",
    "    }",
    "",
    "    bool other() const {",
    "        return m_other != NULL;",
    "    }",
    "};",
]

SETS_H = [
    "template <class _Tag, class _Iter>",
    "_Iter",
    "__pattern_set(_Tag __tag, _Iter __first1, _Iter __last1)",
    "{",
    "    if (__n1 + __n2 <= __set_algo_cut_off)",
    "    {",
    "        if (__first1 == __last1)",
    "        {",
    "            ",
    "        }",
    "    }",
    "    return __first1;",
    "}",
]


def test_operator_continuation_between_steps_and_tokens_is_cut() -> None:
    """`return a &&` at the cursor's 8, the next operands at 14: not one or two steps under
    the `return`, not under any of its tokens; only the first line is sure (its dangling `&&`
    then goes too: the code parses without it)."""
    raw = (
        "<COMPLETION>return this->XPFontAPI::valid() &&\n"
        "              m_GetCurrentConsoleFontEx != NULL &&\n"
        "              m_SetCurrentConsoleFontEx != NULL;"
    )
    assert _shown(FONT_CC, 3, 8, "cpp", raw) == "return this->XPFontAPI::valid()"


def test_operator_continuation_one_step_in_is_kept() -> None:
    """Look-alike: the operands one step under the `return` read right and stay."""
    raw = (
        "<COMPLETION>return this->XPFontAPI::valid() &&\n"
        "            m_GetCurrentConsoleFontEx != NULL &&\n"
        "            m_SetCurrentConsoleFontEx != NULL;"
    )
    want = (
        "return this->XPFontAPI::valid() &&\n"
        "            m_GetCurrentConsoleFontEx != NULL &&\n"
        "            m_SetCurrentConsoleFontEx != NULL;"
    )
    assert _shown(FONT_CC, 3, 8, "cpp", raw) == want


def test_operator_continuation_under_a_token_is_kept() -> None:
    """Look-alike: the operands under `this`, the first token after `return`, stay."""
    raw = (
        "<COMPLETION>return this->XPFontAPI::valid() &&\n"
        "               m_GetCurrentConsoleFontEx != NULL;"
    )
    want = "return this->XPFontAPI::valid() &&\n               m_GetCurrentConsoleFontEx != NULL;"
    assert _shown(FONT_CC, 3, 8, "cpp", raw) == want


def test_argument_a_step_left_of_its_bracket_is_cut() -> None:
    """The last argument of a call four columns left of the call's open bracket (the model
    aligned it for a first line a step to the left): its column is lost."""
    raw = (
        "<COMPLETION>return __set_construct(__first2, __last2, __first1, __last1,\n"
        "                               __comp);"
    )
    want = "return __set_construct(__first2, __last2, __first1, __last1,"
    assert _shown(SETS_H, 8, 12, "cpp", raw) == want


def test_argument_under_its_bracket_is_kept() -> None:
    """Look-alike: the argument right after the call's open bracket stays."""
    raw = (
        "<COMPLETION>return __set_construct(__first2, __last2, __first1, __last1,\n"
        "                                   __comp);"
    )
    want = (
        "return __set_construct(__first2, __last2, __first1, __last1,\n"
        "                                   __comp);"
    )
    assert _shown(SETS_H, 8, 12, "cpp", raw) == want


def test_line_after_a_template_head_is_not_judged() -> None:
    """Look-alike: `template<typename T>` ends in `>`, no operator: the declaration under it
    (two columns in, GNU style) is no continuation and stays."""
    lines = ["template<typename _Tp>", "  using vec = std::vector<_Tp>;", ""]
    assert unaligned_continuation(lines, [4, 6, 0], 4, "cpp") is None


def test_a_long_continuation_is_judged_in_one_pass() -> None:
    """Hostile input: a 200 KB continuation line is judged by its column without a quadratic
    scan (cut at 13, one column past the `f` of `x = f(`)."""
    lines = ["x = f(a +", "             " + "b + " * 50_000 + "c)"]
    assert unaligned_continuation(lines, [0, 13], 4, "python") == 1
