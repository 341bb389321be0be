"""Turning documents, activity, git snapshots and prepared files into pieces.

Pure functions over already-gathered data: no I/O, no awaiting. The engine calls
them on the event loop once the slow parts (threads) have delivered.
"""

from __future__ import annotations

from collections.abc import Sequence

from .documents import EditRange
from .git import FileDiff, GitSnapshot
from .secrets import Redactor, Span, apply_spans
from .tokens import chars_for_tokens, estimate_tokens
from .types import CursorWindow, Piece

TRUNCATED = "... (truncated)"


def cursor_window(
    lines: Sequence[str],
    redacted: Sequence[str],
    anchor: tuple[int, int],
    end: tuple[int, int],
    *,
    budget_tokens: int,
    prefix_share: float,
    language_id: str,
    path: str | None,
    redactor: Redactor,
    kind: str,
    blocks: Sequence[Span],
) -> CursorWindow:
    """The redacted window around the cursor (or selection `anchor`..`end`).

    `redacted` is `lines` with secrets replaced (unchanged lines are the same objects);
    whole lines come from it, lines cut by the window edges or the cursor are redacted
    here by span so that a secret straddling the cursor is still hidden on both sides.
    `redactions` counts the lines in the window where something was replaced.
    """
    end = max(end, anchor)
    total = chars_for_tokens(budget_tokens, language_id)
    start, last = _window_edges(lines, anchor, end, total, prefix_share)
    cut = _Cutter(lines, redacted, redactor, kind, blocks)
    prefix = cut.region(start, anchor)
    selection = cut.region(anchor, end) if end != anchor else ""
    suffix = cut.region(end, last)
    return CursorWindow(
        prefix=prefix,
        suffix=suffix,
        selection=selection,
        start_line=start[0],
        end_line=last[0],
        language_id=language_id,
        path=path,
        redactions=cut.count,
        truncated_prefix=start != (0, 0),
        truncated_suffix=last != (len(lines) - 1, len(lines[-1])),
    )


