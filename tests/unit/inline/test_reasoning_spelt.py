"""Reasoning written in words rather than tags (issue 14, fresh6): Ollama's `Thinking...` ...
`...done thinking.`, a `**Reasoning:**` paragraph before `**Answer:**`, a `Let me reason ...`
sentence up to a line announcing the answer; and code that starts with similar words.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes chat models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.debris import strip_think

PY_CALL = "def home():\n    return os.environ.get(║)\n"
PY_BODY = "def close(self):\n    if self.sock:\n        ║\n    return None\n"
PY_COMMENT = "def close(self):\n    # ║\n    return None\n"


@pytest.mark.parametrize(
    "raw",
    [
        'Thinking...\nThe key is a string.\n...done thinking.\n\n<COMPLETION>"HOME"</COMPLETION>',
        'Thinking...\r\nThe key is a string.\r\n...done thinking.\r\n\r\n"HOME"',
        'Thinking...\n\n...done thinking.<COMPLETION>"HOME"',
        '**Reasoning:** The key is a string.\n\n**Answer:**\n<COMPLETION>"HOME"',
        '**Reasoning:** The key is a string.\n\n**Answer:**"HOME"',
        'Let me reason about this first. The key is a string.\nSo the answer is:\n\n"HOME"',
    ],
)
def test_reasoning_in_words_is_not_shown(raw: str) -> None:
    """Only the answer after the reasoning's end is shown, in single-line mode too (the
    reasoning's first line break does not end the answer)."""
    assert shown(PY_CALL, "python", raw) == '"HOME"'


def test_reasoning_that_never_ends_shows_nothing() -> None:
    """`Thinking...` with no `...done thinking.`: nothing of it is an answer."""
    assert shown(PY_BODY, "python", "Thinking...\nThe socket must be closed.") in ("", None)
    assert strip_think("Thinking...\nThe socket", final=False) is None


def test_code_and_comments_with_similar_words_stay() -> None:
    """A comment that says `Thinking about ...` and code named `thinking` are the answer."""
    assert shown(PY_COMMENT, "python", "Thinking about retries here.") == (
        "Thinking about retries here."
    )
    assert shown(PY_BODY, "python", "thinking = False") == "thinking = False"
    bold = "**Reasoning** is bold here"
    assert strip_think(bold, final=True) == bold


@pytest.mark.parametrize(
    "raw",
    [
        '<analysis>\nThe key is a string.\n</analysis>\n<COMPLETION>"HOME"</COMPLETION>',
        '<thought>The key is a string.</thought>"HOME"',
        'The key is a string.</scratchpad>\n"HOME"',
        'Thought: The key is a string.\nAnswer: "HOME"',
        'Reasoning: 键是字符串。\n\nFinal answer:\n"HOME"',
    ],
)
def test_reasoning_under_other_names_is_not_shown(raw: str) -> None:
    """A block under another lower-case name (`<analysis>`, `<thought>`, a `</scratchpad>`
    closer alone), or a plain `Thought:` label before an `Answer:` line: only the answer."""
    assert shown(PY_CALL, "python", raw) == '"HOME"'


def test_code_named_like_reasoning_stays() -> None:
    """A JSX component `<Analysis>`, a Python annotation `analysis: dict = {}`: code."""
    jsx = "<Analysis data={d}>x</Analysis>"
    assert strip_think(jsx, final=True) == jsx
    annotated = "analysis: dict = {}"
    assert strip_think(annotated, final=False) == annotated
