"""Reading a next-edit answer: the code lines the model meant for the region.

Models wrap the rewritten region (tags, fences, a ``<think>`` block, a sentence, a
chat-template token at the end), and sometimes echo the original region in a first fenced
block before their answer. ``read_answer`` removes all of that; ``repair.py`` then undoes
what the model changed in the lines themselves (echoes of the file, indentation, blank edge
lines).
"""

from __future__ import annotations

import re

from glm_lsp.edits.answer import AnswerReader, is_prose
from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from glm_lsp.edits.nextedit.prose import note_dropped
from glm_lsp.edits.nextedit.region import Region

__all__ = ["answer_cut", "blanks_kept", "open_ended", "read_answer"]

_LEAD_THINK = re.compile(
    r"^\s*<think(?:ing)?>.*?</think(?:ing)?>[ \t]*\n?", re.DOTALL | re.IGNORECASE
)
_THINKING = re.compile(r"^\s*<think(?:ing)?>", re.IGNORECASE)
_STRAY_CLOSE = re.compile(r"</think(?:ing)?>[ \t]*\n?", re.IGNORECASE)
"""Reasoning closed without an opener (the template opened it): the answer follows."""
_SPECIAL_END = re.compile(r"(?:<\|[A-Za-z_]{1,32}\|>|</s>|\[DONE\])\s*$")
"""A chat template's special token at the very end (``<|endoftext|>``, ``<|user|>``...)."""
_FENCE = re.compile(r"^[ \t]*(```+|~~~+)[\w+#.\-]*[ \t]*$")
_FENCE_RUN = re.compile(r"^([ \t]*)(```+|~~~+)")
_LANG = re.compile(r"^[\w+#.\-]+$")
FENCE_INFO_WORDS = 4
"""Words a fence's info string may have (a language, a path, ``title="x.py"``...)."""


def _spelled_fence(line: str) -> str | None:
    """An opening fence as models spell it, written as a plain fence with its language: a
    space before the language (```` ``` py ````), a path or attributes after it or instead of
    it (```` ```python src/x.py ````, ```` ```python:src/x.py ````, ```` ```src/x.py ````,
    ```` ```go title="cmd.go" ````): a few words without backticks; None for any other line."""
    found = _FENCE_RUN.match(line)
    if found is None or len(line) > 200:
        return None
    info = line[found.end() :]
    words = info.split()
    if len(words) > FENCE_INFO_WORDS or "`" in info:
        return None
    lang = words[0] if words and _LANG.match(words[0]) else ""
    return found.group(1) + found.group(2) + lang


_GLUED_OPEN = re.compile(rf"^([ \t]*<\s*{TAG}\s*>)([ \t]+\S)", re.IGNORECASE | re.MULTILINE)
_OPEN_TAG = re.compile(rf"<\s*{TAG}\s*>", re.IGNORECASE)
_GLUED = re.compile(r"^(.*\S)(```+|~~~+)[ \t]*$")
_LABELLED = re.compile(r"^[A-Z][a-z]{2,15}( [a-z]{2,15})?:[ \t]+\S")
"""A labelled sentence a model closes with: ``Note: ...``, ``Explanation: ...``."""
_SENTENCE_END = re.compile(r"[.!?)]$")
_CODE_CHARS = re.compile(r"[;{}=<>]|\w\(|^\S+\(")
_MASKS = (("<think>", "\x00THINK\x00"), ("</think>", "\x00/THINK\x00"))
"""``<think>`` inside the code is code: hidden from AnswerReader, which would cut there."""
_TAG_MASKS = ((f"<{TAG}>", "\x00TAG\x00"), (f"</{TAG}>", "\x00/TAG\x00"))


def _fenced_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    inside: list[str] | None = None
    for line in text.split("\n"):
        if _FENCE.match(line):
            if inside is None:
                inside = []
            else:
                blocks.append(inside)
                inside = None
        elif inside is not None:
            inside.append(line)
    return blocks


