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
from .markdown import STRUCTURED, is_file_label, is_heading, is_rule
from .prose import NO_SPACE_LETTERS, caseless_letter, is_prose, reads_as_prose

_SHELL = frozenset({"bash"})
_CONTRACTION = re.compile(r"\b[a-z]+['’](?:s|re|ll|ve|d|m|t)\b")
_LOWER_SENTENCE = re.compile(r"^[a-z][a-z'’,]*(?: [a-z'’,;:]+){4,}[.!?…]$")
_LOWER_INTRO = re.compile(
    r"^[^\W\d_A-Z][^\W\d_A-Z'’\-]*(?: [^\W\d_A-Z'’,\-]+){1,7}[ \u00a0]?[:：]$"
)
"""A few plain lower-case words (any script) ending in a colon (`insert the following:`, `voici
le code :`); a capital inside is code's (`headers is None:`)."""
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
_SHORT_REPLY = re.compile(r"^[A-Z][a-z'’]+(?: [a-z'’]+){1,2}[.!]$")
"""Two or three words, the first capitalised, ending in a full stop or an exclamation mark."""
CUT_SENTENCE = re.compile(r"^[A-Z][a-z']*(?: [A-Za-z']+){2,}$")
"""The start of a sentence the stream ended in (the last line, no final punctuation)."""
_SENTENCE = re.compile(r"^[A-Z][A-Za-z']*(?: [\w'`,;:()\-\"/]+){3,}[.!:]$")
_SHORT_INTRO = re.compile(r"^[A-Z][a-z'’]+(?: [a-z'’]+){1,6}[:：]$")
"""A few words, the first capitalised, ending in a colon ("Here you go:", "Try this:"): no
language writes code so (a label is one word, a Python header has brackets or a lowercase
keyword first)."""
_SHORT_INTRO_ANY = re.compile(r"^[^\W\d_A-Za-z][^\W\d_'’]*(?: [^\W\d_'’]+){1,6}[ ]?[:：]$")
"""`_SHORT_INTRO` in a script without letter case (`إليك الكود:`, `הנה הקוד:`)."""
_INTERJECTION = re.compile(r"^(?:sure|certainly|of course|absolutely)[ \t]*[—–]", re.IGNORECASE)
"""A reply opening with an interjection and a dash ("Sure — the missing part is"): talk,
whatever its end (`Sure, x = 1` is left to the inline-intro rule, which keeps the code)."""
_CODE_HINT = re.compile(r"[=;{}\[\]]|\(\)|^\s|\b(?:def|return|self|import|lambda)\b")

_MARKUP_START = re.compile(r"[-*_#~`>\s]+\Z|`{3}|~{3}|(?:[-*+>]|\d{1,2}[.)]|#{1,6}|\*\*)[ \t]")
"""The start of a rule, heading, quote, list item or fence line that is still arriving."""
_SENTENCE_START = re.compile(r"[A-Z][a-z'’]{0,20}(?: [^\n]{0,200})?\Z")
"""A line arriving that may be one more sentence of the lead (`Insert t`): its end decides."""
_TEXT_LABEL = re.compile(
    r"^[ \t]*(?:\*\*[^*\n]{1,40}\*\*(?:[ \t]+\([^()\n]{1,80}\))?[ \t]*[:：]?"
    rf"|[^\n]*[{NO_SPACE_LETTERS}][:：]"
    r"|[A-Z][^\n]{0,60}[^\W\d_][ \t]+[—–])[ \t]*$"
)
"""A bold label alone on its line (`**Completion**`, also with a remark in brackets:
`**Suggested code** (as in the file):`), a sentence in a script without spaces that ends in a
colon (`以下是补全的代码：`), or a short sentence ending in a spaced dash (`Here it is —`)."""


