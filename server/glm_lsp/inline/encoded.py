"""Answers sent in an encoding: undo it when the whole answer reads so.

A model sometimes sends its code as a JSON string in an object (`{"completion": "x = 1"}`), as
a numbered listing (`12 | x = 1`), with HTML entities (`a &lt; b`) or on one line with literal
`\\n` escapes. `decoded` undoes each of these by shape, and only when the whole answer is written
that way and the code around the cursor does not write such text itself.
"""

from __future__ import annotations

import html
import json
import re

from .hole import Hole
from .syntax import DASH_COMMENT, HASH_COMMENT

_JSON_LANGUAGES = frozenset({"json", "jsonc", "json5"})
_MAX_META_CHARS = 40
"""Other values beside the answer's string in a wrapper object are short labels ("python")."""
_JSON_START = re.compile(r'\A\s*\{\s*"[A-Za-z_][\w-]*"\s*:')
_JSON_OPENING = re.compile(r'\A\s*\{\s*(?:"(?:[A-Za-z_][\w-]*(?:"\s*(?::.*)?)?)?)?\Z', re.DOTALL)
_OBJECT_LITERALS = frozenset(
    "python javascript typescript javascriptreact typescriptreact ruby".split()
)
"""Languages where `{"key": "value"}` is an expression of the code itself."""
_JSON_STRING_START = re.compile(r'\A\s*\{\s*"[A-Za-z_][\w-]*"\s*:\s*"')
_QUOTED_KEY = re.compile(r"""(?:[{,]|^)[ \t]*(?:"[^"\n]{1,40}"|'[^'\n]{1,40}')[ \t]*:(?!:)""", re.M)
_ASSIGNED = re.compile(r"(?:[=:]|=>|\breturn)\s*\Z")
"""A cursor where a value is assigned or returned (`x = |`, `key: |`, `return |`)."""
_EXPRESSION_END = re.compile(r"(?:[=(\[,:?{]|=>|\breturn)\s*\Z")
"""A cursor where an object literal is code: `x = |`, `f(|`, `return |`."""

_NUMBER_MARK = re.compile(r"\A[ \t]*(L?)(\d{1,6})(?::[ \t]|[ \t]*[|│][ \t]?|→|\.[ \t]|\t| {2})")
"""A line number's mark: `12: `, `12 | `, `12│`, `12→` (an editor tool's listing), `12. `, a
tab (`cat -n`), two spaces."""
_NUMBER_MARK_EMPTY = re.compile(r"\A[ \t]*L?(\d{1,6})[ \t]*(?::|[|│→]|\.)?\s*\Z")

_RESTATED_REACH = 8
"""A listing cut to its first line may restate that many lines above the cursor."""
_ESCAPE = r"&(?:lt|gt|amp|quot|apos|nbsp|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});"
_ENTITY = re.compile(_ESCAPE)
"""The entities that escape code for HTML (`<`, `>`, `&`, quotes, numeric ones). A name such
as `&x;` is C's address-of before a `;`, `&in;` a variable, not an escape."""
_BARE_AMP = re.compile(rf"&(?!{_ESCAPE[1:]})")
_ENTITY_WINDOW = 4000

_REGEX_LITERALS = frozenset(
    "javascript typescript javascriptreact typescriptreact ruby perl".split()
)
"""Languages with `/.../` regular expression literals (C's `*/` is no such slash)."""
_ESCAPES = {"n": "\n", "t": "\t", "r": ""}
"""Escapes outside the code's strings; `\\r` before `\\n` (a CRLF escaped) is no text."""


def decoded(text: str, hole: Hole) -> str:
    """`text` with a JSON wrapper, escaped line breaks, line numbers and HTML entities undone,
    each only where the whole answer is written in it."""
    state = hole.prefix_scan
    in_text = state.in_string or state.in_comment
    text = _json_value(text, hole, in_text=in_text)
    if in_text:
        return _string_closed_by_entity(text, hole) if state.in_string else text
    text = _unescaped_lines(text, hole.language)
    text = _without_line_numbers(text, hole)
    return _without_hard_spaces(_without_entities(text, hole), hole)


