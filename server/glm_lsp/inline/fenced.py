"""The code inside a markdown fence around the answer, in any spelling `markdown.py` reads.

A chat model fences its answer (```` ```python ````, ```` ~~~ ````, a file name or attributes
after the marker), may announce the fence in a sentence or a heading, glue the closer to the
last line of code (```` x = 1``` ````), or close a fence it never opened. `strip_fences` finds
the code in each of these; `extract` calls it once the answer's tags are gone.
"""

from __future__ import annotations

import re

from .lead import Lang, announces, is_intro
from .markdown import (
    CUT_CLOSER,
    FENCE_AFTER_TEXT,
    FENCE_OPEN,
    ONE_LINE_FENCE,
    STRUCTURED,
    closes,
    is_file_label,
    is_heading,
    is_rule,
)
from .prose import reads_as_prose

_GLUED_CLOSER = re.compile(r"(?<=[^`\s])```[ \t]*\Z")
"""`x = 1```: a closing fence glued to the last line of code."""


def fence_open_before(text: str) -> str | None:
    """The fence opener that `text` (what came before the answer's tag) ends with, still open
    there (```` ```ts ```` then `<COMPLETION>` on the next line): the answer is that fence's
    code, so its closer, also one glued to the last line of code, ends it. None otherwise."""
    if "``" not in text and "~~" not in text:
        return None
    head, newline, tail = text.rpartition("\n")
    if not newline or tail.strip():
        return None
    lines = head.rstrip().split("\n")
    fences = [ln for ln in lines if FENCE_OPEN.match(ln)]
    if not FENCE_OPEN.match(lines[-1]) or len(fences) % 2 == 0:
        return None
    return lines[-1]


def strip_fences(text: str, final: bool, lang: Lang) -> tuple[str | None, bool]:
    """The code inside a markdown fence of any spelling (`markdown.py`), or the code before a
    closing fence when the answer has no opener."""
    if "``" not in text and "~~" not in text:
        return text, False
    lines = text.split("\n")
    if lines[-1].strip() and CUT_CLOSER.match(lines[-1]):
        if not final:
            lines[-1] = ""
        elif len(lines) > 1 and (lines[-1].strip()[0] == "`" or _has_opener(lines)):
            lines.pop()
    lines = [_one_line_fence(ln) if "```" in ln else ln for ln in lines]
    opened = _find_opener(lines, lang, final)
    if opened is not None and opened[0] < 0:
        return None, False
    if opened is None:
        if not final and lines[-1].lstrip().startswith(("``", "~~")):
            return None, False
        return "\n".join(lines), False
    index, mark, before = opened
    if any(ln.strip() for ln in before):
        return "\n".join(before).rstrip(" \t"), True
    body = lines[index + 1 :]
    if not body:
        return (None, False) if not final else ("", True)
    return _fenced_body(body, mark, lang[0].lower() in STRUCTURED)


def _fenced_body(body: list[str], mark: str, strict: bool) -> tuple[str, bool]:
    """The lines after an opener up to its closer (on a line of its own, or glued to the
    last line of code: `x = 1```); whether the closer was seen."""
    for end, line in enumerate(body):
        if closes(line, mark, strict):
            return "\n".join(body[:end]), True
        if not strict and mark[0] == "`" and _GLUED_CLOSER.search(line):
            return "\n".join([*body[:end], _GLUED_CLOSER.sub("", line)]), True
    return "\n".join(body), False


def _one_line_fence(line: str) -> str:
    found = ONE_LINE_FENCE.match(line)
    return line if found is None else found.group("code").strip()


def _has_opener(lines: list[str]) -> bool:
    return any(FENCE_OPEN.match(ln) for ln in lines[:-1])


def _find_opener(lines: list[str], lang: Lang, final: bool) -> tuple[int, str, list[str]] | None:
    """The first fence line: its index, its marker and the code before it (announcements,
    markdown structure and file names dropped). A file name with no code after the fence is
    code before a closing fence (`./util.js` then three backticks); index -1: not known yet."""
    for index, line in enumerate(lines):
        if "``" not in line and "~~" not in line:
            continue
        found = FENCE_OPEN.match(line)
        if found is None:
            found = FENCE_AFTER_TEXT.match(line)
            if found is None or not _announces_fence(found.group("text")):
                continue
        lead = lines[:index]
        if not all(_lead_line(lead, i, lang) for i in range(len(lead))):
            return index, found.group("mark"), lead
        if any(ln.strip() for ln in lines[index + 1 :]) or not any(map(is_file_label, lead)):
            return index, found.group("mark"), []
        return (index, found.group("mark"), lead) if final else (-1, "", [])
    return None


def _announces_fence(text: str) -> bool:
    stripped = text.strip()
    return is_intro(stripped) or reads_as_prose(stripped)


def _lead_line(lines: list[str], index: int, lang: Lang) -> bool:
    """A line before a fence that is not code: blank, an announcement, markdown structure or
    a file name."""
    line = lines[index]
    if not line.strip() or announces(line, lang) or is_file_label(line):
        return True
    return is_rule(line) or is_heading(line, lang[0], strong=True)
