"""Loopback GLM endpoint: a real HTTP/1.1 server on 127.0.0.1 that plays scripted replies.

It is the only stand-in in the test suites. It runs its own event loop in a background thread,
so in-process async tests and subprocess servers (``python -m glm_lsp``) reach it alike, and it
speaks the wire format of glm-api.md: SSE over chunked transfer with keep-alive, Z.ai error
bodies, stalls, resets. It records every request and when each client went away (the
connection closed before the reply finished), with ``time.monotonic()`` timestamps.

Replies come from the queue (``enqueue``), else from ``handler(body)`` when it returns one,
else from ``default``. Standalone, for the editor suites::

    python tests/glm_endpoint.py --port 0 --script script.json [--record requests.jsonl]

prints ``glm-endpoint listening on http://127.0.0.1:PORT/v1`` and serves until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

try:
    from tests.glm_replies import Close, Event, Flood, Reply, Reset, Stall, reply_from_spec
except ImportError:  # run as a script: tests/ is on sys.path, the package is not
    from glm_replies import (  # type: ignore[no-redef]
        Close,
        Event,
        Flood,
        Reply,
        Reset,
        Stall,
        reply_from_spec,
    )

__all__ = ["GlmEndpoint", "Recorded"]

Handler = Callable[[Any], "Reply | None"]


@dataclass
class Recorded:
    """One request as the endpoint saw it; times are ``time.monotonic()``."""

    method: str
    path: str
    headers: dict[str, str]
    """Lower-case header names."""
    body: Any
    """The parsed JSON body (None when it was not JSON)."""
    arrived: float
    reply: Reply
    peer: str = ""
    """The client's address and port: equal for requests on one kept-alive connection."""
    finished: float | None = None
    """The reply was sent completely."""
    gone: float | None = None
    """The client closed the connection before the reply was complete."""


