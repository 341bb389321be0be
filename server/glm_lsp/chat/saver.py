"""Saving a running turn's answer so far, one write at a time, never blocking the stream."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from glm_lsp.chat.store import ChatStore

StoreCall = Callable[[Callable[[ChatStore], Any], str], Awaitable[Any]]
"""Runs one store call (what it does, what it is for); a failure is reported, not raised."""


class ProgressSaver:
    """Writes the latest progress of one turn; older progress not yet written is skipped."""

    def __init__(self, store_call: StoreCall, turn_id: str) -> None:
        self._store_call = store_call
        self._turn_id = turn_id
        self._latest: tuple[str, str] | None = None
        self._writer: asyncio.Task[None] | None = None

    def progress(self, content: str, reasoning: str) -> None:
        self._latest = (content, reasoning)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._write())

    async def _write(self) -> None:
        while self._latest is not None:
            content, reasoning = self._latest
            self._latest = None
            await self._store_call(
                _progress_call(self._turn_id, content, reasoning), "save a partial answer"
            )

    async def settle(self) -> None:
        if self._writer is not None and not self._writer.done():
            await asyncio.wait({self._writer})


def _progress_call(turn_id: str, content: str, reasoning: str) -> Callable[[ChatStore], None]:
    return lambda store: store.progress(turn_id, content, reasoning)