def json_wrapper_start(text: str) -> bool:
    """Whether `text` opens a JSON object whose first member is a string key (a stream that
    must not be cut at its first line break before the object closes)."""
    return bool(_JSON_OPENING.match(text))


def json_object_end(text: str) -> int | None:
    """The index just past the JSON object `text` starts with (after blanks), None while it
    is not closed or is not JSON."""
    start = len(text) - len(text.lstrip())
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return end


def _json_value(text: str, hole: Hole, *, in_text: bool) -> str:
    """`{"completion": "code", "language": "go"}` -> `code`: an object with one string value
    that is the answer and otherwise short labels. Not in JSON files, and not where an object
    literal is code (`x = |`) unless it names the hole's language or is one member written
    over lines or holding lines."""
    body = text.strip()
    if hole.language in _JSON_LANGUAGES:
        return text
    # In a string, JSON is the string's text only where the code around writes objects.
    as_code = not in_text or not _writes_quoted_keys(hole)
    if not _JSON_START.match(body):
        cut_key = as_code and '"' in body and _JSON_OPENING.match(body)
        return "" if cut_key else text
    try:
        found = json.loads(body)
    except ValueError:
        return _cut_json_value(body) if as_code else text
    if not isinstance(found, dict):
        return text
    strings = [v for v in found.values() if isinstance(v, str)]
    if not strings or any(isinstance(v, dict | list) for v in found.values()):
        return text
    labels = [v for v in strings if v.lower() == hole.language.lower()]
    answer = max([v for v in strings if v not in labels] or strings, key=len)
    others = [v for v in found.values() if v is not answer]
    if any(len(str(v)) > _MAX_META_CHARS or "\n" in str(v) for v in others):
        return text
    labelled = hole.language and hole.language in others
    # One member on one line is the code's own object where the code writes such objects, or
    # where a value is assigned or returned (`config = {"name": "demo"}`), not as an argument
    # of a window that never quotes a key (`def clear(|)`, `shared(|)`).
    own = len(found) > 1 or _writes_quoted_keys(hole)
    if in_text and "\n" not in body and not labelled and own:
        return text
    literal = hole.language in _OBJECT_LITERALS and _EXPRESSION_END.search(hole.line_prefix)
    own = own or _ASSIGNED.search(hole.line_prefix) is not None
    if literal and not labelled and (len(found) > 1 or ("\n" not in body + answer and own)):
        return text  # `config = {"name": "demo", "version": "1.0"}` is the code's own object
    return answer


def _writes_quoted_keys(hole: Hole) -> bool:
    """Whether the code around the cursor writes a quoted key in an object (`{"name": x`,
    `, 'id': 1`; not a ternary's `? "a" : "b"`)."""
    window = hole.prefix[-_ENTITY_WINDOW:] + hole.suffix[:_ENTITY_WINDOW]
    return _QUOTED_KEY.search(window) is not None


def _cut_json_value(body: str) -> str:
    """A wrapper object cut before its end (`{"text": "abc` or `{"text"`): the part of its
    string value that arrived, or nothing."""
    opening = _JSON_STRING_START.match(body)
    if opening is None:
        return body if not _JSON_OPENING.match(body) else ""
    value = body[opening.end() :]
    for end in range(len(value), max(len(value) - 8, -1), -1):
        try:
            found = json.loads('"' + value[:end] + '"')
        except ValueError:
            continue
        return str(found)
    return ""


def _unescaped_lines(text: str, language: str) -> str:
    """`a()\\n    b()` -> two lines: a one-line answer whose `\\n` escapes stand outside any
    string literal of the code (`printf("a\\n")` stays); `\\t` there becomes a tab too."""
    if "\n" in text.strip("\n") or "\\n" not in text:
        return text
    out: list[str] = []
    regex_literals = language in _REGEX_LITERALS
    quote = ""
    comment = False
    slashes = 0
    decoded_any = False
    index = 0
    while index < len(text):
        char = text[index]
        pair = text[index : index + 2]
        escape = pair[:1] == "\\" and len(pair) == 2 and pair[1] in _ESCAPES
        if escape and not quote and (comment or slashes % 2 == 0):
            out.append(_ESCAPES[pair[1]])
            decoded_any = decoded_any or pair[1] == "n"
            if pair[1] == "n":
                comment = False
                slashes = 0
            index += 2
            continue
        if quote:
            if char == "\\":
                out.append(pair)
                index += 2
                continue
            if char == quote:
                quote = ""
        elif not comment:
            if char in "\"'`":
                quote = char
            elif _opens_comment(text, index, language):
                comment = True
            elif char == "/" and regex_literals:
                slashes += 1  # an odd count: inside a regular expression literal (`/\n/`)
        out.append(char)
        index += 1
    return "".join(out) if decoded_any else text