class GlmEndpoint:
    """The loopback server; ``start()``/``stop()`` or use it as a context manager."""

    def __init__(
        self, default: Reply | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.default = default or Reply.stream()
        self.handler: Handler | None = None
        self._host, self._port = host, port
        self._queue: list[Reply] = []
        self._records: list[Recorded] = []
        self._cond = threading.Condition()
        self._active = 0
        self.peak_active = 0
        """Most requests being answered at the same time."""
        self.on_record: Callable[[Recorded], None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None

    # -- control (any thread) ---------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        """Base URL to configure: requests go to ``{url}/chat/completions``."""
        return f"http://{self._host}:{self._port}/v1"

    def enqueue(self, *replies: Reply) -> None:
        """Answer the next requests with ``replies``, in order."""
        with self._cond:
            self._queue.extend(replies)

    @property
    def requests(self) -> list[Recorded]:
        """The requests so far (a copy)."""
        with self._cond:
            return list(self._records)

    @property
    def active(self) -> int:
        """Requests being answered now."""
        with self._cond:
            return self._active

    def wait_for(self, predicate: Callable[[GlmEndpoint], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(self)`` holds; False after ``timeout``."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)

    async def until(self, predicate: Callable[[GlmEndpoint], bool], timeout: float = 5.0) -> None:
        """Await ``predicate(self)`` without blocking the loop; AssertionError on timeout."""
        end = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > end:
                raise AssertionError(f"endpoint condition not met in {timeout} s")
            await asyncio.sleep(0.002)

    def start(self) -> GlmEndpoint:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._thread_main, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10) or self._server is None:
            raise RuntimeError("loopback GLM endpoint did not start")
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> GlmEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- server (endpoint thread) -----------------------------------------------------------

    def _thread_main(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(
                asyncio.start_server(self._connection, self._host, self._port)
            )
            self._port = self._server.sockets[0].getsockname()[1]
        finally:
            ready.set()
        loop.run_forever()
        loop.close()

    async def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        # Every task, also one a connection accepted in this instant started after a first
        # look: one left pending dies with "Event loop is closed" after the loop is closed.
        me = asyncio.current_task()
        for _ in range(3):
            await asyncio.sleep(0)
            others = asyncio.all_tasks() - {me}
            if not others:
                break
            for task in others:
                task.cancel()
            await asyncio.wait(others, timeout=5)
        await self._server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        pending = b""
        host, port = writer.get_extra_info("peername")[:2]
        try:
            while True:
                request = await _read_request(reader, pending)
                if request is None:
                    return
                record = self._begin(*request, peer=f"{host}:{port}")
                keep, pending = await self._respond(reader, writer, record)
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            writer.close()

    def _begin(
        self, method: str, path: str, headers: dict[str, str], raw: bytes, *, peer: str
    ) -> Recorded:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._cond:
            if self._queue:
                reply = self._queue.pop(0)
            else:
                reply = (self.handler(body) if self.handler else None) or self.default
            if method != "POST" or not path.rstrip("/").endswith("/chat/completions"):
                reply = Reply.error(404, None, f"no route for {method} {path}")
            record = Recorded(method, path, headers, body, time.monotonic(), reply, peer)
            self._records.append(record)
            self._active += 1
            self.peak_active = max(self.peak_active, self._active)
            self._cond.notify_all()
        return record

    def _end(self, record: Recorded, now: float, *, gone: bool) -> None:
        with self._cond:
            if gone:
                record.gone = now
            else:
                record.finished = now
            self._active -= 1
            self._cond.notify_all()
        if self.on_record is not None:
            self.on_record(record)

    async def _respond(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: Recorded
    ) -> tuple[bool, bytes]:
        watcher = asyncio.ensure_future(reader.read(1))
        sender = asyncio.ensure_future(_send(writer, record))
        try:
            await asyncio.wait({watcher, sender}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            watcher.cancel()
            sender.cancel()
            self._end(record, time.monotonic(), gone=True)
            raise
        now = time.monotonic()
        if sender.done() and not watcher.done():
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
        peer_closed = not watcher.cancelled() and (
            watcher.exception() is not None or watcher.result() == b""
        )
        extra = b"" if watcher.cancelled() or peer_closed else watcher.result()
        if sender.done():
            error = sender.exception()
            if error is None or isinstance(error, _ScriptedEnd):
                self._end(record, now, gone=False)
                return error is None and not peer_closed and sender.result(), extra
            self._end(record, now, gone=True)  # a write failed: the client went away
            return False, b""
        # The client closed its side (or broke protocol) while the reply was still going.
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        self._end(record, now, gone=True)
        return False, b""


class _ScriptedEnd(ConnectionError):
    """The reply script reset or closed the connection on purpose."""


async def _read_request(
    reader: asyncio.StreamReader, pending: bytes
) -> tuple[str, str, dict[str, str], bytes] | None:
    line = await reader.readline()
    line = pending + line
    if not line.strip():
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", ""):
        body = b""
        while size := int((await reader.readline()).split(b";")[0], 16):
            body += await reader.readexactly(size)
            await reader.readline()
        await reader.readline()
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return method, path, headers, body


def _head(status: int, headers: dict[str, str]) -> bytes:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Status"
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _send(writer: asyncio.StreamWriter, record: Recorded) -> bool:
    """Play ``record.reply``; True when the connection may serve another request."""
    reply = record.reply
    if reply.head_delay:
        await asyncio.sleep(reply.head_delay)
    wants_stream = isinstance(record.body, dict) and bool(record.body.get("stream"))
    if reply.body is not None or not wants_stream:
        body = reply.body if reply.body is not None else reply.completion_json()
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(data))}
        writer.write(_head(reply.status, {**headers, **reply.headers}) + data)
        await writer.drain()
        return True
    headers = {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"}
    headers["Transfer-Encoding"] = "chunked"
    writer.write(_head(reply.status, {**headers, **reply.headers}))
    await writer.drain()
    for step in reply.steps:
        if isinstance(step, Stall):
            await asyncio.sleep(step.seconds)
            continue
        if step.delay:
            await asyncio.sleep(step.delay)
        if isinstance(step, Reset):
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            raise _ScriptedEnd("scripted reset")
        if isinstance(step, Close):
            writer.transport.close()
            raise _ScriptedEnd("scripted close")
        if isinstance(step, Flood):
            await _flood(writer, step.size)
            continue
        data = step.encode() if isinstance(step, Event) else step.text.encode()
        writer.write(b"%x\r\n%s\r\n" % (len(data), data))
        await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()
    return True


async def _flood(writer: asyncio.StreamWriter, size: int) -> None:
    piece = b"x" * 65536
    head = b"data: "
    writer.write(b"%x\r\n%s\r\n" % (len(head), head))
    sent = 0
    while sent < size:
        data = piece[: size - sent]
        writer.write(b"%x\r\n%s\r\n" % (len(data), data))
        await writer.drain()
        sent += len(data)


def _script_handler(script: dict[str, Any]) -> Callable[[Any], Reply | None]:
    rules = [(rule["contains"], reply_from_spec(rule["reply"])) for rule in script.get("rules", [])]

    def handler(body: Any) -> Reply | None:
        text = json.dumps(body.get("messages", []) if isinstance(body, dict) else body)
        for needle, reply in rules:
            if needle in text:
                return reply
        return None

    return handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Loopback GLM endpoint for editor tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--script", help="JSON: {default, queue: [...], rules: [{contains, reply}]}"
    )
    parser.add_argument("--record", help="append one JSON line per finished request")
    args = parser.parse_args(argv)
    script: dict[str, Any] = {}
    if args.script:
        with open(args.script, encoding="utf-8") as f:
            script = json.load(f)
    default = reply_from_spec(script["default"]) if "default" in script else None
    endpoint = GlmEndpoint(default, args.host, args.port)
    endpoint.enqueue(*(reply_from_spec(spec) for spec in script.get("queue", [])))
    endpoint.handler = _script_handler(script)
    if args.record:
        log = open(args.record, "a", encoding="utf-8")  # noqa: SIM115 - open for the process life

        def write(record: Recorded) -> None:
            headers = dict(record.headers)
            if "authorization" in headers:
                headers["authorization"] = "Bearer ***"
            line = {"path": record.path, "headers": headers, "body": record.body}
            line.update(arrived=record.arrived, finished=record.finished, gone=record.gone)
            log.write(json.dumps(line) + "\n")
            log.flush()

        endpoint.on_record = write
    endpoint.start()
    print(f"glm-endpoint listening on {endpoint.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
    endpoint.stop()


if __name__ == "__main__":
    main()
