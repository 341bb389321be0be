"""Scripted replies for the loopback GLM endpoint, in the wire format of glm-api.md §3-4.

A ``Reply`` is either a JSON body (errors, ``stream: false`` answers) or a list of steps played
over SSE: ``Event`` (a ``data:`` line), ``Raw`` bytes (junk, comments, ``event: error``),
``Stall``, ``Reset`` (TCP RST), ``Close`` (FIN before the body ends) and ``Flood`` (a line
with no end). The class methods
build the shapes real hosts send; ``reply_from_spec`` reads the JSON script format used by the
standalone endpoint (``python tests/glm_endpoint.py --script file.json``).

Stdlib only: the standalone endpoint runs without the project installed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Union

__all__ = [
    "DONE",
    "Close",
    "Event",
    "Flood",
    "Raw",
    "Reply",
    "Reset",
    "Stall",
    "Step",
    "chunk",
    "key_echo_message",
    "reply_from_spec",
    "zai_usage",
]

ZAI_MESSAGES = {
    "500": "Internal Error",
    "1002": "Authorization Token is invalid, please ensure that the Authorization Token is "
    "correctly provided.",
    "1113": "Insufficient balance or no resource package. Please recharge.",
    "1302": "High concurrency usage of this API, please reduce concurrency or contact customer "
    "service to increase limits",
    "1305": "The API has triggered a rate limit",
}


def key_echo_message(key: str, *, cut_at: int = 300, into: int = 20) -> str:
    """A Z.ai-style 1002 message that echoes ``key`` so that a cut after ``cut_at`` characters
    falls ``into`` characters inside the key (a host that quotes the token it rejected)."""
    lead = "Authorization Token is invalid: the token "
    filler = "x" * max(cut_at - into - len(lead) - 1, 0)
    return f"{lead}{filler} {key} was not accepted, please ensure it is correctly provided."


@dataclass(frozen=True)
class Event:
    """One SSE event: ``data`` is a JSON-able object or a raw string (``[DONE]``, junk)."""

    data: Any
    delay: float = 0.0
    event: str | None = None

    def encode(self) -> bytes:
        payload = self.data if isinstance(self.data, str) else json.dumps(self.data)
        head = f"event: {self.event}\n" if self.event else ""
        return f"{head}data: {payload}\n\n".encode()


@dataclass(frozen=True)
class Raw:
    """Bytes written as they are (junk lines, ``: OPENROUTER PROCESSING`` comments)."""

    text: str
    delay: float = 0.0


@dataclass(frozen=True)
class Stall:
    """Send nothing for ``seconds`` (the client may go away meanwhile)."""

    seconds: float


@dataclass(frozen=True)
class Reset:
    """Abort the connection with a TCP reset."""

    delay: float = 0.0


@dataclass(frozen=True)
class Close:
    """Close the connection without ending the chunked body."""

    delay: float = 0.0


@dataclass(frozen=True)
class Flood:
    """One ``data:`` line of ``size`` bytes with no line break, sent in 64 KiB pieces and
    never held whole (a host or proxy gone wrong)."""

    size: int
    delay: float = 0.0


Step = Union[Event, Raw, Stall, Reset, Close, Flood]  # noqa: UP007 - runtime alias on Python 3.10
DONE = Event("[DONE]")


def zai_usage(
    prompt: int = 12, completion: int = 5, cached: int = 0, reasoning: int | None = None
) -> dict[str, Any]:
    """A Z.ai usage object."""
    result: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": cached},
    }
    if reasoning is not None:
        result["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    return result


def chunk(
    delta: dict[str, Any] | None = None,
    *,
    finish_reason: str | None = None,
    usage: dict[str, Any] | None = None,
    model: str = "glm-4.6",
    with_object: bool = False,
) -> dict[str, Any]:
    """One ``chat.completion.chunk`` as Z.ai sends it (no ``object`` unless asked)."""
    choice: dict[str, Any] = {"index": 0}
    if finish_reason is not None:
        choice["finish_reason"] = finish_reason
    choice["delta"] = delta if delta is not None else {"role": "assistant", "content": ""}
    body: dict[str, Any] = {"id": "20251001154016c72e2da818044216", "created": 1759304416}
    if with_object:
        body["object"] = "chat.completion.chunk"
    body["model"] = model
    body["choices"] = [choice]
    if usage is not None:
        body["usage"] = usage
    return body


@dataclass
class Reply:
    """What the endpoint answers to one request."""

    steps: list[Step] = field(default_factory=list)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    head_delay: float = 0.0
    """Seconds before the status line: a stall with no first byte at all."""
    body: Any = None
    """A JSON body: the reply is plain JSON instead of SSE."""

    @classmethod
    def stream(
        cls,
        content: Sequence[str] = ("Hello", " world"),
        *,
        reasoning: Sequence[str] = (),
        delay: float = 0.0,
        first_delay: float = 0.0,
        finish_reason: str = "stop",
        usage: dict[str, Any] | None = None,
        model: str = "glm-4.6",
        with_object: bool = False,
        with_usage: bool = True,
        done: bool = True,
    ) -> Reply:
        """Reasoning then content deltas, a final chunk with finish reason and usage, [DONE]."""
        steps: list[Step] = []
        pieces = [("reasoning_content", r) for r in reasoning] + [("content", c) for c in content]
        for i, (key, text) in enumerate(pieces):
            delta = {"role": "assistant", key: text}
            data = chunk(delta, model=model, with_object=with_object)
            steps.append(Event(data, first_delay if i == 0 else delay))
        final = chunk(
            finish_reason=finish_reason,
            usage=(zai_usage() if usage is None else usage) if with_usage else None,
            model=model,
            with_object=with_object,
        )
        steps.append(Event(final, first_delay if not pieces else delay))
        if done:
            steps.append(DONE)
        return cls(steps)

    @classmethod
    def tool_calls(
        cls,
        calls: Sequence[tuple[str, str, str]],
        *,
        index: int | None = 0,
        finish_on_tool_chunk: bool = False,
    ) -> Reply:
        """Whole calls in one delta (no ``tool_stream``); ``index=-1`` as glm-4.5-flash sends."""
        tool_calls = []
        for i, (call_id, name, arguments) in enumerate(calls):
            item: dict[str, Any] = {"id": call_id}
            if index is not None:
                item["index"] = index if index < 0 else index + i
            item["type"] = "function"
            item["function"] = {"name": name, "arguments": arguments}
            tool_calls.append(item)
        reason = "tool_calls" if finish_on_tool_chunk else None
        first = chunk({"tool_calls": tool_calls}, finish_reason=reason)
        final = chunk(finish_reason="tool_calls", usage=zai_usage())
        return cls([Event(first), Event(final), DONE])

    @classmethod
    def tool_stream(
        cls, calls: Sequence[tuple[str, str, Sequence[str]]], delay: float = 0.0
    ) -> Reply:
        """``tool_stream: true`` shape: id and name first with empty arguments, then pieces."""
        steps: list[Step] = []
        for i, (call_id, name, pieces) in enumerate(calls):
            head = {"index": i, "id": call_id, "type": "function"}
            head["function"] = {"name": name, "arguments": ""}
            steps.append(Event(chunk({"tool_calls": [head]}), delay))
            for piece in pieces:
                part = {"index": i, "function": {"arguments": piece}}
                steps.append(Event(chunk({"tool_calls": [part]}), delay))
        steps += [Event(chunk(finish_reason="tool_calls", usage=zai_usage())), DONE]
        return cls(steps)

    @classmethod
    def error(
        cls,
        status: int,
        code: str | int | None = None,
        message: str | None = None,
        *,
        retry_after: float | None = None,
        retry_after_ms: int | None = None,
        request_id: str | None = None,
    ) -> Reply:
        """A Z.ai error body ``{"error": {"code", "message"}}`` with optional Retry-After."""
        error: dict[str, Any] = {}
        if code is not None:
            error["code"] = str(code)
        error["message"] = message or ZAI_MESSAGES.get(str(code), "error")
        body: dict[str, Any] = {"error": error}
        if request_id:
            body["request_id"] = request_id
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = f"{retry_after:g}"
        if retry_after_ms is not None:
            headers["Retry-After-Ms"] = str(retry_after_ms)
        return cls(status=status, headers=headers, body=body)

    @classmethod
    def stall(cls, seconds: float = 3600.0) -> Reply:
        """Accept the request and send nothing at all for ``seconds``."""
        reply = cls.stream(("late",))
        reply.head_delay = seconds
        return reply

    def completion_json(self) -> dict[str, Any]:
        """The ``stream: false`` answer equivalent to this reply's SSE steps."""
        content, reasoning, calls = [], [], {}
        finish, last_usage = None, None
        for step in self.steps:
            if not isinstance(step, Event) or not isinstance(step.data, dict):
                continue
            last_usage = step.data.get("usage", last_usage)
            for choice in step.data.get("choices", []):
                finish = choice.get("finish_reason") or finish
                delta = choice.get("delta", {})
                content.append(delta.get("content") or "")
                reasoning.append(delta.get("reasoning_content") or "")
                for tc in delta.get("tool_calls", []):
                    key = tc.get("index", -1) if tc.get("index", -1) >= 0 else tc.get("id")
                    entry = calls.setdefault(
                        key,
                        {
                            "id": tc.get("id"),
                            "type": "function",
                            "function": {"name": "", "arguments": ""},
                        },
                    )
                    fn = tc.get("function", {})
                    entry["function"]["name"] += fn.get("name") or ""
                    entry["function"]["arguments"] += fn.get("arguments") or ""
        message: dict[str, Any] = {"role": "assistant", "content": "".join(content)}
        if any(reasoning):
            message["reasoning_content"] = "".join(reasoning)
        if calls:
            message["tool_calls"] = list(calls.values())
        result: dict[str, Any] = {"id": "20251001154016c72e2da818044216", "created": 1759304416}
        result["model"] = "glm-4.6"
        result["choices"] = [{"index": 0, "finish_reason": finish or "stop", "message": message}]
        if last_usage is not None:
            result["usage"] = last_usage
        return result


