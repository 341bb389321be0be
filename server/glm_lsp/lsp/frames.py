"""Reading LSP frames (``Content-Length`` headers, blank line, body) within bounds.

pygls 2.1.1's reader trusts the stream: a header line with no newline is buffered whole, a huge
``Content-Length`` is allocated before a byte arrives, and bytes that are not a frame are taken
for headers until a blank line turns up, so the next requests are never answered. Here:

* header lines are read at most ``MAX_LINE`` bytes at a time;
* a body over ``MAX_BODY_BYTES`` is refused (``InvalidRequest``, id null) and skipped;
* a missing or unreadable ``Content-Length``, and bytes between frames, get one ``ParseError``
  (id null) per run of junk; reading resumes at the next ``Content-Length`` header, also one
  glued to the end of the junk;
* a body is read in chunks, so memory follows the bytes that really arrive.

``serve_stdio`` and ``serve_tcp`` run the server over these readers (``--ws`` keeps pygls'
reader: a WebSocket message is already one whole frame).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import re
import signal
import sys
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.io_ import StdoutWriter

if TYPE_CHECKING:
    from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["MAX_BODY_BYTES", "MAX_LINE", "read_frames", "serve_stdio", "serve_tcp"]

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024 * 1024
"""The largest message accepted (a 50 MB document in ``didOpen`` is far below it)."""
MAX_LINE = 64 * 1024
"""Header lines (and junk between frames) are read at most this many bytes at a time."""
BODY_CHUNK = 1024 * 1024

_HEADER_NAME_BYTES = len(b"content-length:") + 16
_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*([^\r\n]*)", re.IGNORECASE)


class LineReader(Protocol):
    """What the frame loop reads from."""

    async def readline(self, limit: int) -> bytes:
        """Up to ``limit`` bytes, ending at the first newline; b"" at end of stream."""

    async def read(self, n: int) -> bytes:
        """Up to ``n`` bytes; b"" at end of stream."""


class FrameSink(Protocol):
    """Where frames go (``CancellableProtocol``)."""

    def receive_body(self, body: bytes | bytearray) -> None: ...

    def refuse(self, msg_id: int | str | None, error: JsonRpcException) -> None: ...


def _length(value: bytes) -> tuple[int | None, JsonRpcException | None]:
    text = value.strip()
    if not text.isdigit():
        shown = text[:40].decode("ascii", "replace")
        return None, JsonRpcParseError(f"Content-Length {shown!r} is not a number")
    if len(text) > 15 or int(text) > MAX_BODY_BYTES:
        return None, JsonRpcInvalidRequest(
            f"a message of {int(text[:15])}{'...' if len(text) > 15 else ''} bytes is over "
            f"the {MAX_BODY_BYTES} byte limit; it was skipped"
        )
    return int(text), None


async def read_frames(reader: LineReader, sink: FrameSink, stop: threading.Event) -> None:
    """Hand each frame's body to ``sink`` until the stream ends or ``stop`` is set."""
    length: int | None = None
    problem: JsonRpcException | None = None
    in_headers = False
    junk = False
    carry = b""  # the end of a line cut at MAX_LINE: a header may start there
    while not stop.is_set():
        read = await reader.readline(MAX_LINE)
        if not read:
            return
        line, carry = carry + read, b""
        found = _CONTENT_LENGTH.search(line)
        if found is None and not line.endswith(b"\n"):
            carry = line[-_HEADER_NAME_BYTES:]
        if found is not None:
            if found.start() > 0 and line[: found.start()].strip() and not junk:
                sink.refuse(None, JsonRpcParseError("bytes before a message were skipped"))
            junk, in_headers = False, True
            length, problem = _length(found.group(1))
            continue
        if not in_headers:
            if line.strip() and not junk:
                sink.refuse(
                    None,
                    JsonRpcParseError(
                        "bytes outside a message (no Content-Length header) were skipped"
                    ),
                )
                junk = True
            continue
        if line.strip():
            continue  # another header (Content-Type): nothing to do with it
        in_headers = False
        if problem is not None or length is None:
            sink.refuse(None, problem or JsonRpcParseError("a message had no Content-Length"))
            junk = True  # its body, if any, is skipped up to the next header
            continue
        body = bytearray()
        while len(body) < length:
            part = await reader.read(min(BODY_CHUNK, length - len(body)))
            if not part:
                return
            body += part
        sink.receive_body(body)


def _resolve(
    future: asyncio.Future[bytes], data: bytes | None, error: BaseException | None
) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(data or b"")


class ThreadedReader:
    """Blocking reads of a binary stream, done by one daemon thread.

    A daemon thread, not pygls' thread pool: a read blocked on an idle stdin must not hold up
    the process after ``exit``.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._jobs: queue.SimpleQueue[
            tuple[Callable[[], bytes], asyncio.Future[bytes], asyncio.AbstractEventLoop]
        ] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def _work(self) -> None:
        while True:
            call, future, loop = self._jobs.get()
            try:
                data, error = call(), None
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting reader
                data, error = None, exc
            try:
                loop.call_soon_threadsafe(_resolve, future, data, error)
            except RuntimeError:  # the loop is closed: the server is exiting
                return

    async def _submit(self, call: Callable[[], bytes]) -> bytes:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bytes] = loop.create_future()
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="glm-stdin", daemon=True)
            self._thread.start()
        self._jobs.put((call, future, loop))
        return await future

    async def readline(self, limit: int) -> bytes:
        return await self._submit(lambda: self._stream.readline(limit))

    async def read(self, n: int) -> bytes:
        return await self._submit(lambda: self._stream.read(n))


class StreamLines:
    """``LineReader`` over an asyncio stream (``--tcp``)."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader

    async def readline(self, limit: int) -> bytes:
        try:
            return await self._reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            return exc.partial
        except asyncio.LimitOverrunError:
            return await self._reader.read(limit)

    async def read(self, n: int) -> bytes:
        return await self._reader.read(n)


