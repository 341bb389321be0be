"""A stored chat replayed as ``session/update`` notifications (``session/load``).

The entries are those of ``glm.chat.history`` (``chat/history.py``): the user's messages, the
answers with their reasoning and tool calls, and the tools' short results.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from acp import (
    start_tool_call,
    text_block,
    tool_content,
    update_agent_message_text,
    update_agent_thought_text,
    update_tool_call,
    update_user_message_text,
)

from glm_lsp.acp.updates import locations, result_failed, tool_args, tool_kind, tool_title

__all__ = ["replay"]


def replay(entries: list[dict[str, Any]], root: str) -> Iterator[Any]:
    """The updates that show ``entries`` again, oldest first."""
    for entry in entries:
        role = entry.get("role")
        content = str(entry.get("content") or "")
        if role == "user":
            yield update_user_message_text(content)
        elif role == "assistant":
            reasoning = entry.get("reasoning")
            if isinstance(reasoning, str) and reasoning:
                yield update_agent_thought_text(reasoning)
            if content:
                yield update_agent_message_text(content)
            for call in entry.get("toolCalls") or []:
                name = str(call.get("name") or "")
                args = tool_args(call.get("arguments"))
                yield start_tool_call(
                    str(call.get("id") or ""),
                    tool_title(name, args),
                    kind=tool_kind(name),
                    status="in_progress",
                    locations=locations(root, args),
                    raw_input=args,
                )
            if entry.get("error"):
                yield update_agent_message_text(f"\n\n_(error: {entry['error']})_")
        elif role == "tool":
            yield update_tool_call(
                str(entry.get("toolCallId") or ""),
                status="failed" if result_failed(content) else "completed",
                content=[tool_content(text_block(content))],
            )