def _fences_spelled(text: str, region: Region | None) -> str:
    """Opening fences spelled with a space or a path (``_spelled_fence``) written as a plain
    fence with its language, so they are read as fences, not code; a line the region has is
    code."""
    ours = {line.strip() for line in region.lines} if region is not None else set()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        found = _spelled_fence(line)
        if found is not None and not _FENCE.match(line) and line.strip() not in ours:
            lines[i] = found
    return "\n".join(lines)


def _glued_open(text: str) -> str:
    """The opening tag glued to an indented first line (``<rewrite>    x = 1``): the line put
    on its own line with its indentation (the reader would strip it)."""
    glued, first = _GLUED_OPEN.search(text), _OPEN_TAG.search(text)
    if glued is None or first is None or first.start() != glued.end(1) - len(first.group(0)):
        return text  # the first tag is not at a line's start: the one found is code
    return text[: glued.end(1)] + "\n" + text[glued.start(2) :]


def _stray_reasoning(text: str, region: Region | None) -> str:
    """Text up to a reasoning closer that was never opened removed, when it ends its line
    before any fence or tag (not when the region has that closer: it is code)."""
    found = _STRAY_CLOSE.search(text)
    if found is None or re.search(r"<think", text[: found.start()], re.IGNORECASE):
        return text
    if region is not None and any("</think" in line.lower() for line in region.lines):
        return text
    before = text[: found.start()]
    if not found.group(0).endswith("\n") and text[found.end() :].strip():
        return text  # code after it on its line: a closer the code mentions
    if any(_FENCE.match(line) for line in before.split("\n")) or _OPEN_TAG.search(before):
        return text  # inside the answer: code that mentions it
    return text[found.end() :]


def _head_before_fence(text: str, region: Region | None) -> str:
    """Without tags, the lines before the first fence (a heading, bold label, a sentence
    ``is_prose`` does not know) removed when none is a line of the region."""
    if region is None or re.search(rf"<\s*{TAG}\s*>", text, re.IGNORECASE):
        return text
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if _FENCE.match(line)), -1)
    if first <= 0:
        return text
    ours = {line.strip() for line in region.lines if line.strip()}
    head = [line.strip() for line in lines[:first] if line.strip()]
    if not head or any(line in ours for line in head):
        return text
    return "\n".join(lines[first:])


def _strip_special_end(text: str) -> str:
    while True:
        found = _SPECIAL_END.search(text)
        if found is None or found.group(0).strip() in (CURSOR, REGION_OPEN, REGION_CLOSE):
            return text
        text = text[: found.start()]


def _glued_fence(text: str) -> str:
    """A closing fence written right after the last code line (no line break before it) put
    on its own line, when a fence was opened and not closed (a closing tag or a sentence may
    follow it)."""
    lines = text.split("\n")
    if sum(bool(_FENCE.match(line)) for line in lines) % 2 == 0:
        return text
    for i in range(len(lines) - 1, -1, -1):
        glued = _GLUED.match(lines[i])
        if glued is not None:
            lines[i : i + 1] = [glued.group(1), glued.group(2)]
            return "\n".join(lines)
        prose = is_prose(lines[i]) or _closing(lines[i])
        if lines[i].strip() and not lines[i].strip().startswith("</") and not prose:
            return text
    return text


def _closing(line: str) -> bool:
    """A sentence a model writes after its answer: at the margin, words ending in a full
    stop, English (``is_prose``) or ``Label: sentence`` (``Note: ...``, which ``is_prose``
    takes for code because of its colon)."""
    text = line.strip()
    if not text or text != line.rstrip() or not _SENTENCE_END.search(text):
        return False
    if is_prose(line):
        return True
    words = text.split()
    return bool(_LABELLED.match(text)) and len(words) >= 4 and not _CODE_CHARS.search(text)


def _after_code(line: str) -> bool:
    """A line after which a sentence at the margin closes the answer: blank, or indented
    code (a sentence written right under it is no statement of that block)."""
    return not line.strip() or line[:1] in (" ", "\t")