def _window_edges(
    lines: Sequence[str],
    anchor: tuple[int, int],
    end: tuple[int, int],
    total: int,
    prefix_share: float,
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where the window starts and ends: `total` chars split by `prefix_share`, and what one
    side cannot use (at the start or end of the file) given to the other."""
    prefix_budget = int(total * prefix_share)
    suffix_budget = total - prefix_budget
    up = _walk_up(lines, *anchor, prefix_budget)
    down = _walk_down(lines, *end, suffix_budget)
    if up[0] == 0 and up[2] < prefix_budget:
        down = _walk_down(lines, *end, suffix_budget + prefix_budget - up[2])
    elif down[0] == len(lines) - 1 and down[2] < suffix_budget:
        up = _walk_up(lines, *anchor, prefix_budget + suffix_budget - down[2])
    return (up[0], up[1]), (down[0], down[1])


class _Cutter:
    """Text between two positions, redacted; counts the lines where something was replaced."""

    def __init__(
        self,
        lines: Sequence[str],
        redacted: Sequence[str],
        redactor: Redactor,
        kind: str,
        blocks: Sequence[Span],
    ) -> None:
        self._lines = lines
        self._redacted = redacted
        self._redactor = redactor
        self._kind = kind
        self._blocks = blocks
        self.count = 0

    def part(self, i: int, lo: int, hi: int) -> str:
        """Columns `lo`..`hi` of line `i`, redacted by span."""
        text = self._lines[i][lo:hi]
        spans = self._redactor.line_spans(self._lines, i, self._kind, self._blocks)
        hits = [s for s in spans if s[0] < hi and s[1] > lo]
        if not hits:
            return text
        self.count += 1
        return apply_spans(text, hits, lo)

    def region(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        """The text from `start` to `end`: whole lines inside from the redacted copy."""
        (a_line, a_col), (b_line, b_col) = start, end
        if a_line == b_line:
            return self.part(a_line, a_col, b_col)
        lines = self._lines
        chunks = [self.part(a_line, a_col, len(lines[a_line]))]
        if b_line > a_line + 1:
            middle = self._redacted[a_line + 1 : b_line]
            raw = lines[a_line + 1 : b_line]
            self.count += sum(1 for r, x in zip(middle, raw, strict=True) if r is not x)
            chunks.append("\n".join(middle))
        chunks.append(self.part(b_line, 0, b_col))
        return "\n".join(chunks)


def _walk_up(lines: Sequence[str], line: int, col: int, budget: int) -> tuple[int, int, int]:
    """Earliest (line, col) such that text from there to (line, col) fits `budget` chars."""
    used = col
    if used >= budget:
        return line, col - budget, budget
    i = line
    while i > 0 and used + len(lines[i - 1]) + 1 <= budget:
        i -= 1
        used += len(lines[i]) + 1
    return i, 0, used


def _walk_down(lines: Sequence[str], line: int, col: int, budget: int) -> tuple[int, int, int]:
    """Latest (line, col) such that text from (line, col) to there fits `budget` chars."""
    rest = len(lines[line]) - col
    if rest >= budget:
        return line, col + budget, budget
    used = rest
    i = line
    while i + 1 < len(lines) and used + len(lines[i + 1]) + 1 <= budget:
        i += 1
        used += len(lines[i]) + 1
    return i, len(lines[i]), used


def truncate(text: str, tokens: int, language_id: str) -> tuple[str, bool]:
    """Cut `text` at a line boundary to fit `tokens`; says whether it cut."""
    limit = chars_for_tokens(tokens, language_id)
    if len(text) <= limit:
        return text, False
    cut = text.rfind("\n", 0, max(0, limit - len(TRUNCATED) - 1))
    head = text[: cut if cut > 0 else max(0, limit - len(TRUNCATED) - 1)]
    return head + "\n" + TRUNCATED, True


def snippet(
    source: str,
    lines: Sequence[str],
    start: int,
    end: int,
    *,
    uri: str,
    path: str | None,
    language_id: str,
) -> Piece:
    text = "\n".join(lines[start : end + 1])
    return Piece(
        source,
        text,
        estimate_tokens(text, language_id),
        uri=uri,
        path=path,
        start_line=start,
        end_line=end,
    )


def recent_edit_ranges(
    ranges: Sequence[EditRange],
    line_count: int,
    context: int,
    avoid: tuple[int, int] | None,
) -> list[tuple[int, int, float]]:
    """Edited ranges widened by `context` lines, minus those inside `avoid` (newest first)."""
    out: list[tuple[int, int, float]] = []
    for r in sorted(ranges, key=lambda r: (-r.when, r.start)):
        start = max(0, min(r.start, line_count - 1) - context)
        end = min(line_count - 1, max(r.end, r.start) + context)
        if avoid is not None and start >= avoid[0] and end <= avoid[1]:
            continue
        out.append((start, end, r.when))
    return out


def git_status_text(snap: GitSnapshot, rel_root: str) -> str:
    lines = [f"repository: {rel_root}" + (" (submodule)" if snap.is_submodule else "")]
    if snap.branch:
        lines.append(f"branch: {snap.branch}")
    elif snap.head:
        lines.append(f"branch: (detached HEAD at {snap.head})")
    else:
        lines.append("branch: (none)")
    if snap.head:
        lines.append(f"HEAD: {snap.head} {snap.head_subject or ''}".rstrip())
    if snap.recent_commits:
        lines.append("recent commits:")
        lines += [f"  {c}" for c in snap.recent_commits]
    if snap.status:
        lines.append("changed files:")
        lines += [f"  {code} {path}" for code, path in snap.status]
    if snap.untracked:
        lines.append("untracked files:")
        lines += [f"  {path}" for path in snap.untracked]
    return "\n".join(lines)


def diff_text(diff: FileDiff) -> str:
    if diff.binary:
        return f"Binary file {diff.path} changed (content not shown)"
    parts = []
    if diff.staged:
        parts.append("# staged\n" + diff.staged)
    if diff.unstaged:
        parts.append("# not staged\n" + diff.unstaged)
    return "\n".join(parts)
