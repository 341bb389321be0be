"""Coalesces a turn's stream into at most ~30 ``glm/chat/delta`` notifications a second.

The first piece after a quiet spell goes out at once (leading edge), so a slow stream costs no
latency; pieces that arrive within the interval after a send are merged and sent when it ends
(trailing edge). A tool step is its own entry so that text written after it is never merged
into a notification that comes before it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

__all__ = ["DEFAULT_RATE", "DeltaCoalescer"]

DEFAULT_RATE = 30.0
"""Notifications per second per turn, at most."""


class DeltaCoalescer:
    """Buffers content, reasoning and tool steps; calls ``emit(payload)`` at a bounded rate."""

    def __init__(
        self,
        emit: Callable[[dict[str, Any]], None],
        *,
        rate: float = DEFAULT_RATE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._emit = emit
        self._interval = 1.0 / rate
        self._clock = clock
        self._pending: list[dict[str, Any]] = []
        self._last = float("-inf")
        self._timer: asyncio.TimerHandle | None = None
        self._closed = False
        self.sent = 0
        """Notifications emitted so far."""

    def content(self, text: str) -> None:
        """Answer text."""
        self._add_text("content", text)

    def reasoning(self, text: str) -> None:
        """Reasoning text (shown apart from the answer)."""
        self._add_text("reasoning", text)

    def extra(self, **fields: Any) -> None:
        """A separate entry (tool step, context list, notice) sent in order with the text."""
        if self._closed:
            return
        self._pending.append(dict(fields))
        self._schedule()

    def flush(self) -> None:
        """Send everything buffered now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        pending, self._pending = self._pending, []
        for payload in pending:
            self._emit(payload)
            self.sent += 1
        if pending:
            self._last = self._clock()

    def close(self) -> None:
        """Send what is buffered and accept nothing more."""
        self.flush()
        self._closed = True

    def _add_text(self, key: str, text: str) -> None:
        if not text or self._closed:
            return
        last = self._pending[-1] if self._pending else None
        if last is not None and last.keys() <= {"content", "reasoning"}:
            last[key] = last.get(key, "") + text
        else:
            self._pending.append({key: text})
        self._schedule()

    def _schedule(self) -> None:
        # Checked on every piece, not only by the timer: a stream whose chunks are already
        # buffered never yields to the loop, so the timer alone could fire late.
        wait = self._last + self._interval - self._clock()
        if wait <= 0:
            self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(wait, self._fire)

    def _fire(self) -> None:
        self._timer = None
        self.flush()
