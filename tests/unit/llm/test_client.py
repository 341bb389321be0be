"""GlmClient against the loopback endpoint: streaming, tool calls, tolerant parsing, usage."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import DONE, Event, Raw, Reply, chunk, zai_usage

from glm_lsp.errors import NeedsKeyError, StreamBroken
from glm_lsp.llm import (
    PRESETS,
    ChatRequest,
    ClientConfig,
    ContentDelta,
    Finish,
    GlmClient,
    ReasoningDelta,
    StreamEvent,
    ToolCallDelta,
    ToolCalls,
    Usage,
)

KEY = "sk-test-0123456789abcdef"
HELLO = [{"role": "user", "content": "hi"}]


def config(endpoint: GlmEndpoint, provider: str = "zai", **overrides: Any) -> ClientConfig:
    """A client configuration for the loopback endpoint with fast backoff."""
    fields: dict[str, Any] = dict(
        first_byte_timeout=5.0, chunk_gap_timeout=5.0, backoff_base=0.001, backoff_max=0.01
    )
    fields.update(overrides)
    return ClientConfig(endpoint.url, KEY, PRESETS[provider], **fields)


@pytest.fixture
async def client(glm_endpoint: GlmEndpoint) -> AsyncIterator[GlmClient]:
    """A client for the loopback endpoint (Z.ai preset), closed after the test."""
    glm_client = GlmClient(config(glm_endpoint))
    yield glm_client
    await glm_client.aclose()


async def collect(client: GlmClient, request: ChatRequest) -> list[StreamEvent]:
    async with client.stream(request) as events:
        return [event async for event in events]


async def test_streams_reasoning_then_content_then_usage_and_finish(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Reasoning and content deltas arrive in order, then usage, then the finish reason."""
    glm_endpoint.enqueue(Reply.stream(["\n", "Hi", " there"], reasoning=[" concise", " plan"]))
    events = await collect(client, ChatRequest(HELLO))
    assert events == [
        ReasoningDelta(" concise"),
        ReasoningDelta(" plan"),
        ContentDelta("\n"),
        ContentDelta("Hi"),
        ContentDelta(" there"),
        Usage(12, 5, 0, 0, pytest.approx(12 * 0.60e-6 + 5 * 2.20e-6)),
        Finish("stop"),
    ]


