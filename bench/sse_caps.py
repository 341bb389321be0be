"""Memory and requests for an endless SSE line: ``.venv/bin/python bench/sse_caps.py``.

The loopback endpoint answers with one ``data:`` line of 200 MB and no line break. Measured in
the same run:

* baseline: httpx-sse reading the stream as the client did before the caps (one request);
* ours: ``GlmClient.complete`` with its production retry budget (two retries).

Printed: requests sent, peak RSS growth while reading (sampled every 5 ms) and wall time.
Issue 12: before the caps the client buffered the line whole (~244 MB RSS) and retried 3 times.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from httpx_sse import aconnect_sse  # noqa: E402
from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.glm_replies import Flood, Reply  # noqa: E402

from glm_lsp.errors import GlmLspError  # noqa: E402
from glm_lsp.llm import PRESETS, ChatRequest, ClientConfig, GlmClient  # noqa: E402

MB = 1024 * 1024


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def peak_growth(work: Awaitable[str]) -> tuple[str, float, float]:
    """(outcome, peak RSS growth in MB, seconds) of ``work``."""
    before = peak = rss()
    started = time.monotonic()
    task = asyncio.ensure_future(work)
    while not task.done():
        peak = max(peak, rss())
        await asyncio.sleep(0.005)
    return task.result(), (peak - before) / MB, time.monotonic() - started


async def uncapped(url: str) -> str:
    async with httpx.AsyncClient(timeout=None) as http:
        async with aconnect_sse(
            http, "POST", url + "/chat/completions", json={"stream": True}
        ) as source:
            async for _ in source.aiter_sse():
                pass
    return "read to the end"


async def ours(url: str) -> str:
    client = GlmClient(
        ClientConfig(url, "sk-bench", PRESETS["zai"], first_byte_timeout=120.0, backoff_base=0.01)
    )
    try:
        await client.complete(ChatRequest([{"role": "user", "content": "hi"}]))
        return "answered"
    except GlmLspError as exc:
        return f"{type(exc).__name__}: {str(exc)[:70]}…"
    finally:
        await client.aclose()


async def run(size_mb: int) -> None:
    print(f"one SSE line of {size_mb} MB without a line break")
    for name, reader in (("httpx-sse, uncapped (before)", uncapped), ("GlmClient (ours)", ours)):
        with GlmEndpoint() as endpoint:
            endpoint.default = Reply([Flood(size_mb * MB)])
            outcome, growth, seconds = await peak_growth(reader(endpoint.url))
            requests = len(endpoint.requests)
        print(f"  {name:30s} requests {requests}  peak RSS +{growth:6.0f} MB  {seconds:5.1f} s")
        print(f"  {'':30s} -> {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the line")
    asyncio.run(run(parser.parse_args().mb))


if __name__ == "__main__":
    main()