_ONE_SPAN = re.compile(
    r"\A(?P<before>[^`\n]{0,200})`(?P<inner>[^`\n]{1,300})(?:`(?P<after>[^`\n]{0,200}))?\Z"
)
"""A line with one code span, or one the stream cut inside the span."""
_HTML_CODE = re.compile(r"<code>([^`<>\n]{1,300})</code>")
"""Inline code written in HTML inside a sentence."""
_CUT_LEAD = re.compile(r"[A-Z][a-z'’]*(?: [a-z'’]+){0,3} ")
"""A few words before a span the stream cut (`You need `), the first capitalised."""
_TALKS_OF_ANSWER = re.compile(
    r"\b(?:cursor|caret|hole|placeholder|marker|insert)\w*"
    r"|光标|游标|补全|填写|插入|カーソル|補完|挿入|커서|삽입|curseur|курсор|kursor",
    re.IGNORECASE,
)
"""Words a sentence uses to talk about the answer (our prompt's names for the hole, and the
verb that asks to insert): in a string or comment only such a sentence is not the text."""
_NAMES_THE_HOLE = re.compile(
    r"\b(?:cursor|caret|hole|placeholder|marker)s?\b|光标|カーソル|커서|curseur|курсор|kursor",
    re.IGNORECASE,
)
"""Our prompt's names for the hole (a bullet naming one describes the answer)."""
_COMPLETION_CJK = re.compile(r"补全|補完|보완")
"""`Completion` in a script without spaces, as a sentence about the answer names it."""
_ANNOUNCES_ANSWER = re.compile(
    _TALKS_OF_ANSWER.pattern + r"|\bmissing\b|fehlende|manquant|falta|недостающ|缺少|缺失|足りない",
    re.IGNORECASE,
)
"""Also the missing part a sentence names, before the text it announces on the next line."""
_NOT_A_SENTENCE = re.compile(r"[ \t]*(?:\*|//|/\*|#|--)")
"""A comment's line (` * returns `null`.` in a doc comment): the file's text, not talk."""
_ADDED_LINE = re.compile(r"\+[ \t]*[^\W\d]")
"""A span quoting a diff's added line (`+x = 1`): no code to show as it is."""
_PLACEHOLDER = re.compile(r"\{\{\w{1,30}\}\}|<\w{1,30}>")
"""The hole's mark quoted in a sentence (`{{FILL_HERE}}`): no code."""
_BULLET = re.compile(r"(?:[-*+]|\d{1,2}[.)])[ \t]+\S")
_GO_FIELD = re.compile(r"[A-Z]\w* \w+ ")
"""`Name string `: a Go struct field whose tag the stream cut, not a sentence."""
_NO_SPAN_CODE = frozenset({"shellscript", "bash"})
"""Languages where a backtick opens a command: a span the stream cut there may be code."""


def quoted_code(line: str, lang: Lang | None) -> str | None:
    """The code of a sentence written around ONE code span ("Insert `x` at the cursor.",
    "You need `x` there.", "补全内容为 `x`。"), or None. The sentence with the span read as one
    word must read as prose, not end in a colon (then it announces the code below and quotes
    something else: `The code after `x` should be:`), and not parse as code of the document
    (`lang` None: the cursor is in a comment or string, where the sentence must also name the
    hole, `cursor`, or the completion, `补全`: `Run `npm ci` first.` is a string's text). A
    span the stream cut (`You need `x`) counts after a few plain words, in code position only
    and never in shell."""
    stripped = line.strip()
    if "`" not in stripped and len(_HTML_CODE.findall(stripped)) == 1:
        stripped = _HTML_CODE.sub(r"`\1`", stripped)  # `Insert <code>x</code> here.`
    found = _ONE_SPAN.match(stripped)
    if found is None or not found.group("inner").strip():
        return None
    before, inner, after = found.group("before", "inner", "after")
    if _NOT_A_SENTENCE.match(before) or _ADDED_LINE.match(inner):
        return None
    if after is None:
        if lang is None or lang[0] in _NO_SPAN_CODE or not _CUT_LEAD.fullmatch(before):
            return None
        struct_tag = lang[0] == "go" and _GO_FIELD.fullmatch(before) is not None
        return None if struct_tag else inner
    sentence = f"{before}code{after}".strip()
    if not before.strip() or sentence.endswith((":", "：")) or _PLACEHOLDER.fullmatch(inner):
        return None  # `I'll fill in `{{FILL_HERE}}` with the following:` announces the code
    if not reads_as_prose(sentence):
        return None
    if lang is None:
        talks = _NAMES_THE_HOLE.search(before + " " + after) or _COMPLETION_CJK.search(before)
        return inner if talks else None
    if lang[0].lower() in STRUCTURED:
        return None
    if lang[1] is None or lang[1] in _SHELL:
        return inner
    tree = parse(line.strip(), lang[1])
    return inner if tree is None or tree.root_node.has_error else None


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
    if _SHORT_INTRO_ANY.match(stripped) and caseless_letter(stripped[:1]):
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
        plain = is_intro(stripped) or reads_as_prose(stripped) or stripped.endswith((":", "："))
        return plain or announces_in_text(stripped)
    return announces(line, lang)


