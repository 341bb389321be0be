"""Request bodies per host preset, and the tolerant chunk parser's edge cases (glm-api.md §3.6)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from glm_lsp.errors import ApiError, RateLimitError
from glm_lsp.llm import (
    PRESETS,
    ChatRequest,
    ChunkParser,
    ContentDelta,
    Finish,
    ToolCall,
    ToolCalls,
    Usage,
    build_body,
    canonical,
    error_from_payload,
)

HELLO = [{"role": "user", "content": "hi"}]


def parser() -> ChunkParser:
    return ChunkParser(lambda payload: error_from_payload(PRESETS["zai"], None, payload))


def feed(p: ChunkParser, *chunks: Any) -> list[Any]:
    events: list[Any] = []
    for item in chunks:
        events += p.feed(item if isinstance(item, str) else json.dumps(item))
    return events


def choice(delta: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": delta, **extra}]}


def no_price(prompt: int, cached: int, completion: int) -> float | None:
    return None


def test_openrouter_body_prefixes_model_and_uses_reasoning_switch() -> None:
    """OpenRouter: ``z-ai/`` ids, ``reasoning.enabled``, include_usage, no Z.ai-only fields."""
    request = ChatRequest(HELLO, thinking=True, tools=[{"type": "function"}], tool_stream=True)
    body = build_body(request, PRESETS["openrouter"], "glm-lsp-123456")
    assert body["model"] == "z-ai/glm-4.6"
    assert body["reasoning"] == {"enabled": True}
    assert body["stream_options"] == {"include_usage": True}
    assert "tool_stream" not in body and "request_id" not in body


def test_body_leaves_unset_fields_out_and_extra_wins() -> None:
    """Unset sampling fields and thinking are not sent; ``extra`` overrides computed fields."""
    body = build_body(
        ChatRequest(HELLO, extra={"do_sample": False, "model": "x"}), PRESETS["zai"], None
    )
    assert body == {"model": "x", "messages": HELLO, "stream": True, "do_sample": False}


def test_canonical_sorts_keys_at_every_depth_and_keeps_list_order() -> None:
    """Equal tools serialize byte-identically whatever order their keys were written in."""
    a = [{"b": {"y": 1, "x": [{"d": 1, "c": 2}]}, "a": 0}, {"z": 1}]
    assert (
        json.dumps(canonical(a)) == '[{"a": 0, "b": {"x": [{"c": 2, "d": 1}], "y": 1}}, {"z": 1}]'
    )


def test_tool_fragments_without_index_or_id_append_to_the_last_call() -> None:
    """No index, no id: a named fragment starts a call, unnamed ones continue it."""
    p = parser()
    feed(
        p,
        choice({"tool_calls": [{"function": {"name": "a", "arguments": '{"x":'}}]}),
        choice({"tool_calls": [{"function": {"arguments": "1}"}}]}),
        choice({"tool_calls": [{"function": {"name": "b", "arguments": {"y": 2}}}]}),
    )
    calls = p.final_events(no_price)[0]
    assert calls == ToolCalls(
        (ToolCall("call_0", "a", '{"x":1}'), ToolCall("call_1", "b", '{"y": 2}'))
    )


def test_index_minus_one_calls_are_keyed_by_id() -> None:
    """Two index -1 calls with different ids stay two calls; the same id continues one."""
    p = parser()
    feed(
        p,
        choice(
            {"tool_calls": [{"index": -1, "id": "c1", "function": {"name": "f", "arguments": "{"}}]}
        ),
        choice(
            {
                "tool_calls": [
                    {"index": -1, "id": "c2", "function": {"name": "g", "arguments": "{}"}}
                ]
            }
        ),
        choice({"tool_calls": [{"index": -1, "id": "c1", "function": {"arguments": "}"}}]}),
    )
    (calls,) = [e for e in p.final_events(no_price) if isinstance(e, ToolCalls)]
    assert calls.calls == (ToolCall("c1", "f", "{}"), ToolCall("c2", "g", "{}"))


def test_last_non_null_finish_reason_and_usage_anywhere() -> None:
    """finish_reason may repeat or be null later; usage may sit under the choice."""
    p = parser()
    events = feed(
        p,
        choice({"content": "a"}, finish_reason="length"),
        choice(
            {"content": ""}, finish_reason=None, usage={"prompt_tokens": 3, "completion_tokens": 1}
        ),
        {"choices": [{"index": 1, "delta": {"content": "other choice"}}]},
        "[DONE]",
        choice({"content": "late"}),
    )
    assert events == [ContentDelta("a")]
    assert p.final_events(no_price)[-2:] == [Usage(3, 1, 0, 0, None), Finish("length")]


def test_error_frames_raise_the_mapped_error() -> None:
    """``{"error": ...}`` with no choices and ``event: error`` frames raise; text errors too."""
    with pytest.raises(RateLimitError):
        feed(parser(), {"error": {"code": 1302, "message": "busy"}})
    with pytest.raises(ApiError, match="overloaded"):
        parser().feed('{"code": "1305", "message": "overloaded"}', "error")
    with pytest.raises(ApiError, match="upstream exploded"):
        parser().feed("upstream exploded", "error")


def test_null_and_odd_fields_are_tolerated() -> None:
    """Null deltas, null content, odd choices and non-dict items yield nothing and do not crash."""
    p = parser()
    events = feed(
        p,
        {"choices": [{"index": 0, "delta": None}]},
        {"choices": [{"index": 0, "delta": {"content": None, "tool_calls": None}}]},
        {"choices": "nope"},
        {"choices": [1, None]},
        {"usage": None},
    )
    assert events == []
    assert p.final_events(no_price) == [Finish(None)]
