"""Worst event-loop stall while the model runs hostile searches: ``python bench/hostile_search.py``.

The chat tools run exactly as in the server (``Toolbox`` over a ``ChatWorkspace`` wired to a
real ``ContextEngine``: exclusions, the guarded reader, redaction) on one asyncio loop, next
to a ticker task that wakes every millisecond and records the longest gap between two wakes.
A stall of the loop is a frozen server: no keystroke, completion or cancel is served.

Printed for each search: its wall time and the worst stall, beside a benign search measured in
the same run (the baseline). Then, for reference, the stall Python's ``re`` (the engine the
tools used before) causes with ``(a+)+$`` on ONE line of 24 to 26 ``a``s: it doubles with every
extra character, and the workspace here has lines of 60.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from glm_lsp.chat.tools import Toolbox  # noqa: E402
from glm_lsp.chat.workspace import ChatWorkspace  # noqa: E402
from glm_lsp.context import ContextEngine  # noqa: E402

TICK_S = 0.001
GLOB = "*a" * 24 + "*z"


def build_workspace(root: Path, files: int) -> None:
    """`files` source files, each with lines of 60 'a's then '!', and one 200-'a' file name."""
    (root / "src").mkdir(parents=True)
    runs = "\n".join("a" * 60 + "!" for _ in range(200))
    for i in range(files):
        (root / "src" / f"mod{i}.py").write_text(f"# module {i}\n{runs}\nneedle = {i}\n")
    (root / "src" / ("a" * 200)).write_text("long name\n")


class Ticker:
    """Records the longest gap between wakes of a task that sleeps TICK_S at a time."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(TICK_S)
            now = time.perf_counter()
            self.worst = max(self.worst, now - last - TICK_S)
            last = now

    async def measure(self, work: Callable[[], Awaitable[object]]) -> tuple[float, float, object]:
        """(wall seconds, worst stall seconds, result) of `work` under the ticker."""
        self.worst = 0.0
        self._task = asyncio.ensure_future(self._run())
        await asyncio.sleep(0.01)
        started = time.perf_counter()
        result = await work()
        wall = time.perf_counter() - started
        await asyncio.sleep(0.01)
        self._task.cancel()
        return wall, self.worst, result


def python_re_line(length: int) -> Callable[[], Awaitable[object]]:
    """The old engine: Python `re` on one line, in a worker thread as the tools ran it."""
    line = "a" * length + "!"
    pattern = re.compile("(a+)+$")
    return lambda: asyncio.to_thread(pattern.search, line)


async def run(files: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        build_workspace(root, files)
        engine = ContextEngine(workspace_roots=[str(root)])
        ws = ChatWorkspace(
            [root.as_uri()],
            excluded=engine.is_excluded,
            redact=engine.redact,
            reader=engine.read_blocking,
            excluded_blocking=engine.is_excluded_blocking,
            io_timeout=120.0,
        )
        box = Toolbox(ws)
        cases: list[tuple[str, str, dict[str, object]]] = [
            ("benign search 'needle' (baseline)", "search_text", {"query": "needle"}),
            ("regex (a+)+$", "search_text", {"query": "(a+)+$", "regex": True}),
            ("regex (a|aa)+$", "search_text", {"query": "(a|aa)+$", "regex": True}),
            ("regex (a|a?)+!", "search_text", {"query": "(a|a?)+!", "regex": True}),
            (f"list_files glob {GLOB[:12]}…z", "list_files", {"glob": GLOB}),
            ("search_text with that glob", "search_text", {"query": "long", "glob": GLOB}),
        ]
        ticker = Ticker()
        # First use imports detect-secrets and fills the caches (the server warms both early).
        await box.call("search_text", json.dumps({"query": "needle"}))
        print(f"{files} files of 200 lines of 60 'a's; the loop ticks every {TICK_S * 1000:.0f} ms")
        print(f"{'search':42} {'wall ms':>9} {'worst stall ms':>15} {'answer':>10}")
        baseline = 0.0
        for label, name, args in cases:
            walls, stalls = [], []
            answer = ""
            for _ in range(repeat):
                wall, stall, result = await ticker.measure(
                    lambda name=name, args=args: box.call(name, json.dumps(args))
                )
                walls.append(wall)
                stalls.append(stall)
                answer = getattr(result, "summary", "")
            worst = max(stalls)
            baseline = baseline or worst
            print(
                f"{label:42} {min(walls) * 1000:9.1f} {worst * 1000:15.1f}"
                f"   {answer[:40]}  (x{worst / baseline:.1f} baseline)"
            )
        print("\nPython re, the engine before, on ONE line (reference):")
        for length in (22, 24, 26):
            wall, stall, _ = await ticker.measure(python_re_line(length))
            print(
                f"  (a+)+$ on {length} 'a's + '!'    wall {wall * 1000:9.1f} ms   worst stall "
                f"{stall * 1000:9.1f} ms"
            )
        engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.files, args.repeat))


if __name__ == "__main__":
    main()
