"""A raw-frame LSP client: ``python -m glm_lsp`` over pipes, driven byte by byte.

pytest-lsp cannot send what a broken editor sends (bad UTF-8, wrong Content-Length, arrays, ids
of the wrong type), and it raises on answers it did not ask for. ``RawServer`` writes frames
itself and records everything that comes back: every response per id (so a missing or second
answer shows), errors with id null, notifications. It behaves as a simple editor towards the
server's own requests: ``workspace/applyEdit`` is applied to its copy of the document and
reported with ``didChange``; other requests get a plausible answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest_asyncio

from tests.e2e.harness import clean_env
from tests.glm_endpoint import GlmEndpoint

ANSWER_TIMEOUT = 60.0
"""A hang detector, not a speed requirement: a healthy server answers in milliseconds."""


def frame(body: bytes | str) -> bytes:
    """``body`` with its Content-Length header."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return b"Content-Length: %d\r\n\r\n" % len(data) + data


def _offset(text: str, line: int, character: int) -> int:
    """Offset of a utf-16 position in ``text`` (clamped as editors do)."""
    lines = text.split("\n")
    line = max(0, min(line, len(lines) - 1))
    before = sum(len(part) + 1 for part in lines[:line])
    units = 0
    for index, char in enumerate(lines[line]):
        if units >= character:
            return before + index
        units += 2 if ord(char) > 0xFFFF else 1
    return before + len(lines[line])


