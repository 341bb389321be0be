"""Chat-template debris before the answer (`inline/chat_turns.py`, `debris.py`): the prompt's
user or system turn written again in a template's markup, invisible characters first; and
code that starts with the same words, which stays.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes chat templates produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.chat_turns import after_other_turns

C_BODY = "int main(void) {\n\tint n = 0;\n\t║\n\treturn n;\n}\n"
PY_BODY = "def close(self):\n    if self.sock:\n        ║\n    return None\n"


@pytest.mark.parametrize(
    "raw",
    [
        "<|im_start|>user\nFill the hole.<|im_end|>\n<|im_start|>assistant\nn++;<|im_end|>",
        "<start_of_turn>user\nFill it<end_of_turn>\n<start_of_turn>model\nn++;<end_of_turn>",
        "<|user|>\nFill the hole.\n<|assistant|>\nn++;",
        "<|start_header_id|>user<|end_header_id|>\n\nFill it<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nn++;<|eot_id|>",
        "<s>[INST] Fill the hole. [/INST] n++;</s>",
        "<|system|>\nYou write C.<|end|>\n<|assistant|>\nn++;<|end|>",
        "Human: fill the hole\n\nAssistant: n++;",
        "\ufeffn++;",
        "\u200bn++;",
    ],
)
def test_prompt_turns_and_invisible_marks_before_the_answer_go(raw: str) -> None:
    """Only the assistant's turn is the answer; a user or system turn before it, in any
    template's markup, and a byte-order mark or zero-width space first are no text of it."""
    assert shown(C_BODY, "c", raw) == "n++;"


def test_a_user_turn_with_no_answer_shows_nothing() -> None:
    """An echoed user turn with no assistant turn after it: nothing to show, and the stream
    is held while it arrives."""
    assert shown(C_BODY, "c", "<|im_start|>user\nFill the hole.<|im_end|>") in ("", None)
    assert after_other_turns("<|im_start|>user\nFill", final=False) is None


def test_code_starting_with_a_role_word_stays() -> None:
    """`User: TypeAlias = ...` is a Python annotation, not a turn: with no `Assistant:` line
    after it, it is the answer."""
    text = "User: TypeAlias = dict[str, str]"
    assert after_other_turns(text, final=True) == text
    assert shown(PY_BODY, "python", "self.user: str = name") == "self.user: str = name"


@pytest.mark.parametrize("raw", ["<s>n++;", "n++;[EOS]", "n++;\n[SEP]"])
def test_sequence_marks_are_no_text(raw: str) -> None:
    """A begin-of-sequence `<s>` first and bracketed special tokens (`[EOS]`) are no text."""
    assert shown(C_BODY, "c", raw) == "n++;"


def test_an_index_named_like_a_token_stays() -> None:
    """`parts[SEP]`, `cells[HOLE]` index with a constant: code."""
    assert shown(C_BODY, "c", "x = parts[SEP];") == "x = parts[SEP];"
    assert shown(C_BODY, "c", "x = cells[HOLE];") == "x = cells[HOLE];"


@pytest.mark.parametrize("raw", ["n++;<CURSOR>", "<FILL_ME>n++;", "n++;[CURSOR]"])
def test_other_marks_of_the_hole_are_no_text(raw: str) -> None:
    """A mark for the hole in another spelling than the prompt's is no text of the answer."""
    assert shown(C_BODY, "c", raw) == "n++;"


def test_a_human_turn_arriving_character_by_character_is_held() -> None:
    """While a `Human:` line arrives, the single-line stream does not take it for the answer:
    it waits for the `Assistant:` line (or the stream's end, where code such as `User: T`
    stays)."""
    document = "def home():\n    return os.environ.get(║)\n"
    assert shown(document, "python", 'Human: fill\n\nAssistant: "HOME"', piece=1) == '"HOME"'
    assert after_other_turns("Human: fill", final=False) is None
