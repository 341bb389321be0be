"""Markup around an answer in issue 14's fresh8 samples: a Lua answer starting with `>` after
typed code, a sentence in a string pointing at the text below it, and a code span of two
backticks where backticks are never code.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes real models produce.
"""

from __future__ import annotations

from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.prose import is_prose

LUA_IF = (
    "local function getmrm(ctx)\n"
    "  local mrm = ctx.mrm\n"
    "  if not mrm then\n"
    "    local pos = ctx.pos\n"
    "    if pos ║\n"
    "    mrm = byte(ctx.code, pos, pos)\n"
    "  end\n"
    "end\n"
)
PY_LIST = 'LANGUAGES = [\n    "proto",\n    "║",\n    "puppet",\n]\n'
JAVA_DECL = (
    "class Factory {\n"
    "    protected HotSpotMetaAccessProvider║\n"
    "        return new HotSpotMetaAccessProvider(runtime);\n"
    "    }\n"
    "}\n"
)


def test_comparison_after_typed_code_is_no_block_quote() -> None:
    """`> ctx.stop then return nil end` after `if pos `: the `>` is the comparison, not a
    markdown quote of a sentence; the line is the answer."""
    raw = "<COMPLETION>> ctx.stop then return nil end\n    x = format(imm)\n"
    assert shown(LUA_IF, "lua", raw) == "> ctx.stop then return nil end"


def test_quoted_words_stay_prose() -> None:
    """Look-alike: a quote of words only, or of a capitalised sentence, is still prose."""
    assert is_prose("> quoted from the reference manual", "lua", "lua")
    assert is_prose("> Use ctx.stop to end the scan.", "lua", "lua")
    assert not is_prose("> ctx.stop then return nil end", "lua", "lua")


def test_sentence_pointing_below_in_a_string_is_a_lead() -> None:
    """In a string, `The text to insert is below.` then a blank line and the text: the
    sentence talks of the answer and points at what follows; it goes."""
    assert shown(PY_LIST, "python", "<COMPLETION>The text to insert is below.\n\npsv") == "psv"


def test_string_text_ending_in_below_stays() -> None:
    """Look-alike: a one-line string answer that ends in `below.` is the string's text."""
    assert shown(PY_LIST, "python", "<COMPLETION>Insert your name below.") == (
        "Insert your name below."
    )


def test_double_backtick_span_where_backticks_are_never_code() -> None:
    """``` ``HotSpotMetaAccessProvider createMetaAccess(...) {`` ```: a code span of two
    backticks in Java is markdown; the typed type written again goes too."""
    raw = (
        "Here is the completion:\n\n<COMPLETION>``HotSpotMetaAccessProvider "
        "createMetaAccess(HotSpotJVMCIRuntime runtime) {``"
    )
    assert shown(JAVA_DECL, "java", raw) == " createMetaAccess(HotSpotJVMCIRuntime runtime) {"
