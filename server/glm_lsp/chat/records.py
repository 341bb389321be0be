"""The values a chat is made of: stored messages, turn records and chat summaries.

A chat is a list of turns; a turn is the user's message plus everything the model said and
looked at to answer it (assistant messages, tool calls, tool results). ``StoredMessage.wire``
is the message exactly as it went to the model, minus ``reasoning_content``, which is kept
apart (``reasoning``) because whether it is resent depends on the host.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import attrs

__all__ = ["ChatSummary", "StoredMessage", "TurnRecord", "title_from"]


@attrs.frozen
class StoredMessage:
    """One message of a chat as stored and sent."""

    turn_id: str
    role: str
    """``user``, ``assistant`` or ``tool``."""
    wire: str
    """The JSON text of the message as sent (without ``reasoning_content``)."""
    reasoning: str = ""
    """The model's reasoning for an assistant message."""
    shown: str | None = None
    """What history shows instead of the wire content: the typed text, a tool's short result."""

    def data(self) -> dict[str, Any]:
        """The wire message as a dict (key order kept, so it re-serializes to the same bytes)."""
        value: dict[str, Any] = json.loads(self.wire)
        return value

    @property
    def has_tool_calls(self) -> bool:
        return self.role == "assistant" and bool(self.data().get("tool_calls"))


@attrs.frozen
class TurnRecord:
    """A turn's row: what the user typed, its state, and the answer so far or in full."""

    chat_id: str
    turn_id: str
    seq: int = 0
    display: str = ""
    state: str = "running"
    """running, done, cancelled, error or interrupted."""
    finish_reason: str | None = None
    error: str | None = None
    content: str = ""
    reasoning: str = ""
    usage: dict[str, Any] | None = None
    attached: tuple[str, ...] = ()
    """Fingerprints of the context blocks sent with the turn (to avoid resending them)."""


@attrs.frozen
class ChatSummary:
    """One entry of ``glm.chat.list``."""

    chat_id: str
    title: str
    updated_at: float
    """Seconds since the epoch."""

    def to_json(self) -> dict[str, Any]:
        stamp = datetime.datetime.fromtimestamp(self.updated_at, tz=datetime.timezone.utc)
        return {
            "chatId": self.chat_id,
            "title": self.title,
            "updatedAt": stamp.isoformat(timespec="seconds").replace("+00:00", "Z"),
        }


def title_from(message: str, limit: int = 60) -> str:
    """A chat title from its first message: the first non-empty line, at most ``limit`` chars."""
    line = next((ln.strip() for ln in message.splitlines() if ln.strip()), "")
    if not line:
        return "New chat"
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
