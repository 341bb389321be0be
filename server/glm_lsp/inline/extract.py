"""Pull the answer out of what a chat model wraps around it.

Chat models asked to fill a hole answer in many shapes: bare code, `<COMPLETION>` tags, markdown
fences, a `<think>` block first, a sentence of prose before or after. `extract` finds the code in
any of them. It also works on a stream that is still arriving: it then holds back text that may
turn out to be the start of a wrapper (`<COMP`, a lone backtick line) and says whether the
answer is already known to be complete (closing tag or fence seen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer_tags import OPEN_TAG, STOP_TAG, arriving_at, canonical, tag_arriving
from .debris import strip_end_tokens, strip_think, without_empty_comment_end
from .diff_answer import diff_arriving, undiffed
from .fenced import fence_open_before, strip_fences
from .lead import (
    CUT_SENTENCE,
    Lang,
    announces,
    awaiting_code,
    is_intro,
    is_sentence,
    quoted_code,
    text_lead,
)
from .markdown import (
    NO_BACKTICKS,
    is_structure,
    unwrap_inline_code,
)
from .named_tag import OPEN_TAG_PATTERN, answer_opener
from .prose import NO_SPACE_LETTERS, is_prose, reads_as_prose
from .stray_tags import without_stray_tags
from .syntax import scan

__all__ = [
    "HOLE_MARKER",
    "OPEN_TAG",
    "STOP_TAG",
    "Extracted",
    "extract",
    "is_intro",
    "is_sentence",
]

HOLE_MARKER = "{{FILL_HERE}}"

_STOP_TAG = re.compile(r"</COMPLETION>")
_TAG_LINE = re.compile(rf"(?<=\n)[ \t]*{OPEN_TAG_PATTERN.pattern}[ \t]*\n")
"""An opening tag written again alone on a line inside the answer (the line goes with it)."""
_INDENTED = re.compile(r"\t|  ")
_WORDS_ONLY = re.compile(r"[^\W\d_][\w'’]*(?:[ \t]+[\w'’,]+)+[.!?:]?")
"""Words and nothing else (`here's the missing line`): a sentence, not code."""
_WORD_SPACE = re.compile(r" (?=\S)")
"""One space, then text: the answer's space after typed code (` True:`), never a lead's."""
_DOUBLE_SPAN = re.compile(r"\A([ \t]*)``(?!`) ?([^`\n]+?) ?``[ \t]*\Z")
"""One line in a markdown code span of two backticks (``` ``x = 1`` ```)."""
_TRAILING_TICKS = re.compile(r"(?<=[^`\s])[ \t]*`{1,3}\s*\Z")
# A sentence announcing the code on the code's own line: "Here is the code: x = 1".
_INLINE_INTRO = re.compile(
    r"^(?:(?:here(?:'s| is| are)|the (?:missing |completed? )?(?:code|completion|answer) is)"
    r"[^:\n`]{0,40}:|sure[!,.]|certainly[!,.]|of course[!,.]|absolutely[!,.]"
    r"|(?-i:Completion|Answer):|\*\*[^\W\d_][^*\n:：]{0,30}(?:[:：]\*\*|\*\*[:：]))[ \t]+(?=\S)",
    re.IGNORECASE,
)

_CJK_INTRO = re.compile(
    rf"^[ \t]*(?=[^\n:：]*[{NO_SPACE_LETTERS}])"
    rf"[\u3000-\u303f{NO_SPACE_LETTERS}"
    r"\uff00-\uff19\uff1b-\uff1f A-Za-z]{2,60}"
    r"[:：][ \t]?(?=[ \t]*\S)"
)
"""`根据上下文，补全内容如下： x = 1`: a sentence in a script without spaces, then the code (one
space after the colon is the sentence's, more are the code's indentation). The sentence ends at
its first colon (the full-width one is left out of its letters: `如下：  type: x` keeps `type:`)."""

LEAD_IN_WORDS = 3
_HEREDOC = frozenset("shellscript bash sh zsh ruby perl php".split())


@dataclass(frozen=True)
class Extracted:
    """The answer found so far; `complete` once its end is certain."""

    text: str
    complete: bool = False


def _strip_trailing_ticks(text: str) -> str:
    """`x = 1``` ` -> `x = 1`: three backticks ending the answer, or a shorter run that pairs
    with none before."""
    found = _TRAILING_TICKS.search(text)
    if found is None or ("`" in text[: found.start()] and found.group(0).strip() != "```"):
        return text
    return text[: found.start()]


def _strip_tags(text: str, final: bool) -> tuple[str | None, bool]:
    complete = False
    opened, named = answer_opener(text)
    if opened is None and named:
        return (None, False) if not final else ("", True)
    if opened is not None:
        fence = fence_open_before(text[: opened.start()])
        text = text[opened.end() :]
        # A break right after the tag is formatting ("<COMPLETION>\ncode") unless an indented
        # line follows (a tab or two spaces: ` int x` is a word's space): that answer starts on
        # a line of its own. Of two breaks, one is the formatting and the other the answer's.
        text = _without_repeated_tags(text.replace("\r\n", "\n"), final)
        if text.startswith("\n") and not _INDENTED.match(text, 1):
            text = text[1:]
        if fence is not None:
            text = f"{fence}\n{text}"
    elif tag_arriving(text.strip()) and (not final or len(text.strip()) > 2):
        # A stream that ended in the opening tag (`<CO`) has no answer.
        return (None, False) if not final else ("", True)
    closed = _STOP_TAG.search(text)
    if closed is not None:
        return text[: closed.start()], True
    cut = arriving_at(text)
    if cut >= 0 and (not final or len(text) - cut > 2):
        text = text[:cut]
    return text, complete


def _without_repeated_tags(text: str, final: bool) -> str:
    """The answer after the first opening tag without the tag written again.

    A model repeats the tag (`<COMPLETION><COMPLETION>x`) or writes it again at the start of a
    line inside its answer (`a = 1\\n<COMPLETION>b = 2`): it is never code, so it goes, with
    its line when it stands alone there. While streaming, the start of a tag at the end is
    held back."""
    text = OPEN_TAG_PATTERN.sub("", _TAG_LINE.sub("", text))
    if not final:
        cut = arriving_at(text)
        if cut >= 0:
            text = text[:cut]
    return text


def _strip_intro(lines: list[str], final: bool, lang: Lang | None) -> list[str]:
    if lang is None:
        lead = text_lead(lines)
        lines = lines[lead:]
        while lead and len(lines) > 1 and not lines[0].strip():
            lines = lines[1:]
    else:
        lines = _without_cjk_intro(lines)
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None and (code := quoted_code(lines[first], lang)) is not None:
        return [code]
    start = 0
    while start < len(lines) and (
        not lines[start].strip()
        or (
            not _WORD_SPACE.match(lines[start])
            and (announces(lines[start], lang) or _markup(lines, start, lang, lead=True))
        )
    ):
        if lines[start].strip() and start + 1 == len(lines) and not final:
            break
        if lang is not None and _code_after_intro(lines[start], lang):
            break
        start += 1
    if start and any(ln.strip() for ln in lines[:start]):
        lines = lines[start:]
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None:
        line = _without_inline_intro(lines[first])
        # In a string or comment a sentence is the answer, unless an interjection (`Sure!`)
        # showed the model talking.
        talking = lang is not None or line != lines[first]
        lines[first] = _without_lead_in(line) if talking else line
    return lines


def _without_inline_intro(line: str) -> str:
    while (found := _INLINE_INTRO.match(line)) is not None:
        line = line[found.end() :]
    return line


def _code_after_intro(line: str, lang: Lang) -> bool:
    """`Sure! The missing part is: 0`: a sentence, then the code on the same line (code in
    backticks there is a sentence quoting code: `before the cursor: `f(`.`)."""
    rest = _without_lead_in(_without_inline_intro(line)).strip()
    if rest == line.strip() or not rest or rest[0] == "`" or _WORDS_ONLY.fullmatch(rest):
        return False
    return not announces(rest, lang)


