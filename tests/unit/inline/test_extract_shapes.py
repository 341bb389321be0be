"""Answer shapes that chat models wrap code in (issue 14): fence spellings, markdown structure
before and after the code, line endings, a lead before the tag while the cursor is in a string.

Each raw answer streams through `StreamStop` and `postprocess` as the session runs them, in
small pieces, so a wrapper that arrives line by line is tested the way it reaches the server.
The strings were written for these tests in the shapes real models produce.
"""

from __future__ import annotations

import pytest

from glm_lsp.inline import StreamStop, analyze, postprocess
from glm_lsp.inline.extract import extract
from glm_lsp.inline.markdown import closes, is_file_label, is_heading, is_rule, is_structure

CURSOR = "║"
SUFFIXES = {"python": "py", "lua": "lua", "typescript": "ts", "c": "c", "go": "go"}


def shown(document: str, language: str, raw: str, piece: int = 3) -> str | None:
    """What the session shows for `raw` streamed in pieces of `piece` characters."""
    before, after = document.split(CURSOR)
    lines = (before + after).split("\n")
    line = before.count("\n")
    character = len(before) - (before.rfind("\n") + 1)
    path = f"example.{SUFFIXES.get(language, 'txt')}"
    hole = analyze(lines, line, character, language=language, path=path)
    stop = StreamStop(hole)
    reason: str | None = "stop"
    for start in range(0, len(raw), piece):
        if stop.feed(raw[start : start + piece]):
            reason = None
            break
    return postprocess(stop.finish(reason), hole)


PY_BODY = "import os\n\n\ndef join_all(parts):\n    base = os.getcwd()\n    ║\n    return base\n"
PY_STATEMENT = "base = os.path.join(base, part)"

FENCES = [
    "```py:git.py\nbase = os.path.join(base, part)\n```\n",
    "```Python:git.py\nbase = os.path.join(base, part)\n```",
    "~~~python3:__init__.py\nbase = os.path.join(base, part)\n~~~",
    "````python3\nbase = os.path.join(base, part)\n````",
    "````python\nbase = os.path.join(base, part)\n```",
    "```python\nbase = os.path.join(base, part)\n~~~",
    "~~~\nbase = os.path.join(base, part)\n```````",
    '```python title="join.py"\nbase = os.path.join(base, part)\n```',
    "```{.python .numberLines}\nbase = os.path.join(base, part)\n```",
    "``` python\nbase = os.path.join(base, part)\n```",
    "```py\nbase = os.path.join(base, part)\n``",
    "```py\nbase = os.path.join(base, part)\n``\n\nThe path is joined in place.",
    "Here is the line: ```python\nbase = os.path.join(base, part)\n```",
    "`join.py`\n```python\nbase = os.path.join(base, part)\n```",
    "**join.py**:\n\n```python\nbase = os.path.join(base, part)\n```",
    "1. Join the part:\n\n   ```python\n   base = os.path.join(base, part)\n   ```",
    "```base = os.path.join(base, part)```",
]


@pytest.mark.parametrize("raw", FENCES)
@pytest.mark.parametrize("piece", [1, 4])
def test_fence_spellings_are_unwrapped(raw: str, piece: int) -> None:
    """Fences of 3+ backticks or tildes, info strings naming a file or carrying attributes,
    closers of another kind or length or cut by the stream, a fence after a sentence, a file
    name line, a fence inside a list item: only the code is shown."""
    assert shown(PY_BODY, "python", "<COMPLETION>" + raw, piece) == PY_STATEMENT
    assert shown(PY_BODY, "python", raw, piece) == PY_STATEMENT


LUA_MID = "local function pad(s)\n  return string.rep(' ', ║) .. s\nend\n"


@pytest.mark.parametrize(
    "raw",
    [
        "```Lua\r\n4 - #s\r\n```\r\n",
        "~~~luau\n4 - #s\n~~~",
        "<COMPLETION>```lua:pad.lua\n4 - #s\n``",
    ],
)
def test_capitalised_or_alias_language_in_mid_line_hole(raw: str) -> None:
    """`Lua`, `luau`, a file name after the language, CRLF: the fence never reaches the line."""
    assert shown(LUA_MID, "lua", raw) == "4 - #s"


LEADS = [
    "### Suggested code\n\nbase = os.path.join(base, part)",
    "### Suggested code\nbase = os.path.join(base, part)",
    "**Completion**\n\n<COMPLETION>base = os.path.join(base, part)",
    "---\n\nbase = os.path.join(base, part)",
    "Here's the fix:\n\n---\n\n<COMPLETION>base = os.path.join(base, part)",
    "以下是补全的代码：\n\n---\n\n<COMPLETION>base = os.path.join(base, part)",
    "## Completion\n\n***\n\n```python\nbase = os.path.join(base, part)\n```",
]


