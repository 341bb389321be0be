"""The walk of a request through the code: ``.venv/bin/python bench/walk.py [--files] [--hops]``.

Issue 13 asks how many files and layer crossings one keystroke, one Refactor and one chat
message go through on their way from the editor's message to the HTTP request to the model.
This script measures it on any commit of the project (it imports nothing from ``glm_lsp``, only
the loopback endpoint of ``tests/`` and the LSP client library), e.g. before and after a
refactoring::

    git worktree add --detach /tmp/before 7334efd
    .venv/bin/python bench/walk.py --root /tmp/before    # the server of that commit
    .venv/bin/python bench/walk.py                       # the server of this checkout

Method:

1. The real server runs as a subprocess over stdio, started by this very file with
   ``GLM_WALK_SERVE`` set: it puts the measured checkout's ``server/`` directory first on
   ``sys.path`` (so a worktree measures its own code, not the installed one), installs a profile
   hook (``sys.setprofile`` and ``threading.setprofile``: every thread, including the workers
   that do git and file I/O) and runs ``glm_lsp`` as ``python -m glm_lsp`` would.
2. The hook ignores everything until the driver arms it with SIGUSR1 (the hook confirms by
   writing a file). From then on it records every Python ``call`` event (function calls and
   generator/coroutine resumptions) whose code lives under ``server/glm_lsp/``, in the order
   they happen across threads, with the nearest ``glm_lsp`` frame of the caller. It stops at the
   first call of ``httpx.AsyncClient.send``: the moment the request leaves our code. The
   sequence goes to a JSON file.
3. The driver (a pytest-lsp client) talks to the server as an editor would, against the
   loopback GLM endpoint (``tests/glm_endpoint.py``), and runs each path twice: once unrecorded
   (lazy imports, caches and connections warm up), then once recorded. The three paths:
   a. keystroke: ``didChange`` (one character typed) then ``textDocument/inlineCompletion``;
   b. Refactor: ``workspace/executeCommand glm.refactor`` on a function (the arguments the
      ``GLM: Refactor`` code action carries);
   c. chat: ``workspace/executeCommand glm.chat.send`` with a message about the open file.
   Start-up, the code-action listing and everything after the request left are not counted.
   Each path is recorded ``--runs`` times (default 3, a new character and a new question
   each time); the table shows the median (low) of each column.

Each file maps to a layer by its path below ``glm_lsp/``, for the old flat layout and the new
one alike: ``lsp/**``, ``features/**`` and the old root ``server, protocol, frames, rpc_errors,
docstore`` → ``lsp``; ``inline``, ``edits``, ``chat`` → ``engine:<name>``; ``context`` →
``context``; ``llm/**`` and the old root ``client, wire, upstream, providers, events,
error_map`` → ``llm``; any other root module or package (settings, status, textpos, ...) →
``root``. Reported per path:

- calls: recorded call events; files: distinct files entered;
- crossings: transitions between layers in the call sequence (consecutive call events whose
  files are in different layers, the issue's "trips up, down and sideways"), counted in each
  thread's own sequence so that a worker thread interleaving with the event loop adds none;
- cross-layer calls: call events whose calling ``glm_lsp`` frame is in another layer (a
  coroutine resumed by the event loop has no such caller and does not count here); of those,
  upward calls (callee higher in the picture: lsp > engines > context, llm > root; callbacks
  such as an engine calling a function the glue handed it) and sideways calls (between two
  engines, or between context and llm);
- distinct hops: distinct cross-layer (caller function -> callee function) pairs, what a
  reader follows from layer to layer (``--hops`` lists them).

Background work that happens to run inside the window (the warm-up thread, context
preparation) is recorded too; the driver waits for the server to settle before each recording.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

from lsprotocol import types

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("GLM_WALK_ROOT") or ROOT).resolve()
"""The checkout whose server is measured (``--root``; this one by default)."""

LSP_ROOT_MODULES = {"server", "protocol", "frames", "rpc_errors", "docstore"}
LLM_ROOT_MODULES = {"client", "wire", "upstream", "providers", "events", "error_map"}
ENGINES = {"inline", "edits", "chat"}
SCHEDULERS = tuple(
    os.path.join(*parts) for parts in (("asyncio", ""), ("concurrent", "futures", ""))
) + (os.sep + "threading.py",)


def layer_of(relative: str) -> str:
    """The layer of a file given by its path below ``glm_lsp/`` (``/``-separated)."""
    parts = relative.split("/")
    head = parts[0].removesuffix(".py")
    if head in ("lsp", "features") or (len(parts) == 1 and head in LSP_ROOT_MODULES):
        return "lsp"
    if head in ENGINES and len(parts) > 1:
        return f"engine:{head}"
    if head == "context" and len(parts) > 1:
        return "context"
    if head == "llm" or (len(parts) == 1 and head in LLM_ROOT_MODULES):
        return "llm"
    return "root"


# ---------------------------------------------------------------- the traced server (subprocess)


class Tracer:
    """The profile hook: idle until armed, then records ``glm_lsp`` calls until httpx sends."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.prefix = str(TARGET / "server" / "glm_lsp") + os.sep
        self.recording = False
        self.calls: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def arm(self, _signum: int, _frame: object) -> None:
        with self.lock:
            self.calls = []
            self.recording = True
        self.out.with_suffix(".armed").write_text("armed")

    def profile(self, frame: FrameType, event: str, _arg: object) -> None:
        if not self.recording or event != "call":
            return
        filename = frame.f_code.co_filename
        if filename.startswith(self.prefix):
            self._record(frame, filename)
        elif frame.f_code.co_name == "send" and filename.endswith(
            os.path.join("httpx", "_client.py")
        ):
            self._finish()

    def _record(self, frame: FrameType, filename: str) -> None:
        caller = frame.f_back
        depth = 0
        while caller is not None and depth < 64:
            name = caller.f_code.co_filename
            if name.startswith(self.prefix):
                break
            if any(part in name for part in SCHEDULERS):
                caller = None  # resumed by the event loop or started by a thread: no caller
                break
            caller, depth = caller.f_back, depth + 1
        else:
            caller = None
        code = frame.f_code
        entry = {
            "file": filename[len(self.prefix) :].replace(os.sep, "/"),
            "function": getattr(code, "co_qualname", code.co_name),
            "caller": None
            if caller is None
            else caller.f_code.co_filename[len(self.prefix) :].replace(os.sep, "/"),
            "caller_function": None
            if caller is None
            else getattr(caller.f_code, "co_qualname", caller.f_code.co_name),
            "thread": threading.current_thread().name,
        }
        with self.lock:
            if self.recording:
                self.calls.append(entry)

    def _finish(self) -> None:
        with self.lock:
            if not self.recording:
                return
            self.recording = False
            calls = self.calls
        partial = self.out.with_suffix(".part")
        partial.write_text(json.dumps(calls))
        partial.replace(self.out)


