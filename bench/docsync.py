"""Event-loop stall per keystroke in a big document: ``.venv/bin/python bench/docsync.py``.

A real server object (``create_server()``, every feature registered, the context engine fed
by our didChange handler) receives didOpen for a generated Python-like document of 1, 10 and
50 MB, then keystrokes (typing characters, a newline now and then, a backspace) as
``textDocument/didChange`` messages handed to its JSON-RPC protocol. A notification is
handled synchronously on the loop, so the time ``handle_message`` takes is the stall the
keystroke causes. The same run measures pygls' stock ``Workspace``/``TextDocument`` (the
baseline) and our ``LineWorkspace``; both end with the same text.

``--builds N`` also times the ghost-text context build after each of N more keystrokes (on
both stores): what remains O(document) per request lives in the context engine (joining the
text once per version, splitting it into lines, the secret-block scan), not in the store.

Issue 12 goal: one keystroke in a 50 MB document must not stall the loop (~0.3 s before).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from pygls.workspace import Workspace  # noqa: E402

from glm_lsp.lsp.app import create_server  # noqa: E402
from glm_lsp.lsp.docstore import LineWorkspace  # noqa: E402

URI = "file:///bench/big_module.py"
MB = 1024 * 1024


def make_text(size: int, rng: random.Random) -> str:
    """Python-looking lines (some multi-byte) until ``size`` characters."""
    words = ["value", "result", "config", "handler", "é", "données", "x", "index", "😀"]
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        indent = "    " * rng.randint(0, 3)
        line = f"{indent}{rng.choice(words)}_{n} = compute({rng.choice(words)}, {n})\n"
        parts.append(line)
        total += len(line)
        n += 1
    return "".join(parts)


def message(method: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "method": method, "params": params}


def keystrokes(line: int, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """didChange messages for typing at ``line`` (utf-16 positions, as VS Code sends)."""
    out: list[dict[str, Any]] = []
    column = 0
    for version in range(2, count + 2):
        roll = rng.random()
        if roll < 0.1:
            text, start, end = "\n", (line, column), (line, column)
            line, column = line + 1, 0
        elif roll < 0.2 and column > 0:
            text, start, end = "", (line, column - 1), (line, column)
            column -= 1
        else:
            text, start, end = "a", (line, column), (line, column)
            column += 1
        change = {
            "range": {
                "start": {"line": start[0], "character": start[1]},
                "end": {"line": end[0], "character": end[1]},
            },
            "text": text,
        }
        out.append(
            message(
                "textDocument/didChange",
                {"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]},
            )
        )
    return out


class Discard:
    """A transport writer that drops what the server sends."""

    def write(self, data: bytes) -> None:
        del data

    def close(self) -> None:
        return None


async def measure(
    stock: bool, text: str, changes: list[dict[str, Any]], builds: int = 0
) -> tuple[list[float], str, list[float]]:
    """Seconds each keystroke kept the loop busy, the final text, and the seconds of the
    ghost-text context build after each of the last ``builds`` keystrokes."""
    server = create_server(environ={})
    protocol = server.protocol
    protocol.set_writer(Discard())
    initialize = {"processId": None, "rootUri": None, "capabilities": {}}
    protocol.handle_message(
        protocol.structure_message({**message("initialize", initialize), "id": 1})
    )
    protocol.handle_message(protocol.structure_message(message("initialized", {})))
    await asyncio.sleep(0.05)
    if stock:
        protocol._workspace = Workspace(None)
    assert isinstance(server.workspace, LineWorkspace) != stock
    opened = {"uri": URI, "languageId": "python", "version": 1, "text": text}
    protocol.handle_message(
        protocol.structure_message(message("textDocument/didOpen", {"textDocument": opened}))
    )
    stalls: list[float] = []
    gc.collect()
    for change in changes[: len(changes) - builds]:
        structured = protocol.structure_message(change)
        started = time.perf_counter()
        protocol.handle_message(structured)
        stalls.append(time.perf_counter() - started)
    built: list[float] = []
    for change in changes[len(changes) - builds :]:
        protocol.handle_message(protocol.structure_message(change))
        line = change["params"]["contentChanges"][0]["range"]["start"]["line"]
        started = time.perf_counter()
        await server.context.build(URI, line, 0, "inline")
        built.append(time.perf_counter() - started)
    final = server.workspace.get_text_document(URI).source
    server.context.close()
    await server.glm.aclose()
    return stalls, final, built


def summary(stalls: list[float]) -> str:
    ms = [s * 1000 for s in stalls]
    return (
        f"p50 {statistics.median(ms):8.2f} ms  p99 {percentile(ms, 0.99):8.2f} ms  "
        f"max {max(ms):8.2f} ms  (n={len(ms)})"
    )


async def run(sizes: list[int], ours_keys: int, stock_keys: int, seed: int, builds: int) -> None:
    print(f"seed {seed}; per keystroke = didChange handled by the real server's protocol")
    for size in sizes:
        rng = random.Random(seed)
        text = make_text(size * MB, rng)
        line = text.count("\n") // 2
        stock_changes = keystrokes(line, stock_keys, random.Random(seed))
        ours_changes = keystrokes(line, ours_keys, random.Random(seed))
        stock, stock_text, _ = await measure(True, text, stock_changes)
        ours, _, _ = await measure(False, text, ours_changes)
        _, check_text, _ = await measure(False, text, stock_changes)
        assert check_text == stock_text, "our document diverged from pygls' text"
        lines = text.count("\n")
        print(f"{size:3d} MB ({lines:,} lines)")
        print(f"  pygls stock TextDocument  {summary(stock)}")
        print(f"  LineDocument (ours)       {summary(ours)}")
        speedup = statistics.median(stock) / statistics.median(ours)
        print(f"  speed-up at p50           {speedup:8.0f}x")
        if builds:
            changes = keystrokes(line, builds, random.Random(seed))
            _, _, stock_built = await measure(True, text, changes, builds)
            _, _, ours_built = await measure(False, text, changes, builds)
            print(
                "  ghost-text context build after a keystroke (the engine's whole-text steps):"
                f" pygls {statistics.median(stock_built) * 1000:.0f} ms,"
                f" ours {statistics.median(ours_built) * 1000:.0f} ms (median of {builds})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50], help="MB")
    parser.add_argument("--keys", type=int, default=300, help="keystrokes measured (ours)")
    parser.add_argument("--stock-keys", type=int, default=20, help="keystrokes (pygls stock)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--builds", type=int, default=0, help="also time N context builds after a keystroke"
    )
    args = parser.parse_args()
    asyncio.run(run(args.sizes, args.keys, args.stock_keys, args.seed, args.builds))


if __name__ == "__main__":
    main()
