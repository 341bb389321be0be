"""Per-file preparation in worker threads, and the job table that shares it.

Preparing a file means: decide whether it may be read (exclusions), read it if it
is not open, refuse binary/minified/huge text, redact it line by line, and index
its windows for similarity search. That is all CPU or disk work, so it happens off
the event loop, once per document version, usually in the background right after
didOpen/didChange. `Jobs` lets many requests await the same job; a request that
stops waiting (deadline) never cancels the job, so the result still lands in the
cache for the next request.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs

from .files import skip_reason
from .imports import outline
from .related import DocIndex, build_index
from .safepath import PathGuard
from .secrets import Redactor, Span, kind_for_path, private_key_blocks
from .tokens import estimate_tokens, language_for_path


@attrs.frozen
class Prepared:
    """A candidate file ready for use: redacted lines and window index, or why not."""

    uri: str
    path: str | None
    language_id: str
    key: Hashable
    excluded: str | None = None
    skipped: str | None = None
    lines: tuple[str, ...] = ()
    text: str = ""
    tokens: int = 0
    index: DocIndex | None = None
    outline: tuple[str, ...] = ()
    blocks: Sequence[Span] = attrs.field(default=(), eq=False)

    @property
    def usable(self) -> bool:
        return self.excluded is None and self.skipped is None


def prepare_file(
    *,
    uri: str,
    path: str | None,
    text: str | None,
    language_id: str,
    key: Hashable,
    guard: PathGuard,
    redactor: Redactor,
) -> Prepared:
    """Blocking: check, read, redact and index one file."""
    language = language_id or (language_for_path(path) if path else "plaintext")
    if path is not None:
        why = guard.reason(path)
        if why is not None:
            return Prepared(uri, path, language, key, excluded=why)
    if text is None:
        if path is None:
            return Prepared(uri, path, language, key, skipped="not a file")
        read = guard.read(path)
        if read.text is None:
            return Prepared(uri, path, language, key, skipped=read.reason)
        text = read.text
    else:
        why = skip_reason(text, path)
        if why is not None:
            return Prepared(uri, path, language, key, skipped=why)
    raw = text.split("\n")
    blocks = private_key_blocks(text, raw)
    lines, _ = redactor.redact_lines(raw, 0, len(raw), kind=kind_for_path(path), blocks=blocks)
    redacted = "\n".join(lines)
    return Prepared(
        uri,
        path,
        language,
        key,
        lines=tuple(lines),
        text=redacted,
        tokens=estimate_tokens(redacted, language),
        index=build_index(raw),
        outline=tuple(outline(lines, language)),
        blocks=blocks,
    )


class Jobs:
    """Thread jobs keyed by what they compute; concurrent askers share one job."""

    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Future[Any]] = {}
        # CPU-bound work (redaction, indexing) gets one thread: more would only fight the
        # event loop for the GIL and stall it.
        self._cpu = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glm-context")

    def start(
        self, key: Hashable, fn: Callable[[], Any], *, cpu: bool = False
    ) -> asyncio.Future[Any]:
        fut = self._running.get(key)
        if fut is not None and not fut.done():
            return fut
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(self._cpu if cpu else None, fn)
        self._running[key] = fut
        fut.add_done_callback(functools.partial(self._finished, key))
        return fut

    def _finished(self, key: Hashable, fut: asyncio.Future[Any]) -> None:
        if self._running.get(key) is fut:
            del self._running[key]
        if not fut.cancelled():
            fut.exception()  # mark retrieved; failures surface as missing results

    def close(self) -> None:
        self._cpu.shutdown(wait=False, cancel_futures=True)

    def pending(self) -> list[asyncio.Future[Any]]:
        return [f for f in self._running.values() if not f.done()]

    @staticmethod
    async def wait(futures: Iterable[asyncio.Future[Any]], deadline: float) -> None:
        """Wait for the futures until `deadline` (loop time) without cancelling them."""
        pending = [f for f in futures if not f.done()]
        if not pending:
            return
        timeout = deadline - asyncio.get_running_loop().time()
        if timeout <= 0:
            return
        await asyncio.wait(pending, timeout=timeout)