def serve(out: Path) -> None:
    """Run the server as ``python -m glm_lsp`` would, under the tracer."""
    import runpy

    sys.path.insert(0, str(TARGET / "server"))
    tracer = Tracer(out)
    signal.signal(signal.SIGUSR1, tracer.arm)
    threading.setprofile(tracer.profile)
    sys.setprofile(tracer.profile)
    sys.argv = [sys.argv[0]]
    runpy.run_module("glm_lsp", run_name="__main__", alter_sys=True)


# ------------------------------------------------------------------------- the driver (editor)

SAMPLE = """import math


def area(r):
    x = r * r
    return x * math.pi


def perimeter(r):
    return 2 * math.pi * r


def describe(r):
    total = area(r) + perimeter(r)
"""
REFACTORED = "def area(r):\n    return r * r * math.pi\n"
KEY = "sk-walk-bench-0123456789abcdef"


def make_workspace(home: Path) -> Path:
    """A small git repository with a committed file and an uncommitted change."""
    ws = home / "ws"
    ws.mkdir(parents=True)
    (ws / "geometry.py").write_text(SAMPLE)
    (ws / "units.py").write_text("SCALE = 1.0\n\n\ndef scaled(x):\n    return x * SCALE\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "w", "GIT_AUTHOR_EMAIL": "w@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "w", "GIT_COMMITTER_EMAIL": "w@example.invalid"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "start"]):
        subprocess.run(["git", *args], cwd=ws, env=env, check=True)
    (ws / "units.py").write_text("SCALE = 2.0\n\n\ndef scaled(x):\n    return x * SCALE\n")
    return ws