@pytest.mark.parametrize("raw", LEADS)
@pytest.mark.parametrize("piece", [1, 5])
def test_markdown_structure_before_the_code_is_dropped(raw: str, piece: int) -> None:
    """Headings, bold labels and thematic breaks before the code (with or without the tag
    after them) are not shown, also while they arrive a character at a time."""
    assert shown(PY_BODY, "python", raw, piece) == PY_STATEMENT


TAILS = [
    "base = os.path.join(base, part)\n\n---\n\nHope this helps! Let me know if it works.",
    "base = os.path.join(base, part)\n这样就补全了当前语句。",
    "base = os.path.join(base, part)\n\n---",
    "base = os.path.join(base, part)\n\n### Why\n\nThe base moves with each part.",
]


@pytest.mark.parametrize("raw", TAILS)
def test_markdown_and_prose_after_the_code_are_cut(raw: str) -> None:
    """A rule, a heading, a closing remark or Chinese prose after the code ends the answer."""
    assert shown(PY_BODY, "python", "<COMPLETION>" + raw) == PY_STATEMENT


TS_BLOCK = (
    "function count(items: Item[]): number {\n  return items.length;\n}\n\n"
    "function total(items: Item[]): number {║\n}\n"
)


def test_block_answer_after_rule_and_heading_keeps_its_body() -> None:
    """In block mode the lead goes and the whole body stays, with the file's indentation."""
    raw = (
        "### Suggested code\n\n---\n\n```tsx:total.ts\n"
        "let sum = 0;\nfor (const item of items) {\n  sum += item.price;\n}\nreturn sum;\n````"
    )
    expected = (
        "\n  let sum = 0;\n  for (const item of items) {\n    sum += item.price;\n  }"
        "\n  return sum;"
    )
    assert shown(TS_BLOCK, "typescript", raw) == expected


PY_STRING = 'def greet(name):\n    return f"Hello, ║"\n'


@pytest.mark.parametrize(
    "raw",
    [
        "好的，补全如下\n<COMPLETION>{name}",
        "<COMPLETION>### Suggested code\n{name}",
        "<COMPLETION>**Completion**\n{name}",
        "<COMPLETION>Here it is —\n\n{name}",
        "- Fills the greeting\n- Keeps the f-string\n\n---\n\n<COMPLETION>{name}",
        "<COMPLETION>- Fills the greeting\n- Keeps the f-string\n\n---\n\n{name}\n\n<|user|>",
    ],
)
def test_lead_before_the_answer_inside_a_string(raw: str) -> None:
    """With the cursor in a string prose may be the answer, yet a lead the tag or a rule
    closes, a heading or a bold label is not; the stream waits for the line after it."""
    assert shown(PY_STRING, "python", raw, 2) == "{name}"


def test_sentence_in_a_string_is_still_the_answer() -> None:
    """A plain sentence answer inside a string is kept (no tag or rule says it is a lead)."""
    document = 'def greet():\n    return "║"\n'
    assert shown(document, "python", "<COMPLETION>Nice to meet you.") == "Nice to meet you."


@pytest.mark.parametrize("piece", [1, 2, 7])
def test_crlf_answers_never_put_a_carriage_return_in_the_buffer(piece: int) -> None:
    """CRLF (and a lone CR) in any part of the answer are line endings, never text."""
    raw = "<COMPLETION>\r\n```python\r\nif part:\r\n    base = os.path.join(base, part)\r\n```\r\n"
    result = shown("def f(base, part):\n    ║\n", "python", raw, piece)
    assert result == "if part:\n        base = os.path.join(base, part)"
    raw = "<COMPLETION>base = os.path.join(base, part)\r\n\r\nHope this helps!\r\n"
    result = shown(PY_BODY, "python", raw, piece)
    assert result == PY_STATEMENT
    found = extract("x = 1\ry = 2\r\n", final=True, language="python", grammar="python")
    assert found is not None and "\r" not in found.text


def test_markdown_document_keeps_nested_fences() -> None:
    """In a markdown document fences are content: CommonMark's closing rule applies."""
    raw = "````markdown\n```python\nx = 1\n```\n````"
    found = extract(raw, final=True, language="markdown")
    assert found is not None and found.text == "```python\nx = 1\n```"


