"""Wrapper tags under other names and in square brackets (issue 14, fresh6): `<FILL>`,
`<answer>`, `<COMPLETION_TEXT>`, `[COMPLETION]` ... `[/COMPLETION]`, openers and closers of
different spellings mixed; and code that only looks like them (an index, an HTML `<li>`).

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes chat models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.answer_tags import canonical, code_tag_names, tag_arriving

PY_ASSIGN = "def cache_dir(env):\n    root = ║\n    return root\n"
PY_INDEX = "def pick(table, COMPLETION):\n    return ║\n"
HTML_LIST = "<ul>\n  ║\n</ul>\n"


@pytest.mark.parametrize(
    "raw",
    [
        "<FILL>env.get('CACHE_DIR')</FILL>",
        "<answer>\nenv.get('CACHE_DIR')\n</answer>",
        "<COMPLETION_TEXT>env.get('CACHE_DIR')</COMPLETION_TEXT>",
        "[COMPLETION]env.get('CACHE_DIR')[/COMPLETION]",
        "[COMPLETION]env.get('CACHE_DIR')\n</answer>",
        "Here it is:\n[completion]\nenv.get('CACHE_DIR')\n[/completion]\nHope it helps.",
    ],
)
def test_a_wrapper_under_another_name_is_the_wrapper(raw: str) -> None:
    """Another wrapper name, the tag's name joined to a plain word, square brackets, or
    opener and closer of different spellings: only the code between them is shown."""
    assert shown(PY_ASSIGN, "python", raw) == "env.get('CACHE_DIR')"


def test_a_bracketed_closer_glued_to_the_code_ends_it() -> None:
    """`... # the cache[/COMPLETION]`: a closer in brackets ends the answer even right after
    a word (no index is written with a slash)."""
    raw = "[COMPLETION]env.get('CACHE_DIR')  # the cache[/COMPLETION]"
    assert shown(PY_ASSIGN, "python", raw) == "env.get('CACHE_DIR')  # the cache"


def test_an_index_named_like_the_tag_is_code() -> None:
    """`table[COMPLETION]` indexes a table: the brackets glued to the name stay code."""
    assert canonical("table[COMPLETION]") == "table[COMPLETION]"
    assert shown(PY_INDEX, "python", "table[COMPLETION]") == "table[COMPLETION]"


def test_names_near_another_wrapper_name_stay_code() -> None:
    """Other names are read letter for letter: `<li>` (two letters from `fill`) and
    `<file>` are elements, not wrappers."""
    raw = "<li><file>notes.txt</file></li>"
    assert canonical(raw) == raw
    assert shown(HTML_LIST, "html", raw) == raw


def test_an_other_name_the_file_writes_is_code() -> None:
    """A file that writes `<answer>` elements: the name is collected as the file's own."""
    assert code_tag_names("<answer id='1'>yes</answer>") == frozenset({"answer"})


def test_the_start_of_another_name_is_held_back_in_a_stream() -> None:
    """`<ans` and `<FI` at the end of a stream may be a wrapper still arriving."""
    assert tag_arriving("<ans")
    assert tag_arriving("</FI")
    assert not tag_arriving("<span")


def test_a_wrapper_written_like_a_chat_token_is_the_wrapper() -> None:
    """`<|COMPLETION|>` ... `<|/COMPLETION|>`: the closer ends the answer and is not shown."""
    shell = "f() {\n\tfor w in a; do\n\t\t║\n\tdone\n}\n"
    raw = "<|COMPLETION|>\t\techo $w\n\t\ttrue<|/COMPLETION|>\nHope it helps."
    assert shown(shell, "shellscript", raw) == "echo $w\n\t\ttrue"
