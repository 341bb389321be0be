"""Prose with the marks chat replies put in words (`inline/prose.py`): bold words inside a
sentence (`**Suggested code** (matches the file's style):`), apostrophes and hyphens inside
words (`file's`, `fill-in`), pictographs before a sentence (`✅ Here is the code:`); and code
with similar marks that stays code.

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
        "✅ Here is the completion:",
        "🙂 Sure! Here you go:",
        "Use the **existing** helper for this.",
    ],
)
def test_sentences_with_chat_marks_read_as_prose(line: str) -> None:
    """Bold words, apostrophes and hyphens inside words, a pictograph first: still prose."""
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
        "✅ Here is the completion:\n\nself.sock.close()",
    ],
)
def test_pipeline_drops_such_leads(raw: str) -> None:
    """A bold lead with a remark in brackets, or a pictograph before the sentence, goes; the
    code after it is shown, in single-line mode too."""
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


JAVA_BODY = "class A {\n  int f(int[] xs) {\n    int total = 0;\n    ║\n    return total;\n  }\n}\n"
JAVA_LOOP = "for (int x : xs) total += x;"


@pytest.mark.parametrize(
    "lead",
    ["إليك الكود:", "הנה הקוד:", "यह कोड है:", "นี่คือโค้ด:", "Вот код:"],
)
def test_leads_in_scripts_without_letter_case_go(lead: str) -> None:
    """A short lead in Arabic, Hebrew (no letter case), Hindi (vowel signs are marks) or Thai
    (no spaces) is prose like an English one."""
    assert shown(JAVA_BODY, "java", f"{lead}\n{JAVA_LOOP}") == JAVA_LOOP


def test_a_one_word_list_item_before_a_fence_is_prose() -> None:
    """`2. Return.` in a list of steps before the fence is no code before a closing fence."""
    raw = "1. Close the socket.\n2. Return.\n\n```python\nself.sock.close()\n```"
    assert shown(PY_BODY, "python", raw) == "self.sock.close()"


def test_a_bold_lead_with_a_remark_goes_in_a_string_too() -> None:
    """In a string hole the bold label with a remark in brackets, then a colon, is a lead
    (the single-line stream does not take it for the answer)."""
    document = 'def f(name):\n    return emit(f"{name}, ║\n'
    raw = "**Suggested code** (matches the file's style):\n/* m_slots */\")"
    assert shown(document, "python", raw) == '/* m_slots */")'


@pytest.mark.parametrize("reply", ["Got it.", "No problem!", "Here goes."])
def test_a_short_reply_before_the_code_goes(reply: str) -> None:
    """Two or three plain words before the code (`Got it.`) are a reply, not code, in code
    position (they do not parse)."""
    assert shown(PY_BODY, "python", f"{reply}\nself.sock.close()") == "self.sock.close()"


def test_a_short_sentence_in_a_docstring_stays() -> None:
    """In a docstring the same words are the text asked for."""
    document = 'def close(self):\n    """║\n    """\n'
    assert shown(document, "python", "Got it.") == "Got it."