def server_env(home: Path, out: Path) -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from tests.e2e.harness import clean_env

    return clean_env(home, GLM_API_KEY=KEY, GLM_WALK_SERVE=str(out), GLM_WALK_ROOT=str(TARGET))


def capabilities() -> types.ClientCapabilities:
    kinds = types.ClientCodeActionKindOptions(value_set=["", "quickfix"])
    return types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            inline_completion=types.InlineCompletionClientCapabilities(),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=kinds
                )
            ),
        ),
        workspace=types.WorkspaceClientCapabilities(apply_edit=True, configuration=True),
    )


async def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"walk: gave up waiting for {what}")
        await asyncio.sleep(0.01)


class Editor:
    """The pytest-lsp client, the loopback endpoint and the traced server's output file."""

    def __init__(self, home: Path) -> None:
        import pytest_lsp

        sys.path.insert(0, str(ROOT))
        from tests.glm_endpoint import GlmEndpoint
        from tests.glm_replies import Reply

        self.home, self.out = home, home / "walk.json"
        self.reply_class = Reply
        self.reply = Reply.stream(["ok"])
        self.endpoint = GlmEndpoint().start()
        self.endpoint.handler = lambda _body: self.reply
        self.client = pytest_lsp.make_test_lsp_client()
        self.states: list[str] = []
        self.done_turns: set[str] = set()
        self.version = 1
        self.text = SAMPLE
        self.uri = ""
        self._listen()

    def _listen(self) -> None:
        @self.client.feature("glm/status")
        def on_status(params: Any) -> None:
            self.states.append(str(getattr(params, "state", "")))

        @self.client.feature("glm/chat/delta")
        def on_delta(_params: Any) -> None:
            return None

        @self.client.feature("glm/chat/done")
        def on_done(params: Any) -> None:
            self.done_turns.add(str(getattr(params, "turnId", "")))

        @self.client.feature(types.WORKSPACE_APPLY_EDIT)
        def on_apply(_params: Any) -> types.ApplyWorkspaceEditResult:
            return types.ApplyWorkspaceEditResult(applied=True)

    async def start(self) -> None:
        ws = make_workspace(self.home)
        glm = {"provider": "zai", "baseUrl": self.endpoint.url, "inline": {"debounceMs": 0}}
        self.client.set_configuration({"glm": glm})
        env = server_env(self.home, self.out)
        await self.client.start_io(sys.executable, str(Path(__file__).resolve()), env=env)
        root = ws.as_uri()
        await self.client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities(),
                root_uri=root,
                workspace_folders=[types.WorkspaceFolder(uri=root, name="ws")],
            )
        )
        await wait_for(lambda: "ready" in self.states, "the server to be ready")
        self.uri = (ws / "geometry.py").as_uri()
        item = types.TextDocumentItem(uri=self.uri, language_id="python", version=1, text=SAMPLE)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_session(), 10)
        await self.client.stop()
        self.endpoint.stop()

    def type_at_end(self, typed: str) -> types.Position:
        """didChange: ``typed`` appended at the end of the document; the new end."""
        lines = self.text.split("\n")
        end = types.Position(line=len(lines) - 1, character=len(lines[-1]))
        self.text += typed
        self.version += 1
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=end, end=end), text=typed
        )
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[change],
            )
        )
        lines = self.text.split("\n")
        return types.Position(line=len(lines) - 1, character=len(lines[-1]))

    async def keystroke(self, typed: str) -> None:
        self.reply = self.reply_class.stream(["<COMPLETION>", "pass", "</COMPLETION>"])
        position = self.type_at_end(typed)
        context = types.InlineCompletionContext(
            trigger_kind=types.InlineCompletionTriggerKind.Automatic
        )
        await self.client.text_document_inline_completion_async(
            types.InlineCompletionParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri),
                position=position,
                context=context,
            )
        )

    async def refactor(self) -> None:
        start = SAMPLE.index("def area")
        function = SAMPLE[start : SAMPLE.index("def perimeter")].rstrip("\n") + "\n"
        self.reply = self.reply_class.stream([function])
        first = SAMPLE[:start].count("\n")
        span = types.Range(
            start=types.Position(line=first, character=0),
            end=types.Position(line=first + function.count("\n"), character=0),
        )
        arg = {"uri": self.uri, "range": self.client.protocol._converter.unstructure(span)}
        await asyncio.wait_for(self._command("glm.refactor", arg), 30)

    async def chat(self, message: str) -> None:
        self.reply = self.reply_class.stream(["It is ", "the area of a circle."])
        started = await self._command("glm.chat.send", {"message": message, "uri": self.uri})
        turn = str(started["turnId"] if isinstance(started, dict) else started.turnId)
        await wait_for(lambda: turn in self.done_turns, "the chat turn to end")

    async def _command(self, command: str, arg: dict[str, Any]) -> Any:
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command, arguments=[arg])
        )

    async def recorded(self, action: Callable[[], Any]) -> list[dict[str, Any]]:
        """Arm the tracer, run ``action``, return the calls up to the request leaving."""
        await asyncio.sleep(1.0)  # let background work (context preparation, git) settle
        armed = self.out.with_suffix(".armed")
        self.out.unlink(missing_ok=True)
        armed.unlink(missing_ok=True)
        os.kill(self.client._server.pid, signal.SIGUSR1)  # type: ignore[attr-defined]
        await wait_for(armed.exists, "the tracer to arm")
        sent = len(self.endpoint.requests)
        await action()
        await wait_for(lambda: self.out.exists(), "the request to leave")
        await wait_for(lambda: len(self.endpoint.requests) > sent, "the endpoint to see it")
        calls: list[dict[str, Any]] = json.loads(self.out.read_text())
        return calls


