"""The last filter: the answer must read as code where it is inserted, whatever shape made it not.

The filters before this one remove wrappers, prose and debris by their shapes; every new source
of answers brings shapes nobody listed (prose in another wording or language, markup, a tag
spelled anew, a diff). This gate judges the result instead of the shape:

* letters of a script the window never writes in code position (CJK, accented Latin...) in code
  position in the answer (not in a string or comment), or of a script other than Latin the window
  never writes at all, wherever they are: the answer is cut before that line;
* the answer inserted into the parsed code around the cursor (`tree_site`, an incremental
  reparse) has an ERROR node touching its text (MISSING nodes do not count: a strict prefix of
  true code leaves closers missing). Then:
  - an error that only breaks off the answer's last line after some code, where that line writes
    no pair of marks the window's code never writes (`</`, `@@`), is a truncated stream: kept;
  - else the answer is cut to the longest of a few prefixes (token ends on the error's line,
    then its start) that parses and reads as code of this window;
  - else nothing is shown when the answer does not read as code of this window (a sentence of
    words its code never writes, no word it writes, or a line start no code line of it has),
    and the answer is kept otherwise (a truncated stream often ends mid-construct).

No gate when the cursor is in a string (a sentence in any script may be its text), only the
second letters test in a comment; no syntax gate without a grammar or when the tree around the
cursor is not trusted.
"""

from __future__ import annotations

import re
import unicodedata

from tree_sitter import Language, Node

from .answer_lines import is_comment_line
from .hole import Hole
from .syntax import NO_SLASH_COMMENT, code_only, scan
from .tree_site import LOCAL_ERROR_LINES, Site, site_of, with_answer

MAX_CUTS = 4
"""Shorter prefixes tried after the whole answer adds a parse error (one reparse each)."""
MAX_GATED_CHARS = 8_000
"""Longer answers (the model is asked for 320 tokens at most) are not reparsed here."""
KEYWORDS = frozenset(
    """if else elif for while do return break continue switch case default try catch except
    finally throw raise import from export def class struct enum union typedef extern static
    const let var function func fn local end then fi done esac in not and or new delete
    template typename namespace using public private protected void int char long unsigned
    bool true false null nil None True False self this yield await async with as""".split()
)
"""Words that start or fill code in most languages: a window with little code (a license
header) still knows them."""
LATIN = frozenset({"LATIN"})
_FOREIGN = re.compile(r"[^\x00-\x7f]")
WORD_RUN = 3
UNKNOWN_WORDS = 2
_PLAIN_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’][^\W\d_]+)?[,.:;!?]?$")
_WORD = re.compile(r"\w+")
_MARK_PAIR = re.compile(r"(?=([^\w\s\"'`()\[\]{},;]{2}))")
"""Two marks in a row (`</`, `@@`, `|>`), brackets, quotes and separators aside."""
_CODE_WORD = re.compile(r"\b\w*(?:[a-z][A-Z]|[A-Za-z]_[A-Za-z])\w*|\w\(|\.\w|\b_\w|\b[A-Za-z]+\d")
_STRING = re.compile(r"\"(?:\\.|[^\"\\])*(?:\"|$)|'(?:\\.|[^'\\])*(?:'|$)")
_COMMENT_END_LINE = re.compile(r"^[ \t]*\*(?:/|[ \t]*$)", re.MULTILINE)
"""A line that starts with the end of a block comment, or is only its `*` margin."""
_TOKEN_END = re.compile(r"(?<=[\w)\]}\"'])(?=[ \t]|[^\w\s])|(?<=[^\w\s])(?=[ \t\w])")


def code_gate(text: str, hole: Hole) -> str | None:
    """Cut the answer before what does not read as code at the cursor (None: nothing left)."""
    state = hole.prefix_scan
    if state.in_string:
        return text
    in_text = state.in_comment
    gated = _before_foreign_letters(text, hole, in_code=not in_text)
    if gated is not None and not in_text:
        gated = _before_stray_comment_end(gated, hole)
    if gated is None or not gated.strip():
        return None
    return gated if in_text else _before_parse_errors(gated, hole)


