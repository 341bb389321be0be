"""llm's Collector and UsageTally against the loopback endpoint: what a consumer reads."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply, zai_usage

from glm_lsp.errors import StreamBroken
from glm_lsp.llm import PRESETS, ChatRequest, ClientConfig, Collector, GlmClient, Usage, UsageTally

KEY = "sk-test-0123456789abcdef"
HELLO = [{"role": "user", "content": "hi"}]


@pytest.fixture
async def client(glm_endpoint: GlmEndpoint) -> AsyncIterator[GlmClient]:
    """A client for the loopback endpoint (Z.ai preset), closed after the test."""
    config = ClientConfig(
        glm_endpoint.url, KEY, PRESETS["zai"], first_byte_timeout=5.0, chunk_gap_timeout=5.0
    )
    glm_client = GlmClient(config)
    yield glm_client
    await glm_client.aclose()


async def test_collects_every_part_and_reacts_in_arrival_order(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure one Collector keeps text, reasoning, usage and finish reason, and calls the
    reactions once per piece, in the order the pieces arrived, finish last."""
    glm_endpoint.enqueue(Reply.stream(["Hi", " there"], reasoning=["plan"]))
    seen: list[tuple[str, str | None]] = []
    answer = Collector(
        on_content=lambda text: seen.append(("content", text)),
        on_reasoning=lambda text: seen.append(("reasoning", text)),
        on_finish=lambda reason: seen.append(("finish", reason)),
    )
    async with client.stream(ChatRequest(HELLO)) as events:
        await answer.collect(events)
    assert seen == [
        ("reasoning", "plan"),
        ("content", "Hi"),
        ("content", " there"),
        ("finish", "stop"),
    ]
    assert (answer.text, answer.reasoning, answer.finish_reason) == ("Hi there", "plan", "stop")
    assert answer.finished and answer.tool_calls == ()
    assert answer.usage is not None and answer.usage.prompt_tokens == zai_usage()["prompt_tokens"]


async def test_collects_assembled_tool_calls(client: GlmClient, glm_endpoint: GlmEndpoint) -> None:
    """Ensure the tool calls of an answer are kept whole (id, name, arguments)."""
    glm_endpoint.enqueue(Reply.tool_stream([("call-1", "read_file", ['{"path"', ':"a.py"}'])]))
    async with client.stream(ChatRequest(HELLO)) as events:
        answer = await Collector().collect(events)
    [call] = answer.tool_calls
    assert (call.id, call.name, call.arguments) == ("call-1", "read_file", '{"path":"a.py"}')
    assert answer.finish_reason == "tool_calls"


async def test_content_reaction_can_stop_reading_and_the_stream_is_dropped(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure on_content returning True stops the collection at that piece: later pieces are
    not read, and leaving the stream closes the HTTP request before the host finished."""
    pieces = ["one", "two"] + ["more"] * 50
    glm_endpoint.enqueue(Reply.stream(pieces, delay=0.05))
    answer = Collector(on_content=lambda text: text == "two")
    async with client.stream(ChatRequest(HELLO)) as events:
        await answer.collect(events)
    assert answer.text == "onetwo" and not answer.finished
    assert glm_endpoint.wait_for(lambda endpoint: endpoint.requests[0].gone is not None)
    assert glm_endpoint.requests[0].finished is None


async def test_partial_answer_stays_readable_after_a_failure(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure the text collected before the stream broke is still there after the error."""
    broken = Reply.stream(["half ", "an answer"], done=False)
    broken.steps.pop()  # no finish chunk either: the host just closes the stream
    glm_endpoint.enqueue(broken)
    answer = Collector()
    with pytest.raises(StreamBroken):
        async with client.stream(ChatRequest(HELLO)) as events:
            await answer.collect(events)
    assert answer.text == "half an answer" and not answer.finished


def test_usage_tally_sums_requests_and_serializes_once() -> None:
    """Ensure a tally sums tokens over requests, knows no cost until a priced request came,
    and serializes to the one camelCase shape status and chat both report."""
    tally = UsageTally(requests=2)
    tally.add(Usage(100, 10, 40, 5, None))
    assert "costUsd" not in tally.to_json()
    tally.add(Usage(50, 5, 0, 0, 0.1234567))
    tally.add(None)
    assert tally.to_json() == {
        "requests": 2,
        "promptTokens": 150,
        "completionTokens": 15,
        "cachedTokens": 40,
        "reasoningTokens": 5,
        "retries": 0,
        "costUsd": 0.123457,
    }


async def test_client_totals_are_a_snapshot_reported_with_a_cost(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure the client's totals report a cost (0 before any priced request) and a snapshot
    taken earlier does not change when later requests are counted."""
    before = client.usage_totals
    assert before.to_json()["costUsd"] == 0.0
    glm_endpoint.enqueue(Reply.stream(["a"]))
    await client.complete(ChatRequest(HELLO))
    assert before.requests == 0
    assert client.usage_totals.requests == 1
