"""The adaptive debounce: the wait follows the user's typing rhythm within bounds."""

from __future__ import annotations

from glm_lsp.inline.debounce import DEFAULT_S, MAX_S, MIN_S, Debouncer


def feed(debouncer: Debouncer, uri: str, gaps: list[float], start: float = 100.0) -> None:
    now = start
    debouncer.observe(uri, now)
    for gap in gaps:
        now += gap
        debouncer.observe(uri, now)


def test_no_history_waits_the_default() -> None:
    """Ensure a fresh session waits the default before the first request."""
    assert Debouncer().delay() == DEFAULT_S


def test_explicit_trigger_and_configured_wait_win() -> None:
    """Ensure an explicit trigger waits nothing and a configured debounceMs is used as is."""
    debouncer = Debouncer()
    feed(debouncer, "a", [0.06] * 10)
    assert debouncer.delay(invoked=True) == 0.0
    assert debouncer.delay(configured_ms=0) == 0.0
    assert debouncer.delay(configured_ms=250) == 0.25


def test_wait_is_one_and_a_half_typical_gaps_within_bounds() -> None:
    """Ensure the wait is 1.5 x the median gap: a 120 ms typist waits 180 ms, a very fast one
    the minimum, a slow one the maximum."""
    steady = Debouncer()
    feed(steady, "a", [0.12] * 8 + [0.5])
    assert abs(steady.delay() - 0.18) < 1e-9
    fast = Debouncer()
    feed(fast, "a", [0.02] * 8)
    assert fast.delay() == MIN_S
    slow = Debouncer()
    feed(slow, "a", [0.4] * 8)
    assert slow.delay() == MAX_S


def test_pauses_and_document_switches_do_not_count_as_gaps() -> None:
    """Ensure a pause longer than a second is not a typing gap, and the first keystroke in
    another document is not a gap either."""
    debouncer = Debouncer()
    feed(debouncer, "a", [5.0, 7.0, 0.1])
    debouncer.observe("b", 200.0)
    assert debouncer.delay() == DEFAULT_S
