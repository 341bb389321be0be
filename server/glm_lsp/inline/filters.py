"""Final filters: turn what the model sent into the exact text to insert at the cursor, or None.

Each filter is a small function `(text, hole) -> str | None` (None = show nothing) with its own
golden cases under `tests/unit/inline/golden/<filter>/`. `postprocess` runs them in `PIPELINE`
order. Answers that start on a line of their own are carried with a leading "\\n".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .answer_lines import join_answer, split_answer
from .code_gate import code_gate
from .code_span import unwrapped_span
from .diff_answer import without_added_marks
from .echo import ECHO_CHARS, MIN_CHARS, trim_prefix_echo
from .encoded import decoded
from .extract import extract
from .hole import TAB_AFTER_CODE, Hole, Mode, indent_of, indent_width
from .meta_comment import without_meta_comments
from .reindent import fix_indentation
from .restated import is_trivial
from .rewrite import without_rewritten_scope
from .scope import limit_scope
from .stream_stop import matches_line, repeat_cut
from .syntax import continuation, imbalance, scan, squeeze, statement_breaks
from .tree_rules import balance_by_tree, cut_at_unit_end
from .trigger import opener_kind

Filter = Callable[[str, Hole], "str | None"]

_BLANK_FIRST = re.compile(r"\n[ \t]*\n[ \t]*\S")
"""An answer after a block opener that starts with one blank line (kept: a blank line after
the opener is the model's choice, `{` then an empty line then a doc comment)."""
_INLINE_CODE = re.compile(r"\A`([^`\n]+)`\Z")
NO_BACKTICKS = frozenset("python c cpp java rust lua csharp".split())
"""Languages where a backtick is never code: an answer in single backticks is markdown."""
_LONE_JUNK = frozenset("`\\<>|~^")
"""Single characters that are never a whole answer (outside a string: `"<"`)."""
_LEADING_BLANK = re.compile(r"^(?:[ \t]*\n)+")
_LINE_END_REPEAT = (re.compile(r"(.{3,}?)\1{5,}$"), re.compile(r"(.{10,}?)\1{3,}$"))
_WORD = re.compile(r"\w")
_LINE_START_CHARS = 6
_MEMBER_DOT = re.compile(r"\w\.\Z")
"""A cursor right after `name.`: the member follows on the same line, never after a break."""
_LAST_WORD = re.compile(r"\w+\Z")
_FIRST_WORD = re.compile(r"\w+")
_OPERATOR = re.compile(r"===|!==|==|!=|<=|>=|&&|\|\||\?\?|:=|=>|[-+*/%|&]?=(?!=)")
_KEYWORDS = frozenset(
    """from import return def class if elif while for in not and or is await yield raise del
    assert with as async lambda global const let var new typeof instanceof throw case extends
    implements export function package func go defer type struct enum union int unsigned signed
    long short char void static extern typedef local then elseif until public private protected
    final abstract interface echo""".split()
)
"""Keywords after which a name is separated by a space (never glued into one name)."""
_INDENTED_START = re.compile(r"[ \t]{2,}\S")
SEMICOLON_ENDS = frozenset(
    "c cpp java javascript typescript javascriptreact typescriptreact rust csharp php".split()
)
"""Languages where `;` ends a statement: the first statement keeps it."""
_HEADER = re.compile(r"\s*(?:\}\s*)?(?:if|for|switch|else\s+if|while)\b")
"""A Go-style statement header, where `;` separates the init statement from the condition."""
SEMICOLON_JOINS = frozenset({"python", "go", "lua", "ruby"})
"""Languages where a `;` joining statements is not written at a line's end."""


def strip_wrappers(text: str, hole: Hole) -> str | None:
    """Remove `<think>` blocks, `<COMPLETION>` tags, markdown fences and prose around the code."""
    state = hole.prefix_scan
    in_text = state.in_string or state.in_comment
    found = extract(
        text,
        final=True,
        in_text=in_text,
        language=hole.language,
        grammar=hole.grammar,
        code_names=hole.code_tag_names,
    )
    if found is None or not found.text.strip():
        return None
    text = decoded(found.text, hole)
    if not text.strip():
        return None
    inline = _INLINE_CODE.match(text)
    if inline is not None and hole.language in NO_BACKTICKS and not state.in_string:
        return inline.group(1)
    if inline is not None and state.in_string and _string_quote(hole) != "`":
        return inline.group(1)  # markdown: in a "..." string a backtick pair is no code
    return without_meta_comments(unwrapped_span(text, hole), hole.prefix, hole.suffix)


def _string_quote(hole: Hole) -> str:
    """The quote that opened the string the cursor is in (the last one on the cursor line)."""
    quotes = [ch for ch in hole.line_prefix if ch in "\"'`"]
    return quotes[-1] if quotes else ""


def normalize_edges(text: str, hole: Hole) -> str | None:
    """Drop leading blank lines and trailing whitespace; mark answers that start a new line.

    The answer starts on a new line when the hole demands it (end of a block-opening line) or
    allows it and the model chose it (a break, or in block mode a first line that starts with
    indentation); elsewhere a leading line break is just formatting.
    """
    raw = text
    broke = bool(_LEADING_BLANK.match(text))
    opens = hole.mode is Mode.MULTI_LINE or opener_kind(hole.line_prefix, hole.language)
    if opens and _INDENTED_START.match(text):
        broke = True
    text = _LEADING_BLANK.sub("", text).rstrip()
    if not text:
        return None
    if hole.new_line and not broke and _closes_on_the_line(text, hole):
        return text
    if hole.new_line and _BLANK_FIRST.match(raw):
        return "\n\n" + text
    if hole.new_line or (hole.may_break and broke and not _MEMBER_DOT.search(hole.line_prefix)):
        return "\n" + text
    return text


def _closes_on_the_line(text: str, hole: Hole) -> bool:
    """` return x; }` after `{`: a body written on the opener's own line, closed there."""
    first = text.split("\n", 1)[0]
    spaced = first.startswith(" ") or hole.line_prefix[-1:].isspace()
    return spaced and not first.startswith("  ") and bool(scan(first, hole.language).stray)


def keep_single_line(text: str, hole: Hole) -> str | None:
    """In single-line mode keep only the first line, and of it only the first statement. In
    block mode, an answer that continues the cursor line and closes there every bracket the
    line opened (`f(|` answered `x) {}`) is complete on that line too."""
    broken, lines = split_answer(text)
    if hole.mode is Mode.MULTI_LINE:
        if broken or len(lines) < 2 or hole.new_line or not hole.line_prefix.strip():
            return text
        state = scan(hole.line_prefix + lines[0], hole.language)
        closed = not state.open and not state.in_string and not state.in_comment
        return lines[0] if closed and scan(hole.line_prefix, hole.language).open else text
    return join_answer(broken, [_first_statement(lines[0], hole)])


def _first_statement(line: str, hole: Hole) -> str:
    """`a(); b()` -> `a();` (or `a()` where `;` is not written): a second statement joined
    on the line is over-generation. Only where `;` separates statements at the cursor's level."""
    lang = hole.language
    if lang not in SEMICOLON_ENDS and lang not in SEMICOLON_JOINS:
        return line
    state = hole.prefix_scan
    if state.in_string or state.in_comment or _HEADER.match(hole.line_prefix + line):
        return line
    for index, depth in statement_breaks(line, lang):
        outer = len(state.open) + depth - 1
        if outer >= 0 and state.open[outer] != "{":
            continue
        rest = line[index + 1 :].strip()
        if not rest or rest.startswith(("//", "/*", "#", "--")):
            return line
        return line[: index + 1] if lang in SEMICOLON_ENDS else line[:index].rstrip()
    return line


def remove_repetition(text: str, hole: Hole) -> str | None:
    """Cut repeated lines or blocks, and lines that end in a stuttering pattern."""
    broken, lines = split_answer(text)
    cut = repeat_cut(lines)
    if cut is not None:
        lines = lines[:cut]
    for index, line in enumerate(lines):
        body = line.strip()
        if not _WORD.search(body):
            continue
        if any(pattern.search(body) for pattern in _LINE_END_REPEAT):
            lines = lines[:index]
            break
    return join_answer(broken, lines) if any(ln.strip() for ln in lines) else None


def _trim_suffix_lines(text: str, hole: Hole, *, distinctive_only: bool) -> str | None:
    target = hole.next_line
    if target is None:
        return text
    broken, lines = split_answer(text)
    cursor_on_blank = not broken and not hole.line_prefix.strip()
    for index, line in enumerate(lines):
        if index == 0 and not broken and not cursor_on_blank:
            continue
        if distinctive_only and is_trivial(line.strip()):
            continue
        column = None
        if index == 0 and cursor_on_blank:
            column = len(hole.line_prefix) + len(line) - len(line.lstrip(" \t"))
        last = index == len(lines) - 1 and (index > 0 or broken)
        if matches_line(line, target, column) or (last and _starts_line(line, target)):
            kept = lines[:index]
            return join_answer(broken, kept).rstrip() if any(k.strip() for k in kept) else None
    return text


def _starts_line(line: str, target: str) -> bool:
    """A last answer line that is a strict start of the next line of the file, long enough to
    tell (`} catch (` of `} catch (IOException e) {`): a repeat of it the stream stopped in."""
    head, whole = squeeze(line), squeeze(target)
    return len(head) >= _LINE_START_CHARS and len(whole) > len(head) and whole.startswith(head)


def trim_suffix_echo(text: str, hole: Hole) -> str | None:
    """Cut the answer where it repeats the next non-blank line below the cursor (distinctive
    lines only; runs before re-indentation)."""
    return _trim_suffix_lines(text, hole, distinctive_only=True)


def trim_suffix_closing(text: str, hole: Hole) -> str | None:
    """After re-indentation, also cut at a repeated short line at the same column (`}`, `end`)."""
    return _trim_suffix_lines(text, hole, distinctive_only=False)


def trim_line_suffix_overlap(text: str, hole: Hole) -> str | None:
    """Remove the end of the answer that the rest of the cursor line already provides.

    `foo(|)` answered `bar)` becomes `bar`; answered `bar()` stays. The overlap is cut when that
    makes the resulting line better balanced, or when the answer repeated the whole rest, a
    long enough start of it, or the comma it starts with (`f(|, 2)` answered `x,`)."""
    rest = hole.line_suffix.rstrip()
    if not rest.strip():
        return text
    broken, lines = split_answer(text)
    last = lines[-1]
    head = hole.line_prefix if len(lines) == 1 and not broken else ""
    keep_score = imbalance(head + last + rest, hole.language)
    start = _respaced_tail(last, rest)
    if start is not None and last[:start].strip():
        lines[-1] = last[:start].rstrip()
        return join_answer(broken, lines)
    for size in range(min(len(rest), len(last)), 0, -1):
        if not last.endswith(rest[:size]):
            continue
        trimmed = last[:-size]
        score = imbalance(head + trimmed + rest, hole.language)
        repeated = size == len(rest) or (size >= ECHO_CHARS and _WORD.search(rest[:size]))
        repeated = repeated or rest[:size] == ","  # `,,` is no code: the rest's comma again
        if score < keep_score or (score == keep_score and repeated):
            lines[-1] = trimmed.rstrip() if size == len(rest) else trimmed
            return join_answer(broken, lines)
    return text


def _respaced_tail(last: str, rest: str) -> int | None:
    """Where `last` ends with the rest of the line, or a start of it of `ECHO_CHARS` or more,
    written with other spacing or quotes (`foo(a) , 2)` for `), 2)`; `a,mp_digit b` for
    `, mp_digit b);`), starting at a token boundary, the longest such end; None when none."""
    wanted = squeeze(rest)
    if len(wanted) < MIN_CHARS or not _WORD.search(wanted):
        return None
    for start in range(max(0, len(last) - 2 * len(rest) - 8), len(last)):
        tail = squeeze(last[start:])
        whole = tail == wanted
        if not (whole or (len(tail) >= ECHO_CHARS and wanted.startswith(tail))):
            continue
        if start and _WORD.match(last[start - 1]) and _WORD.match(last[start]):
            continue
        if last[start].isspace() or not _WORD.search(tail):
            continue
        if rest.startswith(last[start:]):
            return None  # the rest as it stands: the overlap rule decides
        return start
    return None


def balance_brackets(text: str, hole: Hole) -> str | None:
    """Cut the answer at a closing bracket that closes nothing still open at the cursor.

    Counting (not typing) brackets: the answer may close as many brackets as are open before
    the cursor plus those it opens itself and leaves open, minus the closers the text after the
    cursor brings. Strings and comments are skipped, also when the cursor is inside one.
    """
    lang = hole.language
    if not scan(text, lang).stray:
        return text
    before = hole.prefix_scan
    lead = hole.prefix[before.tail_start :] if before.tail_start >= 0 else ""
    answer = scan(lead + text, lang)
    if not answer.stray:
        return text
    after = scan(continuation(lead + text, lang) + hole.suffix, lang)
    allowed = max(0, len(before.open) + len(answer.open) - len(after.stray))
    if len(answer.stray) <= allowed:
        return text
    return text[: answer.stray_at[allowed] - len(lead)].rstrip() or None


def trim_space(text: str, hole: Hole) -> str | None:
    """No space after a prefix ending in whitespace, one after code unless the spaces align the
    answer with a neighbouring line (`UInt` + `   w32[4];`), or a tab leads it in a file with
    no tab after code above the cursor (`name:` + `\tstring;`); no trailing whitespace."""
    if not text.startswith("\n") and hole.line_prefix.strip():
        if hole.line_prefix[-1:].isspace():
            text = text.lstrip(" \t")
        elif "\t" in indent_of(text) and not TAB_AFTER_CODE.search(hole.prefix):
            text = " " + text.lstrip(" \t")  # a tab as a separator the file never writes
        elif text.startswith("  ") and not _aligned(
            hole, len(hole.line_prefix) + indent_width(text)
        ):
            text = " " + text.lstrip(" \t")
        elif _lost_space(text, hole):
            text = " " + text
    return text.rstrip()


def _lost_space(text: str, hole: Hole) -> bool:
    """The model dropped the space between the code typed and its answer: a keyword run into a
    name the window does not know joined (`from` + `os.path`, `unsigned` + `int x;`), or an
    operator the window always writes spaced written against a name (`x` + `=== y`)."""
    state = hole.prefix_scan
    if not text[:1] or text[0].isspace() or state.in_string or state.in_comment:
        return False
    typed = _LAST_WORD.search(hole.line_prefix)
    start = _FIRST_WORD.match(text)
    window = hole.prefix + hole.suffix
    if typed is not None and start is not None:
        joined = typed.group(0) + start.group(0)
        known = re.search(rf"\b{re.escape(joined)}\b", window) is not None
        return typed.group(0) in _KEYWORDS and not known
    operator = _OPERATOR.match(text)
    if operator is None or not (hole.line_prefix[-1:].isalnum() or hole.line_prefix[-1:] in ")]_"):
        return False
    op = re.escape(operator.group(0))
    spaced = len(re.findall(rf"\s{op}\s", window))
    return spaced > 0 and not re.search(rf"[\w)\]]{op}", window)


def _aligned(hole: Hole, column: int) -> bool:
    """A line next to the cursor line has a token starting at `column` after a run of spaces:
    the spaces before the answer align it."""
    near = [*hole.lines_before[-2:], *hole.lines_after[:2]]
    return any(
        len(ln) > column and ln[column - 2 : column] == "  " and not ln[column].isspace()
        for ln in near
    )


def drop_unhelpful(text: str, hole: Hole) -> str | None:
    """Nothing for empty, whitespace-only, junk-character or already-present answers."""
    content = text.strip()
    if not content:
        return None
    if len(content) < MIN_CHARS and content in _LONE_JUNK and not hole.prefix_scan.in_string:
        return None
    if hole.line_suffix.strip() and content == hole.line_suffix.strip():
        return None
    return text


PIPELINE: tuple[Filter, ...] = (
    strip_wrappers,
    without_added_marks,
    without_rewritten_scope,
    normalize_edges,
    trim_prefix_echo,
    keep_single_line,
    remove_repetition,
    trim_suffix_echo,
    fix_indentation,
    limit_scope,
    cut_at_unit_end,
    trim_suffix_closing,
    trim_line_suffix_overlap,
    balance_by_tree,
    trim_space,
    drop_unhelpful,
    code_gate,
)

FILTERS: dict[str, Filter] = {f.__name__: f for f in (*PIPELINE, balance_brackets)}


def postprocess(raw: str, hole: Hole) -> str | None:
    """Run every filter in order; the text to insert at the cursor, or None to show nothing."""
    text: str | None = raw
    for step in PIPELINE:
        if text is None:
            return None
        text = step(text, hole)
        if text is not None and not text.strip():
            return None
    return text
