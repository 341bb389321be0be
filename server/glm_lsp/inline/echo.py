"""Text the model repeated from before the cursor: the lines above, the cursor line, its end.

Chat models often restart from the previous line or the start of the cursor line, with their own
indentation, before giving the answer; or end their answer with a repeat the stream cut short.
`trim_prefix_echo` removes such repeats so that only the text after the cursor remains.
"""

from __future__ import annotations

import re

from .answer_lines import is_comment_line, join_answer, split_answer
from .echo_lines import (
    DISTINCT_CHARS,
    copied_from_above,
    copy_of_line_above,
    led_copy_of_line_above,
    led_start_of_line_above,
    next_line_follows,
    only_lines_above,
    restates_a_line_above,
    start_of_line_above,
    start_of_opener,
)
from .hole import Hole, Mode, indent_width, width
from .requoted import requoted_inner
from .restated import is_trivial
from .scope import jumps_past
from .sibling_echo import tight_in_brackets, without_repeated_lead
from .stream_stop import matches_line
from .syntax import imbalance, squeeze

MIN_CHARS = 2
ECHO_CHARS = 4
RESPACED_CHARS = 3
"""Characters (without whitespace) of a re-spaced repeat of the cursor line's end (`if(`)."""
_WORD = re.compile(r"\w")
_LONE_ECHOES = frozenset("\"'`~")
_OPENERS = frozenset("([{\"'`")
_COMPARISONS = ("==", "!=", "<=", ">=")
"""One-character cursor lines a model repeats (an opening quote, C++'s `~`); brackets nest."""


def _doc_lines_before(hole: Hole, count: int) -> list[str]:
    lines = [ln for ln in hole.lines_before[-4 * count :] if ln.strip()]
    if hole.line_prefix.strip():
        lines.append(hole.line_prefix)
    return lines[-count:]


def trim_prefix_echo(text: str, hole: Hole) -> str | None:
    """Remove text the model repeated from before the cursor: whole lines, or the cursor line."""
    unglued = _unglue_echo(text, hole)
    if unglued is None:
        return _trim_echo(text, hole)
    _, lines = split_answer(unglued)
    return join_answer(True, _without_tail_line(lines, hole.line_prefix))


def _trim_echo(text: str, hole: Hole) -> str | None:
    broken, lines = split_answer(text)
    typed = hole.line_prefix.strip()
    if typed:
        restated = _restated(lines, hole, typed)
        if restated is not None:
            first = _trim_line_echo(restated[0], hole.line_prefix)
            restated[0] = first if first != restated[0] else _trim_opener_echo(first, hole)
            return join_answer(False, restated)
    after = _after_prev_echo(lines, hole, broken)
    if after is not None:
        broken = broken and not _goes_on_after_echo(after, hole)
        return _trim_echo(join_answer(broken, after), hole)
    return _trim_lines_echo(lines, hole, broken)


def _trim_lines_echo(lines: list[str], hole: Hole, broken: bool) -> str | None:
    """`trim_prefix_echo` once the cursor line is not restated: repeats of lines above, of the
    start of a line above, of the cursor line's end."""
    typed = hole.line_prefix.strip()
    if typed and broken:
        lines = _without_tail_line(lines, hole.line_prefix)
    if hole.mode is not Mode.MULTI_LINE and (
        start_of_line_above(lines, hole) or (broken and led_copy_of_line_above(lines, hole))
    ):
        return None
    if hole.mode is Mode.MULTI_LINE and start_of_opener(lines, hole, broken):
        return None
    if typed and not broken:
        if only_lines_above(lines, hole) or copy_of_line_above(lines, hole):
            return None
        if restates_a_line_above(lines, hole) or led_start_of_line_above(lines, hole):
            return None
        trimmed = _trim_line_echo(lines[0], hole.line_prefix)
        echoed = trimmed != lines[0]
        lines[0] = tight_in_brackets(trimmed, hole) if echoed else _trim_opener_echo(trimmed, hole)
        return join_answer(broken, lines)
    if broken and only_lines_above(lines, hole):
        return None
    if hole.mode is Mode.MULTI_LINE and copied_from_above(lines, hole, broken):
        return None
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    doc = _doc_lines_before(hole, 8)
    for size in range(min(len(content), len(doc)), 0, -1):
        pairs = list(zip(content[:size], doc[-size:], strict=True))
        if all(_echoes(lines, i, ref, hole, broken) for i, ref in pairs) or _shifted_run(
            lines, pairs
        ):
            rest = lines[content[size - 1] + 1 :]
            while rest and not rest[0].strip():
                rest = rest[1:]
            return join_answer(broken, rest) if rest else None
    return join_answer(broken, lines)


