"""Prose with the marks chat replies put in words (`inline/prose.py`): bold words inside a
sentence (`**Suggested code** (matches the file's style):`), apostrophes and hyphens inside
words (`file's`, `fill-in`); and code with similar marks that stays code.

Every sentence here was written for these tests; none comes from an evaluation pool.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.prose import is_prose, reads_as_prose

PY_BODY = "def close(self):\n    if self.sock:\n        ║\n    return None\n"


@pytest.mark.parametrize(
    "line",
    [
        "**Suggested code** (matches the file's style):",
        "**Proposed line**:",
        "Here's the file's missing line:",
        "The fill-in-the-middle answer follows:",
        "Use the **existing** helper for this.",
    ],
)
def test_sentences_with_chat_marks_read_as_prose(line: str) -> None:
    """Bold words, apostrophes and hyphens inside words: still prose."""
    assert reads_as_prose(line)
    assert is_prose(line, "python", "python")


@pytest.mark.parametrize(
    ("language", "grammar", "line"),
    [
        ("python", "python", "result = a**b**c"),
        ("c", "c", "**ptr = value;"),
        ("python", "python", "name = first_name + last_name"),
        ("javascript", "javascript", "const well_known = it's;"),
    ],
)
def test_code_with_stars_and_quotes_is_not_prose(language: str, grammar: str, line: str) -> None:
    """Powers, double pointers and names with underscores are code."""
    assert not is_prose(line, language, grammar)


@pytest.mark.parametrize(
    "raw",
    [
        "**Suggested code** (matches the file's style):\n\nself.sock.close()",
        "<COMPLETION>**Suggested code** (matches the file's style):\n```python\n"
        "self.sock.close()\n```",
    ],
)
def test_pipeline_drops_such_leads(raw: str) -> None:
    """A bold lead with a remark in brackets goes; the code after it is shown, in single-line
    mode too."""
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"
