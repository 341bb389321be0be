"""Reasoning in other spellings (`inline/reasoning_forms.py`, `debris.py`): Mistral's
`[THINK]`, Kimi's `◁think▷`, `<|begin_of_thought|>`, OpenAI's harmony channels, a chat UI's
`<details>` block, `Thought for N seconds`, tag names like `<seed:think>`; and the code with
similar marks that stays.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes chat models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.debris import strip_think
from glm_lsp.inline.reasoning_forms import after_channels, as_think_tags

PY_CALL = "def home():\n    return os.environ.get(║)\n"


@pytest.mark.parametrize(
    "raw",
    [
        '[THINK]The key is a string.[/THINK]"HOME"',
        '[THINK]string[/THINK]"HOME"',
        '[THINK]\nThe key is a string.\n[/THINK]\n\n<COMPLETION>"HOME"</COMPLETION>',
        '◁think▷The key is a string.◁/think▷"HOME"',
        "<|begin_of_thought|>\nThe key is a string.\n<|end_of_thought|>\n"
        '<|begin_of_solution|>\n"HOME"\n<|end_of_solution|>',
        '<seed:think>The key is a string.</seed:think>"HOME"',
        '<inner_monologue>The key is a string.</inner_monologue>\n"HOME"',
        '<thinking_process>The key is a string.</thinking_process>\n"HOME"',
        "<|channel|>analysis<|message|>The key is a string.<|end|>"
        '<|start|>assistant<|channel|>final<|message|>"HOME"<|return|>',
        '<|channel|>analysis<|message|>The key is a string.<|end|>"HOME"',
        '<details type="reasoning" done="true">\n<summary>Thought for 2 seconds</summary>\n'
        '> The key is a string.\n</details>\n"HOME"',
        'Thought for 3 seconds\n> The key is a string.\n\n"HOME"',
        '"HOME"<EOS>',
    ],
)
def test_reasoning_in_other_spellings_is_not_shown(raw: str) -> None:
    """Only the answer after the reasoning is shown, whatever marks the reasoning carries."""
    assert shown(PY_CALL, "python", raw) == '"HOME"'


def test_harmony_reasoning_alone_shows_nothing() -> None:
    """A harmony stream with only its analysis channel has no answer; while the next
    message's header arrives the stream is held."""
    raw = "<|channel|>analysis<|message|>The key is a string."
    assert shown(PY_CALL, "python", raw) in ("", None)
    assert after_channels(raw + "<|end|><|start|>assis", final=False) is None


@pytest.mark.parametrize(
    "text",
    [
        "flags[THINK] = True",
        "x = table[THINK]",
        "<ThinkingDots size={2} />",
        "<Reflection>{label}</Reflection>",
        "details = summary",
    ],
)
def test_code_with_similar_marks_stays(text: str) -> None:
    """An index named THINK, JSX components (`<Reflection>`), words of code: no reasoning."""
    assert as_think_tags(text) == text
    assert strip_think(text, final=True) == text


def test_a_details_block_of_other_content_stays() -> None:
    """A `<details>` block whose summary does not name the thinking is the answer's own."""
    text = "<details>\n<summary>Usage</summary>\nRun it.\n</details>"
    assert strip_think(text, final=True) == text


@pytest.mark.parametrize(
    "raw",
    [
        '**Thinking:** the key is a string.\n\n**Code:**\n```python\n"HOME"\n```',
        'Thought: the key is a string.\nSolution:\n"HOME"',
        '**Code:** `"HOME"`',
    ],
)
def test_reasoning_ends_at_a_label_naming_the_code(raw: str) -> None:
    """Reasoning in words ends at a label naming the code or solution, not only `Answer:`;
    a bold label before the code on its line goes."""
    assert shown(PY_CALL, "python", raw) == '"HOME"'


@pytest.mark.parametrize(
    "raw",
    ['<think>The key is a string</thinking>"HOME"', '<thinking>\nThe key.\n</think>\n\n"HOME"'],
)
def test_a_closer_of_another_reasoning_name_ends_the_block(raw: str) -> None:
    """A block opened as `<think>` and closed as `</thinking>` (or the other way round), the
    closer glued to the reasoning's last word: only the answer after it is shown."""
    assert shown(PY_CALL, "python", raw) == '"HOME"'


@pytest.mark.parametrize(
    "raw",
    [
        '<think>The key is a string.</ think>"HOME"',
        '<think>The key is a string.< /think >"HOME"',
        '<think/>"HOME"',
        '<think />\n"HOME"',
    ],
)
def test_think_tags_with_spaces_or_self_closing(raw: str) -> None:
    """A closer written with spaces inside, or an empty block written as a self-closing tag,
    still delimits the reasoning."""
    assert shown(PY_CALL, "python", raw) == '"HOME"'


def test_a_comparison_with_a_name_think_stays() -> None:
    """`a < think > b` compares: no tag (an opener has no space after its `<`)."""
    assert as_think_tags("a < think > b") == "a < think > b"