# ------------------------------------------------------------------------------------ figures


def figures(calls: list[dict[str, Any]]) -> dict[str, int]:
    layers = [layer_of(call["file"]) for call in calls]
    by_thread: dict[str, list[str]] = {}
    for call, layer in zip(calls, layers, strict=True):
        by_thread.setdefault(call["thread"], []).append(layer)
    crossings = sum(
        1 for seq in by_thread.values() for a, b in zip(seq, seq[1:], strict=False) if a != b
    )
    pairs = [
        (layer_of(call["caller"]), layer)
        for call, layer in zip(calls, layers, strict=True)
        if call["caller"] is not None and layer_of(call["caller"]) != layer
    ]
    return {
        "calls": len(calls),
        "files": len({call["file"] for call in calls}),
        "crossings": crossings,
        "cross-layer calls": len(pairs),
        "upward calls": sum(1 for caller, callee in pairs if rank(callee) > rank(caller)),
        "sideways calls": sum(1 for caller, callee in pairs if rank(callee) == rank(caller)),
        "distinct hops": len(
            {
                (call["caller"], call["caller_function"], call["file"], call["function"])
                for call in calls
                if call["caller"] is not None and layer_of(call["caller"]) != layer_of(call["file"])
            }
        ),
    }


def rank(layer: str) -> int:
    """Height in the picture: lsp above the engines, above context and llm, above root."""
    if layer == "lsp":
        return 3
    if layer.startswith("engine:"):
        return 2
    return 1 if layer in ("context", "llm") else 0


def route(calls: list[dict[str, Any]]) -> list[str]:
    """The layer sequence with repeats collapsed."""
    out: list[str] = []
    for call in calls:
        layer = layer_of(call["file"])
        if not out or out[-1] != layer:
            out.append(layer)
    return out


