"""The model client: one public surface for talking to GLM over HTTP.

Code outside this package imports from here only (``from glm_lsp.llm import GlmClient``; an
import-linter contract keeps it so). Reading an answer is one pattern everywhere::

    answer = Collector(on_content=show)
    async with client.stream(ChatRequest(messages)) as events:
        await answer.collect(events)

Inside: ``client`` (GlmClient: pool, concurrency cap, tries), ``config`` (ClientConfig),
``retry`` (time budget, backoff, prices), ``wire`` (request body, SSE chunk parser),
``http`` (connect, read events, caps), ``errors`` (host error map), ``events`` (typed
events), ``collect`` (the Collector), ``usage`` (the one UsageTally), ``providers`` (presets).
The host error map needs httpx, whose import is slow; its names load on first use, so that
importing this package (as building the server does) leaves the HTTP stack unloaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from glm_lsp.llm.client import EventStream, GlmClient
from glm_lsp.llm.collect import Collector
from glm_lsp.llm.config import ClientConfig, client_config_for
from glm_lsp.llm.events import (
    Completion,
    ContentDelta,
    Finish,
    ReasoningDelta,
    StreamEvent,
    ToolCall,
    ToolCallDelta,
    ToolCalls,
    Usage,
)
from glm_lsp.llm.providers import PRESETS, Price, ProviderPreset, ThinkingStyle, context_window
from glm_lsp.llm.usage import UsageTally
from glm_lsp.llm.wire import ChatRequest, ChunkParser, build_body, canonical, encode_body

if TYPE_CHECKING:
    from glm_lsp.llm.errors import (
        HOST_MESSAGE_CHARS,
        error_from_body,
        error_from_payload,
        retry_after_seconds,
        transport_error,
    )

__all__ = [
    "HOST_MESSAGE_CHARS",
    "PRESETS",
    "ChatRequest",
    "ChunkParser",
    "ClientConfig",
    "Collector",
    "Completion",
    "ContentDelta",
    "EventStream",
    "Finish",
    "GlmClient",
    "Price",
    "ProviderPreset",
    "ReasoningDelta",
    "StreamEvent",
    "ThinkingStyle",
    "ToolCall",
    "ToolCallDelta",
    "ToolCalls",
    "Usage",
    "UsageTally",
    "build_body",
    "canonical",
    "client_config_for",
    "context_window",
    "encode_body",
    "error_from_body",
    "error_from_payload",
    "retry_after_seconds",
    "transport_error",
]

_NEEDS_HTTPX = {
    "HOST_MESSAGE_CHARS": "glm_lsp.llm.errors",
    "error_from_body": "glm_lsp.llm.errors",
    "error_from_payload": "glm_lsp.llm.errors",
    "retry_after_seconds": "glm_lsp.llm.errors",
    "transport_error": "glm_lsp.llm.errors",
}


def __getattr__(name: str) -> Any:
    module = _NEEDS_HTTPX.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
