"""GlmClient failures against the loopback endpoint: error rows, retries, timeouts, cancellation."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import DONE, Close, Event, Flood, Raw, Reply, Reset, Stall, chunk

from glm_lsp.errors import (
    ApiError,
    AuthError,
    BillingError,
    ConnectError,
    FirstByteTimeout,
    ProtocolError,
    RateLimitError,
    ServerError,
    StreamBroken,
    StreamStalled,
)
from glm_lsp.llm import PRESETS, ChatRequest, ClientConfig, ContentDelta, GlmClient, StreamEvent

KEY = "sk-secret-key-do-not-leak-42"
MIB = 1024 * 1024
HELLO = [{"role": "user", "content": "hi"}]


def config(endpoint: GlmEndpoint, **overrides: Any) -> ClientConfig:
    """Loopback configuration: two retries, backoff of a millisecond."""
    fields: dict[str, Any] = dict(
        max_retries=2, first_byte_timeout=5.0, chunk_gap_timeout=5.0, backoff_base=0.001
    )
    fields.update(overrides)
    return ClientConfig(endpoint.url, KEY, PRESETS["zai"], **fields)


@pytest.fixture
async def client(glm_endpoint: GlmEndpoint) -> AsyncIterator[GlmClient]:
    """A client with two retries and millisecond backoff."""
    glm_client = GlmClient(config(glm_endpoint))
    yield glm_client
    await glm_client.aclose()


ERROR_ROWS = [
    # (first reply, expected error or None when the retry succeeds, upstream requests)
    pytest.param(Reply.error(401, "1002"), AuthError, 1, id="401-1002-not-retried"),
    pytest.param(Reply.error(429, "1113"), BillingError, 1, id="429-1113-not-retried"),
    pytest.param(Reply.error(429, "1302"), None, 2, id="429-1302-retried"),
    pytest.param(Reply.error(429, "1305"), None, 2, id="429-1305-retried"),
    pytest.param(Reply.error(500, "500"), None, 2, id="500-retried"),
    pytest.param(Reply.error(503, None, "Service Unavailable"), None, 2, id="503-retried"),
    pytest.param(Reply.error(429, "1304"), ApiError, 1, id="429-1304-quota-not-retried"),
    pytest.param(Reply.error(400, "1214", "Invalid messages"), ApiError, 1, id="400-not-retried"),
]


@pytest.mark.parametrize(("reply", "error", "count"), ERROR_ROWS)
async def test_error_rows_are_retried_only_when_retryable(
    client: GlmClient,
    glm_endpoint: GlmEndpoint,
    reply: Reply,
    error: type[Exception] | None,
    count: int,
) -> None:
    """Each Z.ai error row is retried or not by its business code, with the exact request count."""
    glm_endpoint.enqueue(reply)
    if error is None:
        completion = await client.complete(ChatRequest(HELLO))
        assert completion.text == "Hello world"
        assert completion.attempts == count
    else:
        with pytest.raises(error):
            await client.complete(ChatRequest(HELLO))
    assert len(glm_endpoint.requests) == count
    ids = [r.body["request_id"] for r in glm_endpoint.requests]
    assert len(set(ids)) == len(ids)


async def test_retryable_error_gives_up_after_max_retries(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """A 1302 that never clears is tried 1 + max_retries times, then raised with its remedy."""
    glm_endpoint.default = Reply.error(429, "1302")
    with pytest.raises(RateLimitError, match="Z.ai 1302: too many concurrent requests") as info:
        await client.complete(ChatRequest(HELLO))
    assert info.value.status == 429 and info.value.code == "1302"
    assert len(glm_endpoint.requests) == 3
    assert client.usage_totals.retries == 2


async def test_billing_error_names_the_remedy(client: GlmClient, glm_endpoint: GlmEndpoint) -> None:
    """429 + 1113 says what is wrong and what to do (top up, or the Coding Plan preset)."""
    glm_endpoint.enqueue(Reply.error(429, "1113"))
    with pytest.raises(BillingError) as info:
        await client.complete(ChatRequest(HELLO))
    assert str(info.value).startswith(
        "Z.ai 1113: account balance or plan does not cover this endpoint — top up, "
        "or use provider zai-coding for a GLM Coding Plan key"
    )


async def test_retry_after_is_honoured(client: GlmClient, glm_endpoint: GlmEndpoint) -> None:
    """503 with Retry-After: 1 waits a full second before the retry although backoff is 1 ms."""
    glm_endpoint.enqueue(Reply.error(503, None, "busy", retry_after=1))
    await client.complete(ChatRequest(HELLO))
    first, second = glm_endpoint.requests
    assert second.arrived - first.arrived >= 0.95


async def test_retry_after_ms_is_honoured_and_capped(glm_endpoint: GlmEndpoint) -> None:
    """Retry-After-Ms is read, and a huge Retry-After is capped by max_retry_after."""
    client = GlmClient(config(glm_endpoint, max_retry_after=0.3))
    try:
        glm_endpoint.enqueue(
            Reply.error(429, "1302", retry_after_ms=200), Reply.error(429, "1305", retry_after=3600)
        )
        await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    first, second, third = glm_endpoint.requests
    assert second.arrived - first.arrived >= 0.19
    assert 0.29 <= third.arrived - second.arrived < 3600


async def test_error_frame_before_first_token_is_retried(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """A ``{"error": 1302}`` frame on HTTP 200 before any token is retried like a 429."""
    glm_endpoint.enqueue(Reply([Event({"error": {"code": 1302, "message": "busy"}})]))
    assert (await client.complete(ChatRequest(HELLO))).text == "Hello world"
    assert len(glm_endpoint.requests) == 2


async def test_error_frame_after_first_token_is_raised_not_retried(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """An ``event: error`` frame after output raises the mapped error; nothing is re-sent."""
    steps = [Event(chunk({"content": "par"})), Event({"error": {"code": "500"}}, event="error")]
    glm_endpoint.enqueue(Reply(steps))
    seen: list[StreamEvent] = []
    with pytest.raises(ServerError):
        async with client.stream(ChatRequest(HELLO)) as events:
            async for event in events:
                seen.append(event)
    assert seen == [ContentDelta("par")]
    assert len(glm_endpoint.requests) == 1


async def test_no_first_byte_hits_the_first_byte_timeout(glm_endpoint: GlmEndpoint) -> None:
    """A host that accepts the request and sends nothing raises FirstByteTimeout and is dropped."""
    client = GlmClient(config(glm_endpoint, first_byte_timeout=0.2, max_retries=0))
    glm_endpoint.enqueue(Reply.stall(30))
    try:
        with pytest.raises(FirstByteTimeout):
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None)


async def test_headers_without_events_fail_once_within_the_budget(
    glm_endpoint: GlmEndpoint,
) -> None:
    """Status line and headers but no SSE event: FirstByteTimeout after the one budget, and no
    retry (a retry after a stall would start past the budget)."""
    client = GlmClient(config(glm_endpoint, first_byte_timeout=0.3, max_retries=2))
    glm_endpoint.enqueue(Reply([Stall(30)]))
    try:
        with pytest.raises(FirstByteTimeout, match="did not start answering"):
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert len(glm_endpoint.requests) == 1


async def test_quick_failure_then_stall_shares_one_budget(glm_endpoint: GlmEndpoint) -> None:
    """A quick retryable error is retried, but the stall that follows ends the request: the
    budget covers every try, so the user hears once, not once per try."""
    client = GlmClient(config(glm_endpoint, first_byte_timeout=0.3, max_retries=2))
    glm_endpoint.enqueue(Reply.error(500, "500"), Reply([Stall(30)]))
    try:
        with pytest.raises(FirstByteTimeout):
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert len(glm_endpoint.requests) == 2


async def test_silence_after_events_with_nothing_to_hand_on_counts_against_the_budget(
    glm_endpoint: GlmEndpoint,
) -> None:
    """A host that sends only an empty role chunk and then stalls is given up on within the
    first-event budget (not a full chunk gap per try), once."""
    client = GlmClient(
        config(glm_endpoint, first_byte_timeout=0.3, chunk_gap_timeout=60.0, max_retries=2)
    )
    glm_endpoint.enqueue(Reply([Event(chunk({"role": "assistant"})), Stall(30)]))
    try:
        with pytest.raises(StreamStalled, match="stopped sending"):
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert len(glm_endpoint.requests) == 1


async def test_gap_between_chunks_raises_stream_stalled(glm_endpoint: GlmEndpoint) -> None:
    """After the first token, a silent host raises StreamStalled and is not retried."""
    client = GlmClient(config(glm_endpoint, chunk_gap_timeout=0.2))
    glm_endpoint.enqueue(Reply([Event(chunk({"content": "a"})), Stall(30), DONE]))
    seen: list[StreamEvent] = []
    try:
        with pytest.raises(StreamStalled):
            async with client.stream(ChatRequest(HELLO)) as events:
                async for event in events:
                    seen.append(event)
    finally:
        await client.aclose()
    assert seen == [ContentDelta("a")]
    assert len(glm_endpoint.requests) == 1


@pytest.mark.parametrize("end", [Reset(0.02), Close(0.01)], ids=["reset", "closed"])
async def test_connection_lost_after_first_token_is_broken_and_not_retried(
    client: GlmClient, glm_endpoint: GlmEndpoint, end: Reset | Close
) -> None:
    """A TCP reset, or a close inside the chunked body, after a token raises StreamBroken after
    the tokens already given; one request."""
    glm_endpoint.enqueue(Reply([Event(chunk({"content": "a"})), end]))
    seen: list[StreamEvent] = []
    with pytest.raises(StreamBroken):
        async with client.stream(ChatRequest(HELLO)) as events:
            async for event in events:
                seen.append(event)
    assert seen == [ContentDelta("a")]
    assert len(glm_endpoint.requests) == 1


async def test_reset_before_first_token_is_retried(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """A reset before any token is a transport failure worth one more try."""
    glm_endpoint.enqueue(Reply([Reset()]))
    assert (await client.complete(ChatRequest(HELLO))).text == "Hello world"
    assert len(glm_endpoint.requests) == 2


async def test_unreachable_host_is_a_connect_error() -> None:
    """Nothing listening: ConnectError naming glm.baseUrl, after the configured retries."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cfg = ClientConfig(f"http://127.0.0.1:{port}/v1", KEY, PRESETS["zai"], backoff_base=0.001)
    client = GlmClient(cfg)
    try:
        with pytest.raises(ConnectError, match="glm.baseUrl"):
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert client.usage_totals.retries == 2


