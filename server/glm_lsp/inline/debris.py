"""What chat templates leave around an answer: reasoning and special tokens.

A reasoning model writes `<think>…</think>` before the answer, or only the reasoning and the
closer when the chat template opened the block itself. Chat templates end a turn with special
tokens (`<|im_end|>`, `<|EOT|>`, `</s>`) and may open one with a marker naming its role
(`<|im_start|>assistant`). `extract` strips all of it before it looks for the code.
"""

from __future__ import annotations

import bisect
import re

from .chat_turns import after_other_turns
from .lead import partial_of
from .reasoning_end import answer_after_reasoning
from .reasoning_forms import after_channels, as_think_tags, without_reasoning_details
from .syntax import DASH_COMMENT, HASH_COMMENT

# After `</think>` a line break, and a blank line after it, are formatting: `</think> x` keeps
# its space, and `</think>` + blank line + `\n    return` keeps the answer's own break. More
# blank lines are formatting too: of a run of line breaks only the last can be the answer's.
_AFTER = r"(?:[ \t]*\n(?:[ \t]*\n)?(?:[ \t]*\n(?=[ \t]*\n))*)?"
_REASONING_NAMES = (
    r"(?:think|thinking|reasoning"
    r"|(?-i:thoughts?|analysis|reflection|scratchpad|rationale|deliberation|reason"
    r"|[a-z]{1,12}[_:\-](?:think|thinking|thoughts?|reasoning|monologue|analysis)"
    r"|(?:think|thinking|thoughts?|reasoning|inner)[_\-][a-z]{1,12}))"
)
"""Names of a reasoning block: `<think>` in any case; the other names models use (`<analysis>`,
`<thought>`, `<scratchpad>`, `<seed:think>`, `<inner_monologue>`, `<thinking_process>`...) in
lower case only (no HTML element has them; a JSX component `<Analysis>` is code)."""
_THINK_OPEN = re.compile(rf"<{_REASONING_NAMES}>", re.IGNORECASE)
_THINK_OPEN_NAMED = re.compile(rf"<({_REASONING_NAMES})>", re.IGNORECASE)
_ANY_CLOSER = re.compile(r"</([\w:\-]{1,40})>")
_AFTER_TAG = re.compile(_AFTER)
# A closer with no opener: the chat template opened the block, only the reasoning arrives. It
# ends reasoning only where it stands as a tag (not quoted in code: `"</think>"`).
_THINK_CLOSE = re.compile(
    rf"(?<![\"'`\w])</{_REASONING_NAMES}>(?![\"'`])" + _AFTER,
    re.IGNORECASE,
)
_ANY_THINK_CLOSE = re.compile(rf"</{_REASONING_NAMES}>" + _AFTER, re.IGNORECASE)
_THINK_CLOSERS = ("</think>", "</thinking>", "</reasoning>", "</analysis>", "</thought>")
# End-of-turn and special tokens of chat models (`<|im_end|>`, `<|endoftext|>`, `</s>`,
# DeepSeek's full-width bars, the fill-in-the-middle markers of code models: `<fim_middle>`,
# `</fim_middle>`, Code Llama's `<MID>`): nothing after one of them is answer text.
_END_TOKEN = re.compile(
    r"<\|[A-Za-z_][\w.-]{0,40}\|>|<｜[^｜\n]{1,40}｜>|</s>|<(?:eos|EOS)>|</QUERY>"
    r"|<(?:end|start)_of_turn>|\[/?INST\]|\[DONE\]|\[END\]|<EOT>|<s>"
    r"|\[(?P<special>EOS|BOS|SEP|CLS|PAD|UNK|EOT)\]"
    r"|</?fim_[a-z]{1,12}>|<file_sep>|<(?:PRE|SUF|MID)>"
)
_END_TOKEN_PARTIAL = re.compile(
    r"(?:<\|[A-Za-z_][\w.-]{0,40}\|?|<｜[^｜\n]{0,40}|</s|<eo|</Q\w*|<(?:end|start)_\w*"
    r"|\[/?INST?|\[DONE?|<e|<EO|</?fim_?\w*|</f)\Z"
)
_ANSWER_WORDS = r"(?:answer|code|solution|completion|result|output|response)"
"""The label that ends reasoning written in words (`**Answer:**`, `**Code:**`, `Solution:`)."""
_SPELT_REASONING = (
    (
        re.compile(r"\A\s*(?:thinking|reasoning)[ \t]*(?:\.\.\.|…)[ \t]*\n", re.IGNORECASE),
        re.compile(
            r"^[ \t]*(?:\.\.\.|…)[ \t]*done (?:thinking|reasoning)\.?" + _AFTER, re.I | re.M
        ),
        True,
    ),
    (
        re.compile(
            r"\A\s*\*\*(?:reasoning|thinking|thoughts?|analysis)(?:[:：]\*\*|\*\*[:：])", re.I
        ),
        re.compile(
            rf"^[ \t]*\*\*(?:final )?{_ANSWER_WORDS}[ \t]*[:：]?\*\*[:：]?[ \t]*" + _AFTER,
            re.I | re.M,
        ),
        False,
    ),
    (
        re.compile(
            r"\A\s*(?:reasoning|thinking|thoughts?|analysis)[ \t]*[:：][ \t]*"
            r"(?=(?-i:[^\W\d_a-z])|\n)",
            re.I,
        ),
        re.compile(rf"^[ \t]*(?:final )?{_ANSWER_WORDS}[ \t]*[:：][ \t]*" + _AFTER, re.I | re.M),
        False,
    ),
    (
        re.compile(
            r"\A\s*(?:thought|thinking|reasoned)(?: for| about)? [^\n]{0,30}"
            r"(?:seconds?|secs?|s|minutes?|min)[ \t]*\n",
            re.IGNORECASE,
        ),
        re.compile(r"(?!)"),
        True,
    ),
    (
        re.compile(r"\A\s*let me (?:reason|think)\b[^\n]*\n", re.IGNORECASE),
        re.compile(r"^[^\n]{0,200}[:：][ \t]{0,40}(?:\n|\Z)" + _AFTER, re.M),
        False,
    ),
)
"""Reasoning written in words rather than tags: its opener at the answer's start, the line
that ends it, and whether reasoning never closed is all reasoning (Ollama's `Thinking...` ...
`...done thinking.`; `**Reasoning:**` ... `**Answer:**`, also without the bold (`Thought: The
...` up to `Answer:`, the label followed by a sentence, never `analysis: dict = {}`);
`Let me reason ...` up to a line
announcing the answer with a colon, read on lines of 200 characters or fewer: a bounded scan
from each line start keeps a long hostile line linear)."""
_HOLE_MARK = re.compile(r"[<\[](?:CURSOR|CARET|HOLE|FILL_HERE|FILL_ME|MASK|cursor|caret|hole)[>\]]")
"""A mark for the hole other than the prompt's (`<CURSOR>`, Code Llama's `<FILL_ME>`) written
into the answer: no text of it (an SVG `<mask>` is left alone)."""
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
"""A byte-order mark or zero-width characters before the answer: no text of it."""
_ROLE = re.compile(r"\A[ \t]*(?:assistant|user|system|model)[ \t]*(?:\n|\Z)", re.IGNORECASE)
"""The role a turn marker names (`<|im_start|>assistant`): part of the marker, not the answer."""


