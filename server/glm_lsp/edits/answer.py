"""The model's answer for a range, found in what it wraps around it, while it streams.

Prompts ask for the replacement inside ``<REPLACEMENT>`` tags (``<TESTS>`` for tests), but chat
models also add markdown fences, a ``<think>`` block, a sentence before or after, or forget the
tags. ``AnswerReader`` reads the stream and offers ``lines``: the answer lines that are certainly
final (complete, and not possibly a closing fence, a tag or trailing prose), so they can go into
the document at once. ``final()`` is the whole answer once the stream is over. ``Shape`` then
fits the answer to the range it replaces: the same leading and trailing line breaks, and the
range's indentation when the model dropped it.
"""

from __future__ import annotations

import re

import attrs

from glm_lsp.edits.text import split_lines

__all__ = ["AnswerReader", "Shape", "is_prose"]

_THINK_BLOCK = re.compile(r"<think>.*?</think>[ \t]*\n?", re.DOTALL | re.IGNORECASE)
_THINK_OPEN = re.compile(r"<think>", re.IGNORECASE)
_FENCE_OPEN = re.compile(r"^[ \t]*(```+|~~~+)[\w+#.\-]*[ \t]*\n?$")
_FENCE_CLOSE = re.compile(r"^[ \t]*(```+|~~~+)[ \t]*\n?$")
_INTRO = re.compile(
    r"^(?:here(?:'s| is| are)|sure|certainly|okay|ok|of course|absolutely|below is|"
    r"i(?:'ve| have| will|'ll) )",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"^[A-Z][\w'’,\-]*(?:[ \t]+\S+){2,}[.:!]$")
_CODE = re.compile(r"[=;{}]|\w\(|^[ \t]|^(?:def|class|return|import|from|if|for|while)\b")


def is_prose(line: str) -> bool:
    """A line of English around the code ("Here is the refactored function:")."""
    text = line.rstrip("\n").rstrip()
    if not text or text != text.lstrip():
        return False
    if _INTRO.match(text) and (text[-1] in ":.!" or len(text.split()) <= 3):
        return True
    return bool(_SENTENCE.match(text)) and not _CODE.search(text)


def _blank(line: str) -> bool:
    return not line.strip()


class AnswerReader:
    """Reads one streamed answer; feed it the content deltas."""

    def __init__(self, tag: str = "REPLACEMENT", *, keep_fences: bool = False) -> None:
        self._open = re.compile(rf"<\s*{tag}\s*>[ \t]*\n?", re.IGNORECASE)
        self._close = re.compile(rf"</\s*{tag}\s*>", re.IGNORECASE)
        self._open_text = f"<{tag}>"
        self._keep_fences = keep_fences
        self._raw: list[str] = []
        self.lines: list[str] = []
        """Answer lines known to be final, each ending in a line break."""
        self.complete = False
        """The end of the answer was seen (closing tag or fence): the rest is not needed."""

    @property
    def raw(self) -> str:
        """Everything fed so far."""
        return "".join(self._raw)

    def feed(self, delta: str) -> bool:
        """Add a piece of the answer; True when ``lines`` grew."""
        if not delta or self.complete:
            return False
        self._raw.append(delta)
        if "\n" not in delta and ">" not in delta:
            return False
        lines, complete = self._parse(self.raw, final=False)
        grew = len(lines) > len(self.lines)
        self.lines = lines
        self.complete = complete
        return grew

    def final(self) -> str:
        """The whole answer, wrappers removed (call when the stream is over)."""
        lines, _ = self._parse(self.raw, final=True)
        return "".join(lines)

    def _parse(self, raw: str, *, final: bool) -> tuple[list[str], bool]:
        text = _THINK_BLOCK.sub("", raw)
        think = _THINK_OPEN.search(text)
        if think is not None:
            text = text[: think.start()]
        opened = self._open.search(text)
        complete = False
        if opened is not None:
            body = text[opened.end() :]
            closed = self._close.search(body)
            if closed is not None:
                body, complete = body[: closed.start()], True
        else:
            body = text
            if not final and self._open_text.lower().startswith(body.strip().lower()):
                return [], False
        lines = split_lines(body)
        if lines and not final and not complete and not lines[-1].endswith("\n"):
            lines.pop()
        fenced = False
        if not self._keep_fences:
            lines, fenced, fence_closed = _unfence(lines, tagged=opened is not None)
            complete = complete or fence_closed
        if opened is None and not fenced:
            lines = _drop_leading_prose(lines)
            if final or not complete:
                while lines and (is_prose(lines[-1]) or _blank(lines[-1])):
                    lines.pop()
        if not final and not complete:
            while lines and _blank(lines[-1]):
                lines.pop()
        return lines, complete


