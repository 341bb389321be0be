"""Prose in any human language around the code (`inline/lead.py`): a sentence around ONE code
span gives the span ("You need `x` there.", "补全内容为 `x`。"); in a string, a sentence that
announces what follows (a colon in any script, an ideographic full stop) is no part of the
string. And the sentences that are the file's own text, which stay.

Each raw answer streams through the whole pipeline in small pieces. The documents and answers
were written for these tests; none comes from an evaluation pool.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.lead import quoted_code, text_lead

PY_RETURN = "def count(items):\n    return ║\n"
JS_ARG = 'const colors = flag("║") || other;\n'
TS_LIST = 'const schema = {\n  type: ["║", "boolean"],\n};\n'
GO_STRUCT = "package main\n\ntype Item struct {\n\t║\n}\n"


@pytest.mark.parametrize(
    "raw",
    [
        "You need `len(items)` there.",
        "Insert `len(items)` at the cursor.",
        "补全内容为 `len(items)`。",
        "Il faut écrire `len(items)` ici.",
        "Insert <code>len(items)</code> at the cursor.",
    ],
)
def test_a_sentence_around_one_code_span_gives_the_span(raw: str) -> None:
    """In code position, a sentence (any language) around one span (in backticks or HTML's
    `<code>`) shows only the span."""
    assert shown(PY_RETURN, "python", raw) == "len(items)"


def test_in_a_string_only_a_sentence_about_the_answer_gives_its_span() -> None:
    """In a string a sentence with a span may be the text itself (`Run `npm ci` first.`); one
    naming the cursor or asking to insert, or in a script without spaces naming the
    completion, talks about the answer."""
    assert shown(JS_ARG, "javascript", "Insert `color` at the cursor.") == "color"
    assert shown(JS_ARG, "javascript", "补全内容为 `color`。") == "color"
    assert shown(JS_ARG, "javascript", "Run `npm ci` first.") == "Run `npm ci` first."


def test_code_with_a_backtick_string_is_no_sentence() -> None:
    """A Go struct field with its tag, a JS tagged template: code, left whole."""
    field = 'Name string `json:"name"`'
    assert quoted_code(field, ("go", "go")) is None
    assert quoted_code("return html`<b>${x}</b>`;", ("javascript", "javascript")) is None
    assert quoted_code('Name string `json:"na', ("go", "go")) is None


def test_a_span_the_stream_cut_after_a_few_words_is_the_code() -> None:
    """`You need `len(it` (the stream stopped in the span): the span's start, in code
    position; never in shell, where a backtick opens a command."""
    assert quoted_code("You need `len(it", ("python", "python")) == "len(it"
    assert quoted_code("Run `date", ("shellscript", "bash")) is None
    assert quoted_code("You need `len(it", None) is None


@pytest.mark.parametrize(
    "raw",
    [
        "Voici le morceau manquant : \nobject",
        "Вот недостающий фрагмент:\nobject",
        "- Insert this at the marked position:\nobject",
        "カーソル位置に入るコードは次のとおりです。\nobject",
    ],
)
def test_in_a_string_a_sentence_announcing_the_next_line_goes(raw: str) -> None:
    """A first line ending as an announcement, in any script, with more text after it, is no
    part of a one-line string."""
    assert shown(TS_LIST, "typescript", raw) == "object"


@pytest.mark.parametrize("raw", ["操作成功。", "Voici le texte", "Note: optional"])
def test_a_sentence_alone_in_a_string_is_the_text(raw: str) -> None:
    """Nothing follows: the sentence is the string's content and stays."""
    assert shown(TS_LIST, "typescript", raw) == raw


def test_in_a_string_a_bullet_list_about_the_answer_goes() -> None:
    """Bullets describing the answer (one names the cursor) before the text: a lead; bullets
    that say nothing of the answer may be the text itself and stay."""
    raw = "- Completes the value at the cursor\n- Keeps the style\nobject"
    assert shown(TS_LIST, "typescript", raw) == "object"
    plain = "- Parses the value\n- Keeps the style"
    assert shown(TS_LIST, "typescript", plain) == "- Parses the value"


def test_a_sentence_in_a_script_without_spaces_ends_at_its_first_colon() -> None:
    """`补全内容如下：   type: X,`: the sentence ends at the full-width colon; the code keeps its
    own `type:` label."""
    document = "function make(input) {\n    return {\n        ║\n    };\n}\n"
    raw = "补全内容如下：         type: KIND,\n        ...input,"
    assert shown(document, "typescript", raw) == "type: KIND,\n        ...input,"


@pytest.mark.parametrize(
    "raw",
    [
        "voici le morceau manquant :\nlen(items)",
        "Вот недостающий фрагмент:\n\nlen(items)",
        "Aquí tienes lo que falta: \nlen(items)",
    ],
)
def test_an_introduction_in_another_language_is_not_code(raw: str) -> None:
    """A few words ending in a colon, in any script, lower case or with the French space
    before the colon, above the code: the code alone is shown."""
    assert shown(PY_RETURN, "python", raw) == "len(items)"


def test_a_sentence_with_a_span_is_the_text_of_a_markdown_or_plain_file() -> None:
    """Where prose is the document's content, a sentence quoting code stays whole."""
    assert quoted_code("Use `foo` here.", ("markdown", "markdown")) is None
    assert quoted_code("Use `foo` here.", ("plaintext", None)) is None
    assert quoted_code("Use `foo` here.", ("python", "python")) == "foo"


@pytest.mark.parametrize(
    "raw",
    [
        "I'll fill in `{{FILL_HERE}}` with the following:\nlen(items)",
        "The code after `return` should be:\n\nlen(items)",
    ],
)
def test_a_sentence_quoting_code_before_a_colon_announces_the_code_below(raw: str) -> None:
    """A sentence with one span that ends in a colon quotes something else (the hole's mark,
    the code before the cursor): the code is on the next line."""
    assert shown(PY_RETURN, "python", raw) == "len(items)"


def test_code_with_a_capitalised_name_before_its_colon_is_no_introduction() -> None:
    """`headers is None:` after `if ` reads like a few words and a colon, but a capital inside
    is code's (`None`): it is the answer."""
    document = "def send(headers=None):\n    if ║\n        headers = {}\n"
    assert shown(document, "python", "headers is None:") == "headers is None:"


def test_a_comment_line_or_a_diff_line_quoting_code_is_no_sentence() -> None:
    """` * returns `null`.` (a doc comment's line the model repeats) and a span quoting a
    diff's added line (`+x = 1`) give no code; `++i` is code."""
    doc_line = " * The response may also return `null`."
    assert quoted_code(doc_line, ("typescript", "typescript")) is None
    assert quoted_code("The missing piece is `+total = 0`.", ("lua", "lua")) is None
    assert quoted_code("The missing piece is `++i`.", ("c", "c")) == "++i"


@pytest.mark.parametrize(
    "lines",
    [
        ["The following keys are supported:", "- name: the name of the item"],
        ["初期化する。", "詳細は下記を参照。"],
        ["Return the default when the key is missing.", "Otherwise raise."],
        ["- Parses the value at the cursor", "- Keeps the style of the file"],
    ],
)
def test_a_docstring_s_own_sentences_are_no_lead(lines: list[str]) -> None:
    """In a docstring or block comment, a sentence ending in a colon before more prose, a CJK
    sentence with a full stop that names no hole, a sentence naming the missing key with its
    full stop, bullets before more bullets: the text itself, nothing is dropped."""
    assert text_lead(lines) == 0


def test_in_a_string_an_instruction_to_insert_is_the_text() -> None:
    """`Insert `disk` to continue.` in a string names no hole: a message, kept whole."""
    assert shown(JS_ARG, "javascript", "Insert `disk` to continue.") == (
        "Insert `disk` to continue."
    )
