"""The answer's tags read in linear time: a hostile 200 KB answer naming `<COMPLETION>` thousands
of times on one line (or on thousands of lines) is read once per tag, not once per tag per
character, and the reading is the same as on a short answer.

The strings are built here; none comes from an evaluation pool.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.answer_tags import canonical

HOSTILE = 200_000
PY_ASSIGN = "def cache_dir(env):\n    root = ║\n    return root\n"


@pytest.mark.parametrize(
    "unit",
    ["x <COMPLETION> y ", "Sure <COMPLETION> ", "x <COMPLETION> y\n", "x </COMPLETION> y"],
)
def test_tag_named_again_and_again_inside_lines_is_no_wrapper(unit: str) -> None:
    """200 KB of a tag named between words (on one line, or one per line): no mention stands
    where a wrapper stands, so the text is left as it came, and the session shows nothing of
    the words around it as code at the cursor."""
    raw = unit * (HOSTILE // len(unit))
    assert canonical(raw) == raw
    result = shown(PY_ASSIGN, "python", raw, len(raw))
    assert result is None or "COMPLETION" not in result


def test_misspelt_wrapper_around_a_long_line_of_mentions_is_read() -> None:
    """A misspelt opener and closer around a 200 KB line that names the tag between words: the
    wrapper is written properly, the mentions inside stay as they are."""
    body = "a <COMPLETION> b " * (HOSTILE // 17)
    assert canonical("<Completion>" + body + "</completion>") == (
        "<COMPLETION>" + body + "</COMPLETION>"
    )


def test_lead_sentence_is_read_up_to_a_sentence_length() -> None:
    """`Sure, here it is <Completion>x</Completion>` on the answer's first line opens the answer;
    a 'sentence' of thousands of words before the tag is no lead (the run a lead is read in is
    bounded, so a long line is not re-read for every tag on it)."""
    assert canonical("Sure, here it is <Completion>x</Completion>") == (
        "Sure, here it is <COMPLETION>x</COMPLETION>"
    )
    long_lead = "Sure, here it is " + "word " * 400
    assert canonical(long_lead + "<Completion>x</Completion>") == (
        long_lead + "<Completion>x</COMPLETION>"
    )


def test_sign_off_after_a_closer_is_read_up_to_a_sentence_length() -> None:
    """Without an opener, `x</Completion> Hope it helps.` ends the answer at the closer; a
    closer followed on its line by thousands of words is not read as a sign-off."""
    assert canonical("value = 1</Completion> Hope it helps.") == (
        "value = 1</COMPLETION> Hope it helps."
    )
    long_tail = " Hope it helps" + " and more" * 400 + "."
    assert canonical("value = 1</Completion>" + long_tail) == "value = 1</Completion>" + long_tail
