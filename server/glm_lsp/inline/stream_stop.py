"""Decide, delta by delta, when a streamed completion is finished.

A remote model keeps generating after the useful part: the rest of the file, the same line again,
an explanation. `StreamStop` is fed each text delta as it arrives and reports the moment the
answer is complete so the caller closes the HTTP stream at once instead of waiting for tokens
that will be thrown away. It stops on: the closing `</COMPLETION>` tag or markdown fence, the
first line break in single-line mode (after some content), a line equal to the next non-blank
line below the cursor, a line or block repeated three times, and a line budget.
"""

from __future__ import annotations

from .cut_stream import cut_answer
from .diff_answer import diff_arriving
from .encoded import json_object_end, json_wrapper_start
from .extract import Extracted, extract
from .hole import Hole, Mode, indent_width
from .meta_comment import without_meta_comments
from .restated import NOT_RESTATED, is_trivial, past_restated_scope
from .syntax import code_part, scan, squeeze

MAX_LINES = 40
ECHO_LINES = 4
"""Lines above the cursor a model may repeat before its answer."""


def repeat_cut(lines: list[str]) -> int | None:
    """Index of the first line to drop when a line or block of up to 6 lines repeats 3 times.

    Lines are compared without indentation; blank lines are ignored; one copy is kept.
    """
    content = [(i, ln.strip()) for i, ln in enumerate(lines) if ln.strip()]
    texts = [text for _, text in content]
    for start in range(len(texts)):
        for size in range(1, 7):
            if start + 3 * size > len(texts):
                break
            block = texts[start : start + size]
            if all(is_trivial(t) for t in block) and (size == 1 or len("".join(block)) < 8):
                continue
            if (
                block
                == texts[start + size : start + 2 * size]
                == texts[start + 2 * size : start + 3 * size]
            ):
                return content[start + size][0]
    return None


def matches_line(candidate: str, target: str, candidate_column: int | None = None) -> bool:
    """Whether `candidate` repeats `target`, a line of the document.

    Distinctive lines match on their text alone (indentation from a model is unreliable);
    trivial ones must also sit at the same column.
    """
    a, b = candidate.strip(), target.strip()
    if not a or squeeze(a) != squeeze(b):
        return False
    if not is_trivial(a):
        return True
    column = indent_width(candidate) if candidate_column is None else candidate_column
    return column == indent_width(target)


