"""What comes before the code in an answer: announcements, markdown leads, closing remarks.

A chat model often opens with a sentence ("Here is the completion:"), a heading, a bullet list
closed by a rule, or a file name, and may end with a remark ("Hope this helps!"). The shape
tests live in `prose.py` and `markdown.py`; this module decides, line by line, whether the lead
of an answer is over, also while the stream is still arriving. The phrase lists (`is_intro`,
`is_sentence`) are the old fallback for what the shape tests miss.
"""

from __future__ import annotations

import re

from glm_lsp.parsing import parse

from .answer_tags import tag_arriving
from .markdown import is_file_label, is_heading, is_rule
from .prose import is_prose, reads_as_prose

_SHELL = frozenset({"bash"})
_CONTRACTION = re.compile(r"\b[a-z]+['’](?:s|re|ll|ve|d|m|t)\b")
_LOWER_SENTENCE = re.compile(r"^[a-z][a-z'’,]*(?: [a-z'’,;:]+){4,}[.!?…]$")
_LOWER_INTRO = re.compile(r"^[a-z][a-z'’\-]*(?: [a-z'’,\-]+){1,7}:$")
"""A few plain words ending in a colon, written without the capital (`insert the following:`)."""
_HEADER_WORDS = frozenset(
    """if elif else for while with try except finally def class async match case lambda not
    default public private protected when unless until return yield""".split()
)
"""First words of a block header or label written in plain words (`for item in items:`)."""
Lang = tuple[str, str | None]
"""The document's LSP language id and tree-sitter grammar."""

_PROSE_HEAD = re.compile(
    r"^(?:\*\*)?(?:Explanation|Note|Notes|Usage|Example)(?::\*\*|\*\*:|:)(?:\s|$)"
)
_INTRO = re.compile(
    r"^(?:here(?:'s| is| are)|sure|certainly|okay|ok|of course|absolutely|below is"
    r"|the (?:missing|completion|completed|code|correct|answer)|this (?:code|completion)"
    r"|i(?:'ll| will| have| can't| cannot| am unable| don't)|sorry|unfortunately"
    r"|to (?:fill|complete)|completion|answer|output|result|solution|filled)"
    r"(?=[\s,!.:]|$)[^\n]*$",
    re.IGNORECASE,
)
_PROMPT_WORDS = re.compile(
    r"\b(?:cursor|caret|hole|placeholder|marker)s?\b|<\w{1,20}>|\{\{\w{1,20}\}\}", re.IGNORECASE
)
"""Words our prompt names the hole with (`insert at <cursor>:`): a sentence using them talks
about the answer, also in a comment or string."""
_SHORT_SENTENCE = re.compile(r"^[A-Z][a-z']+(?: [a-z']+)+[.!]$")
"""A short closing remark ("Hope this helps!", "Let me know.")."""
CUT_SENTENCE = re.compile(r"^[A-Z][a-z']*(?: [A-Za-z']+){2,}$")
"""The start of a sentence the stream ended in (the last line, no final punctuation)."""
_SENTENCE = re.compile(r"^[A-Z][A-Za-z']*(?: [\w'`,;:()\-\"/]+){3,}[.!:]$")
_SHORT_INTRO = re.compile(r"^[A-Z][a-z'’]+(?: [a-z'’]+){1,6}[:：]$")
"""A few words, the first capitalised, ending in a colon ("Here you go:", "Try this:"): no
language writes code so (a label is one word, a Python header has brackets or a lowercase
keyword first)."""
_INTERJECTION = re.compile(r"^(?:sure|certainly|of course|absolutely)[ \t]*[—–]", re.IGNORECASE)
"""A reply opening with an interjection and a dash ("Sure — the missing part is"): talk,
whatever its end (`Sure, x = 1` is left to the inline-intro rule, which keeps the code)."""
_CODE_HINT = re.compile(r"[=;{}\[\]]|\(\)|^\s|\b(?:def|return|self|import|lambda)\b")

_MARKUP_START = re.compile(r"[-*_#~`>\s]+\Z|`{3}|~{3}|(?:[-*+>]|\d{1,2}[.)]|#{1,6}|\*\*)[ \t]")
"""The start of a rule, heading, quote, list item or fence line that is still arriving."""
_SENTENCE_START = re.compile(r"[A-Z][a-z'’]{0,20}(?: [^\n]{0,200})?\Z")
"""A line arriving that may be one more sentence of the lead (`Insert t`): its end decides."""
_TEXT_LABEL = re.compile(
    r"^[ \t]*(?:\*\*[^*\n]{1,40}\*\*[:：]?"
    r"|[^\n]*[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af][:：]"
    r"|[A-Z][^\n]{0,60}[^\W\d_][ \t]+[—–])[ \t]*$"
)
"""A bold label alone on its line (`**Completion**`), a sentence in a script without spaces
that ends in a colon (`以下是补全的代码：`), or a short sentence ending in a spaced dash
(`Here it is —`)."""


