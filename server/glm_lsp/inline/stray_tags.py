"""Markup tags a chat model leaves around its code that the file cannot hold there.

Besides the answer's own wrapper, models close their answer with HTML they think the reply is
rendered in (``x + 1</code>``, ``return n</pre>``) or open it so (``<code>x + 1</code>``,
``<pre>`` alone on the first line). Read literally, the tag is shown in the buffer. A tag is
such debris by its shape and place, whatever its name:

* a closing tag ``</name>`` ending a line (or followed by a sentence), whose name the window
  around the cursor never writes after a ``<`` and that no ``<name`` before it in the answer
  opens; the answer ends there, as at the wrapper's closer;
* an opening tag ``<name>`` starting the answer (or a line of its start, after a lead
  sentence) whose closer is such debris, or alone on its line, its name unknown to the window.

A tag inside a string that closes after it on the line stays (``"</b>"``), as do tags of a
name the file writes (JSX, HTML in a string) and, in languages that hold markup (JSX, HTML,
PHP), any tag once the window writes markup at all. Every pattern is bounded (linear time).
"""

from __future__ import annotations

import re

__all__ = ["MARKUP", "tag_names", "without_stray_tags"]

MARKUP = "/"
"""Among ``tag_names``: the code writes markup (a closing tag, a self-closing one)."""
_NESTED = 3
"""Openers read at the answer's start (``<pre><code>``)."""
_SCANNED = 8
"""Closing tags read in one answer (a bound: each costs a look back at the answer)."""

_MARKUP_LANGUAGES = frozenset(
    """javascript javascriptreact typescript typescriptreact html xml vue svelte php markdown
    mdx astro""".split()
)
"""Languages whose code may hold tags: there a window with any markup leaves every tag alone."""
_NAME = r"[A-Za-z][\w\-]{0,30}"
_CLOSER = re.compile(rf"</[ \t]{{0,3}}(?P<name>{_NAME})[ \t]{{0,3}}>")
_OPENER = re.compile(
    rf"^[ \t]*(?P<tag><(?P<name>{_NAME})(?:[ \t][^<>\n]{{0,80}})?>)[ \t]*", re.MULTILINE
)
_CODE_ELEMENTS = frozenset({"code", "pre", "samp", "kbd", "tt"})
"""HTML elements that only present code: one of them opening the answer is its wrapper even
before its closer arrives (a single-line stream stops at the first line break)."""
_ANNOUNCES = (":", "：")
"""How a lead before an opener alone on its line ends (`Here it is:`)."""
_OPENER_REACH = 400
"""How far into the answer an opener starting a line is looked for (after a lead sentence)."""
_WRITTEN = re.compile(rf"</?[ \t]{{0,3}}({_NAME})")
_OPENED = re.compile(rf"<({_NAME})")
_MARKUP = re.compile(rf"</[ \t]{{0,3}}[A-Za-z]|/>|(?<![\w.$])<{_NAME}(?:[ \t][^<>\n]{{0,80}})?>")
"""A closing or self-closing tag, or an element opened where no generic type is (not glued to
a name: ``= <div>``, never ``Array<T>``)."""
_REST = re.compile(r"[ \t]*(?:\n|\Z)")
_SENTENCE = re.compile(r"[ \t]+[A-Z][a-z'’]*(?: [^\n]{0,200})?[.!?]?[ \t]*(?:\n|\Z)")
"""A sentence after the tag on its line (``</code> Hope this helps.``)."""


def tag_names(code: str) -> frozenset[str]:
    """Every name the code writes after a ``<`` or ``</`` (elements, generics, comparisons),
    and ``MARKUP`` when it writes markup (``_MARKUP``)."""
    if "<" not in code:
        return frozenset()
    names = {found.group(1) for found in _WRITTEN.finditer(code)}
    return frozenset(names | {MARKUP} if _MARKUP.search(code) else names)


def without_stray_tags(
    text: str, known: frozenset[str], language: str, in_text: bool = False
) -> tuple[str, bool]:
    """``text`` without the markup tags of its answer (see the module), and whether a closing
    one was found (the answer ends there). ``known``: the window's ``tag_names``; ``in_text``:
    the cursor is in a string or comment, where a tag alone on the first line may be text."""
    if "<" not in text or (MARKUP in known and language.lower() in _MARKUP_LANGUAGES):
        return text, False
    for _ in range(_NESTED):
        opened = _OPENER.search(text, 0, _OPENER_REACH)
        if opened is None or opened.group("name") in known:
            break
        name = opened.group("name")
        rest = text[opened.end() :]
        lead = text[: opened.start()].rstrip()
        alone = rest.startswith("\n") and not in_text and (not lead or lead.endswith(_ANNOUNCES))
        wrapper = not (lead or in_text) and name.lower() in _CODE_ELEMENTS
        if not (alone or wrapper or _closed_at_end(rest, name)):
            break
        # The spaces after an inline opener are the code's own (`<code> (i > 0)</code>`).
        text = text[: opened.start("tag")] + (rest[1:] if alone else text[opened.end("tag") :])
    closed = _stray_closer(text, known)
    if closed is not None:
        text = text[: closed.start()].rstrip(" \t")
    return text, closed is not None


def _closed_at_end(text: str, name: str) -> bool:
    """A closer of ``name`` in ``text`` ending its line (or before a sentence or a closer)."""
    for count, found in enumerate(_CLOSER.finditer(text)):
        if count == _SCANNED:
            return False
        at = found.end()
        if found.group("name") == name and (
            _REST.match(text, at) or _SENTENCE.match(text, at) or _CLOSER.match(text, at)
        ):
            return True
    return False


def _stray_closer(text: str, known: frozenset[str]) -> re.Match[str] | None:
    opened: dict[str, int] = {}
    for found in _OPENED.finditer(text):
        opened.setdefault(found.group(1), found.start())
    for count, found in enumerate(_CLOSER.finditer(text)):
        name = found.group("name")
        if count == _SCANNED:
            return None
        if name in known or opened.get(name, len(text)) < found.start():
            continue
        at = found.end()
        if _REST.match(text, at) or _SENTENCE.match(text, at) or _CLOSER.match(text, at):
            return found
    return None
