"""Streamed-edit figures: ``.venv/bin/python bench/edit.py [--runs 5]``.

Runs the real server (``python -m glm_lsp``) over stdio against the loopback GLM endpoint, with
a client that applies edits like an editor (``tests/e2e/editor_sim.py``), and prints for
``glm.refactor`` of a function whose every line the model rewrites:

1. Time from the first complete answer line leaving the endpoint to the first edit applied in
   the editor (goal: under 50 ms). Every chunk records when it is written to the socket
   (``time.monotonic_ns`` is system-wide, so the endpoint thread and this process agree).
2. Edits sent per second (coalescing keeps it at or under ~10).
3. Total time (first chunk written to the final edit applied) against the model stream's own
   duration (first to last chunk), i.e. what the streaming costs on top of the model.

Scenarios: a model writing ~20 lines/s (tokens every 25 ms), a fast model (a line every 5 ms)
and the paced model against a Neovim-like editor (didChange 150 ms late).
The endpoint runs in a thread of this process, so the client shares its GIL: figures are upper
bounds on what an editor would see.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lsprotocol import types  # noqa: E402
from tests.e2e.editor_sim import Applied, Editor, Mode, make_editor_client  # noqa: E402
from tests.e2e.harness import clean_env  # noqa: E402
from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.glm_replies import DONE, Event, Reply, chunk, zai_usage  # noqa: E402

FIRST_TOKEN = 0.3
"""Seconds before the model's first token (GLM takes longer; thinking off)."""


@dataclass(frozen=True)
class Timed(Event):
    """A content chunk that records when it is written to the socket."""

    times: list[int] = field(default_factory=list, compare=False)

    def encode(self) -> bytes:
        self.times.append(time.monotonic_ns())
        return super().encode()


def function(lines: int, name: str) -> str:
    body = "".join(f"    {name}_{i} = compute({name}_{i - 1}, {i})\n" for i in range(1, lines))
    return f"def work({name}_0):\n{body}"


def reply(answer: str, gap: float) -> tuple[Reply, list[list[int]], int]:
    """The answer in tags, each line in two chunks ``gap`` apart, the first after a 300 ms
    "time to first token"; also which chunk ends line 1."""
    pieces = ["<REPLACEMENT>\n"]
    for line in answer.splitlines(keepends=True):
        half = len(line) // 2
        pieces += [line[:half], line[half:]]
    pieces.append("</REPLACEMENT>")
    times: list[list[int]] = []
    steps: list[Any] = []
    for index, piece in enumerate(pieces):
        stamps: list[int] = []
        times.append(stamps)
        delay = FIRST_TOKEN if index == 0 else gap
        steps.append(Timed(chunk({"role": "assistant", "content": piece}), delay, times=stamps))
    steps += [Event(chunk(finish_reason="stop", usage=zai_usage())), DONE]
    return Reply(steps), times, 2


@dataclass
class Run:
    round_trip_ms: float
    first_line_to_edit_ms: float
    edits: int
    edits_per_s: float
    total_s: float
    stream_s: float