async def test_request_body_and_headers_follow_the_preset(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Z.ai gets its model id, thinking switch, one stop word, sorted tools, request_id, key."""
    tools = [{"type": "function", "function": {"parameters": {"b": 1, "a": 2}, "name": "f"}}]
    request = ChatRequest(
        HELLO, model="glm-4.7", max_tokens=64, thinking=False, stop=["\n\n", "END"], tools=tools
    )
    await client.complete(request)
    seen = glm_endpoint.requests[0]
    body = seen.body
    assert body["model"] == "glm-4.7"
    assert body["stream"] is True
    assert body["thinking"] == {"type": "disabled"}
    assert body["stop"] == ["\n\n"]
    assert body["max_tokens"] == 64
    assert "stream_options" not in body
    assert 6 <= len(body["request_id"]) <= 64
    assert json.dumps(body["tools"]) == (
        '[{"function": {"name": "f", "parameters": {"a": 2, "b": 1}}, "type": "function"}]'
    )
    assert seen.headers["authorization"] == f"Bearer {KEY}"
    assert seen.headers["accept-language"] == "en-US,en"
    assert seen.headers["accept"] == "text/event-stream"


async def test_openai_style_host_gets_its_own_fields(glm_endpoint: GlmEndpoint) -> None:
    """DeepInfra: hub model id, reasoning_effort none, include_usage, all stops, no request_id."""
    client = GlmClient(config(glm_endpoint, "deepinfra"))
    try:
        await client.complete(ChatRequest(HELLO, thinking=False, stop=["a", "b"]))
    finally:
        await client.aclose()
    body = glm_endpoint.requests[0].body
    assert body["model"] == "zai-org/GLM-4.6"
    assert body["reasoning_effort"] == "none"
    assert body["stream_options"] == {"include_usage": True}
    assert body["stop"] == ["a", "b"]
    assert "request_id" not in body


async def test_whole_tool_calls_are_assembled_by_index(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Two complete calls in one delta (no tool_stream) come out as one ToolCalls event."""
    calls = [("call_1", "add", '{"a": 365, "b": 96}'), ("call_2", "echo", '{"s": "x"}')]
    glm_endpoint.enqueue(Reply.tool_calls(calls))
    completion = await client.complete(ChatRequest(HELLO))
    assert [(c.id, c.name, c.arguments) for c in completion.tool_calls] == calls
    assert completion.tool_calls[0].parsed_arguments() == {"a": 365, "b": 96}
    assert completion.finish_reason == "tool_calls"


async def test_tool_call_with_index_minus_one_and_repeated_finish(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """glm-4.5-flash shape: index -1, finish_reason on the tool chunk and again with usage."""
    glm_endpoint.enqueue(
        Reply.tool_calls([("call_4BgN", "add", '{"a": 1}')], index=-1, finish_on_tool_chunk=True)
    )
    events = await collect(client, ChatRequest(HELLO))
    tool_calls = [e for e in events if isinstance(e, ToolCalls)]
    assert len(tool_calls) == 1
    assert [(c.id, c.name, c.arguments) for c in tool_calls[0].calls] == [
        ("call_4BgN", "add", '{"a": 1}')
    ]
    assert [e for e in events if isinstance(e, Finish)] == [Finish("tool_calls")]


async def test_streamed_tool_arguments_are_concatenated(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """tool_stream fragments: id and name first, argument pieces after, joined per index."""
    glm_endpoint.enqueue(
        Reply.tool_stream(
            [
                ("call-1", "write_file", ['{"text":"Hello', ' world"}']),
                ("call-2", "bash", ['{"command":', '"ls"}']),
            ]
        )
    )
    request = ChatRequest(HELLO, tools=[{"type": "function"}], tool_stream=True)
    events = await collect(client, request)
    deltas = [e for e in events if isinstance(e, ToolCallDelta)]
    assert deltas[0] == ToolCallDelta(0, "call-1", "write_file", "")
    assert deltas[1] == ToolCallDelta(0, None, None, '{"text":"Hello')
    assert [d.index for d in deltas] == [0, 0, 0, 1, 1, 1]
    (calls,) = [e for e in events if isinstance(e, ToolCalls)]
    assert [(c.id, c.name, c.parsed_arguments()) for c in calls.calls] == [
        ("call-1", "write_file", {"text": "Hello world"}),
        ("call-2", "bash", {"command": "ls"}),
    ]
    assert glm_endpoint.requests[0].body["tool_stream"] is True


async def test_junk_lines_comments_and_data_after_done_are_survived(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Non-SSE lines, non-JSON data, comments, empty data and anything after [DONE] are ignored."""
    steps = [
        Raw("this line is not SSE at all\n\n"),
        Raw(": OPENROUTER PROCESSING\n\n"),
        Event("{not json"),
        Event(""),
        Event(chunk({"role": "assistant", "content": "ok"})),
        Event("[1, 2]"),
        Raw("retry: soon\nid: 7\n\n"),
        Event(chunk(finish_reason="stop", usage=zai_usage())),
        DONE,
        Event(chunk({"content": "AFTER DONE"})),
        Event({"choices": [], "cost": "0"}),
    ]
    glm_endpoint.enqueue(Reply(steps))
    completion = await client.complete(ChatRequest(HELLO))
    assert completion.text == "ok"
    assert completion.finish_reason == "stop"
    assert len(glm_endpoint.requests) == 1


async def test_openrouter_reasoning_field_and_empty_choices_usage_chunk(
    glm_endpoint: GlmEndpoint,
) -> None:
    """``delta.reasoning`` is reasoning; usage in a ``choices: []`` chunk counts; host cost wins."""
    steps = [
        Event(chunk({"role": "assistant", "reasoning": "think", "reasoning_details": []})),
        Event(
            {
                "id": "x",
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"content": "A"}}],
            }
        ),  # noqa: E501
        Event(chunk({"content": ""}, finish_reason="stop")),
        Event({"choices": [], "usage": {**zai_usage(100, 10, cached=40), "cost": 0.5}}),
        DONE,
    ]
    glm_endpoint.enqueue(Reply(steps))
    client = GlmClient(config(glm_endpoint, "openrouter"))
    try:
        completion = await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert (completion.reasoning, completion.text) == ("think", "A")
    assert completion.usage == Usage(100, 10, 40, 0, 0.5)


async def test_plain_json_answer_to_a_stream_request_is_accepted(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """A host that ignores ``stream`` and answers chat.completion JSON still yields events."""
    glm_endpoint.enqueue(Reply(body=Reply.stream(["Hi"], reasoning=["r"]).completion_json()))
    completion = await client.complete(ChatRequest(HELLO))
    assert (completion.text, completion.reasoning, completion.finish_reason) == ("Hi", "r", "stop")
    assert completion.usage is not None and completion.usage.prompt_tokens == 12


async def test_finish_without_done_is_complete_but_bare_eof_is_broken(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """A stream that ends after a finish reason is whole; one that just ends is StreamBroken."""
    glm_endpoint.enqueue(Reply.stream(["a"], done=False))
    assert (await client.complete(ChatRequest(HELLO))).text == "a"
    glm_endpoint.enqueue(Reply([Event(chunk({"content": "partial"}))]))
    with pytest.raises(StreamBroken):
        await client.complete(ChatRequest(HELLO))
    assert len(glm_endpoint.requests) == 2


async def test_usage_and_cost_are_accounted_per_request_and_in_total(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Each request's usage is priced by the preset and the totals add up; unknown price is None."""
    glm_endpoint.enqueue(
        Reply.stream(["a"], usage=zai_usage(1000, 200, cached=600, reasoning=50)),
        Reply.stream(["b"], usage=zai_usage(500, 100, cached=0)),
    )
    first = await client.complete(ChatRequest(HELLO, model="glm-4.6"))
    second = await client.complete(ChatRequest(HELLO, model="glm-4.5-air"))
    cost1 = (400 * 0.60 + 600 * 0.11 + 200 * 2.20) / 1e6
    cost2 = (500 * 0.20 + 100 * 1.10) / 1e6
    assert first.usage == Usage(1000, 200, 600, 50, pytest.approx(cost1))
    assert second.usage == Usage(500, 100, 0, 0, pytest.approx(cost2))
    totals = client.usage_totals
    assert (totals.requests, totals.prompt_tokens, totals.completion_tokens) == (2, 1500, 300)
    assert totals.cached_tokens == 600
    assert totals.cost_usd == pytest.approx(cost1 + cost2)
    glm_endpoint.enqueue(Reply.stream(["c"]))
    third = await client.complete(ChatRequest(HELLO, model="glm-9-unknown"))
    assert third.usage is not None and third.usage.cost_usd is None
    assert client.usage_totals.cost_usd == pytest.approx(cost1 + cost2)


async def test_missing_key_is_a_clear_error_before_any_request(glm_endpoint: GlmEndpoint) -> None:
    """No key: NeedsKeyError naming the variables to set, and nothing is sent."""
    client = GlmClient(ClientConfig(glm_endpoint.url, "", PRESETS["zai"]))
    try:
        with pytest.raises(NeedsKeyError, match="GLM_API_KEY or ZAI_API_KEY"):
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert glm_endpoint.requests == []


async def test_update_config_applies_to_the_next_request(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """A new key and preset take effect for the next request, on the same client."""
    await client.complete(ChatRequest(HELLO))
    new = attrs.evolve(client.config, api_key="sk-rotated-key-000", preset=PRESETS["openrouter"])
    client.update_config(new)
    await client.complete(ChatRequest(HELLO))
    first, second = glm_endpoint.requests
    assert first.headers["authorization"] == f"Bearer {KEY}"
    assert second.headers["authorization"] == "Bearer sk-rotated-key-000"
    assert (first.body["model"], second.body["model"]) == ("glm-4.6", "z-ai/glm-4.6")
    assert client.usage_totals.requests == 2
