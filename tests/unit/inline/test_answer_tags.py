"""The answer's `<COMPLETION>` tags misspelt (issue 14, fourth round): any case, letters dropped
or doubled, a plural, spaces inside, a self-closing or colon form as the opener, the opener's
spelling as the closer, a closer with no opener; and code that only looks like a tag.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes chat models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown
from tests.unit.inline.test_inline_stream_stop import at

from glm_lsp.inline.answer_tags import canonical, code_tag_names, tag_arriving
from glm_lsp.inline.extract import extract
from glm_lsp.inline.stream_stop import StreamStop
from glm_lsp.tagshape import near_name, near_start

PY_ASSIGN = "def cache_dir(env):\n    root = ║\n    return root\n"
PY_BODY = "def close(self):\n    if self.sock:\n        ║\n    return None\n"
PY_OPENER = "def close(self):\n    if self.sock:║\n    return None\n"
TSX = (
    "import { Completion } from './Completion';\n\n"
    "export const Empty = () => <Completion label='none' />;\n\n"
    "export function Menu({ label }: Props) {\n  return (\n    ║\n  );\n}\n"
)
JAVA_FIELD = "class Index {\n    private final ║\n}\n"


@pytest.mark.parametrize(
    "raw",
    [
        "<COMPLETON>env.get('CACHE_DIR')</completion>",
        "< COMPLETION>env.get('CACHE_DIR')</ COMPLETION>",
        "<COMPLETIONS>env.get('CACHE_DIR')</COMPLETION >",
        "<Completion>env.get('CACHE_DIR')</Completion>",
        "<COMPLETION:>env.get('CACHE_DIR')<COMPLETION/>",
        "<COMPLETION/>env.get('CACHE_DIR')</Compleiton>",
        "<completion>env.get('CACHE_DIR')<COMPLETION>",
        "Filling in the hole:\r\n<COMPLETIONS>env.get('CACHE_DIR')</Completion>\r\nHope it helps.",
    ],
)
def test_a_misspelt_tag_pair_is_the_wrapper(raw: str) -> None:
    """Whatever the spelling of the opener and the closer, only the code between them is
    shown: no `<`, no tag letters, nothing after the closer."""
    assert shown(PY_ASSIGN, "python", raw) == "env.get('CACHE_DIR')"


@pytest.mark.parametrize(
    "raw",
    [
        "<COMPLETION_START>env.get('CACHE_DIR')<COMPLETION_END>",
        "<begin-completion>\nenv.get('CACHE_DIR')\n<end-completion>\nHope this helps.",
        "<<COMPLETION>>env.get('CACHE_DIR')<</COMPLETION>>",
        "&lt;COMPLETION&gt;env.get('CACHE_DIR')&lt;/COMPLETION&gt;",
        "<COMPELTION>env.get('CACHE_DIR')</COMPELTION>",
    ],
)
def test_other_wrapper_shapes_around_the_tag_name(raw: str) -> None:
    """The tag's name joined to a word of either end, doubled angle brackets, HTML entities
    and letters swapped are the wrapper too."""
    assert shown(PY_ASSIGN, "python", raw) == "env.get('CACHE_DIR')"


def test_a_closer_with_no_opener_ends_the_answer() -> None:
    """`self.sock.close()</ COMPLETION>`: a misspelt closer at the end of the line is the
    answer's end, not code glued to it."""
    raw = "self.sock.close()</ COMPLETION>\n\nThis closes the socket."
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


def test_a_self_closing_opener_alone_on_its_line_keeps_the_answer_layout() -> None:
    """`<COMPLETION/>` on a line of its own before an indented body is the opener (text
    follows it); the body keeps its lines."""
    raw = "<COMPLETION/>\n        self.sock.close()\n        self.sock = None</ COMPLETION>"
    assert (
        shown(PY_OPENER, "python", raw) == "\n        self.sock.close()\n        self.sock = None"
    )


def test_a_self_closing_tag_after_the_code_is_the_closer() -> None:
    """`<completion>` ... `<COMPLETION/>` glued to the last line: the second tag closes."""
    raw = "Completion:\n<completion>\nself.sock.close()<COMPLETION/>\nHope this helps."
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


def test_the_stream_stops_at_a_misspelt_closer() -> None:
    """StreamStop closes the stream as soon as `</COMPLETON>` has arrived (the stop string
    the host knows is the exact tag only), and the text so far never shows part of a tag."""
    stop = StreamStop(at(PY_BODY.replace("║", "║")))
    raw = "< COMPLETION>self.sock.close()\nself.sock = None</COMPLETON>\ndef reopen(self):\n"
    texts: list[str] = []
    closed_at = None
    for start in range(0, len(raw), 3):
        if stop.feed(raw[start : start + 3]):
            closed_at = start + 3
            break
        texts.append(stop.text)
    assert closed_at is not None and closed_at <= raw.index("\ndef") + 1
    assert stop.reason == "closing tag or fence"
    assert not any("<" in text for text in texts)
    assert stop.finish() == "self.sock.close()\nself.sock = None"