_MAX_STRAY_CLOSERS = 16
"""Reasoning closers with no opener read one after another before the answer is given up (an
answer of more is no answer; each is read on the rest of the text, so a bound keeps it linear)."""


def strip_think(text: str, final: bool) -> str | None:
    """`text` without reasoning; None while a block is open and nothing came before it (a
    stream still arriving)."""
    for _ in range(_MAX_STRAY_CLOSERS):
        read = _strip_think_once(text, final)
        if not isinstance(read, _After):
            return read
        text = read.rest
    return "" if final else None


class _After:
    """The text after a reasoning closer, to be read again from its start."""

    def __init__(self, rest: str) -> None:
        self.rest = rest


def _strip_think_once(text: str, final: bool) -> str | None | _After:
    text = as_think_tags(text)
    for other_form in (after_channels, without_reasoning_details, _without_spelt_reasoning):
        found = other_form(text, final)
        if found is None:
            return None
        text = found
    if text.lstrip(" \t").startswith("<"):
        # An empty block at the cursor's indentation: the spaces before it are no answer text.
        text = without_think_blocks(text.lstrip(" \t"), count=1)
    text = without_think_blocks(text)
    opened = _THINK_OPEN.search(text)
    closed = _THINK_CLOSE.search(text)
    if closed is not None and (opened is None or closed.start() < opened.start()):
        return _After(text[closed.end() :])
    if opened is not None:
        before = text[: opened.start()]
        if before.strip():
            return before
        mismatched = _ANY_THINK_CLOSE.search(text, opened.end())
        if mismatched is not None:
            # `<think>...</thinking>`: a closer of another reasoning name still ends the block.
            return _After(text[mismatched.end() :])
        resumed = answer_after_reasoning(text, opened.end())
        if resumed is not None:
            return text[resumed:]
        return before if final else None
    tail = text[text.rfind("\n") + 1 :].strip()
    if len(tail) > (4 if final else 2) and any(partial_of(tail, end) for end in _THINK_CLOSERS):
        # The stream stops in a closer the template's opener awaits (`</th` may be HTML's).
        return "" if final else None
    if not final and partial_of(text.lstrip(), "<think>"):
        return None
    return text


