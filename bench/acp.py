"""ACP prompt latency: ``.venv/bin/python bench/acp.py [--prompts 60] [--startup-only]``.

Starts a real ``glm-lsp acp`` process (the SDK's Python client on stdio) against the loopback
GLM endpoint and measures, per prompt, the time from sending ``session/prompt`` to the first
``session/update`` (the answer's first chunk). The same endpoint is asked directly over HTTP
(httpx, one kept-alive connection, the same streamed reply) for the time to its first event.
Prints p50/p90 of both, the overhead (ACP minus direct, at p50 and p90) and the ratio; the goal
is an overhead p50 under 10 ms. Each prompt opens a new session, so every turn does the same
work (chat store row, context, one streamed request). Last, the start-up: spawning
``glm-lsp acp`` to its ``initialize`` answer (and on to a ``session/new`` answer, which waits
for the sessions' engine imported after ``initialize``), p50 of 5 runs, beside a baseline of
spawning the same Python to import the SDK alone (``import acp``, whose pydantic schema is
most of the cost) and exit: the difference is what glm-lsp itself adds.

The endpoint runs in a thread of this process and shares its GIL with the client: the figures
are upper bounds on what an editor would see.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import percentile

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is named acp.py: with bench/ first on the path, `import acp` would find it instead
# of the SDK.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from acp import PROTOCOL_VERSION, spawn_agent_process, text_block  # noqa: E402
from acp.schema import ClientCapabilities, FileSystemCapabilities  # noqa: E402
from tests.acp.harness import agent_env  # noqa: E402
from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.glm_replies import Reply  # noqa: E402

REPLY = Reply.stream(["ok", " done"])


class FirstUpdate:
    """An ACP client that notes when the first update of the current prompt arrives."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.seen = asyncio.Event()

    def arm(self) -> None:
        self.first = None
        self.seen.clear()

    async def session_update(self, session_id: str, update: Any, **kwargs: Any) -> None:
        if self.first is None:
            self.first = time.perf_counter()
            self.seen.set()

    async def request_permission(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the bench asks for no permission")

    def on_connect(self, conn: Any) -> None:
        pass


async def direct(endpoint: GlmEndpoint, n: int) -> list[float]:
    """Time to the first SSE event of a streamed request sent straight to the endpoint."""
    body = json.dumps(
        {
            "model": "glm-4.6",
            "stream": True,
            "messages": [{"role": "user", "content": "hello"}],
        }
    ).encode()
    out: list[float] = []
    async with httpx.AsyncClient(timeout=30) as http:
        for i in range(n + 5):
            endpoint.enqueue(REPLY)
            start = time.perf_counter()
            async with http.stream(
                "POST",
                f"{endpoint.url}/chat/completions",
                content=body,
                headers={"content-type": "application/json", "authorization": "Bearer x"},
            ) as response:
                first = None
                async for line in response.aiter_lines():  # read to the end: keep-alive
                    if first is None and line.startswith("data:"):
                        first = time.perf_counter() - start
                if i >= 5 and first is not None:
                    out.append(first)
    return out


async def through_acp(endpoint: GlmEndpoint, n: int, home: Path) -> list[float]:
    """Time from session/prompt to the first session/update, through glm-lsp acp."""
    root = home / "proj"
    root.mkdir()
    (root / "a.py").write_text("A = 1\n", encoding="utf-8")
    client = FirstUpdate()
    out: list[float] = []
    env = agent_env(endpoint, home)
    async with spawn_agent_process(client, sys.executable, "-m", "glm_lsp", "acp", env=env) as (
        conn,
        _process,
    ):
        caps = ClientCapabilities(fs=FileSystemCapabilities(read_text_file=False))
        await conn.initialize(protocol_version=PROTOCOL_VERSION, client_capabilities=caps)
        for i in range(n + 5):
            session = await conn.new_session(cwd=str(root), mcp_servers=[])
            endpoint.enqueue(REPLY)
            client.arm()
            start = time.perf_counter()
            answer = asyncio.ensure_future(
                conn.prompt(session_id=session.session_id, prompt=[text_block("hello")])
            )
            await client.seen.wait()
            first = client.first
            await answer
            if i >= 5 and first is not None:
                out.append(first - start)
    return out


class Quiet:
    """A client that ignores updates (start-up runs send none)."""

    async def session_update(self, *args: Any, **kwargs: Any) -> None:
        pass

    def on_connect(self, conn: Any) -> None:
        pass


SDK_ONLY = "import acp, sys; sys.stdout.write('ready\\n'); sys.stdout.flush(); sys.stdin.read()"


async def sdk_import() -> float:
    """Seconds from spawning this Python to its line after importing the SDK (``acp``): the
    floor (the interpreter's exit is not counted, as it is not for the agent)."""
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SDK_ONLY,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    await process.stdout.readline()
    took = time.perf_counter() - start
    process.stdin.close()
    await process.wait()
    return took


async def startup(endpoint: GlmEndpoint, home: Path, runs: int) -> list[list[float]]:
    """Per run, alternating so the machine's load hits both alike: the SDK-import floor, then
    seconds from spawning ``glm-lsp acp`` to its initialize answer and to the answer of a
    ``session/new`` sent right after it (the engine's import is then on the path)."""
    floor: list[float] = []
    inits: list[float] = []
    news: list[float] = []
    env = agent_env(endpoint, home)
    root = home / "start"
    root.mkdir(exist_ok=True)
    for _ in range(runs):
        floor.append(await sdk_import())
        start = time.perf_counter()
        command = (sys.executable, "-m", "glm_lsp", "acp")
        async with spawn_agent_process(Quiet(), *command, env=env) as (conn, _process):
            await conn.initialize(protocol_version=PROTOCOL_VERSION)
            inits.append(time.perf_counter() - start)
            await conn.new_session(cwd=str(root), mcp_servers=[])
            news.append(time.perf_counter() - start)
    return [floor, inits, news]


async def start_figures(endpoint: GlmEndpoint, home: Path) -> None:
    floor, starts, news = await startup(endpoint, home, 5)
    p50s, p50f = percentile(starts, 0.5), percentile(floor, 0.5)
    print(f"start-up, spawn -> initialize answer    p50 {ms(p50s)} (5 runs)")
    print(f"baseline, spawn + import acp (SDK) only p50 {ms(p50f)} (5 runs)")
    print(f"glm-lsp's own share of the start-up     p50 {ms(p50s - p50f)}")
    print(f"spawn -> first session/new answer       p50 {ms(percentile(news, 0.5))} (5 runs)")


def ms(value: float) -> str:
    return f"{value * 1000:7.2f} ms"


async def run(n: int, startup_only: bool) -> None:
    with GlmEndpoint() as endpoint, tempfile.TemporaryDirectory() as tmp:
        if startup_only:
            await start_figures(endpoint, Path(tmp))
            return
        raw = await direct(endpoint, n)
        acp = await through_acp(endpoint, n, Path(tmp))
    p50r, p90r = percentile(raw, 0.5), percentile(raw, 0.9)
    p50a, p90a = percentile(acp, 0.5), percentile(acp, 0.9)
    print(f"prompts: {len(acp)} (after 5 warm-up), direct requests: {len(raw)}")
    print(f"direct HTTP, request -> first event     p50 {ms(p50r)}  p90 {ms(p90r)}")
    print(f"glm-lsp acp, prompt -> first update     p50 {ms(p50a)}  p90 {ms(p90a)}")
    print(f"overhead (acp - direct)                 p50 {ms(p50a - p50r)}  p90 {ms(p90a - p90r)}")
    print(
        f"ratio acp / direct                      p50 {p50a / p50r:6.1f}x  p90 {p90a / p90r:6.1f}x"
    )
    goal = "met" if p50a - p50r < 0.010 else "NOT met"
    print(f"goal: overhead p50 < 10 ms: {goal}")
    with GlmEndpoint() as endpoint, tempfile.TemporaryDirectory() as tmp:
        await start_figures(endpoint, Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=60, help="measured prompts (default 60)")
    parser.add_argument(
        "--startup-only", action="store_true", help="only the start-up figures (spawn, 5 runs)"
    )
    args = parser.parse_args()
    asyncio.run(run(args.prompts, args.startup_only))


if __name__ == "__main__":
    main()
