"""The GLM wire format: request bodies out, SSE chunks in (glm-api.md §2, §3.3-3.6).

``build_body`` writes one request for a host preset (model id, thinking switch, one stop word
where only one is allowed, tools in canonical JSON so the cached prefix stays byte-identical).
``ChunkParser`` reads the ``data:`` payloads tolerantly: no ``object`` required, repeated
``finish_reason``, ``choices: []``, ``reasoning`` or ``reasoning_content``, tool calls keyed by
index (or id, or arrival when the index is -1 or missing), error frames, junk lines.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

import attrs

from glm_lsp.errors import ApiError
from glm_lsp.llm.events import (
    ContentDelta,
    Finish,
    ReasoningDelta,
    StreamEvent,
    ToolCall,
    ToolCallDelta,
    ToolCalls,
    Usage,
)
from glm_lsp.llm.providers import ProviderPreset

__all__ = ["ChatRequest", "ChunkParser", "build_body", "canonical", "encode_body"]

log = logging.getLogger(__name__)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@attrs.frozen
class ChatRequest:
    """One chat completion request, in our terms; ``build_body`` maps it to the host's."""

    messages: list[dict[str, Any]]
    """OpenAI-style messages, sent in order and unchanged."""
    model: str = "glm-4.6"
    """Our model name (``glm-4.6``); the preset maps it to the host's id."""
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    thinking: bool | None = None
    """True / False switch thinking on / off the host's way; None leaves the host's default."""
    stop: list[str] | None = None
    """Stop words; hosts that accept one (Z.ai) get the first."""
    tools: list[dict[str, Any]] | None = None
    """Tool definitions; sent with sorted keys, in the given order."""
    tool_stream: bool = False
    """Ask Z.ai to stream tool-call arguments in fragments."""
    extra: dict[str, Any] = attrs.field(factory=dict)
    """More body fields, sent as given (they win over the ones above)."""
    max_retries: int | None = None
    """Overrides ClientConfig.max_retries for this request (inline completions: 0 or 1)."""
    first_byte_timeout: float | None = None
    """Overrides ClientConfig.first_byte_timeout (the budget until the first event) for this
    request."""
    chunk_gap_timeout: float | None = None
    """Overrides ClientConfig.chunk_gap_timeout for this request."""


def canonical(value: Any) -> Any:
    """``value`` with every mapping's keys sorted, so that equal tools serialize identically."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    return value


def build_body(
    request: ChatRequest, preset: ProviderPreset, request_id: str | None
) -> dict[str, Any]:
    """The JSON body of one streaming request (``request_id`` only for Z.ai-style hosts)."""
    body: dict[str, Any] = {
        "model": preset.model_id(request.model),
        "messages": request.messages,
        "stream": True,
    }
    if preset.ask_for_usage:
        body["stream_options"] = {"include_usage": True}
    for name in ("max_tokens", "temperature", "top_p"):
        value = getattr(request, name)
        if value is not None:
            body[name] = value
    body.update(preset.thinking_fields(request.thinking))
    if request.stop:
        body["stop"] = list(request.stop[:1] if preset.single_stop else request.stop)
    if request.tools:
        body["tools"] = canonical(request.tools)
        if request.tool_stream and preset.thinking_style == "zai":
            body["tool_stream"] = True
    if request_id is not None and preset.thinking_style == "zai":
        body["request_id"] = request_id
    body.update(request.extra)
    return body


def encode_body(body: dict[str, Any]) -> bytes:
    """``body`` as compact UTF-8 JSON; a lone surrogate (an editor may send one) becomes U+FFFD."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text).encode()


@attrs.define
class _Call:
    position: int
    id: str | None
    name: str
    arguments: list[str]


def _usage_int(mapping: Any, key: str) -> int:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


