"""Reasoning blocks read in linear time: `without_think_blocks` removes the same text as the
pattern `<(name)>.*?</\\1>` (which scans the rest of the text again from every opener with no
closer), and `strip_think` reads runs of closers with no opener without recursing once per
closer (a hostile answer of thousands of them overflowed the stack).

The strings are built here; none comes from an evaluation pool.
"""

from __future__ import annotations

import re

import pytest

from glm_lsp.inline import debris
from glm_lsp.inline.debris import strip_think, without_think_blocks

HOSTILE = 200_000
BLOCK = re.compile(
    rf"<({debris._REASONING_NAMES})>.*?</\1>" + debris._AFTER, re.DOTALL | re.IGNORECASE
)

SAMPLES = [
    "<think>plan</think>\nvalue = 1",
    "<think>a</think>\n\n\n    return x",
    "<THINK>a</think> x <think>b</Think>y",
    "<think>a</thinking>b</think>c",
    "<thinking>one<think>two</think>three</thinking>four",
    "<analysis>a</ANALYSIS>b",
    "<Analysis>a</analysis>b",
    "<seed:think>x</seed:think>\ny",
    "<inner_monologue>m</inner_monologue> z",
    "x = '<think>' + y</think>\n",
    "<think>never closed\nvalue = 1",
    "<think></think><think></think>\n\nz",
    "<reasoning>r</reasoning> \t\n \nq",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_blocks_removed_as_the_pattern_removes_them(text: str) -> None:
    """On answers with blocks closed, unclosed, nested, of other names and cases, the linear
    reading removes exactly what the pattern removes, all blocks or only the first."""
    assert without_think_blocks(text) == BLOCK.sub("", text)
    assert without_think_blocks(text, count=1) == BLOCK.sub("", text, count=1)


@pytest.mark.parametrize("unit", ["<think>", "<think>x", "<analysis>\n", "<think>a</thinking>"])
def test_many_openers_without_their_closer_are_read_once(unit: str) -> None:
    """200 KB of openers that no closer of their name follows: nothing is a block, the text
    stays (the pattern read the rest of the text from each of them)."""
    text = unit * (HOSTILE // len(unit))
    assert without_think_blocks(text) == text


def test_many_closers_without_opener_give_no_answer() -> None:
    """200 KB of `</think>` (each a closer of reasoning the template opened): no answer and no
    stack overflow; two closers before the code still leave the code."""
    hostile = "</think>" * (HOSTILE // 8) + "\nvalue = 1"
    assert strip_think(hostile, final=True) == ""
    assert strip_think(hostile, final=False) is None
    assert strip_think("Plan.\n</think>\nMore.\n</think>\nvalue = 1", final=True) == "value = 1"
