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
        final = _answer_entries(turn, by_turn.get(turn.turn_id, []), out)
        if final is None:
            final = _unanswered_entry(turn, out)
            out.append(final)
        _mark_state(final, turn)
    return out


def _answer_entries(
    turn: TurnRecord, messages: list[StoredMessage], out: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Append the turn's assistant and tool entries; the final answer entry, if there is one."""
    names: dict[str, str] = {}
    final: dict[str, Any] | None = None
    for message in messages:
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
    return final


def _unanswered_entry(turn: TurnRecord, out: list[dict[str, Any]]) -> dict[str, Any]:
    """The assistant entry of a turn without a final answer: the text saved but not shown."""
    final: dict[str, Any] = {"role": "assistant", "content": "", "turnId": turn.turn_id}
    if turn.state in ("interrupted", "running"):
        shown = "".join(e.get("content", "") for e in _turn_entries(out, turn.turn_id))
        rest = turn.content[len(shown) :] if turn.content.startswith(shown) else ""
        final["content"] = rest
        if turn.reasoning:
            final["reasoning"] = turn.reasoning
    return final


def _mark_state(final: dict[str, Any], turn: TurnRecord) -> None:
    """The turn's state, finish reason, error and usage, on its last assistant entry."""
    final["state"] = turn.state
    if turn.finish_reason:
        final["finishReason"] = turn.finish_reason
    if turn.state == "interrupted":
        final["interrupted"] = True
    if turn.error:
        final["error"] = turn.error
    if turn.usage:
        final["usage"] = turn.usage


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
