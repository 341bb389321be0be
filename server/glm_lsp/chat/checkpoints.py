"""Applying a proposal and undoing it: which files may be written, and the steps to write them.

Before anything is written, every file of the proposal is compared with what the editor (or the
disk, for a file that is not open) holds now. A file whose text is no longer the text the change
was computed against (the user typed since the proposal), a file to create that now exists or a
rename whose target now exists is refused with the reason; the others become ``Step``s, which
the LSP glue sends as one versioned ``workspace/applyEdit``. Undo is the same planning run on
the inverted changes of a checkpoint: a file changed since it was applied is refused. No I/O
and no LSP here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs

from glm_lsp.chat.proposals import Change, FileChange

__all__ = ["FileState", "Step", "invert", "line_edits", "plan"]

INVERSE: dict[Change, Change] = {
    "create": "delete",
    "delete": "create",
    "edit": "edit",
    "rename": "rename",
}


@attrs.frozen
class FileState:
    """A file as it is now: its text (None: it does not exist) and the editor's version."""

    text: str | None
    version: int | None = None
    unreadable: str | None = None
    """Why the file exists but cannot be read (then it is never written)."""


@attrs.frozen
class Step:
    """One file's part of the workspace edit."""

    change: FileChange
    version: int | None
    """The editor's version the text edits are computed against (None: not open)."""
    current: str | None
    """The file's text now (None: it does not exist)."""


def invert(change: FileChange) -> FileChange:
    """The change that undoes ``change`` once applied."""
    if change.change == "rename" and change.new_path is not None:
        return FileChange(
            change.new_path,
            change.new_shown or change.shown,
            "rename",
            change.after,
            change.before,
            None,
            change.path,
            change.shown,
        )
    return FileChange(
        change.path, change.shown, INVERSE[change.change], change.after, change.before
    )


def plan(
    files: Iterable[FileChange], states: dict[str, FileState], *, since: str = "the proposal"
) -> tuple[list[Step], list[tuple[FileChange, str]]]:
    """The steps that may run now, and the refused files with why."""
    steps: list[Step] = []
    refused: list[tuple[FileChange, str]] = []
    for change in files:
        why = _refusal(change, states, since)
        if why is not None:
            refused.append((change, why))
            continue
        state = states[change.path]
        steps.append(Step(change, state.version, state.text))
    return steps, refused


def _refusal(change: FileChange, states: dict[str, FileState], since: str) -> str | None:
    state = states[change.path]
    shown = change.shown
    if state.unreadable is not None:
        return f"{shown} cannot be read now ({state.unreadable}); nothing was written to it"
    if change.change == "create":
        if state.text is not None:
            return f"{shown} was created by someone else since {since}; it was left as it is"
        return None
    if state.text is None:
        return f"{shown} no longer exists (deleted or moved since {since})"
    if state.text != change.before:
        return (
            f"{shown} was changed since {since}; it was left as it is (ask again to get a "
            "change made against the current text)"
        )
    if change.change == "rename" and change.new_path is not None:
        target = states.get(change.new_path)
        if target is None or target.text is not None or target.unreadable is not None:
            return f"{change.new_shown} exists now; {shown} was not renamed"
    return None


def line_edits(before: str, after: str) -> list[tuple[int, int, str]]:
    """Edits (start offset, end offset, new text) turning ``before`` into ``after``, whole lines
    at a time so an unchanged line keeps the user's cursor and marks."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        (starts[i1], starts[i2], "".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
