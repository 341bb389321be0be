"""The chat store behind one worker thread, and what happens when the database is unusable.

A database that is corrupt is moved aside and a new one started; one that cannot be opened at
all (locked, unwritable, from a newer glm-lsp) is replaced by an in-memory store for the
session. Either way ``problem`` says what happened and what to do.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import attrs

from glm_lsp.chat.store import ChatStore, StoreError

__all__ = ["ChatArchive", "open_store"]

log = logging.getLogger(__name__)
T = TypeVar("T")


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    )


def open_store(path: Path | None) -> tuple[ChatStore, str | None]:
    """The store at ``path`` and a problem to tell the user (None when all is well).

    Corrupt: the file is renamed ``*.corrupt-<time>`` and a fresh database started. Any other
    failure (locked, unwritable): an in-memory store for this session.
    """
    if path is None:
        return ChatStore.open(None), None
    try:
        store = ChatStore.open(path)
        store.recover()
        return store, None
    except sqlite3.DatabaseError as exc:
        if _is_corrupt(exc):
            aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
            try:
                for suffix in ("", "-wal", "-shm"):
                    src = Path(str(path) + suffix)
                    if src.exists():
                        src.rename(Path(str(aside) + suffix))
                store = ChatStore.open(path)
                return store, (
                    f"the chat history database {path} was damaged ({exc}); it was moved to "
                    f"{aside} and a new one started"
                )
            except (OSError, sqlite3.Error) as again:
                log.warning("chat store: could not replace the damaged database: %s", again)
        reason = str(exc)
    except (OSError, StoreError) as exc:
        reason = str(exc)
    return ChatStore.open(None), (
        f"the chat history database {path} cannot be used ({reason}); chats in this session "
        "will not be saved — close other glm-lsp instances or fix the file's permissions, "
        "then restart the server"
    )


@attrs.define
class ChatArchive:
    """The store behind one worker thread; every call is awaited off the event loop."""

    store: ChatStore
    problem: str | None = None
    """What went wrong when opening, for the user (None when all is well)."""
    _pool: ThreadPoolExecutor = attrs.field(
        factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="glm-chat-store")
    )

    @classmethod
    async def open(cls, path: Path | None) -> ChatArchive:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glm-chat-store")
        loop = asyncio.get_running_loop()
        store, problem = await loop.run_in_executor(pool, open_store, path)
        return cls(store, problem, pool)

    async def run(self, fn: Callable[[ChatStore], T], what: str) -> T:
        """Run ``fn(store)`` on the store's thread; sqlite failures become StoreError."""
        loop = asyncio.get_running_loop()

        def call() -> T:
            try:
                return fn(self.store)
            except sqlite3.Error as exc:
                raise StoreError(
                    f"chat history: could not {what} ({exc}); the database is "
                    f"{self.store.path or 'in memory'}"
                ) from exc

        return await loop.run_in_executor(self._pool, call)

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._pool, self.store.close)
        self._pool.shutdown(wait=False)
