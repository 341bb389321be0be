"""Chat streaming and memory figures: ``.venv/bin/python bench/chat.py [--turns 1000]``.

Runs the real server (``python -m glm_lsp``) over stdio against the loopback GLM endpoint and
prints:

1. Latency from an upstream chunk to the client's ``glm/chat/delta``: each chunk carries the
   monotonic time it was written (``time.monotonic_ns`` is system-wide on Linux, so the
   endpoint thread, the server process and the client agree). Two paces: chunks every 50 ms
   (slower than the 30/s coalescing window, so each one goes out at once: the pipeline's own
   latency; goal p50 < 5 ms) and every 12 ms (a fast model: includes the coalescing wait).
2. Notifications per second and per turn under a stream with no pause at all (5,000 chunks),
   and that the text arrives whole.
3. The server's resident memory after 10 turns and after N turns (default 1,000, in chats of
   10 turns, so the work per turn stays the same and growth means state that is kept).

The endpoint runs in a thread of this process, so the client shares its GIL: figures are
upper bounds on what an editor would see.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest_lsp  # noqa: E402
from lsprotocol import types  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402
from tests.e2e.harness import FULL_CAPS, clean_env  # noqa: E402
from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.glm_replies import DONE, Event, Reply, chunk, zai_usage  # noqa: E402

STAMP = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Stamped(Event):
    """A content chunk that carries the moment it is written to the socket."""

    def encode(self) -> bytes:
        data = chunk({"role": "assistant", "content": f"[{time.monotonic_ns()}]"})
        return f"data: {json.dumps(data)}\n\n".encode()


def stamped_reply(count: int, delay: float) -> Reply:
    steps: list[Any] = [Stamped(None, delay) for _ in range(count)]
    steps += [Event(chunk(finish_reason="stop", usage=zai_usage())), DONE]
    return Reply(steps)


class Bench:
    def __init__(self, endpoint: GlmEndpoint, home: Path) -> None:
        self.endpoint = endpoint
        self.home = home
        self.client: LanguageClient | None = None
        self.arrivals: list[tuple[int, Any]] = []
        self.dones: dict[str, Any] = {}

    async def start(self) -> LanguageClient:
        client = pytest_lsp.make_test_lsp_client()
        ready = asyncio.Event()

        @client.feature("glm/status")
        def on_status(params: Any) -> None:
            if params.state == "ready":
                ready.set()

        client.set_configuration({"glm": {"provider": "custom", "baseUrl": self.endpoint.url}})

        @client.feature("glm/chat/delta")
        def on_delta(params: Any) -> None:
            self.arrivals.append((time.monotonic_ns(), params))

        @client.feature("glm/chat/done")
        def on_done(params: Any) -> None:
            self.dones[params.turnId] = params

        await client.start_io(
            sys.executable, "-m", "glm_lsp", env=clean_env(self.home), cwd=str(ROOT)
        )
        root = (self.home / "ws").as_uri()
        (self.home / "ws").mkdir(exist_ok=True)
        await client.initialize_session(
            types.InitializeParams(
                capabilities=FULL_CAPS,
                root_uri=root,
                workspace_folders=[types.WorkspaceFolder(uri=root, name="ws")],
            )
        )
        await asyncio.wait_for(ready.wait(), 30)
        self.client = client
        return client

    async def turn(self, message: str, chat_id: str | None = None) -> tuple[dict[str, str], Any]:
        assert self.client is not None
        arg: dict[str, Any] = {"message": message}
        if chat_id:
            arg["chatId"] = chat_id
        started = await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="glm.chat.send", arguments=[arg])
        )
        while started["turnId"] not in self.dones:
            await asyncio.sleep(0.001)
        return started, self.dones.pop(started["turnId"])

    def rss_kb(self) -> int:
        assert self.client is not None
        pid = self.client._server.pid  # type: ignore[attr-defined]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.shutdown_session()
            await self.client.stop()


async def latency(bench: Bench, count: int, delay: float) -> list[float]:
    bench.arrivals.clear()
    bench.endpoint.enqueue(stamped_reply(count, delay))
    started, _ = await bench.turn("stream stamps")
    out: list[float] = []
    for received, params in bench.arrivals:
        if params.turnId != started["turnId"]:
            continue
        for stamp in STAMP.findall(getattr(params, "content", "") or ""):
            out.append((received - int(stamp)) / 1e6)
    return out


async def fast_stream(bench: Bench, count: int) -> tuple[int, float, bool]:
    bench.arrivals.clear()
    words = [f"w{i} " for i in range(count)]
    bench.endpoint.enqueue(Reply.stream(words))
    started, _ = await bench.turn("fast")
    mine = [(t, p) for t, p in bench.arrivals if p.turnId == started["turnId"]]
    text = "".join(getattr(p, "content", "") or "" for _, p in mine)
    span = (mine[-1][0] - mine[0][0]) / 1e9 if len(mine) > 1 else 0.0
    return len(mine), span, text == "".join(words)


async def memory(bench: Bench, turns: int, per_chat: int) -> tuple[dict[int, int], float]:
    """RSS (KiB) at checkpoints; every chat gets ``per_chat`` turns, so the work per turn is
    the same early and late and any growth is kept state, not a bigger working set."""
    bench.endpoint.default = Reply.stream(["A reasonably sized answer ", "with a few chunks ", "."])
    checkpoints = {n for n in (10, 100, 250, 500, 1000, 2000, 5000) if n <= turns} | {turns}
    rss: dict[int, int] = {}
    chat_id: str | None = None
    start = time.perf_counter()
    for i in range(turns):
        if i % per_chat == 0:
            chat_id = None
        started, _ = await bench.turn(f"question number {i} about the code", chat_id)
        chat_id = started["chatId"]
        if i + 1 in checkpoints:
            await asyncio.sleep(0.1)
            rss[i + 1] = bench.rss_kb()
    return rss, time.perf_counter() - start


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--chat-turns", type=int, default=10, help="turns per chat")
    args = parser.parse_args()
    endpoint = GlmEndpoint().start()
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(endpoint, Path(tmp))
        await bench.start()
        try:
            await latency(bench, 20, 0.05)  # warm-up
            print("chunk -> glm/chat/delta latency (ms)")
            for label, count, delay in (("every 50 ms", 200, 0.05), ("every 12 ms", 400, 0.012)):
                values = await latency(bench, count, delay)
                print(
                    f"  chunks {label:<12} n={len(values):<4} p50={percentile(values, 0.5):6.2f}"
                    f"  p99={percentile(values, 0.99):6.2f}  mean={statistics.mean(values):6.2f}"
                )
            sent, span, whole = await fast_stream(bench, 5000)
            rate = sent / span if span else float("nan")
            print(
                f"fast stream (5,000 chunks, no pause): {sent} notifications over {span:.2f} s "
                f"= {rate:.1f}/s; text intact: {whole}"
            )
            rss, took = await memory(bench, args.turns, args.chat_turns)
            first, last = min(rss), max(rss)
            points = ", ".join(f"{n}: {kb / 1024:.1f}" for n, kb in sorted(rss.items()))
            print(f"server RSS (MiB) after N turns ({args.chat_turns} per chat): {points}")
            print(
                f"  after {last} turns vs after {first}: {(rss[last] - rss[first]) / 1024:+.1f} MiB"
                f"; {args.turns / took:.0f} turns/s"
            )
        finally:
            await bench.stop()
            endpoint.stop()


if __name__ == "__main__":
    asyncio.run(main())