def _without_cjk_intro(lines: list[str]) -> list[str]:
    """The first line without a sentence in a script without spaces that announces the code
    on that same line (`补全内容如下： x = 1`)."""
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    found = None if first is None else _CJK_INTRO.match(lines[first])
    if first is None or found is None or reads_as_prose(lines[first][found.end() :].strip()):
        return lines
    return [*lines[:first], lines[first][found.end() :], *lines[first + 1 :]]


def _markup(lines: list[str], index: int, lang: Lang | None, *, lead: bool) -> bool:
    """Markdown structure at `lines[index]` (a rule, a heading), judged with the next line; in
    a comment or string (`lang` None) `_text_lead` decides instead."""
    following = lines[index + 1] if index + 1 < len(lines) else None
    if lang is None:
        return False
    return is_structure(lines[index], lang[0], following, lead=lead)


def _without_lead_in(line: str) -> str:
    """`The fixed call is: f(x)` -> `f(x)`: a sentence of at least three words ending in a
    colon, then code on the same line."""
    head, colon, tail = line.partition(": ")
    if not colon or not tail.strip() or len(head.split()) < LEAD_IN_WORDS:
        return line
    if not reads_as_prose(head.strip() + ":") or reads_as_prose(tail.strip()):
        return line
    return tail if tail.startswith(" ") else tail.lstrip()


