"""Prose told from code by its shape (`inline/prose.py`), and the pipeline dropping it.

Every sentence here was written for these tests; none comes from an evaluation pool.
"""

from __future__ import annotations

import pytest
from tests.unit.inline_stream import shown

from glm_lsp.inline.prose import is_prose, reads_as_prose

PROSE = [
    ("python", "python", "Obviously the counter starts at one here."),
    ("python", "python", "I kept the original variable names"),
    ("c", "c", "- frees the buffer before returning"),
    ("cpp", "cpp", "* the iterator is never invalidated"),
    ("java", "java", "**Caveat:** callers must hold the lock"),
    ("go", "go", "Tip: the channel is buffered on purpose"),
    ("lua", "lua", "> quoted from the reference manual"),
    ("javascript", "javascript", "1. Read the options first"),
    ("typescript", "typescript", "Should work with older runtimes as well!"),
    ("shellscript", "bash", "Adjust the path to match your setup."),
    ("python", "python", "Perhaps rename `tmp` to something clearer?"),
    ("c", "c", "Voilà, la fonction est terminée."),
    ("java", "java", "该方法返回一个新的列表。"),
    ("go", "go", "Summary:"),
]

CODE = [
    ("python", "python", "# Walk every node exactly once"),
    ("c", "c", "// Release the lock before we sleep here"),
    ("lua", "lua", "-- Returns the number of open windows"),
    ("c", "c", "# define BUFFER_LIMIT 4096"),
    ("python", "python", "else: return fallback"),
    ("python", "python", "Counter(words).most_common(three)"),
    ("python", "python", "ZeroDivisionError as failure:"),
    ("java", "java", "throws IllegalStateException;"),
    ("go", "go", "Width int"),
    ("shellscript", "bash", "cd build && make install"),
    ("shellscript", "bash", "export LANG=C"),
    ("lua", "lua", "Module.helper(value, other)"),
    ("c", "c", "unsigned long long total;"),
    ("typescript", "typescript", "Promise<void>"),
    ("c", "c", "- Offset;"),
    ("c", "c", '"Unable to open the file "'),
]


@pytest.mark.parametrize(("language", "grammar", "line"), PROSE)
def test_sentences_and_markdown_read_as_prose(language: str, grammar: str, line: str) -> None:
    """Sentences, bullets, quotes, labels and bold notes are prose in every language."""
    assert is_prose(line, language, grammar)


@pytest.mark.parametrize(("language", "grammar", "line"), CODE)
def test_comments_and_code_are_not_prose(language: str, grammar: str, line: str) -> None:
    """Comments are code; identifiers, keywords and operators are code even with words."""
    assert not is_prose(line, language, grammar)


def test_shape_without_grammar() -> None:
    """Without a grammar the natural-language shape alone decides."""
    assert reads_as_prose("Everything else stays exactly as it was.")
    assert not reads_as_prose("value = compute(first, second)")
    assert not reads_as_prose("BaseException as exc:")


def _shown(lines: list[str], line: int, character: int, language: str, raw: str) -> str | None:
    return shown(lines, line, character, language, raw, piece=4)


PY = ["def scale(values, factor):", "    ", "", "print(scale([1], 2))"]


@pytest.mark.parametrize(
    "raw",
    [
        "Filling in the body of the function now.\nreturn [v * factor for v in values]",
        "<COMPLETION>return [v * factor for v in values]\nThat multiplies each element.",
        "<COMPLETION>return [v * factor for v in values]\n\n- each value is multiplied",
        "```python\nreturn [v * factor for v in values]\n```\nNote: a list is returned",
        "I wrote a list comprehension for this\n\nreturn [v * factor for v in values]",
    ],
)
def test_pipeline_drops_prose_before_and_after_code(raw: str) -> None:
    """Prose before or after the code, with or without a blank line, never reaches the text."""
    assert _shown(PY, 1, 4, "python", raw) == "return [v * factor for v in values]"


C = ["int twice(int n) {", "    ", "}"]


def test_pipeline_drops_prose_after_c_code_without_a_blank_line() -> None:
    """A sentence right under the code in C is cut, the code kept."""
    raw = "<COMPLETION>return n * 2;\nThis doubles the argument and returns it."
    assert _shown(C, 1, 4, "c", raw) == "return n * 2;"


def test_single_line_prose_before_the_code_is_skipped() -> None:
    """In single-line mode the stream goes on past a sentence to the code line."""
    lines = ["total = 0", "for item in basket:", "    total += ", ""]
    raw = "<COMPLETION>Adding the price of each item\nitem.price"
    assert _shown(lines, 2, 13, "python", raw) == "item.price"


def test_prose_inside_a_docstring_is_the_answer() -> None:
    """Inside a string the cursor wants text: sentences stay."""
    lines = ["def unit():", '    """', "    ", '    """']
    raw = "<COMPLETION>Return the unit vector of this direction."
    assert _shown(lines, 2, 4, "python", raw) == "Return the unit vector of this direction."


def test_sentence_ending_in_a_colon_before_code_on_the_same_line_is_dropped() -> None:
    """`The value to add is: item.price`: the lead-in sentence goes, the code stays."""
    lines = ["total = 0", "for item in basket:", "    total += ", ""]
    raw = "<COMPLETION>The value to add is: item.price"
    assert _shown(lines, 2, 13, "python", raw) == "item.price"


def test_annotation_with_a_colon_is_code() -> None:
    """A short capitalised name before a colon (a type annotation) is not a lead-in."""
    lines = ["class Point:", "    ", ""]
    assert _shown(lines, 1, 4, "python", "<COMPLETION>Label: str = 'origin'") == (
        "Label: str = 'origin'"
    )


def test_indented_field_with_a_type_is_code() -> None:
    """An indented `Name: type;` field keeps its name (indentation is no word)."""
    lines = ["interface Address {", "}"]
    raw = "<COMPLETION>\n    Street: string;\n    City: string;"
    assert _shown(lines, 0, 19, "typescript", raw) == "\n    Street: string;\n    City: string;"
