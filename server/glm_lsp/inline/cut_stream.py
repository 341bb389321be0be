"""What a cut stream certainly holds: the answer of a stream the host did not end itself.

A stream that ends without the host's `stop` (token budget, dropped connection) may end anywhere:
inside a word, inside an operator, or while the model was still writing again text that stands
above the cursor before its answer. Only what is certainly whole and new is shown:

* a last line that writes again the start of the typed line or of a line just above the cursor
  goes (with the lines before it when they too only repeat lines above): cut inside a word
  anywhere, cut at a token's end only after typed code, where the answer goes on with that code
  and cannot start a line of its own (on a blank line it may be a sibling statement);
* after typed code, a one-line answer that is a piece of the typed text (`==` of `x == "`,
  `'filter'` of `f('filter', {`) is a repeat the stream ended in: nothing;
* a last word the document does not know, or that starts a longer word of it or a keyword
  (`do` of `done`), goes; so do operator characters the stream ended in after code;
* an operator character that is the whole answer, right after a name, or dots, may be the
  start of a longer operator (`-` of `->`, `:` of `::`, `.` of `...`): nothing;
* what is left must not only repeat lines just above the cursor (after typed code, or once
  something was cut), nor be only a number on a line of its own (a listing's line number
  before the cut code), nor only a fence's backticks (`` ``le ``): else nothing;
* operator characters count as cut only on the line the stream ended on (the `*/` of a
  repeated comment line above a dropped line stays);
* after a block opener, a body begun on the opener's line with a word's space and cut before
  that line closed (` return __` after `{`) may have been a one-line body or not: nothing;
* a distinctive piece of the typed line (a word and a sign, 8 characters or more, found where
  a token starts) written again is nothing: what is left after a cut following typed code
  (`slots_name},` of `f"{slots_name}, /*`), or the whole cut stream on a block opener's line
  over several words (`x <= 1; x` of `for (x = 0; x <= 1; x++) {`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .code_gate import KEYWORDS
from .hole import Hole, Mode
from .markdown import NO_BACKTICKS
from .restated import is_trivial
from .syntax import OPENERS, scan, squeeze

MIN_ECHO = 2
ABOVE = 8
"""Non-blank lines above the cursor whose repeat a cut answer may end in."""
NEAR = 3
"""Of those, the nearest ones whose start, cut anywhere, is a repeat."""
_WORD_START = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
_NUMBER_DOT = re.compile(r"\d\.\Z")
_RESTATED_TYPED = 4
"""Characters a cut stream's last line needs to read as the cursor line's typed text again."""
_DISTINCT_START = 4
"""Characters (spacing aside) a last line cut at a token's end needs to read as the start of
a line above again."""
_CUT_OPERATOR = re.compile(r"[ \t]*[-=:|&<>.!+*/%^~?]+\Z")
"""Operator characters a cut stream ends in: maybe the start of a longer operator (`-` of
`->`, `:` of `::`, `=` of `==`)."""
_UNSURE_OPERATOR = re.compile(r"[-=:|&<>!+*/%^~?]|\.\.?")
"""A whole answer that may be the start of a longer operator: one operator character (`-` of
`->`, `:` of `::`) or dots (`.` of `...`)."""
_OPERAND_END = re.compile(r"[\w)\]}]\Z")
_FENCE_DEBRIS = re.compile(r"`+|~~+")
_SIGN = re.compile(r"[^\w\s]")
_LONGEST_PIECE = 400
"""A piece longer than a line is read as no piece (each place it is sought costs its length)."""
_DISTINCT_PIECE = 8
"""Characters (spacing aside) a cut answer on a block opener's line needs to read as a piece of
that line written again."""


@lru_cache(maxsize=8)
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORDS.findall(text))


def cut_answer(text: str, raw: str, hole: Hole) -> str:
    """The part of `text` (the answer extracted from the stream `raw`, which the host did not end)
    that is certainly whole and new; "" when nothing is."""
    continuing = _continues_typed(text, hole)
    echo_cut = _without_cut_echo(text, hole, continuing=continuing)
    worded = _without_cut_word(echo_cut, raw, hole)
    # Operator characters count as cut only on the line the stream ended on (`*/` ends a line
    # the stream went on past).
    ended_on_line = worded.count("\n") == echo_cut.count("\n")
    cut = _without_cut_operator(worded) if ended_on_line else worded
    if _unsure_operator(cut, raw, hole) or _lone_opener(text, hole):
        return ""
    if _opener_line_unsure(text, hole) or _typed_again(text, cut, hole, continuing=continuing):
        return ""
    content = cut.strip()
    if content.isdigit() and not hole.line_prefix.strip():
        return ""  # a line's number before its cut code (` 197  cmac_ae`), not a statement
    if _FENCE_DEBRIS.fullmatch(content) and (len(content) > 1 or hole.language in NO_BACKTICKS):
        return ""  # the start of a fence the stream ended in (`` ``le `` of ```` ```c ````)
    repeats = cut != text or continuing
    if not content or (repeats and _only_repeats(content, hole, distinct=cut == text)):
        return ""
    return cut


def _opener_line_unsure(text: str, hole: Hole) -> bool:
    """After a block opener (`{`), an answer the model began on the opener's own line with a
    word's space (` return __`) and the stream cut before that line closed: whether it
    was a one-line body (`{ return x; }`) or the first line of a body below is not known."""
    if not hole.new_line or not text.startswith(" ") or text.startswith("  "):
        return False
    first = text.split("\n", 1)[0]
    return "\n" not in text.strip() and not scan(first, hole.language).stray


def _typed_again(text: str, cut: str, hole: Hole, *, continuing: bool) -> bool:
    """The cut answer only writes a distinctive piece of the text typed on the cursor line
    again: after something was cut from it, after typed code (`slots_name},` of
    `f"{slots_name}, /*`, a markdown backtick before it where backticks are never code); or,
    on a block opener's line, the whole cut stream, over several words (`x <= 1; x` of
    `for (x = 0; x <= 1; x++) {`; a body's `x.y = 1` may start as the condition's `x.y`)."""
    typed = hole.line_prefix.strip()
    if not typed:
        return False
    if hole.new_line and not text.startswith("\n"):
        return " " in text.strip() and _distinct_piece(text.strip(), typed)
    if not continuing or cut == text:
        return False
    piece = cut.strip()
    if hole.language in NO_BACKTICKS and piece.count("`") == 1 and piece.startswith("`"):
        piece = piece[1:]
    return _distinct_piece(piece, typed)


def _distinct_piece(piece: str, typed: str) -> bool:
    """One line of `_DISTINCT_PIECE` characters or more (spacing aside), a word and a sign in
    it, found in `typed` where a token starts (`import` is no piece of `lazy_importer`; its
    end may be cut anywhere)."""
    wanted, whole = squeeze(piece), squeeze(typed)
    if "\n" in piece or not _DISTINCT_PIECE <= len(wanted) <= _LONGEST_PIECE:
        return False
    if not (_SIGN.search(wanted) and _WORD_START.search(wanted)):
        return False
    at = whole.find(wanted)
    while at >= 0:
        if not (at and _WORD_START.match(whole[at - 1]) and _WORD_START.match(wanted)):
            return True
        at = whole.find(wanted, at + 1)
    return False


def _lone_opener(text: str, hole: Hole) -> bool:
    """Single-line mode: the answer's line is only an opening bracket and the stream went on past
    its line break (an object written over lines, `{` then `  "key"`): cut before anything
    the line can show. A `{` that repeats a line just above is an echo the rules read past."""
    head, newline, _ = text.lstrip("\n").partition("\n")
    if hole.mode is not Mode.SINGLE_LINE or not newline or head.strip() not in OPENERS:
        return False
    return head.strip() not in _above(hole)[-NEAR:]


def _continues_typed(text: str, hole: Hole) -> bool:
    """After code typed on the cursor line, in single-line mode or on the same line after a weak
    opener (`f(`): the answer goes on with that code and cannot start a line of its own."""
    if not hole.line_prefix.strip():
        return False
    same_line = hole.may_break and not hole.new_line and not text.startswith("\n")
    return hole.mode is Mode.SINGLE_LINE or same_line


def _unsure_operator(cut: str, raw: str, hole: Hole) -> bool:
    """The stream ended right after the operator that is the whole answer, where a longer one may
    have been meant: dots, or one character right after an operand (`__victim` and `-` of
    `->`; after `if (` a `!` is whole)."""
    content = cut.strip()
    if not _UNSURE_OPERATOR.fullmatch(content) or not raw.endswith(content):
        return False
    return content[0] == "." or bool(_OPERAND_END.search(hole.line_prefix))


def _above(hole: Hole) -> list[str]:
    return [ln.strip() for ln in hole.lines_before[-ABOVE:] if ln.strip()]


def _only_repeats(content: str, hole: Hole, *, distinct: bool) -> bool:
    """Every line of `content` repeats a line just above the cursor (or the typed text), with
    `distinct` one of them distinctive: the stream ended before the answer began."""
    lines = [squeeze(ln) for ln in content.split("\n") if ln.strip()]
    near = {squeeze(ln) for ln in _above(hole)[-4:]} | {squeeze(hole.line_prefix)}
    if not all(ln in near for ln in lines):
        return False
    return not distinct or not all(is_trivial(ln) for ln in lines)


def _restates_typed(stripped: str, typed: str) -> bool:
    """`stripped` (a last answer line) is a start of the text typed before the cursor (spacing
    aside) that goes past its first word: `jit.attach(` of `jit.attach(dump, `."""
    line, whole = squeeze(stripped), squeeze(typed)
    if len(line) < _RESTATED_TYPED or len(whole) < len(line) or not whole.startswith(line):
        return False
    first = _WORDS.search(typed)
    return first is not None and len(squeeze(typed[: first.end()])) < len(line)


def _piece_of_typed(text: str, typed: str, least: int = MIN_ECHO) -> bool:
    """A one-line `text` is a piece of the typed text written again (`==` of `x == "`,
    `'filter'` of `f('filter', {`), a start of the typed line's next token included; `least`
    characters at least, spacing aside."""
    piece = squeeze(text)
    return "\n" not in text.strip() and len(piece) >= least and piece in squeeze(typed)


def _starts_line_above(stripped: str, line: str, *, distinct: bool) -> bool:
    """`stripped` is a strict start of `line` (spacing aside), cut inside a word or, with
    `distinct` (after typed code, where no line can start), long enough to be distinctive."""
    if line.startswith(stripped) and _word_start(stripped) < len(stripped):
        if _WORD_START.match(line[len(stripped) :]):
            return True
    piece, whole = squeeze(stripped), squeeze(line)
    if len(piece) >= len(whole) or not whole.startswith(piece):
        return False
    return distinct and len(piece) >= _DISTINCT_START and not is_trivial(stripped)


def _without_cut_echo(text: str, hole: Hole, *, continuing: bool) -> str:
    """`text` without a last line that is the start of the cursor line or of a line just
    above it, or a start of the text typed on the cursor line that ends after its first word
    (`f(` of `f(a, `): a repeat the stream ended in (`continuing`: the answer goes on with the
    typed code, `_continues_typed`)."""
    typed = hole.line_prefix.strip()
    if continuing and _piece_of_typed(text, typed):
        return ""
    head, _, last = text.rpartition("\n")
    stripped = last.strip()
    above = _above(hole)
    echoes = all(ln.strip() in above for ln in head.split("\n") if ln.strip())
    if _restates_typed(stripped, typed):
        return "" if echoes else head
    if len(stripped) < MIN_ECHO or not _WORD_START.search(stripped):
        return text
    for line in [typed, *above[-NEAR:]]:
        if _starts_line_above(stripped, line, distinct=continuing):
            return "" if echoes else head
    return text


def _without_cut_word(text: str, raw: str, hole: Hole) -> str:
    """`text` without its last word when the stream ended inside that word and the word
    (with the part typed before the cursor) is not a word of the document window, or is
    the start of a longer one or of a keyword (`do` of `done`)."""
    start = _word_start(text)
    if start == len(text) or _word_start(raw) == len(raw) or _WORD_START.match(hole.suffix):
        return text
    word = text[start:]
    if start == 0:
        word = hole.line_prefix[_word_start(hole.line_prefix) :] + word
    known = _words(hole.prefix) | _words(hole.suffix)
    longer = known | KEYWORDS
    if word in known and not any(len(k) > len(word) and k.startswith(word) for k in longer):
        return text
    kept = text[:start]
    if kept.strip() and hole.line_prefix.rstrip().endswith(kept.strip()):
        return ""
    head, _, tail = kept.rpartition("\n")
    if head.strip() and squeeze(tail) == squeeze(hole.line_prefix):
        return head
    rest = hole.line_suffix
    for size in range(min(len(kept), len(rest)), 0, -1):
        piece = rest[:size]
        if piece.strip("\"'` ") and not _WORD_START.search(piece) and kept.endswith(piece):
            kept = kept[:-size]
            break
    kept = kept.rstrip(" \t")
    return kept[:-1] if _NUMBER_DOT.search(kept) else kept


def _word_start(text: str) -> int:
    """Where the word that ends `text` starts (`len(text)` when it ends in no word character):
    a scan back from the end, linear on a long run of word characters."""
    at = len(text)
    while at and (text[at - 1].isalnum() or text[at - 1] == "_"):
        at -= 1
    return at


def _without_cut_operator(text: str) -> str:
    """`text` without the operator characters a cut stream ended in, after code (a prefix that
    ends at a token boundary is sure; a cut operator is not)."""
    found = _CUT_OPERATOR.search(text)
    if found is None or not text[: found.start()].strip():
        return text
    return text[: found.start()].rstrip()
