"""A turn's file changes, collected (never written) and offered to the user as a proposal.

The write tools (``chat/write_tools.py``) record each change in the turn's ``Draft``: per file
the text it started from (and the editor's version of it, if open), the text it would have, and
whether it is created, edited, deleted or renamed. Later calls of the same turn see the draft
(``view``): reading an edited file gives its proposed text, a deleted one is gone, a renamed one
is found under its new name. At the turn's end the draft becomes a ``Proposal``, the payload of
``glm/chat/proposal``. Each file of a proposal has a state (pending, applied, discarded,
undone); an applied file is its own checkpoint (the text before and after), numbered by the
apply that wrote it so undo can go back one apply at a time. ``chat/proposal_store.py`` keeps
them in the chat database, so they outlive the server. No I/O and no LSP here.
"""

from __future__ import annotations

import difflib
import uuid
from typing import Any, Literal

import attrs

from glm_lsp.context.files import path_to_uri

__all__ = [
    "MAX_TEXT_CHARS",
    "Change",
    "Draft",
    "FileChange",
    "FileStatus",
    "Proposal",
    "mark_history",
    "new_proposal",
    "unified_diff",
]

Change = Literal["create", "edit", "delete", "rename"]
FileStatus = Literal["pending", "applied", "discarded", "undone"]

MAX_TEXT_CHARS = 1_000_000
"""The longest text a proposed file may have (what the tools can read and create); a longer
result is refused to the model, so every stored proposal stays bounded."""


def unified_diff(before: str | None, after: str | None, old: str, new: str) -> str:
    """The unified diff from ``before`` (None: absent) to ``after``, headed ``a/old``/``b/new``."""
    a = (before or "").splitlines(keepends=True)
    b = (after or "").splitlines(keepends=True)
    head_a = "/dev/null" if before is None else f"a/{old}"
    head_b = "/dev/null" if after is None else f"b/{new}"
    lines = difflib.unified_diff(a, b, head_a, head_b)
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


@attrs.define
class FileChange:
    """One file's change: ``path`` as it is now, ``new_path`` after a rename."""

    path: str
    shown: str
    change: Change
    before: str | None
    """The text the change was computed against (None: the file did not exist)."""
    after: str | None
    """The resulting text (None: deleted)."""
    version: int | None = None
    """The editor's version of ``before`` when the file was open, else None (disk)."""
    new_path: str | None = None
    new_shown: str | None = None
    status: FileStatus = "pending"
    """Where the user is with this file (applied: its checkpoint is ``before``/``after``)."""
    batch: int | None = None
    """The number of the apply that wrote it (undo restores the latest batch first)."""

    @property
    def final_path(self) -> str:
        return self.new_path or self.path

    def diff(self) -> str:
        return unified_diff(self.before, self.after, self.shown, self.new_shown or self.shown)

    def to_json(self) -> dict[str, Any]:
        """One entry of ``glm/chat/proposal``'s ``files``."""
        out: dict[str, Any] = {
            "uri": path_to_uri(self.path),
            "path": self.shown,
            "change": self.change,
            "diff": self.diff(),
            "version": self.version,
        }
        if self.new_path is not None:
            out["newUri"] = path_to_uri(self.new_path)
            out["newPath"] = self.new_shown
        if self.after is not None:
            out["text"] = self.after
        return out


