"""Final filters: turn what the model sent into the exact text to insert at the cursor, or None.

Each filter is a small function `(text, hole) -> str | None` (None = show nothing) with its own
golden cases under `tests/unit/inline/golden/<filter>/`. `postprocess` runs them in `PIPELINE`
order. Answers that start on a line of their own are carried with a leading "\\n".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .extract import extract
from .hole import Hole, Mode, indent_width, width
from .reindent import fix_indentation, join_answer, limit_scope, split_answer
from .stream_stop import is_trivial, matches_line, repeat_cut
from .syntax import continuation, imbalance, only_closers, scan, statement_breaks
from .tree_rules import balance_by_tree, cut_at_unit_end
from .trigger import opener_kind

Filter = Callable[[str, Hole], "str | None"]

MIN_CHARS = 2
ECHO_CHARS = 4
_LEADING_BLANK = re.compile(r"^(?:[ \t]*\n)+")
_LINE_END_REPEAT = (re.compile(r"(.{3,}?)\1{5,}$"), re.compile(r"(.{10,}?)\1{3,}$"))
_WORD = re.compile(r"\w")
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
    found = extract(text, final=True, in_text=state.in_string or state.in_comment)
    return found.text if found is not None and found.text.strip() else None


def normalize_edges(text: str, hole: Hole) -> str | None:
    """Drop leading blank lines and trailing whitespace; mark answers that start a new line.

    The answer starts on a new line when the hole demands it (end of a block-opening line) or
    allows it and the model chose it (a break, or in block mode a first line that starts with
    indentation); elsewhere a leading line break is just formatting.
    """
    broke = bool(_LEADING_BLANK.match(text))
    opens = hole.mode is Mode.MULTI_LINE or opener_kind(hole.line_prefix, hole.language)
    if opens and _INDENTED_START.match(text):
        broke = True
    text = _LEADING_BLANK.sub("", text).rstrip()
    if not text:
        return None
    if hole.new_line and not broke and _closes_on_the_line(text, hole):
        return text
    if hole.new_line or (hole.may_break and broke):
        return "\n" + text
    return text


def _closes_on_the_line(text: str, hole: Hole) -> bool:
    """` return x; }` after `{`: a body written on the opener's own line, closed there."""
    first = text.split("\n", 1)[0]
    return (
        first.startswith(" ")
        and not first.startswith("  ")
        and bool(scan(first, hole.language).stray)
    )


def keep_single_line(text: str, hole: Hole) -> str | None:
    """In single-line mode keep only the first line, and of it only the first statement."""
    if hole.mode is Mode.MULTI_LINE:
        return text
    broken, lines = split_answer(text)
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


def _doc_lines_before(hole: Hole, count: int) -> list[str]:
    lines = [ln for ln in hole.lines_before[-4 * count :] if ln.strip()]
    if hole.line_prefix.strip():
        lines.append(hole.line_prefix)
    return lines[-count:]


def trim_prefix_echo(text: str, hole: Hole) -> str | None:
    """Remove text the model repeated from before the cursor: whole lines, or the cursor line."""
    broken, lines = split_answer(text)
    typed = hole.line_prefix.strip()
    if typed:
        restated = _restated(lines, hole, typed)
        if restated is not None:
            restated[0] = _trim_line_echo(restated[0], hole.line_prefix)
            return join_answer(False, restated)
    if typed and broken:
        lines = _without_tail_line(lines, hole.line_prefix)
    if typed and not broken:
        if _only_lines_above(lines, hole):
            return None
        lines[0] = _trim_line_echo(lines[0], hole.line_prefix)
        return join_answer(broken, lines)
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    doc = _doc_lines_before(hole, 8)
    for size in range(min(len(content), len(doc)), 0, -1):
        pairs = zip(content[:size], doc[-size:], strict=True)
        if all(_echoes(lines, i, ref, hole, broken) for i, ref in pairs):
            rest = lines[content[size - 1] + 1 :]
            while rest and not rest[0].strip():
                rest = rest[1:]
            return join_answer(broken, rest) if rest else None
    return join_answer(broken, lines)


def _without_tail_line(lines: list[str], prefix: str) -> list[str]:
    """Drop a first line that only repeats the end of the cursor line (`== 0) {` after
    `if (size.X == 0 && size.Y == 0) {`)."""
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return lines
    tail = lines[first].strip()
    typed = prefix.rstrip()
    if len(tail) < MIN_CHARS or not typed.endswith(tail):
        return lines
    before = typed[-len(tail) - 1] if len(tail) < len(typed) else " "
    if _WORD.match(before) and _WORD.match(tail[0]):
        return lines
    return lines[first + 1 :]


def _restated(lines: list[str], hole: Hole, typed: str) -> list[str] | None:
    """The answer after the model restated the cursor line, possibly after repeating the lines
    above it (`y = x + 1` then `return y` at `return |`; `raise ValueError(` answered with the
    whole line on a line of its own): the rest of the restated line and what follows, or None.
    """
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    above = [ln.strip() for ln in hole.lines_before[-32:] if ln.strip()]
    for size in range(min(len(content) - 1, len(above)), -1, -1):
        repeated = [lines[i].strip() for i in content[:size]]
        if repeated != above[len(above) - size :]:
            continue
        line = lines[content[size]].strip()
        if line.startswith(typed) and (size or (len(typed) >= ECHO_CHARS and line != typed)):
            return [line[len(typed) :], *lines[content[size] + 1 :]]
    return None