def announces(line: str, lang: Lang | None) -> bool:
    """A line before the code that is not code: an introduction, or any prose (`lang` None:
    the cursor is in a comment or string, where only an introduction is known not to be the
    answer)."""
    if is_intro(line):
        return True
    if lang is None:
        return False
    return is_prose(line, *lang) or _lowercase_sentence(line, lang) or _short_reply(line, lang)


def _short_reply(line: str, lang: Lang) -> bool:
    """A short reply of two or three plain words before the code (`Got it.`, `No problem!`):
    not code where it does not parse (never in shell, where words are commands)."""
    stripped = line.strip()
    if lang[1] is None or lang[1] in _SHELL or not _SHORT_REPLY.match(stripped):
        return False
    tree = parse(stripped, lang[1])
    return tree is None or tree.root_node.has_error


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
    bullets, labels, then `---`), and headings, bold labels and sentences announcing what
    follows (a colon, in any script: `Voici le morceau manquant :`, `- Insert this here:`; an
    ideographic full stop: `コードは次のとおりです。`), each followed by more text."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    for pos, index in enumerate(content[:-1]):
        if is_rule(lines[index]) and not lines[index + 1].strip():
            if all(_lead_text(lines[i]) for i in content[:pos]):
                return content[pos + 1]
            break
        if not _lead_text(lines[index]):
            break
    start = 0
    for pos, index in enumerate(content[:-1]):
        label = _TEXT_LABEL.match(lines[index]) or is_heading(lines[index], "", strong=True)
        before_code = not reads_as_prose(lines[content[pos + 1]].strip())
        if not (label or (before_code and announces_in_text(lines[index]))):
            break
        start = index + 1
    return max(start, _bullet_lead(lines, content))


def _bullet_lead(lines: list[str], content: list[int]) -> int:
    """How many first lines are a bullet list talking about the answer (`- Completes the
    expression at the cursor`), with more text after it: the model describing its answer."""
    end, talks = 0, False
    for pos, index in enumerate(content[:-1]):
        line = lines[index].strip()
        if not _BULLET.match(line) or not reads_as_prose(line):
            break
        talks = talks or _NAMES_THE_HOLE.search(line) is not None
        end = pos + 1
    if not talks or reads_as_prose(lines[content[end]].strip()):
        return 0
    return content[end - 1] + 1


_POINTS_ON = re.compile(
    r"\b(?:below|as follows|the following|ci-dessous|abajo|unten|ниже)[ \t]*[.!]\Z", re.I
)
"""A sentence ending by pointing at the text after it (`The text to insert is below.`)."""
_ANNOUNCING = re.compile(r"[^\W\d_][ \t\u00a0]?[:：][ \t]*\Z")
"""A line ending as a sentence that announces what follows: a word, then a colon (French puts a
space before it)."""


def announces_in_text(line: str) -> bool:
    """A sentence (its first letter may be lower case) announcing what follows: it ends in a
    colon, or it talks of the answer (`_TALKS_OF_ANSWER`, or the missing part it names) and
    ends in no full stop of its own (`the missing part is`, `コードは次のとおりです。`: an
    ideographic full stop counts with such words only). `text_lead` also wants code, not
    prose, on the next line (a docstring's `The keys are:` before its list stays)."""
    stripped = line.strip()
    if not reads_as_prose(stripped[:1].upper() + stripped[1:]):
        return False
    if _ANNOUNCING.search(stripped):
        return True
    talks = _ANNOUNCES_ANSWER.search(stripped) is not None
    return talks and (not stripped.endswith((".", "!", "?")) or bool(_POINTS_ON.search(stripped)))


def _lead_text(line: str) -> bool:
    stripped = line.strip()
    return is_intro(stripped) or reads_as_prose(stripped) or stripped.endswith((":", "："))