class StreamStop:
    """Incremental end-of-answer detector for one request.

    Call `feed(delta)` for every text delta; when it returns True close the stream. `text` is the
    answer so far (wrappers removed, cut where the stop rule fired); `finish()` gives the final
    answer to hand to `filters.postprocess`.
    """

    def __init__(self, hole: Hole) -> None:
        self.hole = hole
        self.raw = ""
        self.done = False
        self.reason = ""
        self._text = ""
        self._newlines = 0
        state = hole.prefix_scan
        self._in_text = state.in_string or state.in_comment
        near = [ln.strip() for ln in hole.lines_before[-4 * ECHO_LINES :] if ln.strip()]
        self._above = frozenset([*near[-ECHO_LINES:], hole.line_prefix.strip()]) - {""}
        self._sequence = [squeeze(ln) for ln in near[-ECHO_LINES:]]

    @property
    def text(self) -> str:
        return self._text

    def feed(self, delta: str) -> bool:
        """Add a delta; True once the answer is complete and the stream should be closed."""
        if self.done:
            return True
        self.raw += delta
        found = self._extract(final=False)
        if found is None:
            return False
        newlines = found.text.count("\n")
        if newlines == self._newlines and not found.complete:
            self._text = found.text
            return False
        self._newlines = newlines
        self._text, reason = self._apply_rules(found.text, final=False)
        if reason:
            return self._stop(reason)
        if found.complete:
            self._text, reason = self._apply_rules(found.text, final=True)
            return self._stop(reason or "closing tag or fence")
        return False

    def _extract(self, *, final: bool) -> Extracted | None:
        hole = self.hole
        found = extract(
            self.raw,
            final=final,
            in_text=self._in_text,
            language=hole.language,
            grammar=hole.grammar,
            code_names=hole.code_tag_names,
        )
        if found is None:
            return found
        return Extracted(
            without_meta_comments(found.text, hole.prefix, hole.suffix), found.complete
        )

    def finish(self, finish_reason: str | None = None) -> str:
        """The answer once the stream has ended (or been closed after `feed` returned True).

        `finish_reason` is the host's: "stop" means it ended the answer itself. Without it a
        stream that ends inside a word may have been cut (token budget, dropped connection),
        so a last word the document does not know is not shown.
        """
        if not self.done:
            found = self._extract(final=True)
            text = "" if found is None else found.text
            if finish_reason != "stop" and found is not None and not found.complete:
                text = cut_answer(text, self.raw, self.hole)
            self._text, reason = self._apply_rules(text, final=True)
            self._stop(reason or "end of stream")
        return self._text

    def _stop(self, reason: str) -> bool:
        self.done = True
        self.reason = reason
        return True

    def _closes_own(self, before: list[str], line: str) -> bool:
        """A closing line (`}`, `end`) that closes a bracket the answer itself opened is part of
        the answer even when it looks like the line below the cursor."""
        if not is_trivial(line.strip()) or line.strip()[:1] not in ")]}":
            return False
        return bool(scan("\n".join(before), self.hole.language).open)

    def _past_echoes(self, lines: list[str], first: int, complete: int) -> int | None:
        """Single-line mode: the first answer line after a repeat of the lines just above the
        cursor, in order and ending with the line right above (None while only such a repeat
        has arrived); the filters remove the repeat. On a non-blank cursor line a repeat of
        several short lines (`}` twice) counts only when the cursor line follows it; the short
        line right above alone (`}`, `*/`) counts (the answer continues the cursor line)."""
        above = self._sequence
        content = [i for i in range(first, complete) if lines[i].strip()]
        head = squeeze(lines[first])
        for size in range(min(len(above), ECHO_LINES), 0, -1):
            if head != above[-size]:
                continue
            run = content[:size]
            if any(squeeze(lines[i]) != above[len(above) - size + j] for j, i in enumerate(run)):
                continue
            if len(content) <= size:
                return None
            after = content[size]
            typed = squeeze(self.hole.line_prefix)
            trivial = all(is_trivial(lines[i].strip()) for i in run)
            if trivial and typed and size > 1 and not squeeze(lines[after]).startswith(typed):
                return first
            return after
        return first

    def _past_comment_lead(self, lines: list[str], first: int, complete: int) -> int | None:
        """Single-line mode after code on the cursor line (`x = |`, `f(|)`): a first line that
        is all comment cannot complete it (`# completion`); the next line of code is the
        answer (None while it has not arrived, -1 when none came: nothing to show)."""
        if self._in_text or not self.hole.line_prefix.strip():
            return first
        if code_part(lines[first].strip(), self.hole.language) != "":
            return first
        following = next((i for i in range(first + 1, complete) if lines[i].strip()), None)
        if following is None:
            return None if complete < len(lines) else -1
        return following

    def _breaks_line(self, line: str) -> bool:
        """Single-line mode: a line break before the answer's line is the model's choice only
        where the hole allows one (after `(`, `=`) and the line is a continuation, indented
        deeper than the cursor line; elsewhere it is formatting (`\n\nproxy;`)."""
        return self.hole.may_break and indent_width(line) > indent_width(self.hole.line_prefix)

    def _past_lines_above(self, lines: list[str], first: int, complete: int) -> int:
        """Block mode: the first answer line after a leading repeat of the lines above the
        cursor (and of the cursor line), which must not pass for the line below it."""
        above = self._above
        index = first
        while index < complete and (not lines[index].strip() or lines[index].strip() in above):
            index += 1
        return index

    def _single_line(
        self, text: str, lines: list[str], first: int, complete: int, *, final: bool
    ) -> tuple[str, str]:
        """Single-line mode: the first line of the answer past restated lines above the cursor
        and a comment lead; the stop reason once a line after it has begun."""
        restated = past_restated_scope(
            lines,
            complete,
            self.hole.lines_before,
            final=final,
            cursor_indent=indent_width(self.hole.line_prefix),
            typed=bool(self.hole.line_prefix.strip()),
        )
        if restated is None:
            return text, ""
        if restated >= len(lines):
            return "", ""
        past: int | None = restated  # the filters remove the restated lines, kept for them
        if restated == NOT_RESTATED:
            past = self._past_echoes(lines, first, complete)
        if past is None:
            return text, ""
        first = past
        if not final and diff_arriving("\n".join(lines[first:]), self.hole.language):
            return text, ""  # a removed line after the context: the added line is the answer
        after = self._past_comment_lead(lines, first, complete)
        if after is None or after < 0:
            return ("", "") if after is not None else (text, "")
        cut = "\n".join(lines[: first + 1])
        blank = not any(ln.strip() for ln in lines[:first])
        if after != first or (blank and not self._breaks_line(lines[first])):
            cut = lines[after]
        first = after
        return cut, "single line" if first + 1 < len(lines) else ""

    def _apply_rules(self, text: str, *, final: bool) -> tuple[str, str]:
        lines = text.split("\n")
        complete = len(lines) if final else len(lines) - 1
        first = next((i for i, ln in enumerate(lines[:complete]) if ln.strip()), None)
        if first is None:
            return text, ""
        if self.hole.mode is not Mode.MULTI_LINE:
            if json_wrapper_start(text):
                end = json_object_end(text)
                return (text, "") if end is None else (text[:end], "JSON object closed")
            return self._single_line(text, lines, first, complete, final=final)
        target = self.hole.next_line
        column_shift = len(self.hole.line_prefix) if not self.hole.new_line else 0
        start = self._past_lines_above(lines, first, complete)
        for index in range(start, complete):
            line = lines[index]
            if not line.strip():
                continue
            shift = column_shift if index == first and not self.hole.may_break else 0
            if (
                target is not None
                and matches_line(line, target, indent_width(line) + shift)
                and not self._closes_own(lines[start:index], line)
            ):
                return "\n".join(lines[:index]), "line below the cursor"
            if index - first >= MAX_LINES:
                return "\n".join(lines[:index]), "line budget"
        repeated = repeat_cut(lines[first:complete])
        if repeated is not None:
            return "\n".join(lines[: first + repeated]), "repetition"
        return text, ""
