"""A turn's file changes, collected (never written) and offered to the user as a proposal.

The write tools (``chat/write_tools.py``) record each change in the turn's ``Draft``: per file
the text it started from (and the editor's version of it, if open), the text it would have, and
whether it is created, edited, deleted or renamed. Later calls of the same turn see the draft
(``view``): reading an edited file gives its proposed text, a deleted one is gone, a renamed one
is found under its new name. At the turn's end the draft becomes a ``Proposal``, the payload of
``glm/chat/proposal``; ``ProposalBook`` keeps proposals until they are applied or discarded, and
the checkpoints of applied ones for undo. No I/O and no LSP here.
"""

from __future__ import annotations

import asyncio
import difflib
import uuid
from typing import Any, Literal

import attrs

from glm_lsp.context.files import path_to_uri

__all__ = ["Change", "Draft", "FileChange", "Proposal", "ProposalBook", "unified_diff"]

Change = Literal["create", "edit", "delete", "rename"]

MAX_PROPOSALS = 50
"""Proposals kept per server (the oldest are dropped past it)."""


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
    """The changes of one turn, waiting for the user."""

    proposal_id: str
    chat_id: str
    turn_id: str
    files: list[FileChange]

    def to_json(self) -> dict[str, Any]:
        return {
            "chatId": self.chat_id,
            "turnId": self.turn_id,
            "proposalId": self.proposal_id,
            "files": [f.to_json() for f in self.files],
        }


@attrs.define
class Checkpoint:
    """What applying a proposal changed: each file's text before and after, for undo."""

    proposal: Proposal
    files: list[FileChange]


class ProposalBook:
    """Proposals waiting for the user, and checkpoints of applied ones (in memory)."""

    def __init__(self) -> None:
        self.pending: dict[str, Proposal] = {}
        self.applied: list[Checkpoint] = []
        self.lock = asyncio.Lock()
        """Held while a proposal is applied or undone: one workspace edit at a time."""

    def add(self, chat_id: str, turn_id: str, draft: Draft) -> Proposal | None:
        files = draft.files()
        if not files:
            return None
        proposal = Proposal(uuid.uuid4().hex, chat_id, turn_id, files)
        self.pending[proposal.proposal_id] = proposal
        while len(self.pending) > MAX_PROPOSALS:
            del self.pending[next(iter(self.pending))]
        return proposal

    def get(self, proposal_id: str) -> Proposal:
        found = self.pending.get(proposal_id)
        if found is None:
            raise KeyError(
                f"there is no pending proposal {proposal_id!r} (applied, discarded, or from "
                "before a restart); ask for the change again"
            )
        return found

    def discard(self, proposal_id: str) -> None:
        self.pending.pop(proposal_id, None)

    def checkpoint(self, proposal: Proposal, files: list[FileChange]) -> None:
        """Record applied ``files``; the proposal stays pending for the files not applied."""
        if files:
            self.applied.append(Checkpoint(proposal, files))
            del self.applied[:-MAX_PROPOSALS]
        done = {id(f) for f in files}
        proposal.files = [f for f in proposal.files if id(f) not in done]
        if not proposal.files:
            self.pending.pop(proposal.proposal_id, None)

    def last_applied(self, chat_id: str, turn_id: str | None) -> list[Checkpoint]:
        """The checkpoints of the turn ``turn_id`` (else of the chat's last applied turn)."""
        mine = [c for c in self.applied if c.proposal.chat_id == chat_id]
        if turn_id is None:
            if not mine:
                return []
            turn_id = mine[-1].proposal.turn_id
        return [c for c in mine if c.proposal.turn_id == turn_id]

    def applied_of(self, proposal_id: str) -> list[Checkpoint]:
        """The checkpoints of the proposal ``proposal_id``."""
        return [c for c in self.applied if c.proposal.proposal_id == proposal_id]

    def forget(self, checkpoint: Checkpoint) -> None:
        if checkpoint in self.applied:
            self.applied.remove(checkpoint)