def serve_stdio(server: GlmLanguageServer, stdin: BinaryIO | None, stdout: BinaryIO | None) -> None:
    """Serve over stdin/stdout until the stream ends or ``exit``."""
    stop = server._stop_event = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    reader = ThreadedReader(stdin or sys.stdin.buffer)
    try:
        asyncio.run(read_frames(reader, server.protocol, stop))
    except BrokenPipeError:
        log.error("the connection to the editor was lost; stopping")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]


Announce = Callable[[str, int], None]
"""Called with the host and port once the server listens (``glm-lsp: listening on ...``)."""


class Closable(Protocol):
    """What stops listening (``asyncio.Server``)."""

    def close(self) -> None: ...


def _interrupt_event() -> asyncio.Event:
    """An event Ctrl-C sets (in place of KeyboardInterrupt) while this loop runs.

    Raising KeyboardInterrupt through the loop leaves a connection accepted in the same instant
    to start after the tasks were cancelled, and its coroutine dies with a traceback once the
    loop is closed. Install it before the address is announced: clients may press Ctrl-C then.
    """
    interrupted = asyncio.Event()
    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, interrupted.set)
    except (ValueError, RuntimeError, NotImplementedError):  # not the main thread; Windows
        pass
    return interrupted


async def _until_done_or_interrupted(
    listener: Closable, finished: asyncio.Event, interrupted: asyncio.Event
) -> bool:
    """Wait for ``finished`` or Ctrl-C, stop listening, end every other task; True on Ctrl-C."""
    waits = {asyncio.create_task(finished.wait()), asyncio.create_task(interrupted.wait())}
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    listener.close()
    await _end_other_tasks()
    with contextlib.suppress(NotImplementedError):
        asyncio.get_running_loop().remove_signal_handler(signal.SIGINT)
    return interrupted.is_set()


async def _end_other_tasks(rounds: int = 3) -> None:
    """Cancel and await every task but this one, also those started meanwhile (a late accept)."""
    me = asyncio.current_task()
    for _ in range(rounds):
        await asyncio.sleep(0)
        others = asyncio.all_tasks() - {me}
        if not others:
            return
        for task in others:
            task.cancel()
        await asyncio.wait(others, timeout=5)


def _run_network(main: Callable[[], Coroutine[Any, Any, bool]]) -> None:
    """Run ``main`` (True when Ctrl-C ended it) and raise KeyboardInterrupt after a Ctrl-C."""
    if asyncio.run(main()):
        raise KeyboardInterrupt


def serve_tcp(
    server: GlmLanguageServer, host: str, port: int, announce: Announce | None = None
) -> None:
    """Serve one TCP client on ``host:port``, then stop (as pygls does)."""
    stop = server._stop_event = threading.Event()

    async def main() -> bool:
        interrupted = _interrupt_event()
        finished = asyncio.Event()

        async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            server.protocol.set_writer(writer)
            try:
                await read_frames(StreamLines(reader), server.protocol, stop)
            except (SystemExit, ConnectionError):
                pass
            except asyncio.CancelledError:
                # Ctrl-C. Python 3.11's stream callback calls exception() on a cancelled task,
                # which raises and is logged as an error; a handler that returns is not.
                pass
            finally:
                finished.set()

        tcp = await asyncio.start_server(connection, host, port, limit=MAX_LINE)
        log.info("serving on %s", ", ".join(str(s.getsockname()) for s in tcp.sockets))
        if announce is not None:
            announce(host, tcp.sockets[0].getsockname()[1])
        return await _until_done_or_interrupted(tcp, finished, interrupted)

    try:
        _run_network(main)
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]


def serve_ws(server: GlmLanguageServer, host: str, port: int, announce: Announce) -> None:
    """Serve WebSocket clients on ``host:port`` (pygls' ``start_ws``, announcing the port)."""
    from pygls.io_ import run_websocket
    from websockets.asyncio.server import ServerConnection, serve

    stop = server._stop_event = threading.Event()

    async def connection(websocket: ServerConnection) -> None:
        await run_websocket(
            stop_event=stop,
            websocket=websocket,
            protocol=server.protocol,
            logger=log,
            error_handler=server.report_server_error,
        )
        server.shutdown()  # type: ignore[no-untyped-call]

    async def main() -> bool:
        interrupted = _interrupt_event()
        ws = await serve(connection, host, port)
        announce(host, next(iter(ws.sockets)).getsockname()[1])
        return await _until_done_or_interrupted(ws.server, asyncio.Event(), interrupted)

    _run_network(main)
