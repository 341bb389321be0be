"""The write tools: ``edit_file``, ``create_file``, ``delete_file``, ``rename_file``.

They change nothing: each call records its change in the turn's ``Draft`` (``chat/proposals.py``)
and the user decides at the turn's end. Paths pass the same guards as reading (inside the
workspace folders, no escape through links, never an excluded file, neither as source nor as
target). The text a call works on is the turn's draft of the file if an earlier call changed it,
else the editor's open buffer, else the disk (read in a thread by the engine's guarded reader).
``edit_file`` applies search/replace blocks with ``chat/edit_blocks.py``: a block that matches
nowhere or in several places refuses the whole call, and the reason goes back to the model.
What the model gets back is redacted like everything it reads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from glm_lsp.chat.edit_blocks import EditFormatError, apply_edits, parse_edit_arguments
from glm_lsp.chat.proposals import Draft, FileChange, unified_diff
from glm_lsp.chat.tool_schema import ToolError, ToolResult
from glm_lsp.chat.workspace import ChatWorkspace

__all__ = ["WRITE_TOOL_NAMES", "WriteTools", "step_changes"]

WRITE_TOOL_NAMES = ("edit_file", "create_file", "delete_file", "rename_file")
PROPOSED = "proposed (the user reviews it after your answer; nothing is written before)"
MAX_FILE_CHARS = 1_000_000


class WriteTools:
    """The write tools of one turn, recording into ``draft``."""

    def __init__(
        self,
        workspace: ChatWorkspace,
        draft: Draft,
        version_of: Callable[[str], int | None] = lambda _path: None,
        diff_chars: int = 6_000,
    ) -> None:
        self.ws = workspace
        self.draft = draft
        self.version_of = version_of
        """The editor's version of an open document, by path (None: not open)."""
        self.diff_chars = diff_chars

    async def call(self, name: str, args: Mapping[str, Any]) -> ToolResult:
        """Run one write tool (``name`` is one of ``WRITE_TOOL_NAMES``); raises ToolError."""
        if name == "edit_file":
            return await self.edit_file(args)
        if name == "create_file":
            return await self.create_file(_text(args.get("path"), "path"), args.get("content"))
        if name == "delete_file":
            return await self.delete_file(_text(args.get("path"), "path"))
        return await self.rename_file(
            _text(args.get("path"), "path"), _text(args.get("new_path"), "new_path")
        )

    # -- the text a call works on --------------------------------------------------------------

    async def target(self, raw: str) -> str:
        """The absolute path for ``raw``, refused when it may not be written."""
        path = await self.ws.resolve(raw)
        why = await self.ws.excluded(path)
        if why is not None:
            raise ToolError(f"{self.ws.display(path)} is excluded ({why}); it cannot be changed")
        if path in self.ws.roots or await self.ws.run(os.path.isdir, path):
            raise ToolError(f"{self.ws.display(path)} is a directory; name a file")
        return path

    async def current(self, path: str) -> tuple[str | None, int | None]:
        """(text, editor version) of ``path`` as this turn sees it; text None: no such file."""
        seen = self.draft.view(path)
        if seen is not None:
            return seen[1], None
        text = self.ws.open_texts().get(path)
        if text is not None:
            return text, self.version_of(path)
        if not await self.ws.run(os.path.lexists, path):
            return None, None
        found = await self.ws.run(self.ws.reader, path)
        if found.text is None:
            raise ToolError(f"cannot change {self.ws.display(path)}: {found.reason}")
        return found.text, None

    def _before(self, path: str, text: str, version: int | None) -> tuple[str, int | None]:
        """The text and version the turn's change of ``path`` started from."""
        known = self.draft.owner(path)
        if known is not None:
            return known.before or "", known.version
        return text, version

    def _result(self, path: str, before: str | None, after: str | None, what: str) -> ToolResult:
        shown = self.ws.display(path)
        diff = self.ws.redact(unified_diff(before, after, shown, shown), path)
        if len(diff) > self.diff_chars:
            diff = diff[: self.diff_chars] + "\n… (diff cut)"
        text = f"{what}: {PROPOSED}\n{diff}".rstrip("\n")
        return ToolResult(text, f"{what} (proposed)")

    # -- the tools -----------------------------------------------------------------------------

    async def edit_file(self, args: Mapping[str, Any]) -> ToolResult:
        path = await self.target(_text(args.get("path"), "path"))
        shown = self.ws.display(path)
        try:
            blocks = parse_edit_arguments(args)
        except EditFormatError as exc:
            raise ToolError(str(exc)) from exc
        text, version = await self.current(path)
        if text is None:
            raise ToolError(f"{shown} does not exist; use create_file for a new file")
        result = apply_edits(text, blocks)
        if result.text is None:
            raise ToolError(f"{shown} was not changed (no block applied):\n{result.reason}")
        if result.text == text:
            return ToolResult(f"{shown}: the blocks change nothing", f"{shown} unchanged")
        before, base_version = self._before(path, text, version)
        self.draft.record_text(path, shown, before, base_version, result.text)
        count = len(blocks)
        return self._result(path, text, result.text, f"edited {shown} ({count} block(s))")

    async def create_file(self, raw: str, content: Any) -> ToolResult:
        if not isinstance(content, str):
            raise ToolError("content must be a string (the whole text of the new file)")
        if len(content) > MAX_FILE_CHARS:
            raise ToolError(f"content is longer than {MAX_FILE_CHARS:,} characters")
        path = await self.target(raw)
        shown = self.ws.display(path)
        text, _ = await self.current(path)
        if text is not None:
            raise ToolError(f"{shown} already exists; change it with edit_file")
        deleted = self.draft.changes.get(path)
        before = deleted.before if deleted is not None else None
        self.draft.record_text(path, shown, before, None, content)
        return self._result(path, None, content, f"created {shown}")

    async def delete_file(self, raw: str) -> ToolResult:
        path = await self.target(raw)
        shown = self.ws.display(path)
        text, version = await self.current(path)
        if text is None:
            raise ToolError(f"{shown} does not exist")
        before, base_version = self._before(path, text, version)
        self.draft.delete(path, shown, before, base_version)
        return self._result(path, text, None, f"deleted {shown}")

    async def rename_file(self, raw: str, raw_new: str) -> ToolResult:
        path = await self.target(raw)
        new_path = await self.target(raw_new)
        shown, new_shown = self.ws.display(path), self.ws.display(new_path)
        text, version = await self.current(path)
        if text is None:
            raise ToolError(f"{shown} does not exist")
        if new_path == path:
            raise ToolError("the new path is the file's own path")
        there, _ = await self.current(new_path)
        if there is not None or new_path in self.draft.changes:
            raise ToolError(f"{new_shown} already exists (or existed before this answer)")
        before, base_version = self._before(path, text, version)
        self.draft.rename(path, shown, new_path, new_shown, before, base_version)
        what = f"renamed {shown} to {new_shown}"
        return ToolResult(f"{what}: {PROPOSED}", f"{what} (proposed)")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ToolError(f"{name} must be a non-empty string")
    return value


