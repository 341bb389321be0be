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
from typing import TYPE_CHECKING, TypeVar

import anyio
import httpx
from httpx_sse import ServerSentEvent, aconnect_sse

from glm_lsp.error_map import error_from_body, error_from_payload, host_label, transport_error
from glm_lsp.errors import ProtocolError

if TYPE_CHECKING:
    from glm_lsp.client import ClientConfig

__all__ = ["drain", "next_event", "open_events"]

log = logging.getLogger(__name__)
T = TypeVar("T")


async def within(seconds: float, awaitable: Awaitable[T]) -> T:
    """Await ``awaitable``; TimeoutError after ``seconds``."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(max(seconds, 0.0)):
            return await awaitable
    with anyio.fail_after(max(seconds, 0.0)):
        return await awaitable


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
            events = source.aiter_sse()
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
