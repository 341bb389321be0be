"""The one way to read a response: a Collector gathers a stream's events as they arrive.

It keeps the answer text, the reasoning, the tool calls, the usage and the finish reason, and
calls the consumer's reactions per event: ``on_content`` (return True to stop reading: the
consumer has what it needs, and leaving the stream closes the HTTP request), ``on_reasoning``,
``on_finish`` and ``on_event`` (every event, first). What was collected stays readable after a
cancellation or a failure, so a partial answer is never lost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from glm_lsp.llm.events import (
    Completion,
    ContentDelta,
    Finish,
    ReasoningDelta,
    StreamEvent,
    ToolCall,
    ToolCalls,
    Usage,
)

__all__ = ["Collector"]


class Collector:
    """Collects one stream (``await collector.collect(events)``) and reacts to its events."""

    def __init__(
        self,
        *,
        on_content: Callable[[str], bool | None] | None = None,
        on_reasoning: Callable[[str], None] | None = None,
        on_finish: Callable[[str | None], None] | None = None,
        on_event: Callable[[StreamEvent], None] | None = None,
    ) -> None:
        self._on_content = on_content
        self._on_reasoning = on_reasoning
        self._on_finish = on_finish
        self._on_event = on_event
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self.tool_calls: tuple[ToolCall, ...] = ()
        self.usage: Usage | None = None
        self.finish_reason: str | None = None
        self.finished = False
        """A Finish event arrived (the answer is whole)."""

    @property
    def text(self) -> str:
        """The answer text so far."""
        return "".join(self._text)

    @property
    def reasoning(self) -> str:
        """The reasoning so far."""
        return "".join(self._reasoning)

    async def collect(self, events: AsyncIterator[StreamEvent]) -> Collector:
        """Read ``events`` to their end, or until ``on_content`` asks to stop."""
        async for event in events:
            if self.take(event):
                break
        return self

    def take(self, event: StreamEvent) -> bool:
        """Keep one event and react to it; True when the consumer asked to stop reading."""
        if self._on_event is not None:
            self._on_event(event)
        if isinstance(event, ContentDelta):
            self._text.append(event.text)
            return bool(self._on_content is not None and self._on_content(event.text))
        if isinstance(event, ReasoningDelta):
            self._reasoning.append(event.text)
            if self._on_reasoning is not None:
                self._on_reasoning(event.text)
        elif isinstance(event, ToolCalls):
            self.tool_calls = event.calls
        elif isinstance(event, Usage):
            self.usage = event
        elif isinstance(event, Finish):
            self.finish_reason, self.finished = event.reason, True
            if self._on_finish is not None:
                self._on_finish(event.reason)
        return False

    def completion(self, attempts: int) -> Completion:
        """Everything collected, as one value (``attempts``: HTTP tries the request took)."""
        return Completion(
            self.text, self.reasoning, self.tool_calls, self.finish_reason, self.usage, attempts
        )