class RawServer:
    """One server process and everything it said."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.responses: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        self.null_id_errors: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        self.server_requests: list[dict[str, Any]] = []
        self.documents: dict[str, tuple[int, str]] = {}
        self._arrived = asyncio.Event()
        self._next_id = 0
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(
        cls, home: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
    ) -> RawServer:
        """Start ``python -m glm_lsp`` with a clean environment under ``home``."""
        home.mkdir(parents=True, exist_ok=True)
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "glm_lsp",
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=None if os.environ.get("RAW_CLIENT_STDERR") else asyncio.subprocess.DEVNULL,
            env=clean_env(home, **(env or {})),
            limit=1 << 24,
        )
        return cls(proc)

    # -- writing -------------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        """Raw bytes to the server's stdin."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)

    def send(self, message: Any) -> None:
        """One JSON value as a frame."""
        self.write(frame(json.dumps(message)))

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def request(self, method: str, params: Any = None, *, msg_id: Any = None) -> Any:
        """Send a request; returns its id (answers land in ``responses``)."""
        msg_id = self.new_id() if msg_id is None else msg_id
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return msg_id

    def notify(self, method: str, params: Any = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    async def call(self, method: str, params: Any = None, *, msg_id: Any = None) -> dict[str, Any]:
        """Send a request and wait for its (first) response."""
        sent = self.request(method, params, msg_id=msg_id)
        return await self.response(sent)

    async def response(self, msg_id: Any, timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
        """The first response to ``msg_id``, waiting for it."""
        await self.until(lambda: bool(self.responses.get(msg_id)), timeout)
        return self.responses[msg_id][0]

    async def until(self, predicate: Any, timeout: float = ANSWER_TIMEOUT) -> None:
        """Wait until ``predicate()`` holds; AssertionError after ``timeout`` or on exit."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if self._reader.done():
                raise AssertionError("the server closed its output")
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"no answer within {timeout} s")
            self._arrived.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), min(left, 1.0))

    async def initialize(self, root: Path, options: Any = None) -> dict[str, Any]:
        """``initialize`` + ``initialized`` as a full-featured editor would send them."""
        caps = {
            "workspace": {
                "applyEdit": True,
                "configuration": False,
                "workspaceEdit": {"documentChanges": True},
            },
            "window": {"workDoneProgress": True, "showDocument": {"support": True}},
            "textDocument": {"inlineCompletion": {}},
        }
        params = {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": caps,
            "initializationOptions": options,
            "workspaceFolders": [{"uri": root.as_uri(), "name": "ws"}],
        }
        answer = await self.call("initialize", params)
        self.notify("initialized", {})
        return answer

    def open(self, uri: str, text: str, language: str = "python") -> None:
        self.documents[uri] = (1, text)
        item = {"uri": uri, "languageId": language, "version": 1, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    async def status(self) -> dict[str, Any]:
        """``glm.status``: proof that the server still answers."""
        return await self.call(
            "workspace/executeCommand", {"command": "glm.status", "arguments": [{}]}
        )

    def rss_kb(self) -> int:
        """The server's resident memory (VmRSS) in KiB."""
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    async def stop(self) -> int:
        """``shutdown`` + ``exit`` if still running; returns the exit status."""
        if self.proc.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.call("shutdown"), 20)
            with contextlib.suppress(Exception):
                self.notify("exit")
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except asyncio.TimeoutError:
                self.proc.kill()
        code = await self.proc.wait()
        self._reader.cancel()
        with contextlib.suppress(BaseException):
            await self._reader
        return code

    # -- reading -------------------------------------------------------------------------------

    async def _read(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        while True:
            length = None
            while True:
                line = await stdout.readline()
                if not line:
                    self._arrived.set()
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif not line.strip():
                    break
            assert length is not None, "the server sent a frame without Content-Length"
            body = await stdout.readexactly(length)
            self._received(json.loads(body))
            self._arrived.set()

    def _received(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:
            self.server_requests.append(message)
            self._answer_server(message)
        elif "method" in message:
            self.notifications.append(message)
        elif message.get("id") is None:
            self.null_id_errors.append(message)
        else:
            self.responses[message["id"]].append(message)

    def _answer_server(self, message: dict[str, Any]) -> None:
        method, params = message["method"], message.get("params") or {}
        result: Any = None
        if method == "workspace/applyEdit":
            result = {"applied": self._apply(params.get("edit") or {})}
        elif method == "workspace/configuration":
            result = [None for _ in params.get("items", [])]
        elif method == "window/showDocument":
            result = {"success": True}
        self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        self._flush_changes()

    def _apply(self, edit: dict[str, Any]) -> bool:
        changes: list[tuple[str, list[dict[str, Any]]]] = []
        for change in edit.get("documentChanges") or []:
            if "textDocument" in change:
                changes.append((change["textDocument"]["uri"], change["edits"]))
        changes.extend((edit.get("changes") or {}).items())
        self._pending: list[str] = []
        for uri, edits in changes:
            if uri not in self.documents:
                continue
            version, text = self.documents[uri]
            spans = [
                (
                    _offset(text, e["range"]["start"]["line"], e["range"]["start"]["character"]),
                    _offset(text, e["range"]["end"]["line"], e["range"]["end"]["character"]),
                    e["newText"],
                )
                for e in edits
            ]
            for start, end, new in sorted(spans, reverse=True):
                text = text[:start] + new + text[end:]
            self.documents[uri] = (version + 1, text)
            self._pending.append(uri)
        return True

    def _flush_changes(self) -> None:
        for uri in getattr(self, "_pending", []):
            version, text = self.documents[uri]
            self.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": text}],
                },
            )
        self._pending = []


def answered_ids(server: RawServer) -> set[Any]:
    """Ids that got at least one response."""
    return {key for key, answers in server.responses.items() if answers}


def env_for(endpoint_url: str, home: Path) -> dict[str, str]:
    """Environment pointing the server at the loopback endpoint, with a test key and a chat
    database under ``home``."""
    return {
        "GLM_API_KEY": "sk-raw-client-test-0123456789abcdef",
        "GLM_PROVIDER": "custom",
        "GLM_BASE_URL": endpoint_url,
        "GLM_LSP_CHAT_DB": str(home / "chats.sqlite3"),
    }


StartRaw = Callable[..., Awaitable[RawServer]]


@pytest_asyncio.fixture
async def start_raw(tmp_path: Path, glm_endpoint: GlmEndpoint) -> AsyncIterator[StartRaw]:
    """Factory: ``server = await start_raw(initialize=True)``, pointed at the loopback endpoint;
    every server started is stopped (``shutdown`` + ``exit``) after the test."""
    started: list[RawServer] = []

    async def start(*, initialize: bool = True, env: dict[str, str] | None = None) -> RawServer:
        home = tmp_path / f"home{len(started)}"
        server = await RawServer.start(home, {**env_for(glm_endpoint.url, tmp_path), **(env or {})})
        started.append(server)
        if initialize:
            await server.initialize(tmp_path)
        return server

    yield start
    for server in started:
        await server.stop()
