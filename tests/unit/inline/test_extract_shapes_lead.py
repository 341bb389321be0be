"""Prose before the answer that used to pass for code (issue 14, fourth round): a sentence that
names the hole with our prompt's own words or marks (`insert at <cursor>:`), a labelled line of
reasoning and an introduction still arriving while a single-line answer waits for its line.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes chat models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.lead import is_intro
from glm_lsp.inline.prose import is_prose, reads_as_prose

LUA_FIELD = "local opts = {\n  silent = ║\n}\n"
PY_CALL = "def load(path):\n    with open(path) as handle:\n        return json.load(║)\n"
GO_STRING = 'func usage() {\n\tfmt.Println("usage: ║")\n}\n'
SH_ASSIGN = 'cur="${COMP_WORDS[COMP_CWORD]}"\nopts=║\n'


@pytest.mark.parametrize(
    "intro",
    [
        "This is the text to insert at <cursor>:",
        "Here is what replaces {{FILL_HERE}}:",
        "The code that goes where the <hole> is:",
    ],
)
def test_a_sentence_naming_the_hole_before_the_tag_is_dropped(intro: str) -> None:
    """A single-line answer is not cut at the line break after an introduction that names the
    hole with a mark: the code after the tag is the answer."""
    raw = f"{intro}\n\n<COMPLETION>handle</COMPLETION>\n\nHope this helps."
    assert shown(PY_CALL, "python", raw) == "handle"


def test_a_sentence_naming_the_hole_without_a_tag_is_dropped() -> None:
    """Lua, no tag at all: the introduction is prose, the line after it the answer."""
    raw = "This is the text to insert at <cursor>:\ntrue\n\nNote: I kept the file's naming."
    assert shown(LUA_FIELD, "lua", raw) == "true"


def test_a_sentence_naming_the_hole_in_shell_is_dropped() -> None:
    """In shell, where almost any run of words parses as a command, the introduction with a
    mark and a colon is still prose."""
    raw = 'This is the text to insert at <cursor>:\n"--help --version"'
    assert shown(SH_ASSIGN, "shellscript", raw) == '"--help --version"'


def test_reasoning_and_an_introduction_before_the_tag_in_a_string() -> None:
    """The cursor is in a string, where a sentence may be the answer: a labelled reasoning
    line and an introduction, then the tag, are the lead all the same (the single-line stop
    waits for the line after the reasoning instead of showing it)."""
    raw = (
        "Thinking: The cursor is inside a string literal; the usage text goes there.\n\n"
        "This is the text to insert at <cursor>:\n\n<COMPLETION>tool [flags] <file></COMPLETION>"
    )
    assert shown(GO_STRING, "go", raw) == "tool [flags] <file>"


def test_a_bold_reasoning_label_before_an_introduction_in_code() -> None:
    """`**Reasoning:** ...` then `Insert the following:` then the tag: only the code."""
    raw = (
        "**Reasoning:** The call needs the open file handle, which is named above.\n\n"
        "Insert the following:\n<COMPLETION>handle</COMPLETION>"
    )
    assert shown(PY_CALL, "python", raw) == "handle"


def test_a_mark_in_a_sentence_reads_as_one_word() -> None:
    """The prose shape counts `<cursor>` and `{{FILL_HERE}}` as words, not as operators;
    code with angle brackets stays code."""
    assert reads_as_prose("This is the text to insert at <cursor>:")
    assert is_prose("Here is what replaces {{FILL_HERE}}:", "python", "python")
    assert not is_prose("List<String> names = new ArrayList<>();", "java", "java")
    assert not is_prose("if a <b> c:", "python", "python")


def test_an_introduction_naming_the_hole_is_known_in_text_too() -> None:
    """`is_intro` (what counts as lead even in a comment or string) knows a colon-ended
    sentence naming the cursor; a comment sentence about a cursor that does not end in a colon
    stays text."""
    assert is_intro("This is the text to insert at <cursor>:")
    assert is_intro("Text for the cursor position:")
    assert not is_intro("Moves the cursor to the end of the line.")


@pytest.mark.parametrize("intro", ["insert the following:", "here you go:"])
def test_a_lowercase_introduction_before_the_code_is_dropped(intro: str) -> None:
    """A few plain words ending in a colon, written without the capital, that do not parse in
    the file's language announce the code after them."""
    document = "def cache_dir(env):\n    root = ║\n    return root\n"
    assert shown(document, "python", f"{intro}\nenv.get('CACHE_DIR')") == "env.get('CACHE_DIR')"


def test_a_block_header_in_plain_words_is_code() -> None:
    """`for name in names:` is plain lowercase words ending in a colon too: a header, kept."""
    document = "def show(names):\n    ║\n    return None\n"
    raw = "<COMPLETION>for name in names:\n        print(name)</COMPLETION>"
    assert shown(document, "python", raw) == "for name in names:"