def _after_prev_echo(lines: list[str], hole: Hole, broken: bool) -> list[str] | None:
    """The answer's lines after a first line that repeats the line above the cursor line (and
    the blank lines after it), or None. Models restart from the previous line before the
    answer: in single-line mode the answer belongs on the cursor line, so a copy of the line
    above, followed by more code, is a repeat (a common closer like `}` only after typed code);
    in block mode only when the copy starts left of the block's body, or is the line as it
    stands (written in the body, a line the file repeats is an answer), and a short line like
    `}` or `*/` only before a line in the body or as it stands."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    ref = hole.prev_line
    if len(content) < 2 or ref is None or squeeze(lines[content[0]]) != squeeze(ref):
        return None
    first = lines[content[0]]
    typed = bool(hole.line_prefix.strip())
    if hole.mode is Mode.MULTI_LINE:
        column = 0 if broken or typed else width(hole.line_prefix)
        as_is = first.rstrip() == ref.rstrip() and indent_width(ref) < hole.target_indent
        as_is = as_is or jumps_past(first, _after_comments(lines, content), hole)
        if column + indent_width(first) >= hole.target_indent and not as_is:
            return None
        body = indent_width(lines[content[1]]) >= hole.target_indent
        if is_trivial(first.strip()) and not (body or as_is):
            return None
    elif is_trivial(first.strip()) and (broken or not typed):
        return None
    return lines[content[1] :]


def _after_comments(lines: list[str], content: list[int]) -> str:
    """The first line of code after the answer's first line (comments skipped), or ""."""
    return next((lines[i] for i in content[1:] if not is_comment_line(lines[i].strip())), "")


def _goes_on_after_echo(after: list[str], hole: Hole) -> bool:
    """The answer's lines after a repeat of the line above start at column 0 under an indented
    cursor line with code before the cursor (not a block opener's): the line break was the
    repeat's, the answer goes on where the cursor is (`max: 25,` then `1,` after `min: `)."""
    if hole.new_line or not hole.line_prefix.strip() or not indent_width(hole.line_prefix):
        return False
    return not after[0][:1].isspace()


def _without_tail_line(lines: list[str], prefix: str) -> list[str]:
    """Drop a first line that only repeats the end of the cursor line (`== 0) {` after
    `if (size.X == 0 && size.Y == 0) {`, or just its `{` or `:`)."""
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return lines
    tail = lines[first].strip()
    typed = prefix.rstrip()
    if (len(tail) < MIN_CHARS and tail not in ("{", ":")) or not typed.endswith(tail):
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
    above = [squeeze(ln) for ln in hole.lines_before[-32:] if ln.strip()]
    for size in range(min(len(content) - 1, len(above)), -1, -1):
        repeated = [squeeze(lines[i]) for i in content[:size]]
        if repeated != above[len(above) - size :]:
            continue
        line = lines[content[size]].strip()
        if not size and len(content) > 1 and squeeze(line) == squeeze(hole.prev_line or ""):
            if not next_line_follows(lines[content[1]], hole):
                continue  # the line above repeated, not the cursor line
        rest = lines[content[size] + 1 :]
        if line.startswith(typed) and (size or (len(typed) >= ECHO_CHARS and line != typed)):
            return _once(line[len(typed) :], rest, typed)
        if size and squeeze(line).startswith(squeeze(typed)):
            return _once(_after_squeezed(line, typed), rest, typed)
        if size and squeeze(typed).startswith(squeeze(line)) and content[size] == content[-1]:
            return [""]  # the restated cursor line stops before the cursor: nothing new
    return None


