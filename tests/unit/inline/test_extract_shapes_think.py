"""Reasoning and chat-template debris around an answer (issue 14, round 2): a `</think>` with
no opener (the chat template opened the block), the blank line after a think block, an empty
block at the cursor's indentation, a turn marker naming its role, a language named in a
sentence of reasoning.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes real models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.extract import extract
from glm_lsp.inline.prose import is_prose

PY_CALL = "def home():\n    return os.environ.get(║)\n"
PY_BODY = "def close(self):\n    if self.sock:\n        ║\n    return None\n"
C_BLOCK = "int init(void) {\n    if (ready) {║\n    }\n    return 0;\n}\n"


@pytest.mark.parametrize(
    "raw",
    [
        'Wait, I should check whether that name is defined above.\n</think>\n\n"HOME"',
        'The user wants only the code at the cursor.</think>\n"HOME"',
        '用户希望补全光标处的代码。\n</think>\n\n<COMPLETION>"HOME"</COMPLETION>',
        'I need the key.\n\nIt is a string.\n</thinking>\n\n"HOME"',
    ],
)
def test_reasoning_closed_without_an_opener_is_dropped(raw: str) -> None:
    """A `</think>` whose `<think>` the chat template wrote: everything before it is reasoning,
    in the stream and at the end."""
    assert shown(PY_CALL, "python", raw) == '"HOME"'
    assert shown(PY_CALL, "python", raw, piece=1) == '"HOME"'


def test_stream_cut_inside_reasoning_shows_nothing() -> None:
    """A stream that ends in the closer of reasoning the template opened has no answer yet."""
    raw = "OK, I'll output just the completion.\n</thin"
    assert not shown(PY_CALL, "python", raw)
    assert extract(raw, final=True).text == ""


def test_closer_quoted_in_code_is_code() -> None:
    """`"</think>"` written in the code is no end of reasoning."""
    found = extract('END = "</think>"', final=True)
    assert found is not None and found.text == 'END = "</think>"'


def test_blank_line_after_a_think_block_is_formatting() -> None:
    """`</think>`, a blank line, then the answer: neither break is the answer's, but a third
    one (a block starting on its own line) is."""
    assert shown(PY_BODY, "python", "<think>\n\n</think>\n\nself.sock.close()") == (
        "self.sock.close()"
    )
    raw = "<think>\nclose it\n</think>\n\n\n        ready = 1;"
    assert shown(C_BLOCK, "c", raw) == "\n        ready = 1;"


def test_empty_think_block_at_the_cursor_indentation() -> None:
    """Spaces the model typed before an empty think block are no answer text."""
    raw = "        <think>\n\n</think>\n\nself.sock.close()"
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


def test_two_breaks_after_the_tag_keep_one() -> None:
    """`<COMPLETION>` then two line breaks: one is formatting, the other starts the block."""
    raw = "<think></think><COMPLETION>\n\n        ready = 1;\n</COMPLETION>"
    assert shown(C_BLOCK, "c", raw) == "\n        ready = 1;"


def test_turn_marker_role_is_no_answer() -> None:
    """`<|im_start|>assistant` before the answer: the role is part of the marker."""
    raw = "<|im_start|>assistant\n<think>\nshort\n</think>\n\nself.sock.close()<|im_end|>"
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


def test_language_named_in_a_sentence_reads_as_prose() -> None:
    """`C++` or `C#` in a sentence is a word; `c++;` alone is still code."""
    assert is_prose("This is C++ code.", "cpp", "cpp")
    assert is_prose("This is C# code, so I keep the braces.", "cpp", "cpp")
    assert not is_prose("c++;", "cpp", "cpp")


JS_BLANK = "function count(s) {\n  let i = 0;\n  ║\n  return i;\n}\n"


@pytest.mark.parametrize("raw", ["<COMPLETION>`i++;`", "`i++;`</COMPLETION>"])
def test_answer_in_an_inline_code_span(raw: str) -> None:
    """A one-line answer in single backticks is the code inside where that parses as the
    document's code; a span never closed is markdown only where backticks are never code."""
    assert shown(JS_BLANK, "javascript", raw) == "i++;"
    assert shown(PY_BODY, "python", "`self.sock.close()") == "self.sock.close()"
    found = extract("`Error", final=True, language="typescript", grammar="typescript")
    assert found is not None and found.text == "`Error"


def test_template_literal_and_command_substitution_stay() -> None:
    """`` `SELECT 1;` `` in JavaScript and `` `date` `` in shell are code, not markdown."""
    for raw, language, grammar in [
        ("`SELECT 1;`", "javascript", "javascript"),
        ("`date`", "shellscript", "bash"),
    ]:
        found = extract(raw, final=True, language=language, grammar=grammar)
        assert found is not None and found.text == raw


def test_lead_in_a_script_without_spaces_on_the_code_line() -> None:
    """`根据上下文，补全内容如下： code`: the sentence goes, the code on its line stays; a
    comment with a full-width colon after code is code."""
    raw = "<COMPLETION>根据上下文，补全内容如下： self.sock.close()"
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"
    found = extract("x = 1  # 注意：缩进", final=True, language="python", grammar="python")
    assert found is not None and found.text == "x = 1  # 注意：缩进"


def test_a_second_space_after_a_lead_colon_is_the_answer() -> None:
    """`...at the cursor:  name,`: one space is the sentence's, the other the answer's."""
    found = extract(
        "Filling in the code at the cursor:  value,",
        final=True,
        language="python",
        grammar="python",
    )
    assert found is not None and found.text == " value,"


def test_code_with_a_comment_or_string_in_chinese_is_code() -> None:
    """`x = 1  # 注意` and `print('你好')` are code; `以下是补全的代码：` is prose."""
    assert not is_prose("x = 1  # 注意：缩进", "python", "python")
    assert not is_prose("print('你好')", "python", "python")
    assert is_prose("以下是补全的代码：", "python", "python")