def _strip_prose(text: str, final: bool, in_text: bool, lang: Lang) -> tuple[str, bool]:
    """Drop sentences announcing the code and the explanation after it.

    The explanation starts at a column-0 sentence after a blank line, or right after the code
    when it is clearly prose; `in_text` (the cursor is in a comment or string, where prose is
    the answer) keeps both.
    """
    lines = _strip_intro(text.split("\n"), final, None if in_text else lang)
    if in_text:
        return "\n".join(lines), False
    for index in range(1, len(lines)):
        if index + 1 == len(lines) and not final:
            break
        cut_short = final and index + 1 == len(lines) and bool(CUT_SENTENCE.match(lines[index]))
        line = lines[index]
        prose = is_sentence(line) or cut_short or is_prose(line, *lang)
        if not (prose or _markup(lines, index, lang, lead=False)):
            continue
        if not any(ln.strip() for ln in lines[:index]):
            continue
        if _inside_text(lines[:index], lang[0]):
            continue
        return "\n".join(lines[:index]).rstrip(" \t\n"), True
    return "\n".join(lines), False


def _inside_text(lines: list[str], language: str) -> bool:
    """The code before a line leaves it inside a string, a comment, a Lua long bracket or a
    shell here-document: a sentence there is the code's own text."""
    before = "\n".join(lines)
    state = scan(before, language)
    if state.in_string or state.in_comment:
        return True
    if language == "lua" and before.count("[[") + before.count("[=") > before.count("]]"):
        return True
    return language in _HEREDOC and "<<" in before


def extract(
    raw: str,
    *,
    final: bool,
    in_text: bool = False,
    language: str = "",
    grammar: str | None = None,
    code_names: frozenset[str] = frozenset(),
) -> Extracted | None:
    """The answer inside `raw`, or None while nothing usable has arrived yet.

    With `final` False the text is a stream still arriving: partial wrappers are held back.
    `in_text`: the cursor is inside a comment or string, so prose may be the answer.
    `language` and `grammar` (the document's) let the prose test parse a suspect line.
    `code_names`: tag names the document writes (`answer_tags.code_tag_names`), code there.
    """
    lang: Lang = (language, grammar)
    # A carriage return is a line ending (CRLF, or a lone CR): never text for the buffer.
    text = strip_think(raw.replace("\r\n", "\n").replace("\r", "\n"), final)
    if text is None:
        return None
    text, token_done = strip_end_tokens(text, final)
    text = canonical(text, code_names, final)
    text, tagged_done = _strip_tags(text, final)
    if text is not None:
        text, stray_done = without_stray_tags(text, code_names, language, in_text)
        tagged_done = tagged_done or stray_done
    if text is None or (not (final or tagged_done) and awaiting_code(text, in_text, lang)):
        return None
    text, fenced_done = strip_fences(text, final or tagged_done, lang)
    if text is None:
        return None
    if not (final or tagged_done or fenced_done) and diff_arriving(text, language):
        return None
    text = undiffed(text, language)
    tagged_done = tagged_done or token_done
    text, prose_done = _strip_prose(text, final or tagged_done or fenced_done, in_text, lang)
    text = text.replace(HOLE_MARKER, "")
    if final or tagged_done or fenced_done:
        text = _strip_trailing_ticks(text)
        if not in_text and language in NO_BACKTICKS:
            text = _DOUBLE_SPAN.sub(r"\1\2", text)
        if not in_text:
            text = unwrap_inline_code(text, language, grammar)
            text = without_empty_comment_end(text, language)
    return Extracted(text, tagged_done or fenced_done or prose_done)
