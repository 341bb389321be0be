"""The answer's ``<COMPLETION>`` tags as models misspell them, written the way the prompt asked.

Models write the wrapper almost right: another case, a letter dropped or doubled, a plural,
spaces inside (``< COMPLETION>``, ``</COMPLETION >``), a self-closing or colon form as the
opener (``<COMPLETION/>``, ``<COMPLETION:>``), the opener's spelling again as the closer, a
closer with no opener. Read literally, each of them is text shown in the buffer. ``canonical``
finds the tag-shaped tokens whose name is near the tag's (``glm_lsp.tagshape``) and writes the
opener as ``<COMPLETION>`` and the closer as ``</COMPLETION>``; ``extract`` then reads them.

A token is the wrapper only where a wrapper stands: the opener at the start of a line, the
closer after the opener or at the end of a line. A spelling the file itself writes in a tag
(``<Completion>`` of a JSX file) is code, and stays. Every pattern is bounded (linear time).
"""

from __future__ import annotations

import itertools
import re

from glm_lsp.tagshape import near_name, near_start

from .prose import reads_as_prose

__all__ = ["OPEN_TAG", "STOP_TAG", "arriving_at", "canonical", "code_tag_names", "tag_arriving"]

OPEN_TAG = "<COMPLETION>"
STOP_TAG = "</COMPLETION>"
TAG_NAME = "COMPLETION"
_TOKEN = re.compile(
    r"<(?P<double><)?[ \t]{0,3}(?P<slash>[/\\]?)[ \t]{0,3}(?P<name>[A-Za-z][A-Za-z_\-]{2,23})"
    r"(?:[ \t]{1,3}[A-Za-z_\-]{1,20}=[^<>\n]{0,60}?)?"
    r"[ \t]{0,3}(?P<end>[/:]?)[ \t]{0,3}>(?(double)>)"
)
"""A tag-shaped token: ``<name>``, ``</name>``, ``< name >``, ``<name/>``, ``<name:>``,
``<name lang="go">``, ``<<name>>`` (a ``>`` after ``<name>`` is code: ``<COMPLETION>> x``)."""
_NAME_AFTER_BRACKET = re.compile(r"<[ \t]{0,3}/?[ \t]{0,3}(?P<name>[A-Za-z][A-Za-z_\-]{2,23})\b")
_ESCAPED = re.compile(
    r"&lt;[ \t]{0,3}(?P<slash>/?)[ \t]{0,3}(?P<name>[A-Za-z][A-Za-z_\-]{2,23})[ \t]{0,3}&gt;"
)
"""A tag written with HTML entities (``&lt;COMPLETION&gt;``)."""
_NAME_PARTS = re.compile(r"[_\-]")
_OPEN_WORDS = frozenset({"start", "begin", "open"})
_PLAIN_WORDS = frozenset({"text", "code", "here"})
"""A word joined to the tag's name that leaves it the wrapper (``COMPLETION_TEXT``)."""
_OTHER_NAMES = frozenset({"answer", "fill", "infill", "middle", "insertion"})
"""Wrapper names models write instead of the tag's, letter for letter (any case): a short
name read with letters wrong would take real tags (``<li>`` is two letters from ``fill``)."""
_BRACKETED = re.compile(r"\[(?P<slash>/?)(?P<name>[A-Za-z][A-Za-z_\-]{2,23})\]")
"""A wrapper tag in square brackets (``[COMPLETION]``, ``[/COMPLETION]``)."""
_PIPED = re.compile(r"<\|(?P<slash>/?)(?P<name>[A-Za-z][A-Za-z_\-]{2,23})\|>")
"""A wrapper tag written like a chat token (``<|/COMPLETION|>``)."""
_INDEXED = re.compile(r"[\w\])]")
"""What an index follows (``table[COMPLETION]``): an opener there is code."""
_CLOSE_WORDS = frozenset({"end", "stop", "close", "done"})
_BLANKS = re.compile(r"[ \t]*")
_LINE_OPENING_TAG = re.compile(r"^[ \t]*(?=<)", re.MULTILINE)
"""The indentation of a line that starts with a ``<``."""
_ARRIVING = re.compile(
    r"<{1,2}[ \t]{0,3}[/\\]?[ \t]{0,3}"
    r"(?:(?P<name>[A-Za-z][A-Za-z_\-]{0,23})[ \t]{0,3}[/:]?[ \t]{0,3})?"
)
"""The start of a tag-shaped token at the end of a stream (``<``, ``</ COMP``, ``<COMPLETION/``)."""


