"""The next-edit prompt: related code, the file around the region, the user's edits, the region.

Order matters for the provider's prompt cache (only a byte-identical prefix hits it): the
system message never changes; then come the related snippets (they change rarely), the file
above the region (stable while the region's aligned boundaries are), the region with the
cursor mark, the file below, and last the edit history, which changes at every keystroke. The
model answers with the whole region rewritten inside ``<rewrite>`` tags; an unchanged region
means "no edit".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glm_lsp.edits.nextedit.history import Hunk, end_of
from glm_lsp.edits.nextedit.region import Region, plain

__all__ = ["CURSOR", "REGION_CLOSE", "REGION_OPEN", "TAG", "build_messages", "render_hunk"]

TAG = "rewrite"
"""The answer's tag: ``<rewrite>...</rewrite>``."""
CURSOR = "<|cursor|>"
"""Where the cursor is, inside the region (removed from the answer if echoed)."""
REGION_OPEN = "<|region_start|>"
REGION_CLOSE = "<|region_end|>"
ABOVE_LINES = 60
"""File lines shown above the region (its first line aligned like the region's)."""
BELOW_LINES = 30
HISTORY_HUNKS = 6
"""The most recent edits shown."""
HISTORY_CHARS = 2400
SNIPPET_CHARS = 2000
SNIPPETS_CHARS = 6000

SYSTEM = (
    "You predict the next edit a programmer will make. You see their recent edits (oldest "
    "first, most recent last, as unified diffs), the file they are editing, and one region of "
    f"it between {REGION_OPEN} and {REGION_CLOSE}, with {CURSOR} marking the cursor.\n"
    "Rewrite the region as it will be after the programmer's next edit: continue what the "
    "recent edits started (update the other uses of a renamed name, fill in what a new field "
    "or parameter needs, repeat a fix at similar places). Change only what the recent edits "
    "imply, keep every other line exactly as it is, never undo the recent edits, and do not "
    "include the cursor mark.\n"
    f"Answer with the whole rewritten region between <{TAG}> and </{TAG}> and nothing else. "
    "If no edit follows from the recent edits, answer with the region unchanged."
)


def _language(language: str) -> str:
    return f" ({language})" if language else ""


def _snippets(related: Sequence[tuple[str, str]]) -> str:
    parts: list[str] = []
    total = 0
    for label, text in related:
        body = text[:SNIPPET_CHARS]
        if total + len(body) > SNIPPETS_CHARS:
            break
        total += len(body)
        parts.append(f"<snippet path={label!r}>\n{body.rstrip()}\n</snippet>")
    if not parts:
        return ""
    return "Related code from the workspace:\n" + "\n".join(parts) + "\n\n"


def _with_cursor(region: Region, cursor: tuple[int, int] | None) -> list[str]:
    lines = list(region.lines)
    if cursor is not None and region.contains_line(cursor[0]):
        row = cursor[0] - region.start_line
        text = lines[row]
        column = max(0, min(cursor[1], len(text)))
        lines[row] = text[:column] + CURSOR + text[column:]
    return lines


def _excerpt(
    region: Region,
    cursor: tuple[int, int] | None,
    lines: Sequence[str] | None,
    above: int,
    below: int,
) -> tuple[str, str]:
    """(the file above and the region, the file below)."""
    before: list[str] = []
    after: list[str] = []
    if lines is not None:
        first = max(0, region.start_line - above)
        before = [plain(lines[i]) for i in range(first, min(region.start_line, len(lines)))]
        last = min(len(lines), region.end_line + below)
        after = [plain(lines[i]) for i in range(region.end_line, last)]
    head = "".join(line + "\n" for line in before)
    body = "".join(line + "\n" for line in _with_cursor(region, cursor))
    top = f"{head}{REGION_OPEN}\n{body}{REGION_CLOSE}\n"
    return top, "".join(line + "\n" for line in after)


def render_hunk(hunk: Hunk, path: str, lines: Sequence[str] | None = None) -> str:
    """One edit as a small unified diff; whole lines when ``lines`` (the current document)
    still hold the hunk's new text at its position, else just the changed text."""
    old, new = hunk.old_text, hunk.new_text
    first = hunk.start_line
    if lines is not None:
        end = end_of(hunk.start, hunk.new_text)
        if end[0] < len(lines):
            span = [plain(lines[i]) for i in range(hunk.start_line, end[0] + 1)]
            joined = "\n".join(span)
            column = hunk.start_char
            if joined[column : column + len(new)] == new:
                old = joined[:column] + old + joined[column + len(new) :]
                new = joined
    old_lines = old.split("\n") if old else []
    new_lines = new.split("\n") if new else []
    header = f"--- {path}\n+++ {path}\n@@ -{first + 1},{len(old_lines)} +{first + 1},"
    body = [f"-{line}" for line in old_lines] + [f"+{line}" for line in new_lines]
    return header + f"{len(new_lines)} @@\n" + "\n".join(body) + "\n"


def _history(hunks: Sequence[Hunk], path: str, lines: Sequence[str] | None) -> str:
    shown: list[str] = []
    total = 0
    for hunk in reversed(list(hunks)[-HISTORY_HUNKS:]):
        text = render_hunk(hunk, path, lines)
        if shown and total + len(text) > HISTORY_CHARS:
            break
        total += len(text)
        shown.append(text)
    if not shown:
        return "The programmer's recent edits: none.\n"
    return "The programmer's recent edits (most recent last):\n" + "".join(reversed(shown))


def build_messages(
    history_hunks: Sequence[Hunk],
    region: Region,
    path: str,
    language: str,
    related_context: Sequence[tuple[str, str]] = (),
    *,
    cursor: tuple[int, int] | None = None,
    lines: Sequence[str] | None = None,
    above: int = ABOVE_LINES,
    below: int = BELOW_LINES,
) -> list[dict[str, Any]]:
    """The chat messages asking for the region rewritten after the user's next edit.

    ``history_hunks`` oldest first; ``region`` and ``lines`` (the whole document, for the
    lines around the region and whole-line diffs) already redacted by the caller;
    ``related_context`` as (path or label, text) pairs; ``cursor`` a document (line, column)
    in code points.
    """
    top, bottom = _excerpt(region, cursor, lines, above, below)
    user = (
        _snippets(related_context)
        + f"The file {path}{_language(language)}:\n"
        + top
        + bottom
        + "\n"
        + _history(history_hunks, path, lines)
        + f"\nRewrite the region between {REGION_OPEN} and {REGION_CLOSE} as it will be "
        + f"after the programmer's next edit, inside <{TAG}></{TAG}>."
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