def _closing_dropped(text: str, region: Region | None) -> str:
    """Without tags, the closing sentences after the answer's last code line (a blank line
    or an indented line before them) removed; a line the region has is the answer's, never a
    sentence."""
    if re.search(rf"<\s*{TAG}\s*>", text, re.IGNORECASE):
        return text
    ours = {line.strip() for line in region.lines} if region is not None else set()
    lines = text.split("\n")
    end = len(lines)
    while True:
        last = end
        while last > 0 and not lines[last - 1].strip():
            last -= 1
        first = last
        while first > 0 and _closing(lines[first - 1]) and lines[first - 1].strip() not in ours:
            first -= 1
        if first == last or first == 0 or not _after_code(lines[first - 1]):
            break
        end = first
    return text if end == len(lines) else "\n".join(lines[:end]) + "\n"


def _is_label(line: str) -> bool:
    text = line.strip()
    return is_prose(line) or (
        text.endswith(":") and line == line.lstrip() and text[:1].isupper() and len(text) < 60
    )


def _last_block_after_echo(text: str, region: Region | None) -> str:
    """Without tags, ``original block, label, answer``: the answer (its fenced block, or the
    lines after the labels)."""
    if region is None or re.search(rf"<\s*{TAG}\s*>", text, re.IGNORECASE):
        return text
    if any(_FENCE.match(line) for line in region.lines):
        after = _after_fenced_echo(text.split("\n"), region)
        if after is not None:
            return after
    blocks = _fenced_blocks(text)
    if not blocks:
        return text
    ours = [line.rstrip() for line in region.lines if line.strip()]
    first = [line.rstrip() for line in blocks[0] if line.strip()]
    if first != ours:
        return text
    if len(blocks) >= 2:
        return "".join(line + "\n" for line in blocks[-1])
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines) if _FENCE.match(line)]
    rest = lines[fences[1] + 1 :]
    while rest and (not rest[0].strip() or _is_label(rest[0])):
        rest.pop(0)
    return "\n".join(rest)


def _after_fenced_echo(lines: list[str], region: Region) -> str | None:
    """``label, fenced echo of the region, label, answer`` read for a region that has fence
    lines itself (a docstring's ``~~~~`` underline, a doc comment's example), which pairing
    fences would take for the echo's end: the echo is the region's lines in order; the answer
    after it, without its own fences (its closing one is its last)."""
    start = next((i for i, line in enumerate(lines) if line.strip() and not _is_label(line)), 0)
    if not _FENCE.match(lines[start]):
        return None
    ours = [line.strip() for line in region.lines if line.strip()]
    i, j = start + 1, 0
    while i < len(lines) and j < len(ours):
        if lines[i].strip():
            if lines[i].strip() != ours[j]:
                return None
            j += 1
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    if j < len(ours) or i == len(lines) or not _FENCE.match(lines[i]):
        return None
    rest = lines[i + 1 :]
    while rest and (not rest[0].strip() or _is_label(rest[0])):
        rest.pop(0)
    if rest and _FENCE.match(rest[0]):
        last = max(k for k, line in enumerate(rest) if _FENCE.match(line))
        rest = rest[1:last] if last > 0 else rest[1:]
    return "".join(line + "\n" for line in rest)


def _find(lines: list[str], part: list[str]) -> int:
    """Where ``part`` is last in ``lines`` (after an echo of the region, the answer)."""
    for i in range(len(lines) - len(part), -1, -1):
        if lines[i : i + len(part)] == part:
            return i
    return -1


def _prose_kept(source: str, answer: str, region: Region | None) -> str:
    """Region lines that read like prose (a docstring's sentence) which AnswerReader dropped
    from the start or end of an untagged answer, put back."""
    if region is None or not answer.strip():
        return answer
    ours = {line.rstrip() for line in region.lines if line.strip()}
    src = source.split("\n")
    got = answer.split("\n")
    if got[-1] == "":
        got.pop()
    at = _find(src, got)
    if at < 0:
        return answer
    head: list[str] = []
    i = at
    while i > 0 and (not src[i - 1].strip() or src[i - 1].rstrip() in ours):
        i -= 1
        if src[i].strip():
            head = src[i:at]
    tail: list[str] = []
    j = end = at + len(got)
    while j < len(src) and (not src[j].strip() or src[j].rstrip() in ours):
        j += 1
        if src[j - 1].strip():
            tail = src[end:j]
    return "".join(line + "\n" for line in [*head, *got, *tail])