class ChunkParser:
    """Turns one stream's ``data:`` payloads into events; one parser per HTTP attempt."""

    def __init__(self, on_error: Callable[[Any], ApiError]) -> None:
        self._on_error = on_error
        self._calls: dict[tuple[str, Any], _Call] = {}
        self._order: list[_Call] = []
        self._arrivals = 0
        self.done = False
        """``[DONE]`` was seen; everything after it is ignored."""
        self.finish_reason: str | None = None
        """The last non-null ``finish_reason`` seen."""
        self.usage: dict[str, Any] | None = None
        """The last usage object seen, wherever it was."""
        self.host_cost: float | None = None
        """Cost the host reported itself (OpenRouter ``cost``, DeepInfra ``estimated_cost``)."""

    def feed(self, data: str, event: str = "") -> list[StreamEvent]:
        """Events for one SSE event; raises the mapped ApiError for an error frame."""
        if self.done:
            return []
        if data.startswith("[DONE]"):
            self.done = True
            return []
        if not data.strip():
            return []
        try:
            obj: Any = json.loads(data)
        except ValueError:
            if event == "error":
                raise self._on_error({"error": {"message": data}}) from None
            log.debug("ignoring a stream line that is not JSON: %.200r", data)
            return []
        if not isinstance(obj, dict):
            log.debug("ignoring a stream payload that is not an object: %.200r", data)
            return []
        choices = obj.get("choices")
        if event == "error" or ("error" in obj and not choices):
            raise self._on_error(obj if "error" in obj else {"error": obj})
        self._take_usage(obj)
        events: list[StreamEvent] = []
        for choice in choices if isinstance(choices, list) else []:
            if isinstance(choice, dict) and choice.get("index", 0) in (0, None):
                self._take_choice(choice, events)
        return events

    def _take_usage(self, holder: dict[str, Any]) -> None:
        usage = holder.get("usage")
        if isinstance(usage, dict):
            self.usage = usage
            for key in ("cost", "estimated_cost"):
                cost = usage.get(key)
                if isinstance(cost, (int, float)) and not isinstance(cost, bool):
                    self.host_cost = float(cost)

    def _take_choice(self, choice: dict[str, Any], events: list[StreamEvent]) -> None:
        self._take_usage(choice)
        reason = choice.get("finish_reason")
        if isinstance(reason, str) and reason:
            self.finish_reason = reason
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            delta = choice.get("message")
        if not isinstance(delta, dict):
            return
        reasoning = delta.get("reasoning_content")
        if not isinstance(reasoning, str) or not reasoning:
            reasoning = delta.get("reasoning")
        if isinstance(reasoning, str) and reasoning:
            events.append(ReasoningDelta(reasoning))
        content = delta.get("content")
        if isinstance(content, str) and content:
            events.append(ContentDelta(content))
        tool_calls = delta.get("tool_calls")
        for fragment in tool_calls if isinstance(tool_calls, list) else []:
            if isinstance(fragment, dict):
                events.append(self._take_tool_fragment(fragment))

    def _take_tool_fragment(self, fragment: dict[str, Any]) -> ToolCallDelta:
        index = fragment.get("index")
        call_id = fragment.get("id") if isinstance(fragment.get("id"), str) else None
        function = fragment.get("function")
        function = function if isinstance(function, dict) else {}
        name = function.get("name") if isinstance(function.get("name"), str) else None
        arguments = function.get("arguments")
        if arguments is None:
            arguments = ""
        elif not isinstance(arguments, str):
            arguments = json.dumps(arguments, ensure_ascii=False)
        key: tuple[str, Any] | None
        if isinstance(index, int) and not isinstance(index, bool) and index >= 0:
            key = ("index", index)
        elif call_id:
            key = ("id", call_id)
        elif name is None and self._order:
            key = None
        else:
            self._arrivals += 1
            key = ("arrival", self._arrivals)
        call = self._order[-1] if key is None else self._calls.get(key)
        if call is None:
            call = _Call(position=len(self._order), id=call_id, name=name or "", arguments=[])
            assert key is not None
            self._calls[key] = call
            self._order.append(call)
        else:
            call.id = call.id or call_id
            call.name = call.name or name or ""
        call.arguments.append(arguments)
        return ToolCallDelta(call.position, call_id, name, arguments)

    def final_events(self, price: Callable[[int, int, int], float | None]) -> list[StreamEvent]:
        """The closing events: assembled tool calls, usage (costed by ``price``), finish."""
        events: list[StreamEvent] = []
        if self._order:
            calls = tuple(
                ToolCall(call.id or f"call_{call.position}", call.name, "".join(call.arguments))
                for call in self._order
            )
            events.append(ToolCalls(calls))
        usage = self.usage_event(price)
        if usage is not None:
            events.append(usage)
        events.append(Finish(self.finish_reason))
        return events

    def usage_event(self, price: Callable[[int, int, int], float | None]) -> Usage | None:
        """The usage seen so far, or None when the host sent none."""
        if self.usage is None:
            return None
        prompt = _usage_int(self.usage, "prompt_tokens")
        completion = _usage_int(self.usage, "completion_tokens")
        cached = _usage_int(self.usage.get("prompt_tokens_details"), "cached_tokens")
        reasoning = _usage_int(self.usage.get("completion_tokens_details"), "reasoning_tokens")
        cost = self.host_cost if self.host_cost is not None else price(prompt, cached, completion)
        return Usage(prompt, completion, cached, reasoning, cost)