def _content(spec: dict[str, Any]) -> list[str]:
    text = spec.get("content", spec.get("text", ""))
    if isinstance(text, list):
        return [str(piece) for piece in text]
    size = int(spec.get("chunkSize", 0)) or max(len(text), 1)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _step(spec: dict[str, Any]) -> Step:
    delay = float(spec.get("delay", 0.0))
    if "data" in spec:
        return Event(spec["data"], delay, spec.get("event"))
    if "raw" in spec:
        return Raw(spec["raw"], delay)
    if "stall" in spec:
        return Stall(float(spec["stall"]))
    if "flood" in spec:
        return Flood(int(spec["flood"]), delay)
    if spec.get("reset"):
        return Reset(delay)
    if spec.get("close"):
        return Close(delay)
    raise ValueError(f"unknown step {spec!r}")


def reply_from_spec(spec: dict[str, Any]) -> Reply:
    """A Reply from the JSON script format (keys in camelCase).

    ``{"content": ["He", "llo"] | "text", "chunkSize": 4, "reasoning": [...], "delay": 0.05,
    "firstDelay": 0.2, "finishReason": "stop", "usage": {...}}``;
    ``{"error": {"status": 429, "code": "1302", "message": "...", "retryAfter": 1}}``;
    ``{"toolCalls": [{"id", "name", "arguments"}], "index": -1}``;
    ``{"toolStream": [{"id", "name", "fragments": [...]}]}``; ``{"stall": 30}``;
    ``{"steps": [{"data": {...}|"[DONE]", "delay": 0}, {"raw": "junk\\n"}, {"stall": 1},
    {"reset": true}, {"close": true}, {"flood": 209715200}], "status": 200, "headers": {...}}``.
    """
    if "error" in spec:
        err = spec["error"]
        return Reply.error(
            int(err.get("status", 500)),
            err.get("code"),
            err.get("message"),
            retry_after=err.get("retryAfter"),
            retry_after_ms=err.get("retryAfterMs"),
        )
    if "stall" in spec:
        return Reply.stall(float(spec["stall"]))
    if "toolCalls" in spec:
        calls = [(c["id"], c["name"], c.get("arguments", "{}")) for c in spec["toolCalls"]]
        return Reply.tool_calls(calls, index=spec.get("index", 0))
    if "toolStream" in spec:
        pieces = [(c["id"], c["name"], c.get("fragments", [])) for c in spec["toolStream"]]
        return Reply.tool_stream(pieces, float(spec.get("delay", 0.0)))
    if "steps" in spec:
        steps = [_step(step) for step in spec["steps"]]
        return Reply(steps, int(spec.get("status", 200)), dict(spec.get("headers", {})))
    return Reply.stream(
        _content(spec),
        reasoning=list(spec.get("reasoning", [])),
        delay=float(spec.get("delay", 0.0)),
        first_delay=float(spec.get("firstDelay", 0.0)),
        finish_reason=spec.get("finishReason", "stop"),
        usage=spec.get("usage"),
        model=spec.get("model", "glm-4.6"),
    )