def _name_kind(name: str) -> str | None:
    """What a tag's name says it is: None for another name; "" for the tag's own name
    misspelt; "open" or "close" for the name joined to a word of either end
    (``COMPLETION_START``, ``end-completion``)."""
    if near_name(name, TAG_NAME) or name.lower() in _OTHER_NAMES:
        return ""
    parts = [part.lower() for part in _NAME_PARTS.split(name) if part]
    if len(parts) != 2 or not any(near_name(part, TAG_NAME) for part in parts):
        return None
    if _PLAIN_WORDS.intersection(parts):
        return ""
    if _OPEN_WORDS.intersection(parts):
        return "open"
    return "close" if _CLOSE_WORDS.intersection(parts) else None


def _is_tag(found: re.Match[str], code_names: frozenset[str]) -> bool:
    name = found.group("name")
    if _name_kind(name) is None:
        return False
    return name not in code_names or found.group(0) in (OPEN_TAG, STOP_TAG)


def code_tag_names(code: str) -> frozenset[str]:
    """The names near the tag's that the file itself writes after a ``<`` (a JSX element, a
    generic type: ``<Completion items={x}>``, ``List<Completion>``): code there, so code in
    the answer too."""
    if "<" not in code:
        return frozenset()
    return frozenset(
        found.group("name")
        for found in _NAME_AFTER_BRACKET.finditer(code)
        if _name_kind(found.group("name")) is not None
    )


def _kind(found: re.Match[str]) -> str:
    named = _name_kind(found.group("name"))
    if named:
        return named
    if found.group("slash"):
        return "close"
    return "self" if found.group("end") == "/" else "open"


_SENTENCE_MAX = 1000
"""The longest sentence read before an opener or after a closer on its line (a lead such as
``Sure, here it is``, a sign-off such as ``Hope it helps.``): longer runs are not one, and
reading every such run once per tag would take quadratic time on a long hostile line."""
_SPACES = re.compile(r"\s*")
_LINE_BLANKS = re.compile(r"[^\S\n]*")


class _Reading:
    """What ``_roles`` asks of ``text`` about each token, each answered without rescanning the
    text per token (a 200 KB line naming the tag thousands of times stays linear)."""

    def __init__(self, text: str, tokens: list[tuple[re.Match[str], str]]) -> None:
        self.text = text
        self.first_ink = len(text) - len(text.lstrip())
        self.last_ink = len(text.rstrip())
        self.closer_after: list[bool] = [False] * len(tokens)
        later = False
        for index in range(len(tokens) - 1, -1, -1):
            self.closer_after[index] = later
            later = later or tokens[index][1] != "open"
        self._line_start = 0
        self._scanned = 0

    def ink_after(self, at: int) -> int:
        """Where the first character other than whitespace at or after ``at`` is."""
        return _skip(_SPACES, self.text, at)

    def line_start(self, found: re.Match[str], index: int) -> bool:
        """Only indentation before the token on its line, a sentence that ends in a colon, or,
        on the answer's first line, any sentence when a closer follows (``Sure, here it is
        <Completion>x</Completion>``; a sentence naming `<Completion>` in a comment has none).
        Tokens are asked in order."""
        text, at = self.text, found.start()
        newline = text.rfind("\n", self._scanned, at)
        if newline >= 0:
            self._line_start = newline + 1
        self._scanned = at
        start, end = self._line_start, at
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end == start or text[end - 1] in ":：":
            return True
        if self.first_ink < start or end - start > _SENTENCE_MAX:
            return False
        return reads_as_prose(text[start:end].strip()) and self.closer_after[index]

    def line_end(self, at: int) -> bool:
        """Only blanks after ``at`` on its line, or a sentence (``</Completion> Hope it
        helps.``)."""
        text = self.text
        blank_end = _skip(_LINE_BLANKS, text, at)
        if blank_end == len(text) or text[blank_end] == "\n":
            return True
        end = text.find("\n", blank_end, blank_end + _SENTENCE_MAX + 1)
        if end < 0:
            end = len(text)
            if end - blank_end > _SENTENCE_MAX:
                return False
        return reads_as_prose(text[blank_end:end].strip())


def _skip(blanks: re.Pattern[str], text: str, at: int) -> int:
    found = blanks.match(text, at)
    return at if found is None else found.end()