async def one_run(home: Path, endpoint: GlmEndpoint, mode: Mode, lines: int, gap: float) -> Run:
    ws = home / "ws"
    ws.mkdir(exist_ok=True)
    original = function(lines, "x")
    answer = function(lines, "value")
    path = ws / "work.py"
    path.write_text(original)
    client, editor = make_editor_client(mode)
    warm_client(client)
    applied_at: list[int] = []

    def on_apply(_editor: Editor, _record: Applied) -> None:
        applied_at.append(time.monotonic_ns())

    editor.on_apply = on_apply
    settings = {"provider": "custom", "baseUrl": endpoint.url, "chat": {"thinking": "off"}}
    client.set_configuration({"glm": settings})
    await client.start_io(sys.executable, "-m", "glm_lsp", env=clean_env(home), cwd=str(ROOT))
    root = ws.as_uri()
    await client.initialize_session(
        types.InitializeParams(
            capabilities=make_caps(),
            initialization_options={"glm": settings},
            root_uri=root,
            workspace_folders=[types.WorkspaceFolder(uri=root, name="ws")],
        )
    )
    try:
        trips = []
        for _ in range(5):
            started = time.monotonic_ns()
            await client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="glm.status", arguments=[{}])
            )
            trips.append((time.monotonic_ns() - started) / 1e6)
        uri = path.as_uri()
        editor.open(uri, original)
        scripted, times, first_line_chunk = reply(answer, gap)
        endpoint.enqueue(scripted)
        end = {"line": lines, "character": 0}
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="glm.refactor",
                arguments=[
                    {"uri": uri, "range": {"start": {"line": 0, "character": 0}, "end": end}}
                ],
            )
        )
        assert result == {"applied": True}, result
        assert editor.text(uri) == answer, "the final document is not the model's answer"
    finally:
        await client.shutdown_session()
        await client.stop()
    first_chunk, last_chunk = times[0][0], times[-1][0]
    first_line = times[first_line_chunk][0]
    span = (applied_at[-1] - applied_at[0]) / 1e9
    return Run(
        round_trip_ms=statistics.median(trips),
        first_line_to_edit_ms=(applied_at[0] - first_line) / 1e6,
        edits=len(applied_at),
        edits_per_s=(len(applied_at) - 1) / span if span > 0 else float("nan"),
        total_s=(applied_at[-1] - first_chunk) / 1e9,
        stream_s=(last_chunk - first_chunk) / 1e9,
    )


def warm_client(client: Any) -> None:
    """Build the test client's cattrs code for applyEdit now (an editor has no such cost)."""
    at = {"line": 0, "character": 0}
    edit = {"range": {"start": at, "end": at}, "newText": ""}
    doc = {"uri": "file:///warm-up", "version": 1}
    params = {"edit": {"documentChanges": [{"textDocument": doc, "edits": [edit]}]}}
    client.protocol._converter.structure(params, types.ApplyWorkspaceEditParams)


def make_caps() -> types.ClientCapabilities:
    from tests.e2e.editor_sim import CAPS

    return CAPS


def summary(name: str, runs: list[Run]) -> None:
    latency = sorted(r.first_line_to_edit_ms for r in runs)
    print(f"\n{name} ({len(runs)} runs)")
    print(
        "  first complete line -> first applied edit: "
        f"median {statistics.median(latency):.1f} ms, max {latency[-1]:.1f} ms (goal < 50 ms)"
    )
    print(
        f"  edits per run: median {statistics.median(r.edits for r in runs):.0f}; "
        f"edits per second: median {statistics.median(r.edits_per_s for r in runs):.1f}"
    )
    trip = statistics.median(r.round_trip_ms for r in runs)
    print(f"  (baseline: one LSP request round trip, glm.status: median {trip:.1f} ms)")
    total = statistics.median(r.total_s for r in runs)
    stream = statistics.median(r.stream_s for r in runs)
    print(
        f"  total {total:.2f} s vs model stream {stream:.2f} s "
        f"(+{(total - stream) * 1000:.0f} ms after the model's last chunk)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    scenarios: list[tuple[str, Mode, int, float]] = [
        (
            "paced model: 30-line rewrite, a token every 25 ms (VS Code-like editor)",
            "vscode",
            30,
            0.025,
        ),
        (
            "fast model: 150-line rewrite, a token every 2.5 ms (VS Code-like editor)",
            "vscode",
            150,
            0.0025,
        ),
        ("paced model, Neovim-like editor (didChange 150 ms late)", "neovim", 30, 0.025),
    ]
    with GlmEndpoint() as endpoint, tempfile.TemporaryDirectory() as tmp:
        for index, (name, mode, lines, gap) in enumerate(scenarios):
            runs = []
            for n in range(args.runs):
                home = Path(tmp) / f"s{index}-{n}"
                home.mkdir()
                runs.append(await one_run(home, endpoint, mode, lines, gap))
            summary(name, runs)


if __name__ == "__main__":
    asyncio.run(main())