def _opens_comment(text: str, index: int, language: str) -> bool:
    """Whether a line comment of `language` starts at `index` (its quotes are not strings)."""
    if language in HASH_COMMENT:
        return text[index] == "#"
    if language in DASH_COMMENT:
        return text.startswith("--", index)
    return text.startswith("//", index)


def _without_line_numbers(text: str, hole: Hole) -> str:
    """`41 | a\\n42 | b` -> `a\\nb`: every line (the first may be the rest of the cursor line)
    led by one style of mark with consecutive numbers reaching near the cursor's line (the window
    starts at or after the document's first line). Code whose lines start with numbers
    (`1, 2,`) has no such mark and stays."""
    lead = text[: len(text) - len(text.lstrip("\n"))]
    lines = text[len(lead) :].split("\n")
    rest_of_line = hole.line_prefix.strip() and not lead and not _NUMBER_MARK.match(lines[0])
    start = 1 if rest_of_line else 0
    numbered = lines[start:]
    if not numbered:
        return text
    style: tuple[str, str] | None = None
    expected: int | None = None
    kept: list[str] = lines[:start]
    for line in numbered:
        mark = _NUMBER_MARK.match(line)
        empty = _NUMBER_MARK_EMPTY.match(line) if mark is None else None
        if mark is None and empty is None:
            return text
        number = int(mark.group(2) if mark is not None else empty.group(1))  # type: ignore[union-attr]
        if expected is not None and number != expected:
            return text
        expected = number + 1
        if mark is not None:
            shape = (mark.group(1), re.sub(r"\d+", "", mark.group(0)).strip())
            if style is not None and shape != style:
                return text
            style = shape
            kept.append(line[mark.end() :])
        else:
            kept.append("")
    if style is None or expected is None or expected - 1 < hole.line + 1 - _RESTATED_REACH:
        return text
    return lead + "\n".join(kept)


def _without_entities(text: str, hole: Hole) -> str:
    """`a &lt; b` -> `a < b`: an answer whose `<`, `>`, `&` (and quotes) are all written as HTML
    entities, in a window that writes none itself (an HTML or JSX file writing `&lt;` stays)."""
    if not _ENTITY.search(text) or any(ch in text for ch in "<>") or _BARE_AMP.search(text):
        return text
    window = hole.prefix[-_ENTITY_WINDOW:] + hole.suffix[:_ENTITY_WINDOW]
    if _ENTITY.search(window):
        return text
    return html.unescape(text)


def _without_hard_spaces(text: str, hole: Hole) -> str:
    """No-break spaces (from an HTML rendering: `n\u00a0+= 1`) as plain spaces, where the code
    around the cursor writes none."""
    if "\u00a0" not in text and "\u202f" not in text:
        return text
    window = hole.prefix[-_ENTITY_WINDOW:] + hole.suffix[:_ENTITY_WINDOW]
    if "\u00a0" in window or "\u202f" in window:
        return text
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _string_closed_by_entity(text: str, hole: Hole) -> str:
    """In a string: entities decoded (as `_without_entities` does) only when the decoded
    answer writes the quote that opened the string, so that the entity stood for the string's
    own end (`/* m_slots */&quot;)` after `"{name}, /*`); a string's text written with entities
    (`Tom &amp; Jerry`) stays."""
    if "&" not in text:
        return text
    start = hole.prefix_scan.tail_start
    token = hole.prefix[start : start + 4] if start >= 0 else ""
    quote = next((ch for ch in token if ch in "\"'`"), "")
    plain = _without_entities(text, hole)
    return plain if quote and plain != text and quote in plain else text