def test_shape_helpers() -> None:
    """The markdown shapes: rules, headings (one hash is a comment), file labels, closers."""
    assert is_rule("---") and is_rule("* * *") and is_rule("___") and not is_rule("--")
    assert is_heading("### Suggested code", "typescript")
    assert not is_heading("### Suggested code", "python")
    assert is_heading("### Suggested code", "python", strong=True)
    assert not is_heading("# define LIMIT 4096", "c")
    assert not is_heading("## x = compute(a, b)", "javascript")
    assert is_file_label("`src/git.py`") and is_file_label("**main.go**:")
    assert not is_file_label("return value")
    assert closes("~~~", "```", strict=False) and closes("``", "````", strict=False)
    assert not closes("```", "````", strict=True) and closes("`````", "````", strict=True)
    assert not closes("`", "```", strict=False)
    # `---` opens a comment in Lua: a rule only before a blank line there
    assert not is_structure("---", "lua", "---@param x integer", lead=True)
    assert is_structure("---", "lua", "", lead=True)
    assert not is_structure("---", "yaml", "", lead=True)


def test_numpy_docstring_underline_is_kept() -> None:
    """A `----------` underline inside a docstring is the answer, not a rule to drop."""
    document = 'def f(x):\n    """Scale x.\n\n    Parameters\n    ║\n    """\n'
    raw = "<COMPLETION>----------\n    x : float\n        The value."
    result = shown(document, "python", raw)
    assert result is not None and result.startswith("----------")


@pytest.mark.parametrize(
    "raw",
    [
        "Here it is —\n\n<COMPLETION>base = os.path.join(base, part)",
        "<COMPLETION>sure, here's the missing line\n\nbase = os.path.join(base, part)",
        "okay, that's the statement you need \n<COMPLETION>base = os.path.join(base, part)",
    ],
)
def test_leads_ending_in_a_dash_or_written_in_lower_case(raw: str) -> None:
    """A lead ending in a dash, or a sentence without its capital (a contraction marks it),
    is not code."""
    assert shown(PY_BODY, "python", raw, 2) == PY_STATEMENT


def test_code_fragment_in_lower_case_is_kept() -> None:
    """A lower-case run of words that is a fragment of code (no contraction, no full stop)
    stays the answer."""
    document = "def evens(xs):\n    return [║]\n"
    assert shown(document, "python", "<COMPLETION>x for x in xs if x % 2 == 0") == (
        "x for x in xs if x % 2 == 0"
    )


def test_backticks_after_the_last_line_and_a_line_break() -> None:
    """Three backticks glued to the last line, then a line break, are not shown."""
    document = "local function f()║\nend\n"
    result = shown(document, "lua", "<COMPLETION>\n\t\treturn debounce ```\n")
    assert result is not None and result.strip() == "return debounce"


def test_crlf_document_and_answer_give_lf_text() -> None:
    """A CRLF document (lines keep their endings) and a CRLF answer: the insertion has no CR."""
    lines = ["def f(base, part):\r\n", "    y = 1\r\n", "    \r\n", "    return y\r\n"]
    hole = analyze(lines, 2, 4, language="python", path="example.py")
    stop = StreamStop(hole)
    raw = "<COMPLETION>\r\n```python\r\nbase = part + y\r\n```\r\n"
    for start in range(0, len(raw), 2):
        if stop.feed(raw[start : start + 2]):
            break
    assert postprocess(stop.finish("stop"), hole) == "base = part + y"


@pytest.mark.parametrize(
    ("document", "language", "raw", "expected"),
    [
        ('import x from "║";\n', "typescript", "<COMPLETION>./util.js\n```", "./util.js"),
        ("func f(c *C) {\n\tg(║)\n}\n", "go", "<COMPLETION>c.ProxyBin\n```", "c.ProxyBin"),
        ("if s.startswith('utf║\n    pass\n", "python", "<COMPLETION>-8'):```", "-8'):"),
    ],
)
def test_code_before_a_closing_fence_is_no_label(
    document: str, language: str, raw: str, expected: str
) -> None:
    """A file name or an attribute with no code after the fence is the answer before a
    closing fence, and code ending in a colon glued to backticks is no sentence."""
    assert shown(document, language, raw) == expected


def test_lower_case_lead_in_shell_and_a_cut_end_token() -> None:
    """In shell a lower-case lead with a contraction is no command (its quote is left open);
    a stream cut in `<e` of an end token does not show the `<`."""
    document = 'case "$1" in\n  -h)\n    ║\n    ;;\nesac\n'
    raw = "sure, here's what goes at the cursor\n\n<COMPLETION>usage"
    assert shown(document, "shellscript", raw) == "usage"
    found = extract("<COMPLETION>x = width<e", final=True, language="python", grammar="python")
    assert found is not None and found.text == "x = width"