# --- the end of a block comment nothing opened --------------------------------------------------


def _before_stray_comment_end(text: str, hole: Hole) -> str | None:
    """The answer up to a line that ends or goes on with a block comment (`*/`, a lone `*`)
    where none is open, in code position: the model wrote again the end of the comment above the
    cursor. None when that is the first line. A first line that goes on with the code typed
    before the cursor (`f(int` then ` *`) starts no line."""
    start = 0 if text.startswith("\n") or not hole.line_prefix.strip() else text.find("\n")
    found = _COMMENT_END_LINE.search(text, start) if start >= 0 else None
    if found is None or hole.language in NO_SLASH_COMMENT:
        return text
    before = text[: found.start()]
    state = scan(before, hole.language)
    if state.in_comment or state.in_string:
        return text
    return before.rstrip() or None


# --- letters of scripts the code around never writes -------------------------------------------


def _script(char: str) -> str | None:
    """The script of a non-ASCII letter (`LATIN`, `CJK`, `HIRAGANA`...); None for other
    characters (symbols, punctuation, spaces)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] or None


def _scripts(text: str) -> dict[str, int]:
    """Scripts of the non-ASCII letters of `text`, each with the index of its first letter."""
    found: dict[str, int] = {}
    for match in _FOREIGN.finditer(text):
        script = _script(match.group(0))
        if script is not None and script not in found:
            found[script] = match.start()
    return found


def _before_foreign_letters(text: str, hole: Hole, *, in_code: bool) -> str | None:
    """The answer up to the line holding the first letter of a script the window never writes
    anywhere (Latin aside: a name or a word with an accent is common), or, with `in_code` (the
    cursor in no comment), of a script it never writes in code position written in code
    position. None when that is the first line."""
    if not _FOREIGN.search(text):
        return text
    window = hole.prefix + "\n" + hole.suffix
    written = _scripts(window)
    unwritten = _scripts(text).items()
    firsts = [at for script, at in unwritten if script not in written and script not in LATIN]
    if in_code:
        in_window_code = _scripts(code_only(window, hole.language))
        answer_code = _scripts(code_only(text, hole.language))
        firsts += [at for script, at in answer_code.items() if script not in in_window_code]
    if not firsts:
        return text
    line_start = text.rfind("\n", 0, min(firsts))
    return text[: max(line_start, 0)].rstrip() or None


# --- parse errors the answer adds ---------------------------------------------------------------


def _error_spans(node: Node, spans: list[tuple[int, int]]) -> None:
    """(start, end) bytes of the local ERROR nodes under `node` (wider ones wrap a window the
    parser cannot place and only their inside counts, as in `tree_site.error_count`)."""
    pending = [node]  # a stack in document order, not recursion: answers nest thousands deep
    while pending:
        node = pending.pop()
        if not node.has_error:
            continue
        if node.is_error and node.end_point[0] - node.start_point[0] <= LOCAL_ERROR_LINES:
            spans.append((node.start_byte, node.end_byte))
        pending.extend(reversed(node.children))


def _error_at_cursor(site: Site) -> bool:
    """The code without the answer has an ERROR node around the cursor (a line being typed)."""
    spans: list[tuple[int, int]] = []
    _error_spans(site.tree.root_node, spans)
    return any(s <= site.cursor <= e for s, e in spans)


def _first_error(site: Site, answer: bytes, typed_error: bool) -> int | None:
    """Offset in `answer` where the first ERROR node touching its text starts (0 when it starts
    before the answer); None when none does. With an error around the cursor already in the code
    without the answer, an ERROR starting before the cursor is that one."""
    spans: list[tuple[int, int]] = []
    _error_spans(with_answer(site, answer).root_node, spans)
    content = answer.rstrip()
    start = site.cursor + len(content) - len(content.lstrip())
    end = site.cursor + len(content)
    touching = [
        s for s, e in spans if s < end and e > start and not (typed_error and s < site.cursor)
    ]
    return max(0, min(touching) - site.cursor) if touching else None


def _cuts(answer: bytes, error_at: int) -> list[int]:
    """Prefix ends to try, longest first: token ends on the line where the error starts (the
    error node often begins a token or two before what broke the parse), then that line's
    start."""
    line_start = answer.rfind(b"\n", 0, error_at) + 1
    line_end = answer.find(b"\n", error_at)
    line = answer[line_start : len(answer) if line_end < 0 else line_end].decode("utf-8", "ignore")
    ends: list[int] = []
    at, offset = 0, line_start
    for match in _TOKEN_END.finditer(line):
        offset += len(line[at : match.start()].encode("utf-8", "surrogatepass"))
        at = match.start()
        ends.append(offset)
    after = [e for e in reversed(ends) if e > error_at][: MAX_CUTS // 2]
    before = [e for e in reversed(ends) if line_start < e <= error_at][: MAX_CUTS - len(after)]
    return [*after, *before, max(line_start - 1, 0)]


def _before_parse_errors(text: str, hole: Hole) -> str | None:
    """The answer, or its longest tried prefix that adds no ERROR node touching the answer to the
    code around the cursor and still reads as code of this window. When none is left: nothing
    if the answer does not read as code of this window, else the answer (a strict prefix of
    true code, cut by a truncated stream, often ends mid-construct). Unchanged without a usable
    tree or past `MAX_GATED_CHARS`."""
    site = site_of(hole) if len(text) <= MAX_GATED_CHARS else None
    if site is None:
        return text
    answer = text.encode("utf-8", "surrogatepass")
    typed_error = _error_at_cursor(site)
    error_at = _first_error(site, answer, typed_error)
    if error_at is None:
        return text
    words = _Words(hole, site.tree.language)
    line_start = answer.rfind(b"\n", 0, error_at) + 1
    tail = answer[max(line_start, error_at - 1) :].decode("utf-8", "ignore")
    last_line = answer[line_start:].decode("utf-8", "ignore")
    after_code = answer[:error_at].strip() or not words.foreign_start(text, hole)
    one_construct = "\n" not in tail or bool(scan(tail, hole.language).open)
    if after_code and one_construct and words.reads_as_code(tail) and words.plausible(last_line):
        return text  # only the end breaks off: a truncated stream stops mid-construct
    if _inside_line_brackets(answer, line_start, error_at, hole.language):
        return text
    for end in _cuts(answer, error_at):
        prefix = answer[:end].rstrip()
        if not prefix.strip():
            break
        kept = prefix.decode("utf-8", "ignore")
        if not (words.written_in_code(kept) and words.plausible(kept)) or words.marked(kept):
            continue
        if _first_error(site, prefix, typed_error) is None:
            return kept
    return text if words.plausible(text) and not words.foreign_start(text, hole) else None


def _inside_line_brackets(answer: bytes, line_start: int, error_at: int, language: str) -> bool:
    """The error lies inside brackets its line opens and closes, on a line balanced as a whole:
    arguments the grammar cannot read (a C macro's `DEFINE_OP(+, plus)`), not what broke."""
    line_end = answer.find(b"\n", error_at)
    line = answer[line_start : len(answer) if line_end < 0 else line_end]
    whole = scan(line.decode("utf-8", "ignore"), language)
    if whole.open or whole.stray or whole.mismatched or whole.in_string or whole.in_comment:
        return False
    return bool(scan(line[: error_at - line_start].decode("utf-8", "ignore"), language).open)


class _Words:
    """What the window's code lines write: their words and how their lines start."""

    def __init__(self, hole: Hole, grammar: Language) -> None:
        from .filters import NO_BACKTICKS  # filters imports this module

        self.grammar = grammar
        self.quotes = "\"'" if hole.language in NO_BACKTICKS else "\"'`"
        window = hole.prefix + "\n" + hole.suffix
        lines = [ln.strip() for ln in window.split("\n")]
        code = [ln for ln in lines if ln and not is_comment_line(ln)]
        self.known = set(_WORD.findall(code_only(window, hole.language))) & set(
            _WORD.findall("\n".join(code))
        )
        self.written = self.known | set(_WORD.findall(window)) | KEYWORDS
        self.starts = {ln[:2] for ln in code}
        self.marks = set(_MARK_PAIR.findall("\n".join(code)))

    def written_in_code(self, kept: str) -> bool:
        """A prefix kept by a cut has a word the window's code writes, a keyword, a number or a
        name shaped as code on its first code line, or starts with a quote (a few words of a
        sentence have none of these)."""
        first = _first_code_line(kept)
        known = self.known | KEYWORDS
        words = _WORD.findall(first)
        if any(w in known or self._counts(w) for w in words) or _CODE_WORD.search(first):
            return True
        return first.strip()[:1] in self.quotes

    def _counts(self, word: str) -> bool:
        """A number, or a keyword of the grammar (`chan` in Go, `requires` in Java)."""
        return word[0].isdigit() or self.grammar.id_for_node_kind(word, False) is not None

    def marked(self, kept: str) -> bool:
        """A prefix kept by a cut opens with a pair of marks the window's code never writes
        (`**Filled`, `~~~`), or with a backtick where a backtick is no quote."""
        first = _first_code_line(kept).strip()
        pair = _MARK_PAIR.match(first)
        if pair is not None and pair.group(1) not in self.marks:
            return True
        return first[:1] == "`" and "`" not in self.quotes

    def reads_as_code(self, tail: str) -> bool:
        """`tail` writes no pair of marks the window's code never writes (`</`, `@@`, `|/`) and
        no letter outside ASCII."""
        return not _FOREIGN.search(tail) and all(p in self.marks for p in _MARK_PAIR.findall(tail))

    def plausible(self, text: str) -> bool:
        """The first code line of `text` (comment lines skipped) has no letter, or, outside its
        strings, does not read as a sentence and has a word the window writes, a keyword, a
        number, a name shaped as code (`camelCase`, `snake_case`, `name(`, `.name`) or a quote."""
        first = _first_code_line(text)
        if not any(ch.isalpha() for ch in first):
            return True
        if _sentence(_STRING.sub(" ", first), self.known):
            return False
        if any(w in self.written or self._counts(w) for w in _WORD.findall(first)):
            return True
        return _CODE_WORD.search(first) is not None or any(q in first for q in self.quotes)

    def foreign_start(self, text: str, hole: Hole) -> bool:
        """The answer starts a line with a mark (`@@`, `-c`, `<C`, a backtick where it is no
        quote) that no code line of the window starts with: not a word, a quote or a bracket."""
        first = _first_code_line(text).strip()[:2]
        starts_line = text.startswith("\n") or not hole.line_prefix.strip()
        head = first[:1]
        mark = bool(head) and not (head.isalnum() or head == "_" or head in self.quotes + "([{")
        return starts_line and mark and first not in self.starts


def _first_code_line(text: str) -> str:
    return next((ln for ln in text.split("\n") if ln.strip() and not is_comment_line(ln)), "")


def _sentence(line: str, known: set[str]) -> bool:
    """A run of `WORD_RUN` plain words (letters, an apostrophe, sentence punctuation at the end)
    of which at least `UNKNOWN_WORDS` the window's code never writes."""
    run: list[str] = []
    for token in line.split():
        if not _PLAIN_WORD.match(token):
            run = []
            continue
        run.append(token.rstrip(",.:;!?"))
        unknown = [w for w in run[-WORD_RUN:] if w not in known]
        if len(run) >= WORD_RUN and len(unknown) >= UNKNOWN_WORDS:
            return True
    return False
