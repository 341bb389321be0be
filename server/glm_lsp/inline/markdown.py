"""Markdown around an answer: fences and the structure lines chat models put before code.

Chat models wrap code in markdown of every spelling, not only three backticks and a language:

* fences of three or more backticks or tildes (```` ```` ````, `~~~`), with an info string that
  may name a file or carry attributes (```` ```py:git.py ````, ```` ```python title="x.py" ````,
  ```` ```{.python} ````, capitalised or alias languages), indented inside a list item, or
  ending a sentence (``Here is the code: ```python``);
* a closing fence that is shorter, longer or of the other kind than the opener, or cut by the
  stream (a last line of one or two backticks);
* structure lines before the code: thematic breaks (`---`, `***`, `___`), headings
  (`### Suggested code`), a file name on its own line (`` `git.py` ``, `**git.py**`).

Everything here judges a line by its markdown shape, never by its words.
"""

from __future__ import annotations

import re

from glm_lsp.parsing import parse

from .syntax import DASH_COMMENT, HASH_COMMENT

FENCE_OPEN = re.compile(r"^[ \t]*(?P<mark>`{3,}(?=[^`\n]*$)|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
"""A fence opener: 3+ backticks (info without backticks, as CommonMark says) or tildes."""
FENCE_CLOSE = re.compile(r"^[ \t]*(?P<mark>`{3,}|~{3,})[ \t]*$")
FENCE_AFTER_TEXT = re.compile(
    r"^(?P<text>[^`~\n]*?\S)[ \t]*(?P<mark>`{3,}|~{3,})(?P<info>[\w+#.:\-]*)[ \t]*$"
)
"""A sentence that ends by opening a fence: ``Here is the code: ```python``."""
ONE_LINE_FENCE = re.compile(r"^[ \t]*(`{3,})(?P<code>[^`\n]+)\1[ \t]*$")
"""```` ```x = 1``` ````: code fenced on its own line."""
_SHORT_CLOSE = re.compile(r"^[ \t]*(?:``|~~)[ \t]*$")
"""A closing fence one character short: never a line of code (one backtick can be)."""
CUT_CLOSER = re.compile(r"^[ \t]*(?:`{1,2}|~{1,2})[ \t]*$")
"""The start of a closing fence where the stream stopped."""
_RULE = re.compile(r"^[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_HEADING = re.compile(r"^[ \t]{0,3}(?P<hashes>#{1,6})[ \t]+(?P<title>[^\n]*?)[ \t#]*$")
_TITLE = re.compile(r"^[^\W\d_][\w'’\-]*(?:[ \t]+[\w'’\-()/&]+){0,7}[ \t]*[:：]?$")
"""A heading's text: up to eight words, no code punctuation."""
_FILE_LABEL = re.compile(
    r"^[ \t]*(?:\*\*|__|`|\*)?(?:[^\W\d_]+:[ \t]*)?(?:\*\*|`)?"
    r"[\w.\-/\\]*\w\.[a-z][a-z0-9]{0,5}(?:\*\*|__|`|\*)?(?:\*\*|`)?[ \t]*[:：]?[ \t]*$"
)
"""A file name on a line of its own: `git.py`, **src/app.ts**:, File: `x.c`."""
STRUCTURED = frozenset({"markdown", "mdx", "yaml", "plaintext", "restructuredtext"})
"""Documents where fences and rules are content: the answer's markdown is kept there."""


def is_rule(line: str) -> bool:
    """A thematic break (`---`, `***`, `___`, `- - -`)."""
    return bool(_RULE.match(line))


def is_heading(line: str, language: str, *, strong: bool = False) -> bool:
    """A markdown heading of two hashes or more with a short title (`### Suggested code`).

    One hash is left to the prose test: it starts a comment or a C directive (`# define`). In
    languages whose comments start with `#`, a heading counts only when `strong` (a fence, a
    rule or a blank line follows it, which comments seldom have).
    """
    found = _HEADING.match(line)
    if found is None or len(found.group("hashes")) < 2 or not _TITLE.match(found.group("title")):
        return False
    return strong or language.lower() not in HASH_COMMENT


def is_file_label(line: str) -> bool:
    """A line that only names a file, as models write before a fence."""
    return bool(_FILE_LABEL.match(line)) and "." in line


def is_structure(line: str, language: str, following: str | None, *, lead: bool) -> bool:
    """A markdown line that is not code: a rule or a heading.

    `following` is the next line (None: not arrived yet, or the end). A rule in a language
    where `---` starts a comment counts only before a blank line or the end. A heading where
    `#` starts a comment counts in the answer's `lead` (before any code: a comment first is
    seldom the answer, and the code after it is still shown), elsewhere only before a blank
    line or a fence.
    """
    lang = language.lower()
    if lang in STRUCTURED:
        return False
    loose = following is None or not following.strip()
    if is_rule(line):
        return loose or lang not in DASH_COMMENT or not line.strip().startswith("--")
    return is_heading(line, lang, strong=lead or loose or is_fence_line(following or ""))


def is_fence_line(line: str) -> bool:
    """An opening or closing fence line."""
    return bool(FENCE_OPEN.match(line))


def closes(line: str, opener: str, strict: bool) -> bool:
    """Whether `line` closes the fence opened by `opener` (its marker).

    CommonMark wants the same character, at least as many, no info string. Models close with
    any fence, even one character short (two backticks); `strict` (a markdown document, where
    fences nest) keeps CommonMark's rule.
    """
    found = FENCE_CLOSE.match(line)
    if found is None:
        return not strict and bool(_SHORT_CLOSE.match(line))
    if not strict:
        return True
    mark = found.group("mark")
    return mark[0] == opener[0] and len(mark) >= len(opener)


NO_BACKTICKS = frozenset("python c cpp java rust lua csharp".split())
"""Languages where a backtick is never code: an answer in single backticks is markdown."""
_INLINE_SPAN = re.compile(r"\A([ \t]*)`(?!`)([^`\n]+?)(`?)\Z")
"""Read on the answer without its trailing blanks (a bounded scan)."""


def unwrap_inline_code(text: str, language: str, grammar: str | None) -> str:
    """`` `i++;` `` -> `i++;`: a one-line answer in an inline code span, or opening one it
    never closes. Where a backtick starts a string (JavaScript, Go) only a closed span whose
    inside parses as code of the document (`` `SELECT 1;` `` stays a template literal); never
    in shell, where any word parses and `` `date` `` is a command substitution."""
    found = None if "\n" in text else _INLINE_SPAN.match(text.rstrip(" \t"))
    if found is None or not found.group(2).strip():
        return text
    inner = found.group(1) + found.group(2)
    if language.lower() in NO_BACKTICKS:
        return inner.rstrip(" \t") if found.group(3) else inner
    if not found.group(3) or grammar in (None, "markdown", "bash") or "${" in inner:
        return text
    tree = parse(inner.strip(), grammar)
    return text if tree is None or tree.root_node.has_error else inner.rstrip(" \t")