def _only_lines_above(lines: list[str], hole: Hole) -> bool:
    """Every line of the answer repeats, in order, the lines just above the cursor line."""
    content = [ln.strip() for ln in lines if ln.strip()]
    above = [ln.strip() for ln in hole.lines_before[-32:] if ln.strip()]
    if not content or len(content) > len(above) or all(is_trivial(c) for c in content):
        return False
    return content == above[len(above) - len(content) :]


def _trim_line_echo(line: str, prefix: str) -> str:
    """The first answer line without a repeat of the cursor line (whole or its end)."""
    typed = prefix.strip()
    if line.startswith(prefix) and (prefix[0].isspace() or len(prefix) >= MIN_CHARS):
        return line[len(prefix) :]
    first = line.lstrip()
    if first.startswith(typed) and (len(typed) >= MIN_CHARS or not _WORD.match(typed)):
        return first[len(typed) :]
    head, whole = prefix.rstrip(), line.strip()
    if prefix[-1:].isspace() and whole and head.endswith(whole):
        before = head[-len(whole) - 1] if len(whole) < len(head) else " "
        if not (_WORD.match(before) and _WORD.match(whole[0])):
            return ""
    size = _echoed_tail(line, prefix)
    if size:
        return line[size:]
    size = _echoed_tail(first, prefix) if first != line else 0
    return first[size:] if size else line


def _echoed_tail(text: str, prefix: str) -> int:
    """The length of the longest start of `text` that ends the cursor line, when it is a whole
    token run (not starting inside a word) and, with a space in it, at least 3 characters."""
    for size in range(min(len(prefix), len(text)), MIN_CHARS - 1, -1):
        head = text[:size]
        spaced = any(ch.isspace() for ch in head)
        if not head.strip() or (spaced and size < ECHO_CHARS - 1) or not prefix.endswith(head):
            continue
        before = prefix[-size - 1] if size < len(prefix) else " "
        if _WORD.match(before) and _WORD.match(head[0]):
            continue
        return size
    return 0


def _echoes(lines: list[str], index: int, ref: str, hole: Hole, broken: bool) -> bool:
    """Whether answer line `index` repeats the document line `ref`.

    A model repeating the line above the cursor writes it where the cursor is, so on a blank
    line the first answer line is matched by its text when a single line is wanted, or when the
    answer goes on deeper than `ref` (the repeated line opened the block being filled).
    """
    line = lines[index]
    if index > 0 or broken:
        return matches_line(line, ref)
    if line.strip() != ref.strip():
        return False
    if hole.mode is not Mode.MULTI_LINE or not is_trivial(line.strip()):
        return True
    if indent_width(line) + width(hole.line_prefix) == indent_width(ref):
        return True
    deeper = next((ln for ln in lines[1:] if ln.strip()), None)
    return deeper is not None and indent_width(deeper) > indent_width(ref)


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
        if matches_line(line, target, column):
            kept = lines[:index]
            return join_answer(broken, kept).rstrip() if any(k.strip() for k in kept) else None
    return text


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
    makes the resulting line better balanced, or when the answer repeated the whole rest.
    """
    rest = hole.line_suffix.rstrip()
    if not rest.strip():
        return text
    broken, lines = split_answer(text)
    last = lines[-1]
    head = hole.line_prefix if len(lines) == 1 and not broken else ""
    keep_score = imbalance(head + last + rest, hole.language)
    for size in range(min(len(rest), len(last)), 0, -1):
        if not last.endswith(rest[:size]):
            continue
        trimmed = last[:-size]
        score = imbalance(head + trimmed + rest, hole.language)
        if score < keep_score or (score == keep_score and size == len(rest)):
            lines[-1] = trimmed.rstrip() if size == len(rest) else trimmed
            return join_answer(broken, lines)
    return text


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
    answer with a neighbouring line (`UInt` + `   w32[4];`); no trailing whitespace."""
    if not text.startswith("\n") and hole.line_prefix.strip():
        if hole.line_prefix[-1:].isspace():
            text = text.lstrip(" \t")
        elif text.startswith("  ") and not _aligned(
            hole, len(hole.line_prefix) + indent_width(text)
        ):
            text = " " + text.lstrip(" \t")
    return text.rstrip()


def _aligned(hole: Hole, column: int) -> bool:
    """A line next to the cursor line has a token starting at `column` after a run of spaces:
    the spaces before the answer align it."""
    near = [*hole.lines_before[-2:], *hole.lines_after[:2]]
    return any(
        len(ln) > column and ln[column - 2 : column] == "  " and not ln[column].isspace()
        for ln in near
    )


def drop_unhelpful(text: str, hole: Hole) -> str | None:
    """Nothing for empty, whitespace-only, too short or already-present answers."""
    content = text.strip()
    if not content:
        return None
    if len(content) < MIN_CHARS and not only_closers(content):
        return None
    if hole.line_suffix.strip() and content == hole.line_suffix.strip():
        return None
    return text


PIPELINE: tuple[Filter, ...] = (
    strip_wrappers,
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