def _once(tail: str, rest: list[str], typed: str) -> list[str]:
    """The answer after a restated cursor line (`tail` the restatement's end, `rest` the lines
    after it), without more copies of that line right after it (`for (...) {` written twice
    before the body): only for a line that identifies the place."""
    if tail.strip() or len(squeeze(typed)) < DISTINCT_CHARS:
        return [tail, *rest]
    index = 0
    while index < len(rest) and squeeze(rest[index]) == squeeze(typed):
        index += 1
    return [tail, *rest[index:]]


def _after_squeezed(line: str, typed: str) -> str:
    """The part of `line` after a re-spaced copy of `typed`."""
    wanted = squeeze(typed)
    for end in range(len(line) + 1):
        if squeeze(line[:end]) == wanted:
            return line[end:]
    return line


def _trim_line_echo(line: str, prefix: str) -> str:
    """The first answer line without a repeat of the cursor line (whole or its end)."""
    typed = prefix.strip()
    if line.startswith(prefix) and (prefix[0].isspace() or len(prefix) >= MIN_CHARS):
        return line[len(prefix) :]
    first = line.lstrip()
    if first.startswith(typed) and (len(typed) >= MIN_CHARS or typed in _LONE_ECHOES):
        return first[len(typed) :]
    if len(squeeze(typed)) >= ECHO_CHARS and squeeze(first).startswith(squeeze(typed)):
        return _after_squeezed(first, typed)
    head, whole = prefix.rstrip(), line.strip()
    if prefix[-1:].isspace() and whole and head.endswith(whole):
        before = head[-len(whole) - 1] if len(whole) < len(head) else " "
        if not (_WORD.match(before) and _WORD.match(whole[0])):
            return ""
    size = _echoed_tail(line, prefix)
    if size:
        return line[size:]
    size = _echoed_tail(first, prefix) if first != line else 0
    if size:
        return first[size:]
    size = _respaced_tail(first, prefix)
    return first[size:] if size else line


def _respaced_tail(text: str, prefix: str) -> int:
    """The length of the longest start of `text` that repeats the end of the cursor line with
    other spacing (`if(` after `if (`): 3 or more characters with a word in them, starting at a
    token boundary of the line and ending at one of `text`; 0 when none."""
    typed = prefix.rstrip()
    tail = squeeze(typed)
    for end in range(min(len(text), len(typed) + 8), 0, -1):
        wanted = squeeze(text[:end])
        if text[end - 1].isspace() or len(wanted) < RESPACED_CHARS or not tail.endswith(wanted):
            continue
        if end < len(text) and _WORD.match(text[end - 1]) and _WORD.match(text[end]):
            continue
        start = _squeezed_start(typed, wanted)
        if start is not None and _WORD.search(wanted):
            if not (start and _WORD.match(typed[start - 1]) and _WORD.match(typed[start])):
                return end
    return 0


def _squeezed_start(typed: str, wanted: str) -> int | None:
    """Where the end of `typed` that squeezes to `wanted` starts (at a non-space)."""
    for start in range(len(typed) - 1, -1, -1):
        found = squeeze(typed[start:])
        if found == wanted and not typed[start].isspace():
            return start
        if len(found) > len(wanted):
            return None
    return None


def _trim_opener_echo(line: str, hole: Hole) -> str:
    """`line` without a first character that repeats the bracket or quote the cursor line ends
    with (`f(` answered `(x`, `if (x) {` answered ` {` then the body), when the line is better
    balanced without it; an `=` after a line ending in `=` with a space between (`x =` answered
    ` = 1`: `= =` is never code)."""
    head, code = hole.line_prefix, line.lstrip(" \t")
    inner = requoted_inner(code, hole)
    if inner is None:
        inner = without_repeated_lead(code, hole)
    if inner is not None:
        return inner
    if code.startswith("=") and code[1:2] not in ("=", ">") and head.rstrip().endswith("="):
        spaced = head[-1:].isspace() or line[:1].isspace()
        return code[1:] if spaced and not head.rstrip().endswith(_COMPARISONS) else line
    if not code or code[0] not in _OPENERS or not head.rstrip().endswith(code[0]):
        return line
    rest = hole.line_suffix
    before = imbalance(head + line + rest, hole.language)
    return code[1:] if imbalance(head + code[1:] + rest, hole.language) < before else line


