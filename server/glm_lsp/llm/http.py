"""One HTTP try of a streaming chat request: open, read events under deadlines, drain.

``GlmClient`` decides what to send and whether to retry; this module does the I/O of a single
try with httpx + httpx-sse and turns every failure into one of our errors: an error answer by
its business code (``error_map``), a silent host into FirstByteTimeout or StreamStalled, a
dropped connection into StreamBroken.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable
from typing import TYPE_CHECKING, TypeVar, cast

import anyio
import httpx
from httpx_sse import EventSource, ServerSentEvent, aconnect_sse

from glm_lsp.errors import ProtocolError
from glm_lsp.llm.errors import error_from_body, error_from_payload, host_label, transport_error

if TYPE_CHECKING:
    from glm_lsp.llm.config import ClientConfig

__all__ = ["MAX_EVENT_CHARS", "MAX_LINE_CHARS", "drain", "next_event", "open_events"]

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_LINE_CHARS = 1024 * 1024
"""Longest SSE line read (1 Mi characters); a chunk line from a real host is a few hundred."""
MAX_EVENT_CHARS = 4 * 1024 * 1024
"""Largest SSE event read (4 Mi characters, lines and line breaks together)."""
_BLANK_LINES = ("\n\n", "\r\r", "\r\n\r\n", "\n\r\n", "\r\n\n")


async def within(seconds: float, awaitable: Awaitable[T]) -> T:
    """Await ``awaitable``; TimeoutError after ``seconds``."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(max(seconds, 0.0)):
            return await awaitable
    with anyio.fail_after(max(seconds, 0.0)):
        return await awaitable


class _CappedText:
    """The response as ``EventSource`` reads it (headers, ``aiter_text``), with the SSE line
    and event size capped: httpx-sse buffers a line until its line break, so a host that
    never sends one would grow our memory without bound. Past a cap the stream ends with a
    ProtocolError, which is not retried (the host would most likely send it again)."""

    def __init__(self, response: httpx.Response, host: str) -> None:
        self._response = response
        self._host = host
        self.headers = response.headers

    async def aiter_text(self) -> AsyncGenerator[str, None]:
        line = event = 0
        tail = ""
        async for text in self._response.aiter_text():
            last_break = max(text.rfind("\n"), text.rfind("\r"))
            line = line + len(text) if last_break < 0 else len(text) - last_break - 1
            window = tail + text
            ends = [window.rfind(mark) + len(mark) for mark in _BLANK_LINES if mark in window]
            event = len(window) - max(ends) if ends else event + len(text)
            tail = window[-3:]
            if line > MAX_LINE_CHARS:
                raise self._too_big(f"a line longer than {MAX_LINE_CHARS:,} characters")
            if event > MAX_EVENT_CHARS:
                raise self._too_big(f"an event larger than {MAX_EVENT_CHARS:,} characters")
            yield text

    def _too_big(self, what: str) -> ProtocolError:
        return ProtocolError(
            f"{self._host} sent {what} in its event stream; glm-lsp stopped reading it "
            "(a real answer never does — check glm.baseUrl, or a proxy in between)"
        )


async def _single(data: str) -> AsyncGenerator[ServerSentEvent, None]:
    """A one-event SSE source for a host that answered a stream request with plain JSON."""
    yield ServerSentEvent(data=data)
    yield ServerSentEvent(data="[DONE]")


async def open_events(
    http: httpx.AsyncClient,
    stack: contextlib.AsyncExitStack,
    cfg: ClientConfig,
    content: bytes,
    deadline: float,
) -> AsyncIterator[ServerSentEvent]:
    """POST ``content`` and return its SSE events; ``stack`` closes the response.

    Raises the mapped error for an error answer; FirstByteTimeout past ``deadline``.
    """
    headers = {
        "Content-Type": "application/json",
        "User-Agent": cfg.user_agent,
        **cfg.preset.extra_headers,
    }
    if cfg.api_key:
        headers["Authorization"] = f"Bearer {cfg.api_key}"
    url = cfg.base_url.rstrip("/") + "/chat/completions"
    timeout = httpx.Timeout(connect=cfg.connect_timeout, read=None, write=None, pool=None)
    connecting = aconnect_sse(http, "POST", url, content=content, headers=headers, timeout=timeout)
    try:
        source = await within(deadline - time.monotonic(), stack.enter_async_context(connecting))
        response = source.response
        content_type = response.headers.get("content-type", "")
        if response.is_success and "text/event-stream" in content_type:
            capped = _CappedText(response, host_label(cfg.preset))
            events = EventSource(cast(httpx.Response, capped)).aiter_sse()
            stack.push_async_callback(events.aclose)
            return events
        raw = await within(deadline - time.monotonic(), response.aread())
    except (TimeoutError, httpx.HTTPError) as exc:
        raise transport_error(exc, cfg.base_url, started=False) from exc
    if not response.is_success:
        raise error_from_body(
            cfg.preset, response.status_code, raw, response.headers, secret=cfg.api_key
        )
    text = raw.decode("utf-8", errors="replace")
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if isinstance(payload, dict) and isinstance(payload.get("choices"), list):
        return _single(text)
    if isinstance(payload, dict) and "error" in payload:
        raise error_from_payload(cfg.preset, response.status_code, payload, secret=cfg.api_key)
    raise ProtocolError(
        f"{host_label(cfg.preset)} answered with {content_type or 'no content type'}, "
        "not an event stream — check that glm.baseUrl points at an OpenAI-compatible API"
    )


async def next_event(
    source: AsyncIterator[ServerSentEvent], timeout: float, base_url: str, *, started: bool
) -> ServerSentEvent | None:
    """The next SSE event, None at the end; FirstByteTimeout/StreamStalled after ``timeout``."""
    try:
        return await within(timeout, anext(source))
    except StopAsyncIteration:
        return None
    except (TimeoutError, httpx.HTTPError) as exc:
        raise transport_error(exc, base_url, started=started) from exc


async def drain(source: AsyncIterator[ServerSentEvent]) -> None:
    """Read what follows ``[DONE]`` so that the connection can go back to the pool."""
    try:
        await within(0.5, _exhaust(source))
    except (TimeoutError, httpx.HTTPError) as exc:
        log.debug("glm: dropped the connection after [DONE]: %r", exc)


async def _exhaust(source: AsyncIterator[ServerSentEvent]) -> None:
    async for _ in source:
        pass