def without_think_blocks(text: str, count: int = 0) -> str:
    """`text` without its `<think>...</think>` blocks (the first `count` of them; 0: all), each
    opener closed by the first closer of its name in any case, and the formatting after it.
    The same as substituting `<(name)>.*?</\\1>` away, in linear time: that pattern scans the
    rest of the text from every opener that has no closer."""
    if "<" not in text:
        return text
    closers: dict[str, list[re.Match[str]]] = {}
    for closer in _ANY_CLOSER.finditer(text):
        closers.setdefault(closer.group(1).lower(), []).append(closer)
    out: list[str] = []
    at = removed = 0
    for opener in _THINK_OPEN_NAMED.finditer(text):
        if opener.start() < at or not closers:
            continue
        same = closers.get(opener.group(1).lower(), [])
        index = bisect.bisect_left(same, opener.end(), key=lambda found: found.start())
        if index == len(same):
            continue
        end = _AFTER_TAG.match(text, same[index].end())
        out += [text[at : opener.start()]]
        at = same[index].end() if end is None else end.end()
        removed += 1
        if removed == count:
            break
    return "".join(out) + text[at:]


def _without_spelt_reasoning(text: str, final: bool) -> str | None:
    """`text` after reasoning written in words (`_SPELT_REASONING`); None while it is still
    arriving with nothing after it."""
    for opener, closer, unclosed_is_reasoning in _SPELT_REASONING:
        opened = opener.match(text)
        if opened is None:
            continue
        closed = closer.search(text, opened.end())
        if closed is not None:
            return text[closed.end() :]
        resumed = answer_after_reasoning(text, opened.end())
        if resumed is not None:
            return text[resumed:]
        if not final:
            return None
        return "" if unclosed_is_reasoning else text
    return text


def _indexes(text: str, at: int) -> bool:
    """A `[` at `at` follows a name or a bracket: an index (`cells[HOLE]`, `parts[SEP]`)."""
    before = text[at - 1 : at]
    return bool(before) and (before.isalnum() or before in "_]")


def _hole_mark(found: re.Match[str]) -> str:
    """Nothing for a mark of the hole (`<CURSOR>`, `[CURSOR]`); a mismatched pair of brackets
    or an index (`cells[HOLE]`) stays."""
    mark = found.group(0)
    paired = (mark[0], mark[-1]) in (("<", ">"), ("[", "]"))
    index = mark[0] == "[" and _indexes(found.string, found.start())
    return "" if paired and not index else mark


def _end_token(text: str) -> re.Match[str] | None:
    """The first end token of `text`; a bracketed special token after a name or a bracket is
    an index (`parts[SEP]`), not one."""
    at = 0
    while (found := _END_TOKEN.search(text, at)) is not None:
        if not found.group("special") or not _indexes(text, found.start()):
            return found
        at = found.end()
    return None


def strip_end_tokens(text: str, final: bool) -> tuple[str, bool]:
    """Cut at a chat end token (`<|im_end|>`); tokens before any answer text are dropped, and
    so is a user or system turn written again before the answer (`chat_turns`)."""
    after = after_other_turns(text, final)
    if after is None:
        return "", False
    text = after.lstrip(_INVISIBLE) if after[:1] in _INVISIBLE else after
    if "<" in text or "[" in text:
        text = _HOLE_MARK.sub(_hole_mark, text)
    while (found := _end_token(text)) is not None:
        if text[: found.start()].strip():
            return text[: found.start()], True
        text = _ROLE.sub("", text[found.end() :], count=1)
        text = text[1:] if text.startswith("\n") else text
    partial = _END_TOKEN_PARTIAL.search(text)
    return (text if partial is None else text[: partial.start()]), False


_EMPTY_COMMENT = {
    "hash": re.compile(r"[ \t]*#+[ \t]*"),
    "dash": re.compile(r"[ \t]*--+[ \t]*"),
    "slash": re.compile(r"[ \t]*(?://+|/\*+)[ \t]*"),
}
"""A line that only opens a comment, by the language's comment syntax."""


def without_empty_comment_end(text: str, language: str = "") -> str:
    """`text` without last lines that only open a comment of the language (`//`, `/*`; `#`;
    `--`) after its code: a stream cut right after the marker, no part of the code. A comment
    with text stays, and so does an answer that is only a marker (the start of a comment the
    file may well have: `// TODO` cut to `//`). Read line by line from the end (linear)."""
    if not text.rstrip().endswith(("/", "#", "-", "*")):
        return text
    lang = language.lower()
    kind = "hash" if lang in HASH_COMMENT else "dash" if lang in DASH_COMMENT else "slash"
    lines = text.rstrip(" \t\n").split("\n")
    end = len(lines)
    while end and _EMPTY_COMMENT[kind].fullmatch(lines[end - 1]):
        end -= 1
    if end == len(lines) or not any(line.strip() for line in lines[:end]):
        return text
    return "\n".join(lines[:end])