def _tags_in_code_masked(text: str, region: Region | None) -> str:
    """When the region's code has the tags themselves (a prompt, a test of this reader), the
    tags in the answer's code hidden from AnswerReader, which would cut there: every closer
    but the last, every opener but the first."""
    if region is None or not any(f"{TAG}>" in line.lower() for line in region.lines):
        return text
    (opener, open_mask), (closer, close_mask) = _TAG_MASKS
    first = text.find(opener)
    if first >= 0:
        head = text[: first + len(opener)]
        text = head + text[len(head) :].replace(opener, open_mask)
    last = text.rfind(closer)
    if last >= 0 and last > first:
        text = text[:last].replace(closer, close_mask) + text[last:]
    return text


def read_answer(answer_text: str, region: Region | None = None) -> list[str] | None:
    """The answer's code lines (without line breaks), wrappers removed; None when empty.

    ``region`` (the region the prompt showed) lets an echo of it in a first fenced block be
    recognised and skipped.
    """
    text = answer_text.replace("\r\n", "\n")
    text = _LEAD_THINK.sub("", text, count=1)
    if _THINKING.match(text):
        return None  # still thinking: no answer yet
    text = _glued_open(_fences_spelled(_stray_reasoning(text, region), region))
    text = _last_block_after_echo(_glued_fence(_strip_special_end(text)), region)
    text = _head_before_fence(text, region)
    text = _closing_dropped(note_dropped(text, region), region)
    for plain_text, mask in _MASKS:
        text = text.replace(plain_text, mask)
    text = _tags_in_code_masked(text, region)
    reader = AnswerReader(TAG)
    reader.feed(text)
    text = _prose_kept(text, reader.final(), region).replace(CURSOR, "")
    for plain_text, mask in (*_MASKS, *_TAG_MASKS):
        text = text.replace(mask, plain_text)
    if REGION_OPEN in text:
        text = text.split(REGION_OPEN, 1)[1].lstrip(" \t").removeprefix("\n")
    if REGION_CLOSE in text:
        text = text.split(REGION_CLOSE, 1)[0]
    if not text.strip():
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def answer_cut(answer_text: str) -> bool:
    """The answer stopped before its end: a tag or fence opened and never closed (the lines
    it did not write are missing, not deleted)."""
    text = answer_text.replace("\r\n", "\n")
    opened = re.search(rf"<\s*{TAG}\s*>", text, re.IGNORECASE)
    if opened is not None:
        return re.search(rf"</\s*{TAG}\s*>", text[opened.end() :], re.IGNORECASE) is None
    fences = [line for line in text.split("\n") if _FENCE.match(line) or _spelled_fence(line)]
    return len(fences) % 2 == 1


def open_ended(answer_text: str) -> bool:
    """Nothing marks the answer's end (no closing tag, no fence): it may have stopped early
    without a sign of it."""
    if re.search(rf"</\s*{TAG}\s*>", answer_text, re.IGNORECASE):
        return False
    return not any(_FENCE.match(line) or _spelled_fence(line) for line in answer_text.split("\n"))


def blanks_kept(answer_text: str) -> bool:
    """The answer's blank lines at its end are the model's own: it is inside closed tags, not
    fenced (fences and untagged answers lose them on the way)."""
    inside = re.search(rf"<\s*{TAG}\s*>(.*?)</\s*{TAG}\s*>", answer_text, re.DOTALL | re.IGNORECASE)
    return inside is not None and not any(_FENCE.match(x) for x in inside.group(1).split("\n"))