def _echoed_tail(text: str, prefix: str) -> int:
    """The length of the longest start of `text` that ends the cursor line, when it is a whole
    token run (not starting inside a word) and, with a space in it, at least 3 characters."""
    for size in range(min(len(prefix), len(text)), MIN_CHARS - 1, -1):
        head = text[:size]
        spaced = any(ch.isspace() for ch in head)
        short = spaced and size < ECHO_CHARS - 1 and not head[-1].isspace()
        if not head.strip() or short or not prefix.endswith(head):
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
    if squeeze(line) != squeeze(ref):
        return False
    if hole.mode is not Mode.MULTI_LINE or not is_trivial(line.strip()):
        return True
    if indent_width(line) + width(hole.line_prefix) == indent_width(ref):
        return True
    deeper = next((ln for ln in lines[1:] if ln.strip()), None)
    return deeper is not None and indent_width(deeper) > indent_width(ref)


def _shifted_run(lines: list[str], pairs: list[tuple[int, str]]) -> bool:
    """The answer's first lines repeat the document's lines just above the cursor as a block
    moved as a whole (models dedent what they repeat): the same token runs, the same indentation
    relative to the first of them, and at least one line distinctive enough to identify the
    place (`}` then `if err != nil {` then the answer)."""
    if len(pairs) < 2 or all(is_trivial(lines[i].strip()) for i, _ in pairs):
        return False
    if any(squeeze(lines[i]) != squeeze(ref) for i, ref in pairs):
        return False
    base, ref_base = indent_width(lines[pairs[0][0]]), indent_width(pairs[0][1])
    return all(
        indent_width(lines[i]) - base == indent_width(ref) - ref_base for i, ref in pairs[1:]
    )


_GLUE = re.compile(r"(?<=\S)(?:\t[ \t]*|  [ \t]*)(?=\S)")
"""Indentation right after code on the same line: where a lost line break was."""


def _unglue_echo(text: str, hole: Hole) -> str | None:
    """The body after an echo of the block-opening cursor line that lost its line break.

    After `if (ok) {|` a model that repeats the line (alone, or after the lines above it, or
    only its end `{`) and then writes the body's indentation with no line break
    (`if (ok) {\\t\\treturn x;`) means the body: indentation after code is never code. Only
    where the answer must start on a new line, and only after a repeat of the cursor line;
    None when the answer has no such echo."""
    typed = squeeze(hole.line_prefix)
    if not hole.new_line or not typed:
        return None
    _, lines = split_answer(text)
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    above = [squeeze(ln) for ln in hole.lines_before[-32:] if ln.strip()]
    for count, index in enumerate(content[:8]):
        split = _glued_at(lines[index], hole.line_prefix, whole=count > 0)
        if split is None:
            continue
        if count and [squeeze(lines[i]) for i in content[:count]] != above[-count:]:
            return None
        return join_answer(True, [lines[index][split:], *lines[index + 1 :]])
    return None


def _glued_at(line: str, prefix: str, *, whole: bool) -> int | None:
    """Where the glued indentation starts in `line` when what comes before it repeats the
    cursor line (`whole`), or at least its end at a token boundary."""
    typed = prefix.rstrip()
    for found in _GLUE.finditer(line):
        head = line[: found.start()].strip()
        if squeeze(head) == squeeze(typed):
            return found.start()
        if whole or not head or not typed.endswith(head):
            continue
        before = typed[-len(head) - 1 : -len(head)]
        if not (_WORD.match(before) and _WORD.match(head[0])):
            return found.start()
    return None