async def _first_token_then(client: GlmClient, got_first: asyncio.Event) -> None:
    async with client.stream(ChatRequest(HELLO)) as events:
        async for event in events:
            if isinstance(event, ContentDelta):
                got_first.set()


async def test_cancelling_the_consumer_mid_answer_closes_the_stream_at_once(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Cancelling the consuming task mid-answer: the endpoint sees the client go within 100 ms."""
    glm_endpoint.enqueue(Reply([Event(chunk({"content": "a"})), Stall(30), DONE]))
    got_first = asyncio.Event()
    task = asyncio.create_task(_first_token_then(client, got_first))
    await asyncio.wait_for(got_first.wait(), 10)
    cancelled_at = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None)
    record = glm_endpoint.requests[0]
    assert record.finished is None
    assert record.gone is not None and record.gone - cancelled_at < 0.1


async def test_cancelling_while_waiting_for_the_first_byte_closes_at_once(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Cancelled before the host answered at all: the endpoint sees the client go within 100 ms."""
    glm_endpoint.enqueue(Reply.stall(30))
    task = asyncio.create_task(client.complete(ChatRequest(HELLO)))
    await glm_endpoint.until(lambda e: len(e.requests) == 1)
    cancelled_at = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None)
    gone = glm_endpoint.requests[0].gone
    assert gone is not None and gone - cancelled_at < 0.1
    assert len(glm_endpoint.requests) == 1


