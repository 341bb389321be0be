"""Typed events of one streamed chat completion, and the summaries built from them.

The GLM client turns the host's SSE chunks into these values so that the features never see
wire-format dictionaries: text, reasoning and tool-call pieces as they arrive, then the
assembled tool calls, the token usage and the finish reason once the stream is over.
"""

from __future__ import annotations

import json
from typing import Any, TypeAlias

import attrs

from glm_lsp.errors import ProtocolError

__all__ = [
    "Completion",
    "ContentDelta",
    "Finish",
    "ReasoningDelta",
    "StreamEvent",
    "ToolCall",
    "ToolCallDelta",
    "ToolCalls",
    "Usage",
]


@attrs.frozen
class ContentDelta:
    """A piece of the answer text."""

    text: str


@attrs.frozen
class ReasoningDelta:
    """A piece of the model's reasoning (``reasoning_content`` or ``reasoning``)."""

    text: str


@attrs.frozen
class ToolCallDelta:
    """A piece of a tool call as it arrives; ``index`` is the call's position in ``ToolCalls``."""

    index: int
    id: str | None
    name: str | None
    arguments_fragment: str


@attrs.frozen
class ToolCall:
    """One complete tool call; ``arguments`` is the JSON text the model wrote."""

    id: str
    name: str
    arguments: str

    def parsed_arguments(self) -> Any:
        """The arguments as JSON; raises ProtocolError when the model wrote invalid JSON."""
        try:
            return json.loads(self.arguments or "{}")
        except ValueError as exc:
            raise ProtocolError(
                f"tool call {self.name!r} has arguments that are not JSON — "
                "ask again; the model produced a malformed call"
            ) from exc


@attrs.frozen
class ToolCalls:
    """All tool calls of the answer, assembled by index; sent once, when the stream ends."""

    calls: tuple[ToolCall, ...]


@attrs.frozen
class Finish:
    """The stream ended; ``reason`` is the host's last ``finish_reason`` (None if it sent none).

    Values: ``stop``, ``length``, ``tool_calls``, ``sensitive`` (moderation: hide the partial
    answer), ``network_error`` (host failure after partial output),
    ``model_context_window_exceeded``.
    """

    reason: str | None


@attrs.frozen
class Usage:
    """Tokens used by one request and its estimated cost (None when the price is unknown)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    cost_usd: float | None = None


StreamEvent: TypeAlias = ContentDelta | ReasoningDelta | ToolCallDelta | ToolCalls | Usage | Finish


@attrs.frozen
class Completion:
    """Everything one request produced, collected from its events."""

    text: str
    reasoning: str
    tool_calls: tuple[ToolCall, ...]
    finish_reason: str | None
    usage: Usage | None
    attempts: int