Placed = tuple[str, str, str | None]
"""Where a file is and its text: (path, shown, text; None: it does not exist)."""


def _placed(change: FileChange) -> Placed:
    if change.after is None:
        return change.path, change.shown, None
    return change.final_path, change.new_shown or change.shown, change.after


def _step(was: Placed, now: Placed) -> FileChange | None:
    """The change turning ``was`` into ``now`` (None: they are the same)."""
    (p1, s1, t1), (p2, s2, t2) = was, now
    if t1 is None and t2 is None:
        return None
    if t1 is None:
        return FileChange(p2, s2, "create", None, t2)
    if t2 is None:
        return FileChange(p1, s1, "delete", t1, None)
    if p1 != p2:
        return FileChange(p1, s1, "rename", t1, t2, None, p2, s2)
    return None if t1 == t2 else FileChange(p1, s1, "edit", t1, t2)


def step_changes(
    written: Mapping[str, FileChange], draft: Draft
) -> list[tuple[str, FileChange, FileChange]]:
    """What to write so the files go from ``written`` (the draft's changes as written so far,
    by the path each file had before the turn) to the draft now: (key, the step's change, the
    draft's change to remember as written once it is). ``chat.autoApply`` writes each step's
    changes at once; the draft keeps the turn's whole change (its proposal and checkpoint)."""
    out: list[tuple[str, FileChange, FileChange]] = []
    for key in [*written, *(k for k in draft.changes if k not in written)]:
        now = draft.changes.get(key)
        was = written.get(key)
        origin = was or now
        if origin is None:
            continue
        start: Placed = (key, origin.shown, origin.before)
        after = _placed(now) if now is not None else start
        step = _step(_placed(was) if was is not None else start, after)
        if step is not None:
            if now is not None:
                state = attrs.evolve(now)
            else:  # the turn undid its own change: the file is as it was before the turn
                state = FileChange(key, origin.shown, "edit", origin.before, origin.before)
            out.append((key, step, state))
    return out
