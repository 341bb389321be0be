"""Client overhead and server start-up, in one run: ``.venv/bin/python bench/client.py``.

1. Time to first event against the loopback GLM endpoint, through ``GlmClient`` and through raw
   ``httpx`` (same body, same endpoint, both on a warm keep-alive connection), interleaved so
   both see the same machine noise: p50, p90 and the ratio ours/raw.
2. ``python -m glm_lsp`` start-up: from spawning the process to the ``initialize`` answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchlib import percentile
from startup import clean_env, server_once

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.glm_replies import Reply  # noqa: E402

from glm_lsp.llm import PRESETS, ChatRequest, ClientConfig, GlmClient, build_body  # noqa: E402

KEY = "sk-bench-not-a-real-key"
MESSAGES = [
    {"role": "system", "content": "You complete code. Output code only."},
    {"role": "user", "content": "def add(a, b):\n    ⟨CURSOR⟩\nComplete at ⟨CURSOR⟩."},
]


async def ours_first_event(client: GlmClient, request: ChatRequest) -> float:
    start = time.perf_counter()
    async with client.stream(request) as events:
        async for _ in events:
            first = time.perf_counter() - start
            break
    return first


async def raw_first_event(http: httpx.AsyncClient, url: str, body: bytes) -> float:
    headers = {
        "Authorization": f"Bearer {KEY}",
        "Content-Type": "application/json",
        "Accept": "text/event-stream",
    }
    start = time.perf_counter()
    async with http.stream("POST", url, content=body, headers=headers) as response:
        async for line in response.aiter_lines():
            if line.startswith("data:"):
                first = time.perf_counter() - start
                break
    return first


async def first_event_bench(n: int) -> dict[str, list[float]]:
    endpoint = GlmEndpoint(Reply.stream(["    return", " a + b"])).start()
    config = ClientConfig(endpoint.url, KEY, PRESETS["zai"])
    client = GlmClient(config)
    http = httpx.AsyncClient()
    request = ChatRequest(MESSAGES, max_tokens=64, thinking=False)
    body = json.dumps(build_body(request, PRESETS["zai"], "bench-request-0001")).encode()
    url = endpoint.url + "/chat/completions"
    times: dict[str, list[float]] = {"glm-lsp client": [], "raw httpx": []}
    try:
        for _ in range(5):  # warm both pools and code paths
            await ours_first_event(client, request)
            await raw_first_event(http, url, body)
        for i in range(n):
            pair = [("glm-lsp client", ours_first_event(client, request))]
            pair.append(("raw httpx", raw_first_event(http, url, body)))
            for name, run in pair if i % 2 else reversed(pair):
                times[name].append(await run)
    finally:
        await client.aclose()
        await http.aclose()
        endpoint.stop()
    return times


async def startup_once() -> float:
    """Seconds from spawning ``python -m glm_lsp`` to its ``initialize`` answer."""
    with tempfile.TemporaryDirectory() as home:
        wall, _cpu = await server_once(clean_env(home), ["-m", "glm_lsp"])
        return wall


def row(name: str, values: list[float], base: list[float] | None = None) -> str:
    p50, p90 = percentile(values, 0.5) * 1000, percentile(values, 0.9) * 1000
    text = (
        f"{name:<18}{len(values):>6}{p50:>10.3f}{p90:>10.3f}{statistics.mean(values) * 1000:>10.3f}"
    )
    if base is not None:
        text += f"{p50 / (percentile(base, 0.5) * 1000):>10.2f}"
        text += f"{p90 / (percentile(base, 0.9) * 1000):>10.2f}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="requests per client")
    parser.add_argument("--startup-runs", type=int, default=5)
    args = parser.parse_args()

    times = asyncio.run(first_event_bench(args.n))
    print("time to first event, loopback endpoint, warm keep-alive (ms)")
    print(f"{'':<18}{'n':>6}{'p50':>10}{'p90':>10}{'mean':>10}{'p50 x':>10}{'p90 x':>10}")
    raw = times["raw httpx"]
    print(row("raw httpx", raw))
    print(row("glm-lsp client", times["glm-lsp client"], raw))
    print("(x = ratio to raw httpx)")

    if args.startup_runs > 0:
        runs = [asyncio.run(startup_once()) for _ in range(args.startup_runs)]
        print()
        print("glm-lsp start-up: spawn `python -m glm_lsp` -> initialize answer (ms)")
        print(f"{'':<18}{'n':>6}{'p50':>10}{'p90':>10}{'mean':>10}{'min':>10}{'max':>10}")
        print(row("start-up", runs) + f"{min(runs) * 1000:>10.1f}{max(runs) * 1000:>10.1f}")


if __name__ == "__main__":
    main()
