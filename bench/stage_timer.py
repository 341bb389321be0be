"""The server with CPU timers around the synchronous stages of one keystroke (``bench/inline.py
--stages`` starts it instead of ``python -m glm_lsp``).

Each stage function is wrapped to add its thread CPU time (``time.thread_time``: other engineers'
load on a shared machine does not count) to a total; nested calls count once. SIGUSR1 resets the
totals, SIGUSR2 writes them as JSON to ``$GLM_BENCH_STAGES``. Async work (httpx, the SSE reader,
the event loop, the context sources) is the rest of the main thread's CPU, printed as "other".
"""

from __future__ import annotations

import collections
import functools
import importlib
import json
import os
import signal
import sys
import time
from typing import Any

STAGES = (
    ("glm_lsp.lsp.protocol", "CancellableProtocol.handle_message", "read + dispatch (JSON-RPC)"),
    ("glm_lsp.lsp.features.inline", "_query", "glue: window lines, position"),
    ("glm_lsp.inline.session", "analyze", "trigger analyze (inline/trigger)"),
    ("glm_lsp.inline.session", "CompletionCache.get", "cache lookup"),
    ("glm_lsp.context.assemble", "Assembler.document_blocks", "secret blocks of the document"),
    ("glm_lsp.context.engine", "ContextEngine.redact_window", "redact the hole (window)"),
    ("glm_lsp.inline.session", "build_prompt", "build prompt"),
    ("glm_lsp.inline.session", "StreamStop.__init__", "StreamStop init (prefix scan)"),
    ("glm_lsp.llm.client", "build_body", "request body"),
    ("glm_lsp.llm.client", "encode_body", "request body JSON"),
    ("glm_lsp.llm.client", "ChunkParser.feed", "SSE chunk parse"),
    ("glm_lsp.inline.session", "StreamStop.feed", "StreamStop feed"),
    ("glm_lsp.inline.session", "postprocess", "postprocess (inline/filters)"),
    ("glm_lsp.status", "StatusBoard._publish", "glm/status notifications"),
    ("glm_lsp.lsp.protocol", "CancellableProtocol._send_data", "write messages"),
)

totals: collections.Counter[str] = collections.Counter()
_inside = [False]


def _wrap(module: str, name: str, label: str) -> None:
    owner: Any = importlib.import_module(module)
    *path, attr = name.split(".")
    for part in path:
        owner = getattr(owner, part)
    inner = getattr(owner, attr)

    @functools.wraps(inner)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if _inside[0]:
            return inner(*args, **kwargs)
        _inside[0] = True
        started = time.thread_time()
        try:
            return inner(*args, **kwargs)
        finally:
            totals[label] += time.thread_time() - started
            _inside[0] = False

    setattr(owner, attr, timed)


def _reset(*_: Any) -> None:
    totals.clear()
    totals["main thread"] = -time.thread_time()


def _dump(*_: Any) -> None:
    out = dict(totals)
    out["main thread"] += time.thread_time()
    with open(os.environ["GLM_BENCH_STAGES"], "w") as f:
        json.dump(out, f)


def main() -> None:
    for module, name, label in STAGES:
        _wrap(module, name, label)
    signal.signal(signal.SIGUSR1, _reset)
    signal.signal(signal.SIGUSR2, _dump)
    from glm_lsp.cli import main as serve

    sys.argv = ["glm-lsp"]
    raise SystemExit(serve())


if __name__ == "__main__":
    main()