async def test_leaving_the_block_early_closes_the_stream_at_once(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Breaking out after the first token closes the HTTP stream; the host stops within 100 ms."""
    glm_endpoint.enqueue(Reply.stream(["a", "b", "c"], delay=5))
    async with client.stream(ChatRequest(HELLO)) as events:
        async for event in events:
            assert event == ContentDelta("a")
            break
        left_at = time.monotonic()
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None)
    gone = glm_endpoint.requests[0].gone
    assert gone is not None and gone - left_at < 0.1


async def eventually(predicate: Any, timeout: float = 5.0) -> None:
    """Wait until ``predicate()`` holds (event-driven state, not timing)."""
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "condition not reached"
        await asyncio.sleep(0.002)


async def test_concurrency_cap_queues_requests_beyond_the_limit(glm_endpoint: GlmEndpoint) -> None:
    """With max_concurrency=2, two requests are upstream, two wait; a freed slot admits the next."""
    client = GlmClient(config(glm_endpoint, max_concurrency=2))
    glm_endpoint.default = Reply([Event(chunk({"content": "a"})), Stall(30), DONE])
    firsts = [asyncio.Event() for _ in range(4)]
    tasks = [asyncio.create_task(_first_token_then(client, first)) for first in firsts]
    try:
        await eventually(lambda: sum(f.is_set() for f in firsts) == 2 and client.queued == 2)
        assert (client.in_flight, len(glm_endpoint.requests), glm_endpoint.active) == (2, 2, 2)
        # The endpoint notices a cancelled client a moment after the client frees its slot,
        # so its peak is read before the cancel; the client's own count is checked after.
        peak_before_cancel = glm_endpoint.peak_active
        holder = next(t for t, f in zip(tasks, firsts, strict=True) if f.is_set())
        holder.cancel()
        await eventually(lambda: sum(f.is_set() for f in firsts) == 3)
        assert (client.in_flight, client.queued, len(glm_endpoint.requests)) == (2, 1, 3)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await client.aclose()
    assert peak_before_cancel == 2
    assert (client.in_flight, client.queued) == (0, 0)


async def test_api_key_never_appears_in_logs_errors_or_repr(
    glm_endpoint: GlmEndpoint, caplog: pytest.LogCaptureFixture
) -> None:
    """DEBUG logs of success, retry and failure, error messages and repr never show the key."""
    caplog.set_level(logging.DEBUG)
    client = GlmClient(config(glm_endpoint))
    glm_endpoint.enqueue(
        Reply.stream(["ok"]),
        Reply.error(429, "1302"),
        Reply.stream(["ok"]),
        Reply.error(401, "1002", f"token {KEY} is invalid"),
    )
    try:
        await client.complete(ChatRequest(HELLO))
        await client.complete(ChatRequest(HELLO))
        with pytest.raises(AuthError) as info:
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert glm_endpoint.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert "glm_lsp.llm.client" in {r.name for r in caplog.records}
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    for record in caplog.records:
        assert KEY not in record.getMessage()
    assert KEY not in caplog.text
    assert KEY not in str(info.value) and "***" in str(info.value)
    assert KEY not in repr(client.config)


async def test_per_request_retry_budget_and_first_byte_timeout(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """A request may lower the client's retry budget and first-byte timeout (inline use)."""
    glm_endpoint.default = Reply.error(429, "1302")
    with pytest.raises(RateLimitError):
        await client.complete(ChatRequest(HELLO, max_retries=0))
    assert len(glm_endpoint.requests) == 1
    glm_endpoint.default = Reply.stall(30)
    with pytest.raises(FirstByteTimeout):
        await client.complete(ChatRequest(HELLO, max_retries=0, first_byte_timeout=0.1))
    assert len(glm_endpoint.requests) == 2


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def test_endless_sse_line_fails_once_without_buffering_it(
    glm_endpoint: GlmEndpoint,
) -> None:
    """A 200 MB ``data:`` line with no line break stops the stream at the line cap with a
    ProtocolError naming the cause, is not retried, and is never held in memory whole."""
    client = GlmClient(config(glm_endpoint, max_retries=2))
    glm_endpoint.enqueue(Reply([Flood(200 * MIB)]))
    before = _rss_bytes()
    try:
        with pytest.raises(ProtocolError, match="a line longer than 1,048,576 characters"):
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert _rss_bytes() - before < 200 * MIB
    assert len(glm_endpoint.requests) == 1


async def test_oversized_sse_event_fails_once(glm_endpoint: GlmEndpoint) -> None:
    """An event made of many lines under the line cap but no blank line between them stops
    at the event cap, once."""
    client = GlmClient(config(glm_endpoint, max_retries=2))
    line = "data: " + "y" * (MIB - 100) + "\n"
    glm_endpoint.enqueue(Reply([Raw(line) for _ in range(5)] + [DONE]))
    try:
        with pytest.raises(ProtocolError, match="an event larger than 4,194,304 characters"):
            await client.complete(ChatRequest(HELLO))
    finally:
        await client.aclose()
    assert len(glm_endpoint.requests) == 1


async def test_large_events_under_the_caps_stream_normally(glm_endpoint: GlmEndpoint) -> None:
    """Events with long lines (under the caps) split across many reads are read whole."""
    client = GlmClient(config(glm_endpoint))
    big = "z" * (MIB // 2)
    glm_endpoint.enqueue(Reply.stream((big, big, "!")))
    try:
        assert (await client.complete(ChatRequest(HELLO))).text == big + big + "!"
    finally:
        await client.aclose()
