"""The delta coalescer: bounded notification rate, nothing lost, order kept, no added wait."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from glm_lsp.chat.coalesce import DeltaCoalescer


async def test_fast_stream_is_merged_to_the_rate_and_nothing_is_lost() -> None:
    """Ensure 2,000 pieces arriving faster than 30/s become few notifications that concatenate
    to exactly the same text, with no two sends closer than the interval."""
    sent: list[tuple[float, dict[str, Any]]] = []
    out = DeltaCoalescer(lambda p: sent.append((time.monotonic(), p)), rate=30)
    text = [f"w{i} " for i in range(2000)]
    for i, piece in enumerate(text):
        out.content(piece)
        if i % 100 == 0:
            await asyncio.sleep(0.01)
    out.close()
    assert "".join(p["content"] for _, p in sent) == "".join(text)
    assert len(sent) < 40
    gaps = [b[0] - a[0] for a, b in zip(sent, sent[1:-1], strict=False)]
    assert all(gap >= 1 / 30 - 0.005 for gap in gaps)


async def test_first_piece_after_a_pause_goes_out_at_once() -> None:
    """Ensure a piece arriving after a quiet interval is emitted synchronously (no delay)."""
    sent: list[dict[str, Any]] = []
    out = DeltaCoalescer(sent.append, rate=30)
    out.content("a")
    assert sent == [{"content": "a"}]
    await asyncio.sleep(0.05)
    out.reasoning("b")
    assert sent[-1] == {"reasoning": "b"}


async def test_pieces_within_the_interval_wait_for_the_trailing_flush() -> None:
    """Ensure pieces right after a send are merged and sent when the interval ends."""
    sent: list[dict[str, Any]] = []
    out = DeltaCoalescer(sent.append, rate=30)
    out.content("a")
    out.content("b")
    out.reasoning("r")
    assert sent == [{"content": "a"}]
    await asyncio.sleep(0.06)
    assert sent == [{"content": "a"}, {"content": "b", "reasoning": "r"}]


async def test_tool_steps_keep_their_place_in_the_stream() -> None:
    """Ensure text written after a tool step is never merged into a notification before it."""
    sent: list[dict[str, Any]] = []
    out = DeltaCoalescer(sent.append, rate=30)
    out.content("before ")
    out.content("more ")
    out.extra(tool={"name": "read_file"})
    out.content("after")
    out.close()
    assert sent == [
        {"content": "before "},
        {"content": "more "},
        {"tool": {"name": "read_file"}},
        {"content": "after"},
    ]
    out.content("late")
    assert sent[-1] == {"content": "after"}


async def test_a_producer_that_never_yields_still_gets_timely_sends() -> None:
    """Ensure pieces from a stream that never returns to the event loop (buffered chunks) are
    still sent about every interval, not all at the end when the timer finally runs."""
    sent: list[dict[str, Any]] = []
    out = DeltaCoalescer(sent.append, rate=30)
    for i in range(10):
        out.content(str(i))
        time.sleep(0.02)  # blocks the loop: no timer can fire
    assert len(sent) >= 4
    out.close()
    assert "".join(p["content"] for p in sent) == "0123456789"