def print_table(
    walks: dict[str, list[list[dict[str, Any]]]], show_files: bool, show_hops: bool
) -> None:
    head = ["path", "calls", "files", "crossings", "cross-layer calls"]
    head += ["upward calls", "sideways calls", "distinct hops"]
    runs = min(len(v) for v in walks.values())
    print(f"walk of {TARGET} (commit {commit()}); median of {runs} runs per path")
    print("  ".join(f"{h:>17}" if i else f"{h:<10}" for i, h in enumerate(head)))
    for name, recorded in walks.items():
        rows = [figures(calls) for calls in recorded]
        print(
            f"{name:<10}"
            + "".join(f"  {statistics.median_low([r[h] for r in rows]):>17}" for h in head[1:])
        )
    if show_files:
        for name, recorded in walks.items():
            print_files(name, recorded[0])
    if show_hops:
        for name, recorded in walks.items():
            print_hops(name, recorded[0])


def print_files(name: str, calls: list[dict[str, Any]]) -> None:
    print(f"\n{name} (first run): {' -> '.join(route(calls))}")
    seen: dict[str, str] = {}
    for call in calls:
        seen.setdefault(call["file"], call["function"])
    for file, function in seen.items():
        print(f"  {layer_of(file):<15} {file:<34} first: {function}")


def print_hops(name: str, calls: list[dict[str, Any]]) -> None:
    """The cross-layer calls in order, each caller -> callee pair once."""
    print(f"\n{name} (first run): cross-layer calls, each pair once")
    seen: set[tuple[str, str]] = set()
    for call in calls:
        caller = call["caller"]
        if caller is None or layer_of(caller) == layer_of(call["file"]):
            continue
        source = f"{caller}:{call['caller_function']}"
        target = f"{call['file']}:{call['function']}"
        if (source, target) not in seen:
            seen.add((source, target))
            print(f"  {layer_of(caller):>13} {source:<58} -> {target}")


def commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=TARGET, capture_output=True, text=True
    )
    return found.stdout.strip() or "unknown"


async def drive(runs: int, show_files: bool, show_hops: bool) -> None:
    walks: dict[str, list[list[dict[str, Any]]]] = {"keystroke": [], "refactor": [], "chat": []}
    with tempfile.TemporaryDirectory(prefix="glm-walk-") as tmp:
        editor = Editor(Path(tmp))
        await editor.start()
        try:
            await asyncio.sleep(1.0)
            await editor.keystroke("\n    ")  # unrecorded: imports, caches, connection
            await editor.refactor()
            await editor.chat("What does area compute?")
            for run in range(runs):
                typed = "rxyzabcdefghijklmnopq"[run % 21]
                keystroke = partial(editor.keystroke, typed)
                walks["keystroke"].append(await editor.recorded(keystroke))
                walks["refactor"].append(await editor.recorded(editor.refactor))
                chat = partial(editor.chat, f"And perimeter, question {run}?")
                walks["chat"].append(await editor.recorded(chat))
        finally:
            await editor.stop()
    print_table(walks, show_files, show_hops)


def main() -> None:
    served = os.environ.get("GLM_WALK_SERVE")
    if served:
        serve(Path(served))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", action="store_true", help="list the files of each walk")
    parser.add_argument(
        "--root", type=Path, help="measure the server of another checkout (a git worktree)"
    )
    parser.add_argument("--hops", action="store_true", help="list the cross-layer calls")
    parser.add_argument("--runs", type=int, default=3, help="recorded runs per path")
    args = parser.parse_args()
    if args.root is not None:
        global TARGET
        TARGET = args.root.resolve()
        if not (TARGET / "server" / "glm_lsp").is_dir():
            raise SystemExit(f"walk: no server/glm_lsp in {TARGET}")
    asyncio.run(drive(max(1, args.runs), args.files, args.hops))


if __name__ == "__main__":
    main()
