"""The chat engine's stream as ACP ``session/update`` notifications.

The chat service emits coalesced payloads (``content``, ``reasoning``, ``tool`` start and
result, ``notice``); ``TurnStream`` maps each to the ACP update that fits: an
``agent_message_chunk`` for answer text, an ``agent_thought_chunk`` for GLM's
``reasoning_content``, a ``tool_call`` (kind read/edit/search, locations with path and line)
and its ``tool_call_update`` (completed or failed, with the tool's short result), and a
``plan`` of the turn's steps once it has more than one. ``Outbox`` sends the updates of one
session in order from a single task (the service's hooks are synchronous), and ``drain`` lets
the prompt answer go out only after every update it caused.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from acp import (
    plan_entry,
    start_tool_call,
    text_block,
    tool_content,
    update_agent_message_text,
    update_agent_thought_text,
    update_plan,
    update_tool_call,
)
from acp.schema import PlanEntry, ToolCallLocation, ToolKind

__all__ = [
    "Outbox",
    "TurnStream",
    "locations",
    "result_failed",
    "tool_args",
    "tool_kind",
    "tool_title",
]

log = logging.getLogger(__name__)

KINDS: dict[str, ToolKind] = {
    "read_file": "read",
    "list_files": "search",
    "search_text": "search",
    "git_diff": "read",
    "edit_file": "edit",
    "create_file": "edit",
    "delete_file": "delete",
    "rename_file": "move",
}


def result_failed(summary: str) -> bool:
    """True when a tool's short result says it failed (an error, refused, or not run)."""
    return summary.startswith(("error", "not run", "refused"))


def tool_kind(name: str) -> ToolKind:
    """The ACP kind of one of the chat tools (``other`` for a name the model made up)."""
    return KINDS.get(name, "other")


def tool_args(raw: Any) -> dict[str, Any]:
    """A tool call's arguments as an object (JSON text or an object; anything else is empty)."""
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw or "{}") if isinstance(raw, str) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def tool_title(name: str, args: dict[str, Any]) -> str:
    """A short title such as ``read src/a.py`` (the model's arguments, shortened)."""
    path = args.get("path") if isinstance(args.get("path"), str) else None
    query = args.get("query") if isinstance(args.get("query"), str) else None
    verb = {
        "read_file": "read",
        "list_files": "list",
        "search_text": "search",
        "git_diff": "diff",
        "edit_file": "edit",
        "create_file": "create",
        "delete_file": "delete",
        "rename_file": "rename",
    }.get(name, name)
    if query:
        return f"{verb} {query[:60]!r}" + (f" in {path}" if path else "")
    if name == "rename_file" and isinstance(args.get("new_path"), str):
        return f"rename {path} to {args['new_path']}"
    return f"{verb} {path}" if path else verb


def locations(root: str, args: dict[str, Any]) -> list[ToolCallLocation]:
    """Where a call looks or writes: absolute paths under ``root``, with a 1-based line."""
    out: list[ToolCallLocation] = []
    for key in ("path", "new_path"):
        raw = args.get(key)
        if not isinstance(raw, str) or not raw.strip():
            continue
        path = raw if os.path.isabs(raw) else os.path.normpath(os.path.join(root, raw))
        line = args.get("start_line") if key == "path" else None
        out.append(ToolCallLocation(path=path, line=line if isinstance(line, int) else None))
    return out


class Outbox:
    """Sends one session's updates in order, from one task."""

    def __init__(self, session_id: str, send: Callable[[str, Any], Awaitable[None]]) -> None:
        self.session_id = session_id
        self._send = send
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.sent = 0

    def put(self, update: Any) -> None:
        self._queue.put_nowait(update)
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._pump())

    async def _pump(self) -> None:
        while True:
            update = await self._queue.get()
            try:
                await self._send(self.session_id, update)
                self.sent += 1
            except Exception:  # noqa: BLE001 - a closed client must not stop the turn
                log.debug("session/update could not be sent", exc_info=True)
            finally:
                self._queue.task_done()

    async def drain(self) -> None:
        """Wait until every update put so far was sent."""
        await self._queue.join()

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()


class TurnStream:
    """Maps one session's chat payloads to updates; keeps the turn's tool steps as a plan."""

    def __init__(self, outbox: Outbox, root: str) -> None:
        self.outbox = outbox
        self.root = root
        self.steps: dict[str, PlanEntry] = {}
        self.started: dict[str, tuple[str, str]] = {}
        """Tool call id -> (name, arguments), in the order they started."""
        self.changed = asyncio.Event()

    def reset(self) -> None:
        """A new turn: no steps yet."""
        self.steps.clear()
        self.started.clear()

    def payload(self, payload: dict[str, Any]) -> None:
        """One coalesced piece of the chat stream."""
        reasoning = payload.get("reasoning")
        if isinstance(reasoning, str) and reasoning:
            self.outbox.put(update_agent_thought_text(reasoning))
        content = payload.get("content")
        if isinstance(content, str) and content:
            self.outbox.put(update_agent_message_text(content))
        tool = payload.get("tool")
        if isinstance(tool, dict):
            self._tool(tool)
        notice = payload.get("notice")
        if isinstance(notice, str) and notice:
            self.outbox.put(update_agent_message_text(f"\n\n_({notice})_\n"))

    def _tool(self, tool: dict[str, Any]) -> None:
        call_id, name = str(tool.get("id") or ""), str(tool.get("name") or "")
        if "result" in tool:
            summary = str(tool.get("result") or "")
            self.outbox.put(
                update_tool_call(
                    call_id,
                    status="failed" if result_failed(summary) else "completed",
                    content=[tool_content(text_block(summary))],
                    raw_output=summary,
                )
            )
            if call_id in self.steps:
                self.steps[call_id] = self.steps[call_id].model_copy(update={"status": "completed"})
                self._plan()
            return
        arguments = str(tool.get("arguments") or "")
        args = tool_args(arguments)
        title = tool_title(name, args)
        self.started[call_id] = (name, arguments)
        self.changed.set()
        self.outbox.put(
            start_tool_call(
                call_id,
                title,
                kind=tool_kind(name),
                status="in_progress",
                locations=locations(self.root, args),
                raw_input=args,
            )
        )
        self.steps[call_id] = plan_entry(title, priority="medium", status="in_progress")
        self._plan()

    def _plan(self) -> None:
        if len(self.steps) > 1:
            self.outbox.put(update_plan(list(self.steps.values())))

    async def call_id_for(self, name: str, arguments: str, taken: set[str]) -> str | None:
        """The id of the started call ``name(arguments)`` not in ``taken`` (the coalescer
        may still hold its start for a few milliseconds); None after a second."""
        loop = asyncio.get_running_loop()
        end = loop.time() + 1.0
        while True:
            for call_id, started in reversed(list(self.started.items())):
                if started == (name, arguments) and call_id not in taken:
                    return call_id
            left = end - loop.time()
            if left <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                return None
