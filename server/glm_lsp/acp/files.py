"""File access for ACP sessions: reads through the client, writes after the user's permission.

The chat engine's guards decide first, always: a path goes through ``ChatWorkspace.resolve``
(inside the session's folder, no escape through links) and the exclusion rules, and a file the
context engine's guarded reader refuses (special, binary, huge, minified) stays refused. Then,
when the client advertised ``fs.readTextFile``, the text comes from ``fs/read_text_file`` (so the
editor's unsaved buffer is what the model sees); otherwise from disk.

The write tools only propose into the turn's draft (``chat/write_tools.py``). ``AcpToolbox``
turns each proposed change into a real one: it asks ``session/request_permission`` (allow once,
allow always, reject) showing the diff, then writes through ``fs/write_text_file`` when the
client offers it (the edit lands in the editor), else on disk (atomically, in a thread). A
refusal is the tool's result, so the model knows the change was not made. The draft is emptied
after every write call: what later calls read is the file as it now is.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from typing import Any

from acp import tool_diff_content
from acp.schema import (
    AllowedOutcome,
    PermissionOption,
    RequestPermissionResponse,
    ToolCallLocation,
    ToolCallUpdate,
)

from glm_lsp.chat.proposals import FileChange
from glm_lsp.chat.tool_schema import ToolResult
from glm_lsp.chat.tools import Toolbox
from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.chat.write_tools import PROPOSED, WRITE_TOOL_NAMES, WriteTools
from glm_lsp.context.files import FileText, skip_reason

__all__ = ["AcpToolbox", "ClientFiles", "client_reader"]

READ_TIMEOUT_S = 5.0

ALLOW_ONCE = "allow_once"
ALLOW_ALWAYS = "allow_always"
REJECT = "reject_once"
OPTIONS = [
    PermissionOption(option_id=ALLOW_ONCE, name="Allow", kind="allow_once"),
    PermissionOption(
        option_id=ALLOW_ALWAYS, name="Always allow in this session", kind="allow_always"
    ),
    PermissionOption(option_id=REJECT, name="Reject", kind="reject_once"),
]
REFUSED = (
    "error: the user refused this change; nothing was written. Do not make it again unless "
    "the user asks; answer with what you have or ask the user"
)
WRITTEN = "written (the user allowed it; the file now has this text)"


class ClientFiles:
    """The ACP client's file methods for one session, as far as it advertised them."""

    def __init__(
        self,
        session_id: str,
        conn: Any,
        *,
        can_read: bool,
        can_write: bool,
        ask: Callable[[ToolCallUpdate], Awaitable[str | None]],
    ) -> None:
        self.session_id = session_id
        self.conn = conn
        self.can_read = can_read
        self.can_write = can_write
        self.ask = ask
        """Asks the user about a tool call; the chosen option id, None when cancelled."""
        self.always = False
        """The user chose "always allow" in this session."""

    async def read(self, path: str) -> str:
        answer = await self.conn.read_text_file(session_id=self.session_id, path=path)
        return str(answer.content)

    async def write(self, path: str, content: str) -> None:
        if self.can_write:
            await self.conn.write_text_file(session_id=self.session_id, path=path, content=content)
        else:
            await asyncio.to_thread(write_atomically, path, content)


def write_atomically(path: str, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file beside it (never half-written)."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".glm-lsp-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def client_reader(
    guarded: Callable[[str], FileText],
    files: ClientFiles,
    loop: asyncio.AbstractEventLoop,
) -> Callable[[str], FileText]:
    """A blocking reader for ``ChatWorkspace``: the guard decides, the client supplies the text.

    It runs in a worker thread (``ChatWorkspace.run``), so it asks the client on the event
    loop and waits for the answer there.
    """

    def read(path: str) -> FileText:
        found = guarded(path)
        if found.text is None or not files.can_read or _on_loop(loop):
            return found
        future = asyncio.run_coroutine_threadsafe(files.read(path), loop)
        try:
            text = future.result(READ_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - the disk text, guarded, is still right
            future.cancel()
            return found
        why = skip_reason(text, path)
        if why is not None:
            return FileText(path, None, why, found.mtime_ns, len(text))
        return FileText(path, text, None, found.mtime_ns, len(text))

    return read


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    """True when called on ``loop``'s own thread (waiting there for the client would hang)."""
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


class AcpToolbox(Toolbox):
    """The chat toolbox whose write tools, once allowed, write for real."""

    def __init__(
        self,
        workspace: ChatWorkspace,
        writer: WriteTools,
        files: ClientFiles,
        call_id_for: Callable[[str, str, set[str]], Awaitable[str | None]],
    ) -> None:
        super().__init__(workspace, writer=writer)
        self.files = files
        self.call_id_for = call_id_for
        self.asked: set[str] = set()

    async def call(self, name: str, arguments: str) -> ToolResult:
        if name not in WRITE_TOOL_NAMES or self.writer is None:
            return await super().call(name, arguments)
        draft = self.writer.draft
        draft.changes.clear()
        try:
            result = await super().call(name, arguments)
            changes = list(draft.changes.values())
            if not result.ok or not changes:
                return result
            allowed = await self._permission(name, arguments, changes)
            if not allowed:
                return ToolResult(REFUSED, "error: refused by the user", ok=False)
            # Shielded: a cancel arriving mid-write lets the allowed change finish whole.
            await asyncio.shield(self._apply_all(changes))
            return ToolResult(result.text.replace(PROPOSED, WRITTEN), "written")
        finally:
            draft.changes.clear()

    async def _permission(self, name: str, arguments: str, changes: list[FileChange]) -> bool:
        if self.files.always:
            return True
        call_id = await self.call_id_for(name, arguments, self.asked) or f"{name}-{id(changes)}"
        self.asked.add(call_id)
        content: list[Any] = [
            tool_diff_content(c.new_path or c.path, c.after or "", c.before)
            for c in changes
            if c.after is not None
        ]
        update = ToolCallUpdate(
            tool_call_id=call_id,
            title=", ".join(f"{c.change} {c.new_shown or c.shown}" for c in changes),
            kind="edit",
            status="pending",
            content=content or None,
            locations=[ToolCallLocation(path=c.new_path or c.path) for c in changes],
        )
        chosen = await self.files.ask(update)
        if chosen == ALLOW_ALWAYS:
            self.files.always = True
        return chosen in (ALLOW_ONCE, ALLOW_ALWAYS)

    async def _apply_all(self, changes: list[FileChange]) -> None:
        for change in changes:
            await self._apply(change)

    async def _apply(self, change: FileChange) -> None:
        """Make one allowed change (deletes and renames have no ACP method: disk)."""
        if change.after is not None:
            await self.files.write(change.final_path, change.after)
        if change.change in ("delete", "rename"):
            await self.ws.run(os.unlink, change.path)


def chosen_option(answer: RequestPermissionResponse) -> str | None:
    """The option the user picked; None when the request was cancelled."""
    outcome = answer.outcome
    return outcome.option_id if isinstance(outcome, AllowedOutcome) else None