class Draft:
    """The changes a running turn has made so far, by the path each file had before the turn."""

    def __init__(self) -> None:
        self.changes: dict[str, FileChange] = {}

    def __bool__(self) -> bool:
        return any(c.change != "edit" or c.before != c.after for c in self.changes.values())

    def view(self, path: str) -> tuple[bool, str | None] | None:
        """What the turn made of ``path``: (True, text) present, (False, None) gone, or None
        when the turn did not touch it (the editor's or the disk's text stands)."""
        for change in self.changes.values():
            if change.final_path == path and change.after is not None:
                return True, change.after
        touched = self.changes.get(path)
        if touched is not None:
            return False, None
        return None

    def owner(self, path: str) -> FileChange | None:
        """The change whose file is now at ``path``."""
        for change in self.changes.values():
            if change.final_path == path and change.after is not None:
                return change
        return None

    def record_text(
        self, path: str, shown: str, before: str | None, version: int | None, after: str
    ) -> FileChange:
        """``path`` (present now, or new) gets the text ``after``."""
        if len(after) > MAX_TEXT_CHARS:
            raise ValueError(f"{shown} would be longer than {MAX_TEXT_CHARS:,} characters")
        found = self.owner(path)
        if found is not None:
            found.after = after
            return found
        gone = self.changes.get(path)
        if gone is not None:  # deleted or renamed away earlier in the turn: written anew
            if gone.change == "delete":
                gone.change, gone.after = "edit", after
                return gone
            raise ValueError(f"{shown} was renamed earlier in this answer; edit the new name")
        kind: Change = "create" if before is None else "edit"
        made = self.changes[path] = FileChange(path, shown, kind, before, after, version)
        return made

    def delete(self, path: str, shown: str, before: str, version: int | None) -> None:
        found = self.owner(path)
        if found is None:
            self.changes[path] = FileChange(path, shown, "delete", before, None, version)
        elif found.change == "create":
            del self.changes[found.path]
        elif found.change == "rename":
            found.change, found.after, found.new_path, found.new_shown = "delete", None, None, None
        else:
            found.change, found.after = "delete", None

    def rename(
        self, path: str, shown: str, new_path: str, new_shown: str, before: str, version: int | None
    ) -> None:
        found = self.owner(path)
        if found is None:
            self.changes[path] = FileChange(
                path, shown, "rename", before, before, version, new_path, new_shown
            )
        elif found.change == "create":
            del self.changes[found.path]
            found.path, found.shown = new_path, new_shown
            self.changes[new_path] = found
        elif found.path == new_path:  # renamed back to where it started
            found.change, found.new_path, found.new_shown = "edit", None, None
        else:
            found.change, found.new_path, found.new_shown = "rename", new_path, new_shown

    def files(self) -> list[FileChange]:
        return [c for c in self.changes.values() if c.change != "edit" or c.before != c.after]


@attrs.define
class Proposal:
    """The changes of one turn, and where the user is with each file."""

    proposal_id: str
    chat_id: str
    turn_id: str
    files: list[FileChange]
    """Every file of the proposal, in the order the turn changed them."""

    @property
    def pending(self) -> list[FileChange]:
        """The files neither applied nor discarded yet."""
        return [f for f in self.files if f.status == "pending"]

    @property
    def state(self) -> FileStatus:
        """pending while a file waits; else applied while one stays applied; else undone when
        one was undone; else discarded."""
        seen = {f.status for f in self.files}
        for state in ("pending", "applied", "undone"):
            if state in seen:
                return state
        return "discarded"

    def to_json(self) -> dict[str, Any]:
        """The payload of ``glm/chat/proposal``."""
        return {
            "chatId": self.chat_id,
            "turnId": self.turn_id,
            "proposalId": self.proposal_id,
            "files": [f.to_json() for f in self.files],
        }

    def listed(self) -> dict[str, Any]:
        """One entry of ``glm.chat.proposals``: the payload plus the states."""
        out = self.to_json()
        out["state"] = self.state
        for entry, change in zip(out["files"], self.files, strict=True):
            entry["state"] = change.status
        return out


def new_proposal(chat_id: str, turn_id: str, draft: Draft) -> Proposal | None:
    """The proposal of a turn's draft (None: the turn changed nothing)."""
    files = draft.files()
    if not files:
        return None
    return Proposal(uuid.uuid4().hex, chat_id, turn_id, files)


def mark_history(entries: list[dict[str, Any]], by_turn: dict[str, str]) -> None:
    """Give the last entry of each turn that had a proposal (the one carrying the turn's
    ``state``, as done carries it) the ``proposalId``."""
    for entry in entries:
        found = by_turn.get(str(entry.get("turnId", "")))
        if found is not None and "state" in entry:
            entry["proposalId"] = found