def _roles(text: str, code_names: frozenset[str], final: bool) -> list[tuple[re.Match[str], str]]:
    """The wrapper tokens of ``text`` in order with what they are: the opener (and any opener
    written again at a line's start) and the closer that ends the answer; in a stream still
    arriving, a self-closing tag with nothing after it yet is held back (role "")."""
    tokens = [
        (found, _kind(found)) for found in _TOKEN.finditer(text) if _is_tag(found, code_names)
    ]
    reading = _Reading(text, tokens)
    roles: list[tuple[re.Match[str], str]] = []
    opened = False
    ink_after_role = 0
    for index, (found, kind) in enumerate(tokens):
        again = opened and ink_after_role >= found.start()
        if kind != "close" and (again or reading.line_start(found, index)):
            # `<COMPLETION/>` opens the answer when text follows it, else it closes it.
            rest = found.end() < reading.last_ink
            if kind == "self" and not (opened or rest or final):
                return [*roles, (found, "")]
            if kind == "open" or (not opened and rest):
                roles.append((found, OPEN_TAG))
                ink_after_role = reading.ink_after(found.end())
                opened = True
                continue
        ends = reading.line_end(found.end())
        # Without an opener, `x<Foo>` at a line's end is a generic, not a closer.
        if (kind != "open" and (opened or ends)) or (opened and ends):
            roles.append((found, STOP_TAG))
            break
    return roles


def canonical(text: str, code_names: frozenset[str] = frozenset(), final: bool = True) -> str:
    """``text`` with its misspelt wrapper tags written as ``<COMPLETION>`` and
    ``</COMPLETION>``; unchanged when it has no tag-shaped token near the tag's name.
    ``final`` False: a stream still arriving, cut before a tag whose role is not known yet."""
    if "&lt;" in text:
        text = _ESCAPED.sub(_unescaped, text)
    if "[" in text:
        text = _BRACKETED.sub(_angled, text)
    if "<|" in text:
        text = _PIPED.sub(_unescaped, text)
    if "<" not in text:
        return text
    roles = _roles(text, code_names, final)
    if not roles:
        return text
    out: list[str] = []
    at = 0
    for found, proper in roles:
        if not proper:
            return "".join(out) + text[at : found.start()]
        out += [text[at : found.start()], proper]
        at = found.end()
    out.append(text[at:])
    return "".join(out)


def _unescaped(found: re.Match[str]) -> str:
    if _name_kind(found.group("name")) is None:
        return found.group(0)
    return f"<{found.group('slash')}{found.group('name')}>"


def _angled(found: re.Match[str]) -> str:
    at = found.start()
    indexes = at > 0 and _INDEXED.match(found.string, at - 1) is not None
    if _name_kind(found.group("name")) is None or (indexes and not found.group("slash")):
        return found.group(0)
    return f"<{found.group('slash')}{found.group('name')}>"


def tag_arriving(tail: str) -> bool:
    """``tail`` (from a ``<``) may be the start of the wrapper's tag, misspelt or not, still
    arriving in a stream: held back until it is complete."""
    found = _ARRIVING.fullmatch(tail)
    if found is None:
        return False
    name = found.group("name")
    return name is None or _name_start(name)


def _name_start(name: str) -> bool:
    """``name`` may be the start of the tag's name, alone or joined to a word of either end."""
    parts = _NAME_PARTS.split(name.lower())
    if len(parts) == 1:
        return near_start(name, TAG_NAME) or any(
            other.startswith(parts[0]) for other in _OTHER_NAMES
        )
    if len(parts) > 2:
        return False
    first, second = parts
    ends = _OPEN_WORDS | _CLOSE_WORDS
    if near_name(first, TAG_NAME):
        return any(word.startswith(second) for word in ends)
    return first in ends and (not second or near_start(second, TAG_NAME))


def arriving_at(text: str) -> int:
    """Where a tag still arriving starts at the end of ``text`` (see ``tag_arriving``), or -1."""
    cut = text.rfind("<")
    if cut > 0 and text[cut - 1] == "<":
        cut -= 1
    return cut if cut >= 0 and tag_arriving(text[cut:]) else -1


def opener_line_at(text: str, start: int = 0) -> int | None:
    """The index of the first wrapper opener (any spelling ``canonical`` reads, not a closer)
    standing at the start of a line of ``text`` at or after ``start``, or None. Only tokens
    that begin a line are read (linear in the text)."""
    if text.find("<", start) < 0:
        return None
    first = _BLANKS.match(text, start)
    line_starts = (line.end() for line in _LINE_OPENING_TAG.finditer(text, start))
    for at in itertools.chain([first.end() if first else start], line_starts):
        found = _TOKEN.match(text, at)
        if found is not None and _is_tag(found, frozenset()) and _kind(found) != "close":
            return found.start()
    return None
