"""Streaming GLM client: one keep-alive HTTP pool per server, typed events, honest failures.

Use it as::

    async with client.stream(ChatRequest(messages=[...])) as events:
        async for event in events:
            ...

Leaving the ``async with`` block (normally, by ``break``, by an exception, or because the
consuming task was cancelled) closes the HTTP stream at once, so the host stops generating.

Policies (glm-api.md §3.6, §4):

* Errors are mapped by the host's business code (``llm/errors``); only retryable ones (rate
  limits, server errors, transport failures) are retried, with exponential backoff and jitter
  or the host's ``Retry-After``/``Retry-After-Ms`` (capped), and only while no event has been
  handed to the consumer. Each try carries a fresh ``request_id`` on Z.ai-style hosts.
* Timeouts: ``connect_timeout`` for the TCP/TLS connect; ``first_byte_timeout`` is ONE budget
  for the whole "nothing arrived yet" phase, tries and backoffs included: it runs from the
  first try until the first event reaches the consumer (FirstByteTimeout, or StreamStalled if
  the host fell silent after events we could not hand on), and a retry that could not start
  within it is not made, so a stalled host is reported once, after the budget, not per try.
  After that, ``chunk_gap_timeout`` between two events (StreamStalled, never retried).
* At most ``max_concurrency`` requests are upstream at once. A request waiting for a slot is
  queued: the wait is not counted against any timeout (see ``queued``/``in_flight``).
* Usage and estimated cost are accounted per request (``Usage`` event) and in total
  (``usage_totals``). The API key is sent only in the ``Authorization`` header and never logged.

The HTTP stack (httpx, httpcore, httpx-sse, an SSL context) costs a few hundred milliseconds to
import and build, so a client builds its pool on the first request, or earlier in a worker
thread through ``warm_up()``; building a ``GlmClient`` itself is cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import threading
import time
import uuid
from collections.abc import AsyncGenerator
from types import TracebackType
from typing import TYPE_CHECKING

from glm_lsp.errors import NeedsKeyError, StreamBroken, UpstreamError
from glm_lsp.llm.collect import Collector
from glm_lsp.llm.config import ClientConfig
from glm_lsp.llm.events import Completion, StreamEvent, Usage
from glm_lsp.llm.retry import TryBudget, pricer
from glm_lsp.llm.usage import UsageTally
from glm_lsp.llm.wire import ChatRequest, ChunkParser, build_body, encode_body
from glm_lsp.warmup import warm_in_background

if TYPE_CHECKING:
    import httpx

__all__ = ["EventStream", "GlmClient"]

log = logging.getLogger(__name__)


class EventStream:
    """The events of one request; an async iterator and an async context manager.

    Close it (``async with``, ``aclose()``) to drop the HTTP stream. To stop it from another
    task, cancel the task that iterates it.
    """

    def __init__(self, client: GlmClient, request: ChatRequest) -> None:
        self.attempts = 0
        """HTTP requests sent for this stream so far (1 + retries)."""
        self.request_id: str | None = None
        """The id of the current try (sent to Z.ai-style hosts)."""
        self.usage: Usage | None = None
        self._events = client._run(request, self)

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> StreamEvent:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        """Stop the stream and close its HTTP connection."""
        await self._events.aclose()

    async def __aenter__(self) -> EventStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class GlmClient:
    """Streams chat completions from one GLM host; one instance per server."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._slots = asyncio.Semaphore(config.max_concurrency)
        self._http: httpx.AsyncClient | None = None
        self._http_lock = threading.Lock()
        self._closed = False
        self._queued = 0
        self._in_flight = 0
        self._totals = UsageTally(cost_usd=0.0)

    def warm_up(self) -> None:
        """Import the HTTP stack and build the pool now (blocking: call it from a worker thread)."""
        self._pool()

    def _pool(self) -> httpx.AsyncClient:
        http = self._http
        if http is not None:
            return http
        with self._http_lock:
            if self._closed:
                raise RuntimeError("the GLM client is closed")
            if self._http is None:
                import httpx

                import glm_lsp.llm.http  # noqa: F401 - httpx-sse and the error map, imported now

                # httpcore imports anyio's event-loop backend at its first request (~40 ms).
                with contextlib.suppress(ImportError):
                    importlib.import_module("anyio._backends._asyncio")

                self._http = httpx.AsyncClient(
                    limits=httpx.Limits(max_connections=None, max_keepalive_connections=20),
                    follow_redirects=False,
                )
            return self._http

    @property
    def config(self) -> ClientConfig:
        """The configuration new requests use."""
        return self._config

    def update_config(self, config: ClientConfig) -> None:
        """Use ``config`` for new requests; requests already running keep theirs.

        Once a configuration can send requests, the pool is built in the background.
        """
        if config.max_concurrency != self._config.max_concurrency:
            self._slots = asyncio.Semaphore(config.max_concurrency)
        self._config = config
        if self._http is None and (config.api_key or config.preset.name == "custom"):
            warm_in_background(f"http pool {id(self):x}", self.warm_up)

    @property
    def usage_totals(self) -> UsageTally:
        """Requests, tokens and estimated cost since the client started (a snapshot)."""
        return self._totals.snapshot()

    @property
    def queued(self) -> int:
        """Requests waiting for a concurrency slot."""
        return self._queued

    @property
    def in_flight(self) -> int:
        """Requests holding a concurrency slot (upstream or backing off)."""
        return self._in_flight

    def stream(self, request: ChatRequest) -> EventStream:
        """The events of ``request``; nothing is sent until the first event is awaited."""
        return EventStream(self, request)

    async def complete(self, request: ChatRequest) -> Completion:
        """Run ``request`` to the end and collect its events."""
        collector = Collector()
        async with self.stream(request) as events:
            await collector.collect(events)
        return collector.completion(events.attempts)

    async def aclose(self) -> None:
        """Close the connection pool."""
        with self._http_lock:
            self._closed = True
            http = self._http
        if http is not None:
            await http.aclose()

    async def _run(
        self, request: ChatRequest, state: EventStream
    ) -> AsyncGenerator[StreamEvent, None]:
        cfg = self._config
        if not cfg.api_key and cfg.preset.name != "custom":
            raise NeedsKeyError(cfg.preset.name, cfg.preset.key_env_vars)
        slots = self._slots
        queued_at = time.monotonic()
        self._queued += 1
        try:
            await slots.acquire()
        finally:
            self._queued -= 1
        self._in_flight += 1
        try:
            self._totals.requests += 1
            wait_ms = (time.monotonic() - queued_at) * 1000
            if wait_ms >= 1:
                log.debug("glm request queued %.0f ms for a slot", wait_ms)
            async with contextlib.aclosing(self._tries(request, state, cfg)) as events:
                async for event in events:
                    yield event
        finally:
            self._in_flight -= 1
            slots.release()

    async def _tries(
        self, request: ChatRequest, state: EventStream, cfg: ClientConfig
    ) -> AsyncGenerator[StreamEvent, None]:
        http = self._http if self._http is not None else await asyncio.to_thread(self._pool)
        budget = TryBudget.start(request, cfg)
        while True:
            state.attempts += 1
            state.request_id = rid = f"glm-lsp-{uuid.uuid4().hex}"
            attempt = self._try(http, request, state, cfg, budget)
            try:
                async with contextlib.aclosing(attempt) as events:
                    async for event in events:
                        budget.delivered = True
                        yield event
                return
            except UpstreamError as err:
                if not budget.may_retry(err, state.attempts):
                    log.debug("glm %s: failed: %s", rid, err)
                    raise
                delay = budget.retry_delay(cfg, state.attempts, err)
                if delay is None:
                    log.debug("glm %s: no time left to retry after: %s", rid, err)
                    raise
                self._totals.retries += 1
                log.debug("glm %s: retry in %.2f s after: %s", rid, delay, err)
                await asyncio.sleep(delay)

    async def _try(
        self,
        http: httpx.AsyncClient,
        request: ChatRequest,
        state: EventStream,
        cfg: ClientConfig,
        budget: TryBudget,
    ) -> AsyncGenerator[StreamEvent, None]:
        """One HTTP request: its events, then the closing ones (tool calls, usage, finish)."""
        from glm_lsp.llm.errors import error_from_payload
        from glm_lsp.llm.http import drain, next_event, open_events

        rid = state.request_id
        body = build_body(request, cfg.preset, rid)
        started = time.monotonic()
        log.debug("glm %s: POST model=%s attempt=%d", rid, body["model"], state.attempts)
        parser = ChunkParser(
            lambda payload: error_from_payload(cfg.preset, None, payload, secret=cfg.api_key)
        )
        async with contextlib.AsyncExitStack() as stack:
            source = await open_events(http, stack, cfg, encode_body(body), budget.deadline)
            first = True
            while not parser.done:
                timeout = budget.next_timeout()
                sse = await next_event(source, timeout, cfg.base_url, started=not first)
                if sse is None:
                    break
                if first:
                    first = False
                    ms = (time.monotonic() - started) * 1000
                    log.debug("glm %s: first event after %.0f ms", rid, ms)
                for event in parser.feed(sse.data, sse.event):
                    yield event
            if not parser.done and parser.finish_reason is None:
                raise StreamBroken(
                    "the host closed the stream before the answer was complete — try again"
                )
            cost = pricer(cfg.preset, request.model)
            final = parser.final_events(cost)
            state.usage = parser.usage_event(cost)
            self._totals.add(state.usage)
            ms = (time.monotonic() - started) * 1000
            log.debug(
                "glm %s: done finish=%s usage=%s in %.0f ms",
                rid,
                parser.finish_reason,
                state.usage,
                ms,
            )
            for event in final:
                yield event
            if parser.done:
                await drain(source)
