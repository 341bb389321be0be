"""Inline completion pipeline, free of LSP and HTTP: the LSP glue calls these in order.

1. `analyze(lines, line, character, language=, path=)` -> `Hole` (mode NONE = no request)
2. `CompletionCache.get(uri, hole.prefix, hole.suffix)` -> text to show without a request
3. `reuse_skip(...)` -> whether a stream still in flight can serve this cursor
4. `build_prompt(hole, context)` -> `InlinePrompt` (messages, stop, max_tokens, temperature)
5. `StreamStop(hole).feed(delta)` per delta; True = close the stream now; `.finish()` at the end
6. `postprocess(stop.finish(), hole)` -> the text to insert at the cursor, or None
7. `CompletionCache.put(uri, hole.prefix, hole.suffix, text or "")`
"""

from __future__ import annotations

from .cache import CompletionCache, reuse_skip, typed_since
from .filters import postprocess
from .hole import Hole, Mode
from .prompt import InlinePrompt, build_prompt
from .stream_stop import StreamStop
from .trigger import analyze

__all__ = [
    "CompletionCache",
    "Hole",
    "InlinePrompt",
    "Mode",
    "StreamStop",
    "analyze",
    "build_prompt",
    "postprocess",
    "reuse_skip",
    "typed_since",
]
