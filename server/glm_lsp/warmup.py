"""Slow imports done ahead of need, one after another, in one background thread.

Start-up imports only what answering ``initialize`` needs. detect-secrets, the git check and the
HTTP stack are imported on first use, and once the editor has connected their owners queue a
warm-up here (``warm_in_background``) so that the first completion does not pay for them. Jobs
run in the order queued, each name once. The event loop keeps serving meanwhile: it shares the
GIL with this thread, so its handlers are slowed while a job runs, not stopped
(``bench/startup.py`` measures the stall).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

__all__ = ["warm_in_background", "warm_timings", "wait_warm"]

log = logging.getLogger(__name__)

_queue: queue.SimpleQueue[tuple[str, Callable[[], object]]] = queue.SimpleQueue()
_guard = threading.Lock()
_queued: set[str] = set()
_done: dict[str, float] = {}
_idle = threading.Condition(_guard)
_thread: threading.Thread | None = None


def warm_in_background(name: str, job: Callable[[], object]) -> None:
    """Run ``job`` in the warm-up thread unless a job called ``name`` was already queued."""
    global _thread
    with _guard:
        if name in _queued:
            return
        _queued.add(name)
        if _thread is None:
            _thread = threading.Thread(target=_run, name="glm-lsp-warm-up", daemon=True)
            _thread.start()
    _queue.put((name, job))


def wait_warm(timeout: float | None = None) -> bool:
    """Block until every queued job has finished; False if ``timeout`` passed first."""
    with _idle:
        return _idle.wait_for(lambda: len(_done) == len(_queued), timeout)


def warm_timings() -> dict[str, float]:
    """Milliseconds each finished job took, by name, in the order they ran."""
    with _guard:
        return dict(_done)


def _run() -> None:
    while True:
        name, job = _queue.get()
        started = time.perf_counter()
        try:
            job()
        except Exception as exc:  # noqa: BLE001 - first use will retry and report it
            log.debug("warm-up %s failed: %r", name, exc)
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("warm-up %s took %.0f ms", name, elapsed)
        with _idle:
            _done[name] = elapsed
            _idle.notify_all()
