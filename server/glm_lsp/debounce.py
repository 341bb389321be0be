"""How long to wait after a keystroke before a request goes upstream (inline, next edit).

A request made at every keystroke is wasted when the next keystroke follows before the answer:
it costs tokens and a slot at the host. The wait adapts to the user's rhythm, as Tabby's
debouncer does: 1.5 times the typical gap between the user's recent keystrokes, clamped, so a
steady typist's requests are held until a pause and a slow typist is not asked to pause longer
than usual. An explicit trigger (a key press asking for a suggestion) waits for nothing. The
wait overlaps with context gathering, so it costs the user less than it says.
"""

from __future__ import annotations

import statistics
from collections import deque

DEFAULT_S = 0.1
MIN_S = 0.075
MAX_S = 0.3
FACTOR = 1.5
GAPS = 16
MAX_GAP_S = 1.0


class Debouncer:
    """Per-document keystroke rhythm and the wait it implies."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._gaps: deque[float] = deque(maxlen=GAPS)

    def observe(self, uri: str, now: float) -> None:
        """A request for `uri` arrived at `now` (seconds, any monotonic clock)."""
        last = self._last.get(uri)
        self._last[uri] = now
        if last is not None and 0.0 < now - last <= MAX_GAP_S:
            self._gaps.append(now - last)

    def forget(self, uri: str) -> None:
        """The document closed: drop its last keystroke time."""
        self._last.pop(uri, None)

    def delay(self, *, configured_ms: int | None = None, invoked: bool = False) -> float:
        """Seconds to wait: 0 for an explicit trigger, the configured wait when set, else
        1.5 x the median recent gap clamped to [MIN_S, MAX_S] (DEFAULT_S with no history)."""
        if invoked:
            return 0.0
        if configured_ms is not None:
            return configured_ms / 1000.0
        if len(self._gaps) < 3:
            return DEFAULT_S
        return min(MAX_S, max(MIN_S, FACTOR * statistics.median(self._gaps)))
