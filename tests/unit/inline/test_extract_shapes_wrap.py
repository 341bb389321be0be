"""Wrapper and lead shapes around an answer (issue 14, round 2): the break after
`<COMPLETION>` before a line that starts with a word's space, the break after a turn marker,
a closing fence glued to the code, a lead in a string followed by a blank line, a one-word
label on the code's line, and a comment line before a single-line answer to typed code.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes real models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.extract import extract

C_DECL = "typedef unsigned int uint;\ntypedef║\nint main(void);\n"
PY_BODY = "def close(self):\n    if self.sock:\n        ║\n    return None\n"
PY_ASSIGN = "def home():\n    path = ║\n    return path\n"
GO_BLOCK = "func run() {\n\tfor {║\n\t}\n}\n"
PY_STRING = 'def greet():\n    print("Hello, ║")\n'


def test_break_after_the_tag_before_a_spaced_word_is_formatting() -> None:
    """`<COMPLETION>` + break + ` int x`: one space is a word's space, not indentation."""
    assert shown(C_DECL, "c", "<COMPLETION>\n int fpu_t;</COMPLETION>") == " int fpu_t;"


def test_break_after_a_turn_marker_is_formatting() -> None:
    """`<|assistant|>` then a break: the break belongs to the marker; an answer's own break
    after it stays."""
    raw = "<|assistant|>\n\n\t\tbreak"
    assert shown(GO_BLOCK, "go", raw) == "\n\t\tbreak"


@pytest.mark.parametrize(
    "raw",
    [
        "```python\nself.sock.close()```\n\n说明：保持了原有的缩进。",
        "```python\nself.sock.close()```\n\nThis closes the socket.",
    ],
)
def test_closing_fence_glued_to_the_code(raw: str) -> None:
    """A closing fence glued to the last line of code ends the fence; the remark goes."""
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


def test_lead_in_a_string_then_a_blank_line() -> None:
    """In a string a lead sentence (`好的，这里是代码：`) goes with the blank line after it."""
    assert shown(PY_STRING, "python", "好的，这里是光标处的代码：\n\nworld") == "world"


def test_one_word_label_on_the_code_line() -> None:
    """`Completion: x = 1` on one line: the label goes."""
    assert shown(PY_BODY, "python", "<COMPLETION>Completion: self.sock.close()") == (
        "self.sock.close()"
    )


@pytest.mark.parametrize("raw", ["# completion\nos.getcwd()", "# added code\n\nos.getcwd()"])
def test_comment_before_a_single_line_answer_to_typed_code(raw: str) -> None:
    """After `path = ` a comment line cannot be the answer: the code line after it is."""
    assert shown(PY_ASSIGN, "python", raw) == "os.getcwd()"
    assert shown(PY_ASSIGN, "python", raw, piece=1) == "os.getcwd()"


PY_CALL_OPEN = "def total(items):\n    return sum(║\n"


@pytest.mark.parametrize("raw", ["\n\nos.getcwd()", "<COMPLETION>\n\nos.getcwd()", "\nos.getcwd()"])
def test_break_before_a_single_line_answer_is_formatting(raw: str) -> None:
    """After `path = ` blank lines before an answer at the line's own indentation or left of
    it are formatting: the answer continues the line."""
    assert shown(PY_ASSIGN, "python", raw) == "os.getcwd()"


def test_break_before_a_deeper_continuation_line_stays() -> None:
    """After `sum(` a break then a line indented deeper is the model's continuation line."""
    assert shown(PY_CALL_OPEN, "python", "\n        item.price for item in items") == (
        "\n        item.price for item in items"
    )


def test_stream_ended_in_the_opening_tag_shows_nothing() -> None:
    """`<CO` at the end of a stream is a cut tag, not code; a lone `<` stays (a comparison)."""
    assert not shown(PY_ASSIGN, "python", "<CO")
    found = extract("<", final=True, language="python", grammar="python")
    assert found is not None and found.text == "<"


PY_WHILE = "def spin():\n    while║\n    return 1\n"


def test_capitalised_word_and_colon_after_the_tag_is_code() -> None:
    """` True:` right after `<COMPLETION>` continues `while`: one leading space is the
    answer's, so the line is no label."""
    raw = "Filling in the code at the cursor:\n<COMPLETION> True:\n        pass"
    assert shown(PY_WHILE, "python", raw) == " True:"


@pytest.mark.parametrize(
    "raw",
    [
        "Sure! The missing part is: os.getcwd()\n    return path",
        "以下是需要补全的代码： os.getcwd()\n    return path",
    ],
)
def test_sentence_then_code_on_one_line(raw: str) -> None:
    """A sentence announcing the code, then the code on the same line: the code is the
    answer, not the line after it."""
    assert shown(PY_ASSIGN, "python", raw) == "os.getcwd()"


def test_reasoning_quoting_code_is_no_code_line() -> None:
    """`...before the cursor: `COMPREPLY=( $(`.` quotes code in a sentence: the answer comes
    after the reasoning."""
    raw = "Let me look at what comes before the cursor: `path = `.\n</think>\n\nos.getcwd()"
    assert shown(PY_ASSIGN, "python", raw) == "os.getcwd()"


def test_sentence_after_an_interjection_in_a_string() -> None:
    """In a string `Sure! The missing part is: os` is the model talking: the code is `os`;
    without the interjection the sentence may be the string's text."""
    found = extract("Sure! The missing part is: fmt", final=True, in_text=True, language="go")
    assert found is not None and found.text == "fmt"
    found = extract("The missing part is: fmt", final=True, in_text=True, language="go")
    assert found is not None and found.text == "The missing part is: fmt"


def test_comment_alone_after_typed_code_shows_nothing() -> None:
    """After `path = ` an answer that is only a comment completes nothing."""
    assert not shown(PY_ASSIGN, "python", "```\n# TODO: check")