def test_a_partial_misspelt_opener_is_held_back() -> None:
    """While `< COMPL` arrives nothing is an answer yet; once the tag is complete the code
    after it is."""
    assert extract("< COMPL", final=False) is None
    assert extract("Answer:\n<COMPLETION/", final=False, language="python") is None
    found = extract("<COMPLETION:>x = 1", final=False)
    assert found is not None and found.text == "x = 1"


def test_a_tag_the_file_writes_is_code() -> None:
    """A TSX file that imports and renders `<Completion>`: the element in the answer is
    code, not the wrapper."""
    raw = "<Completion label={label}>\n      {label}\n    </Completion>"
    assert shown(TSX, "typescriptreact", raw) == (
        "<Completion label={label}>\n      {label}\n    </Completion>"
    )


def test_a_generic_near_the_tag_name_is_code() -> None:
    """`List<Completions>` ends the line with a token shaped like the tag; with no opener
    before it is a generic type, not the closer."""
    raw = "List<Completions>"
    assert canonical(raw) == raw
    assert shown(JAVA_FIELD, "java", "List<Completions> pending;") == "List<Completions> pending;"


def test_tag_names_the_file_writes_are_collected() -> None:
    """`code_tag_names` reads the names near the tag's after a `<` (elements, generics) and
    nothing else."""
    code = "const a = <Completion label='x' />;\nconst b: Array<Completions> = [];\nlet c = 1 < 2;"
    assert code_tag_names(code) == frozenset({"Completion", "Completions"})
    assert code_tag_names("x = 1") == frozenset()


def test_the_exact_tag_is_the_wrapper_even_where_the_file_writes_it() -> None:
    """The prompt's own spelling is always the wrapper (a file about prompts may quote it)."""
    assert canonical("<COMPLETION>x</COMPLETION>", frozenset({"COMPLETION"})) == (
        "<COMPLETION>x</COMPLETION>"
    )
    assert canonical("<Completion>x</Completion>", frozenset({"Completion"})) == (
        "<Completion>x</Completion>"
    )


@pytest.mark.parametrize(
    "tail",
    ["<", "< COMP", "</ COMPLET", "<COMPLETION/", "<Complet", "</", "<COMPLETION_EN", "<<COMPL"],
)
def test_a_tag_still_arriving_is_recognised(tail: str) -> None:
    """The start of the tag in any of its spellings is held back while it arrives."""
    assert tag_arriving(tail)


@pytest.mark.parametrize("tail", ["< count", "<div", "<= 2", "<b>", "<Compiler", "<max_size"])
def test_other_text_after_a_bracket_is_not_a_tag_arriving(tail: str) -> None:
    """A comparison, an HTML element or another name is not the tag's start."""
    assert not tag_arriving(tail)


def test_tag_names_are_near_by_edit_distance() -> None:
    """`near_name` accepts up to two letters wrong in any case; `near_start` the start of such
    a name; other names are refused."""
    assert near_name("Completon", "COMPLETION") and near_name("COMPLETIONS", "COMPLETION")
    assert not near_name("Complete", "COMPLETION") and not near_name("Connection", "COMPLETION")
    assert near_start("Comple", "COMPLETION") and near_start("Compel", "COMPLETION")
    assert not near_start("Cou", "COMPLETION") and not near_start("div", "COMPLETION")


def test_a_bracket_right_after_the_tag_is_code() -> None:
    """`<COMPLETION>> limit then` (Lua, the hole after `pos`): the `>` after the tag is the
    answer's first character, not the end of a doubled tag."""
    lua = "local function past(ctx, pos)\n  if pos ║\n    return true\n  end\nend\n"
    raw = "<COMPLETION>> ctx.stop then</COMPLETION>"
    assert shown(lua, "lua", raw) == "> ctx.stop then"


def test_a_misspelt_pair_after_a_sentence_on_the_first_line() -> None:
    """`Sure, here is the line <Completion>...</Completion>`: with its closer, a tag after a
    sentence on the answer's first line is the wrapper."""
    raw = "Sure, here is the line <Completion>env.get('CACHE_DIR')</Completion>"
    assert shown(PY_ASSIGN, "python", raw) == "env.get('CACHE_DIR')"


def test_a_closer_followed_by_a_remark_on_its_line() -> None:
    """`code</Completion> Hope this helps.`: with no opener, a closer followed by a sentence
    on its line still ends the answer."""
    raw = "self.sock.close()</Completion> Hope this helps."
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


def test_a_sentence_naming_an_element_in_a_docstring_is_kept() -> None:
    """In a docstring, `Returns the best matching <Completion> for the word` has no closer
    after the element: it is the answer, not a lead and a tag."""
    doc = 'def best(word):\n    """║\n    return None\n'
    raw = "Returns the best matching <Completion> for the word."
    assert shown(doc, "python", raw) == raw
