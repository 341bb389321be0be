"""``glm.chat.history``: a chat as the editor shows it.

One user entry per turn (what the user typed, not the attached context), then the assistant
messages (with reasoning and tool calls), tool results as their short summaries, and the
turn's state on its last assistant entry. A turn that never reached an answer (killed,
failed before output, still running) gets an assistant entry with the text saved so far.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from glm_lsp.chat.records import StoredMessage, TurnRecord

__all__ = ["history_entries"]


def history_entries(
    turns: Sequence[TurnRecord], messages: Sequence[StoredMessage]
) -> list[dict[str, Any]]:
    """The chat's entries, oldest first: ``{role, content, reasoning?, ...}``."""
    by_turn: dict[str, list[StoredMessage]] = {}
    for message in messages:
        by_turn.setdefault(message.turn_id, []).append(message)
    out: list[dict[str, Any]] = []
    for turn in turns:
        out.append({"role": "user", "content": turn.display, "turnId": turn.turn_id})
        names: dict[str, str] = {}
        final: dict[str, Any] | None = None
        for message in by_turn.get(turn.turn_id, []):
            if message.role == "user":
                continue
            data = message.data()
            if message.role == "tool":
                call_id = str(data.get("tool_call_id", ""))
                out.append(
                    {
                        "role": "tool",
                        "name": names.get(call_id, "tool"),
                        "content": message.shown or "",
                        "toolCallId": call_id,
                        "turnId": turn.turn_id,
                    }
                )
                final = None
                continue
            entry: dict[str, Any] = {
                "role": "assistant",
                "content": data.get("content") or "",
                "turnId": turn.turn_id,
            }
            if message.reasoning:
                entry["reasoning"] = message.reasoning
            calls = data.get("tool_calls") or []
            if calls:
                entry["toolCalls"] = [_call(c) for c in calls]
                names.update({c["id"]: c["name"] for c in entry["toolCalls"]})
            out.append(entry)
            final = None if calls else entry
        if final is None:
            final = {"role": "assistant", "content": "", "turnId": turn.turn_id}
            if turn.state in ("interrupted", "running"):
                shown = "".join(e.get("content", "") for e in _turn_entries(out, turn.turn_id))
                rest = turn.content[len(shown) :] if turn.content.startswith(shown) else ""
                final["content"] = rest
                if turn.reasoning:
                    final["reasoning"] = turn.reasoning
            out.append(final)
        final["state"] = turn.state
        if turn.finish_reason:
            final["finishReason"] = turn.finish_reason
        if turn.state == "interrupted":
            final["interrupted"] = True
        if turn.error:
            final["error"] = turn.error
        if turn.usage:
            final["usage"] = turn.usage
    return out


def _turn_entries(entries: list[dict[str, Any]], turn_id: str) -> list[dict[str, Any]]:
    return [e for e in entries if e.get("turnId") == turn_id and e.get("role") == "assistant"]


def _call(raw: Any) -> dict[str, Any]:
    function = raw.get("function") or {} if isinstance(raw, dict) else {}
    arguments = function.get("arguments", "")
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False)
    return {
        "id": str(raw.get("id", "")) if isinstance(raw, dict) else "",
        "name": str(function.get("name", "")),
        "arguments": arguments,
    }
