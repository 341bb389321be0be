"""Tell a line of natural-language prose from a line of code, by its shape.

Chat models put sentences around their code: an announcement before it, an explanation after it,
a bullet list, a bold "Note:". Phrase lists only know the sentences someone has seen; this module
judges the shape of a line instead:

* it reads as natural language: mostly alphabetic words separated by single spaces, few
  operators or brackets, and it starts with a capitalised word or a markdown marker (`-`, `*`,
  `>`, `#`, `**`, `1.`, `Note:`), or it is written in a script without spaces between words;
* it is not a comment of the document's language (a comment is code);
* where the document has a grammar, the line alone does not parse (shell excepted: almost any
  run of words is a valid command there, and commands are not capitalised sentences).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from glm_lsp.parsing import parse

from .syntax import DASH_COMMENT, HASH_COMMENT

_MARKER = re.compile(r"(?:[-*+>]|#{1,6}|\d{1,2}[.)]|\*\*)[ \t]+(?=\S)|\*\*(?=[^\W\d_])")
_LABEL = re.compile(r"(?:\*\*)?[^\W\d_][\w ]{0,24}(?:\*\*)?:(?:\*\*)?(?:[ \t]+(?=\S)|\Z)")
"""`Note: ...`, `**Explanation:**`: a short capitalised label, then the text."""
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*[,.;:!?)]*\Z")
"""A word, also with an apostrophe or hyphen inside (`file's`, `fill-in`)."""
_BOLD = re.compile(r"\*\*(?=[^\W\d_])([^*\n]{1,80}?)(?<=[^\s*])\*\*")
"""Words in bold inside a sentence (`the **missing** line`): words."""
_PICTOGRAPHS = re.compile(r"[\u2190-\u2bff\U0001f000-\U0001faff\ufe0f\u200d]+[ \t]+")
"""Arrows, dingbats, emoji (with their joiners) before a sentence."""
_INLINE_CODE = re.compile(r"`[^`\n]{0,80}`")
_URL = re.compile(r"\bhttps?://[^\s`]{1,200}")
_PLACEHOLDER = re.compile(r"(?<![\w<])<[A-Za-z][\w|-]{0,20}>(?![\w>])|\{\{[A-Za-z_]{1,20}\}\}")
"""A mark in a sentence (`insert at <cursor>:`, `replaces {{FILL_HERE}}`): one word."""
_LANGUAGE_NAME = re.compile(r"(?<![\w+#])(?:C\+\+|[CF]#)(?=[\s,.;:!?)]|\Z)")
"""`This is C++ code.`: a language named in a sentence is a word, not operators."""
_OPERATORS = frozenset("=;{}[]<>+*/\\&|^%$@~#")
_SENTENCE_END = (".", "!", "?", ":", "…", "—", "–")
"""Also a dash: "Here it is —" announces what follows."""
NO_SPACE_LETTERS = (
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
)
"""Japanese kana, CJK ideographs, Hangul, Thai, Lao, Myanmar, Khmer (a character class body):
prose there has no spaces between words."""
_INDIC = re.compile(r"[\u0900-\u0dff]")
"""Scripts of India whose vowel signs are marks, not letters: read without them."""
_NO_SPACE_SCRIPT = re.compile(rf"[{NO_SPACE_LETTERS}]{{2}}")
_CODE_BEFORE_TEXT = re.compile(r"[=;{}()\[\]\"'/]|\S[ \t]*(?:#|--)")
"""Code before the words (`x = 1  # 注意`, `print('你好')`): a line of code with a comment or
string in that script."""
_LETTERS = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_QUOTES = "\"'`"
"""A line that starts with a string literal is code (a concatenated message, an argument)."""
_SHELL = frozenset({"bash"})
_SLASH_COMMENT = ("//", "/*", "*/")


def _is_comment(stripped: str, language: str) -> bool:
    lang = language.lower()
    if lang in HASH_COMMENT and stripped.startswith("#"):
        return True
    if lang in DASH_COMMENT and stripped.startswith("--"):
        return True
    return lang not in HASH_COMMENT and stripped.startswith(_SLASH_COMMENT)


def _words_shape(text: str) -> tuple[int, int, int]:
    """(alphabetic words, other tokens, operator characters) of `text` split on single spaces;
    inline code in backticks counts as one word."""
    text = _URL.sub("link", _INLINE_CODE.sub("code", _PLACEHOLDER.sub("mark", text)))
    if "**" in text:
        text = _BOLD.sub(r"\1", text)
    text = _LANGUAGE_NAME.sub("language", text)
    tokens = text.split(" ")
    words = sum(1 for token in tokens if _WORD.match(token.lstrip("(\"'")))
    operators = sum(1 for ch in text if ch in _OPERATORS)
    return words, len(tokens) - words, operators


def caseless_letter(char: str) -> bool:
    """A letter of a script without case (Arabic, Hebrew, Devanagari...)."""
    return char.isalpha() and not char.isupper() and not char.islower()


def _titlecase(text: str) -> bool:
    """The first word is a capitalised ordinary word (`This`, `I'll`), not an identifier
    (`BaseException`, `MAX_SIZE`, `X1`)."""
    first = text.split(" ", 1)[0].lstrip("(\"'*").rstrip(",.;:!?*)")
    if caseless_letter(first[:1]):
        return _LETTERS.fullmatch(first) is not None  # a script without case (Arabic, Hebrew)
    return first[:1].isupper() and (
        len(first) == 1 or (first[1:].islower() and _LETTERS.fullmatch(first) is not None)
    )


def reads_as_prose(stripped: str) -> bool:
    """The natural-language half of the test: words, few symbols, a sentence's start (after
    any pictographs a chat reply opens with: `✅ Here is the code:`)."""
    if stripped[:1] > "\u2000" and (symbols := _PICTOGRAPHS.match(stripped)) is not None:
        stripped = stripped[symbols.end() :]
    if _INDIC.search(stripped):
        stripped = "".join(ch for ch in stripped if not unicodedata.category(ch).startswith("M"))
    if (script := _NO_SPACE_SCRIPT.search(stripped)) is not None:
        return _CODE_BEFORE_TEXT.search(stripped[: script.start()]) is None
    marker = _LABEL.match(stripped) if _titlecase(stripped.lstrip("*")) else None
    marker = marker or _MARKER.match(stripped)
    rest = stripped[marker.end() :] if marker else stripped
    if marker is not None and marker.group(0) == "**":
        rest = rest.replace("**", "", 1)  # the bold opener's closer: `**Suggested code** (...)`
    rest = rest.removesuffix("**").rstrip()
    if not rest:
        return marker is not None and _titlecase(stripped.lstrip("*")) and stripped.endswith(":")
    words, others, operators = _words_shape(rest)
    if "  " in rest or "\t" in rest or operators > 1 or others > max(1, words // 4):
        return False
    capital = _titlecase(rest)
    if marker is not None:
        if marker.group(0)[0] == ">" and not capital and others:
            return False  # a quote of words; `> ctx.stop then` continues code (`if pos `)
        heading = marker.group(0).startswith(("#", "**"))
        # `2. Return.`: one capitalised word that ends as a sentence is a list item too.
        return words >= 2 or (words == 1 and capital and (heading or rest.endswith(".")))
    if not capital:
        return False
    return words >= 4 or (words >= 3 and rest.endswith(_SENTENCE_END))


@lru_cache(maxsize=512)
def is_prose(line: str, language: str = "", grammar: str | None = None) -> bool:
    """Whether `line` is a line of prose rather than code of `language` (shape, not phrasing)."""
    stripped = line.strip()
    if len(stripped) < 3 or stripped[0] in _QUOTES or _is_comment(stripped, language):
        return False
    if not reads_as_prose(stripped):
        return False
    if grammar is None or _NO_SPACE_SCRIPT.search(stripped):
        return True
    if grammar in _SHELL:
        return True
    tree = parse(stripped, grammar)
    return tree is None or tree.root_node.has_error
