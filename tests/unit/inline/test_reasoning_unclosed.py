"""Reasoning that never closes (issue 14, fresh7 `think`): `Thinking...` or `<think>` with no
closer, then the answer. The reasoning ends where a careful reader sees it end: at the answer's
tag starting a line, or after a block quote (`> ...`, as chat UIs render reasoning) closed by a
blank line. Without either sign nothing is shown.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes chat models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.debris import strip_think
from glm_lsp.inline.reasoning_end import answer_after_reasoning

PY_CALL = "def home():\n    return os.environ.get(║)\n"
PY_BODY = "def close(self):\n    if self.sock:\n        ║\n    return None\n"


@pytest.mark.parametrize(
    "raw",
    [
        'Thinking...\n> The key is a string.\n\n"HOME"',
        'Thinking...\r\n> The key is a string.\r\n> 键是字符串。\r\n\r\n"HOME"',
        'Thinking...\n> The key is a string.\n>\n> So a literal.\n\n<COMPLETION>"HOME"',
        'Thinking...\nThe key is a string.\n<COMPLETION>"HOME"</COMPLETION>',
        'Thinking...\nThe key is a string.\n\n<Completion>"HOME"</Completion>',
        '<think>\nThe key is a string.\n<COMPLETION>"HOME"</COMPLETION>',
        '<think>\n> The key is a string.\n\n"HOME"',
    ],
)
def test_answer_after_unclosed_reasoning_is_shown(raw: str) -> None:
    """Reasoning with no closer ends at the answer's tag on a line of its own, or after a
    block quote and a blank line; only the answer is shown."""
    assert shown(PY_CALL, "python", raw) == '"HOME"'


def test_block_body_after_quoted_reasoning_keeps_its_lines() -> None:
    """A block answer after quoted reasoning keeps all its lines and indentation."""
    raw = "Thinking...\n> Close the socket first.\n\n<COMPLETION>self.sock.close()\n"
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


@pytest.mark.parametrize(
    "raw",
    [
        "Thinking...\nThe socket must be closed.\n\nself.sock.close()",
        "Thinking...\n> The socket must be closed.\nself.sock.close()",
        "<think>\nThe socket must be closed.\n\nself.sock.close()",
        "<think>I would write <COMPLETION>self.sock.close()</COMPLETION> here",
    ],
)
def test_reasoning_with_no_sign_of_its_end_shows_nothing(raw: str) -> None:
    """Unquoted reasoning with no tag after it, a quote not closed by a blank line, a tag
    quoted inside a sentence of the reasoning: no end is certain, nothing is shown."""
    assert shown(PY_BODY, "python", raw) in ("", None)


def test_quote_end_waits_for_the_next_line() -> None:
    """While the stream arrives, the quote is over only once a line after the blank line has
    started and is not quoted; before that the stream is held."""
    assert strip_think("Thinking...\n> The key.\n\n", final=False) is None
    assert strip_think("Thinking...\n> The key.\n\n> More.", final=False) is None
    assert strip_think('Thinking...\n> The key.\n\n"HO', final=False) == '"HO'


def test_long_quoted_reasoning_is_read_in_linear_time() -> None:
    """A hostile answer of 200 KB of quoted lines, then the answer, is still read to the end."""
    raw = "Thinking...\n" + "> think\n" * 25_000 + "\nx = 1"
    assert answer_after_reasoning(raw, len("Thinking...\n")) == len(raw) - len("x = 1")


def test_long_line_of_tags_after_an_unclosed_opener_is_read_in_linear_time() -> None:
    """200 KB of tag-shaped tokens on the line of an unclosed `<think>`: no opener starts a
    line, nothing is shown, and each token is not looked back from (a hostile answer)."""
    raw = "<think>" + "<a>" * 70_000
    assert strip_think(raw, final=True) == ""
    assert answer_after_reasoning(raw + "\n<COMPLETION>x", len("<think>")) == len(raw) + 1
