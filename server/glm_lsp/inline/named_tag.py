"""An answer tag named in a sentence is no opener.

Reasoning that lost its opener (the host dropped `<think>`, or the model never wrote it) often
talks about the format it was asked for: `I must output the code inside <COMPLETION> tags.` Read
literally, that `<COMPLETION>` opens the answer, and the rest of the sentence is shown. A tag
inside a sentence (words before it that neither end a sentence nor a colon, a word after it) only
names the format; the answer's own tag comes later, after the reasoning's closer.
"""

from __future__ import annotations

import re

from .answer_tags import STOP_TAG
from .prose import reads_as_prose

OPEN_TAG_PATTERN = re.compile(r"<COMPLETION(?:\s[^<>\n]{0,80})?>")
"""The opening tag, also with attributes (`<COMPLETION lang="go">`)."""
_WORD_AFTER = re.compile(r" [^\W\d_]")
_SENTENCE_CHARS = 300
"""How far a sentence around a tag is read (a bounded look at each tag: a long line of tags
stays linear)."""
_SENTENCE_ENDS = (".", "!", "?", ":", "：", "。", "！", "？")


def answer_opener(text: str) -> tuple[re.Match[str] | None, bool]:
    """The first opening tag that opens the answer, and whether a tag only named in a sentence
    came before it (`I must answer inside <COMPLETION> tags, nothing else.`: reasoning that
    lost its opener, still arriving, or whose closer `strip_think` did not see yet)."""
    named = False
    for found in OPEN_TAG_PATTERN.finditer(text):
        if not _names_tag(text, found):
            return found, named
        named = True
    return None, named


def _names_tag(text: str, found: re.Match[str]) -> bool:
    """The tag at `found` stands inside a sentence on its line: words before it that read as
    prose and end neither a sentence nor in a colon, a space and a word after it (` tags`), and
    no closing tag on the line."""
    start = text.rfind("\n", max(0, found.start() - _SENTENCE_CHARS), found.start()) + 1
    if not start and found.start() > _SENTENCE_CHARS:
        return False  # no sentence: a long line (each tag is looked back from a bounded way)
    end = text.find("\n", found.end(), found.end() + _SENTENCE_CHARS)
    after = text[found.end() : found.end() + _SENTENCE_CHARS if end < 0 else end]
    before = text[start : found.start()].strip()
    if not before or before.endswith(_SENTENCE_ENDS) or not _WORD_AFTER.match(after):
        return False
    return STOP_TAG not in after and reads_as_prose(before)