def is_intro(line: str) -> bool:
    """A sentence that announces code ("Here is the completion:") rather than being code."""
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", "//")):
        return False
    if stripped.startswith("**") and stripped.endswith("**"):
        stripped = stripped.strip("*").strip()
    if _INTRO.match(stripped) and stripped[-1:] in (":", ".", "!"):
        return True
    if _SHORT_INTRO.match(stripped) or _INTERJECTION.match(stripped):
        return True
    if stripped.endswith(":") and _PROMPT_WORDS.search(stripped) and reads_as_prose(stripped):
        return True
    return stripped.endswith(":") and bool(_SENTENCE.match(stripped)) and not _code_like(stripped)


def is_sentence(line: str) -> bool:
    """A line of English prose at column 0 (an explanation after the code)."""
    if line != line.lstrip():
        return False
    if _PROSE_HEAD.match(line) or _SHORT_SENTENCE.match(line.rstrip()):
        return True
    return bool(_SENTENCE.match(line.rstrip())) and not _code_like(line)


def _code_like(line: str) -> bool:
    return bool(_CODE_HINT.search(line))


def partial_of(tail: str, token: str) -> bool:
    """`tail` is a non-empty proper prefix of `token` (case-insensitive)."""
    return 0 < len(tail) < len(token) and token.lower().startswith(tail.lower())


def awaiting_code(text: str, in_text: bool, lang: Lang) -> bool:
    """A stream whose complete lines are only a lead so far (announcements, markdown, a file
    name; in a comment or string, any sentence or line ending in a colon) and whose last line
    is empty or the start of a tag, a fence or one more sentence: the code, or the tag that
    shows the lead is no answer, may come next."""
    lines = text.split("\n")
    tail = lines[-1].strip()
    if tail and not (
        tag_arriving(tail) or _MARKUP_START.match(tail) or _SENTENCE_START.match(tail)
    ):
        return False
    complete = lines[:-1]
    if not any(ln.strip() for ln in complete):
        return False
    return all(not ln.strip() or _lead_like(ln, in_text, lang) for ln in complete)


def _lead_like(line: str, in_text: bool, lang: Lang) -> bool:
    if is_file_label(line) or is_rule(line) or is_heading(line, lang[0], strong=True):
        return True
    if in_text:
        stripped = line.strip()
        return is_intro(stripped) or reads_as_prose(stripped) or stripped.endswith((":", "："))
    return announces(line, lang)


def announces(line: str, lang: Lang | None) -> bool:
    """A line before the code that is not code: an introduction, or any prose (`lang` None:
    the cursor is in a comment or string, where only an introduction is known not to be the
    answer)."""
    if is_intro(line):
        return True
    return lang is not None and (is_prose(line, *lang) or _lowercase_sentence(line, lang))


def _lowercase_sentence(line: str, lang: Lang) -> bool:
    """A sentence written without its capital ("sure, here's the line"): it has a contraction
    (`here's`, `don't`) or is five words or more ending in a full stop, reads as prose once
    capitalised, and is not code of a language with a grammar (in shell, where runs of words
    are commands, only with a contraction, whose quote leaves a string open). A fragment of
    code (`x for x in xs if x`) has neither mark."""
    stripped = line.strip()
    if lang[1] is None or not stripped[:1].islower():
        return False
    contraction = _CONTRACTION.search(stripped) is not None
    header = stripped.split(" ", 1)[0] in _HEADER_WORDS
    plain = _LOWER_SENTENCE.match(stripped) or (_LOWER_INTRO.match(stripped) and not header)
    if not contraction and (lang[1] in _SHELL or not plain):
        return False
    if not is_prose(stripped[0].upper() + stripped[1:], *lang):
        return False
    tree = parse(stripped, lang[1])
    return tree is None or tree.root_node.has_error


def text_lead(lines: list[str]) -> int:
    """In a comment or string, where prose is the answer: how many first lines are markdown
    around it all the same. That is a lead that a rule and a blank line close (sentences,
    bullets, labels, then `---`), and headings, bold labels and colon-ended sentences in a
    script without spaces, each followed by more text."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    for pos, index in enumerate(content[:-1]):
        if is_rule(lines[index]) and not lines[index + 1].strip():
            if all(_lead_text(lines[i]) for i in content[:pos]):
                return content[pos + 1]
            break
        if not _lead_text(lines[index]):
            break
    start = 0
    for index in content[:-1]:
        if not _TEXT_LABEL.match(lines[index]) and not is_heading(lines[index], "", strong=True):
            break
        start = index + 1
    return start


def _lead_text(line: str) -> bool:
    stripped = line.strip()
    return is_intro(stripped) or reads_as_prose(stripped) or stripped.endswith((":", "："))