def _unfence(lines: list[str], *, tagged: bool) -> tuple[list[str], bool, bool]:
    """The first fenced block's lines, whether there was one, and whether it was closed.

    Inside tags only a fence on the first line counts; without tags the fence may follow prose.
    """
    first = next((i for i, line in enumerate(lines) if not _blank(line)), None)
    if first is None:
        return lines, False, False
    opener = first
    if not _FENCE_OPEN.match(lines[first]):
        if tagged:
            return lines, False, False
        opener = next((i for i, x in enumerate(lines) if _FENCE_OPEN.match(x)), -1)
        if opener < 0 or not all(is_prose(x) or _blank(x) for x in lines[:opener]):
            return lines, False, False
    body = lines[opener + 1 :]
    for i, line in enumerate(body):
        if _FENCE_CLOSE.match(line):
            return body[:i], True, True
    return body, True, False


def _drop_leading_prose(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and is_prose(lines[start]):
        start += 1
        while start < len(lines) and _blank(lines[start]):
            start += 1
    return lines[start:]


@attrs.frozen
class Shape:
    """How the replaced range begins and ends, so the answer can be fitted to it."""

    leading_breaks: int
    trailing_breaks: int
    indent: str | None
    """The range's indentation when an answer at column 0 must be shifted to it."""
    eol: str = "\n"
    """The document's line break; editors convert inserted breaks to it, so we do too."""

    @classmethod
    def of(cls, original: str, *, starts_line: bool, eol: str = "\n") -> Shape:
        """The shape of ``original``; ``starts_line`` when the range begins at column 0."""
        original = original.replace("\r\n", "\n")
        lead = len(original) - len(original.lstrip("\n"))
        trail = len(original) - len(original.rstrip("\n")) if original.strip() else 0
        if not original and starts_line:
            trail = 1  # an insertion at the start of a line adds whole lines
        indent = None
        code = [line for line in split_lines(original) if not _blank(line)]
        if starts_line and code:
            widths = [len(line) - len(line.lstrip(" \t")) for line in code]
            smallest = min(widths)
            if smallest > 0:
                line = code[widths.index(smallest)]
                indent = line[:smallest]
        return cls(lead, trail, indent, eol)

    def _eol(self, lines: list[str]) -> list[str]:
        if self.eol == "\n":
            return lines
        return [line[:-1] + self.eol if line.endswith("\n") else line for line in lines]

    def _reindent(self, lines: list[str]) -> list[str]:
        code = [line for line in lines if not _blank(line)]
        if self.indent is None or not code or code[0][:1] in (" ", "\t"):
            return lines
        return [line if _blank(line) else self.indent + line for line in lines]

    def streaming(self, lines: list[str]) -> list[str]:
        """Streamed answer lines as they should appear in the range."""
        lines = [line.replace("\r\n", "\n") for line in lines]
        while lines and lines[0] == "\n":
            lines.pop(0)
        if not lines:
            return []
        return self._eol(["\n"] * self.leading_breaks + self._reindent(lines))

    def fit(self, answer: str) -> str:
        """The final answer as it replaces the range (empty stays empty: a deletion)."""
        if not answer.strip():
            return ""
        lines = self._reindent(split_lines(answer.replace("\r\n", "\n").strip("\n")))
        text = "\n" * self.leading_breaks + "".join(lines) + "\n" * self.trailing_breaks
        return text if self.eol == "\n" else text.replace("\n", self.eol)
