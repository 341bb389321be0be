"""``CancellableProtocol``: pygls 2.1.1's JSON-RPC layer, made to answer every request once.

Rules this layer enforces for every handler (docs/protocol.md, "Lifecycle and errors"):

* every message with an id gets exactly one response: a body that is not UTF-8 or not JSON gets
  ``ParseError`` (id null); a value that is not a JSON-RPC message gets ``InvalidRequest`` (id
  null when it cannot be read); params that do not fit the method's type get ``InvalidParams``
  naming the field; an unknown method ``MethodNotFound``; a second response to one request is
  dropped; a result that cannot be encoded becomes ``InternalError``;
* the LSP lifecycle: requests before ``initialize`` get ``ServerNotInitialized`` and
  notifications are dropped; after ``shutdown``, requests get ``InvalidRequest`` and
  notifications are dropped once it answered; ``exit`` ends the process with 0 after
  ``shutdown``, else 1 (``exit_code``).

And the cancellation gaps of pygls 2.1.1 it closes:

1. ``$/cancelRequest`` for ``workspace/executeCommand`` cancels only pygls' outer generator
   future; we link it to the command's own task, so its upstream HTTP stream closes too.
2. A client's late answer to a server request whose task was cancelled raised
   ``InvalidStateError`` inside pygls (issue #621, fixed after 2.1.1): we drop it.
3. pygls keeps the task of every async command and async notification handler in its table of
   pending requests forever: we remove it when it ends.

The overrides rely on private pygls internals, so pygls is pinned below 2.2 and
``tests/e2e/test_pygls_canaries.py`` fails when pygls changes the behaviour relied on here.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import json
import logging
from collections import Counter
from collections.abc import Generator
from typing import Any, Literal

import cattrs
from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcMethodNotFound,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
)
from pygls.protocol.language_server import _prepare_command_arguments

from glm_lsp.keyguard import MaskingWriter
from glm_lsp.lsp.rpc_errors import (
    MsgId,
    argument_errors,
    describe_params_error,
    is_notification_method,
    is_request_method,
    readable_id,
)

__all__ = ["CancellableProtocol", "Phase"]

log = logging.getLogger(__name__)

Phase = Literal["new", "running", "stopping", "stopped"]
"""Before ``initialize``; serving; ``shutdown`` received; ``shutdown`` answered."""


class _Unencodable(Exception):
    """An outgoing message could not be turned into JSON."""


class CancellableProtocol(LanguageServerProtocol):
    """The pygls language-server protocol with strict answers and end-to-end cancellation."""

    def __init__(self, server: Any, converter: cattrs.Converter) -> None:
        self.phase: Phase = "new"
        self.exit_code: int | None = None
        """Set by ``exit``: 0 after ``shutdown``, else 1."""
        self._open_requests: Counter[MsgId] = Counter()
        """Client requests received and not answered yet (a count per id)."""
        super().__init__(server, converter)

    # -- incoming ------------------------------------------------------------------------------

    def structure_message(self, data: dict[str, Any]) -> Any:
        """Leave JSON as parsed: ``handle_message`` checks and structures the whole message."""
        return data

    def receive_body(self, body: bytes | bytearray) -> None:
        """One frame's body: parse it and handle it, answering what cannot be parsed."""
        try:
            message = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            self.refuse(None, JsonRpcParseError(f"the message is not valid UTF-8 ({exc.reason})"))
        except RecursionError:
            self.refuse(None, JsonRpcParseError("the message nests too deeply to be read"))
        except ValueError as exc:
            self.refuse(None, JsonRpcParseError(f"the message is not valid JSON ({exc})"))
        else:
            self.handle_message(message)

    def handle_message(self, message: Any) -> None:
        """Check the envelope and the lifecycle, structure the params, then dispatch."""
        try:
            self._dispatch(message)
        except RecursionError:
            self.refuse(readable_id(message), JsonRpcInvalidRequest("the message nests too deeply"))
        except Exception as exc:  # noqa: BLE001 - a bug here must not cost the client its answer
            log.exception("could not handle a message")
            self._server._report_server_error(exc, JsonRpcInternalError)
            msg_id = readable_id(message)
            if msg_id is not None and self._open_requests[msg_id] > 0:
                self._send_response(
                    msg_id, error=JsonRpcInternalError(str(exc)).to_response_error()
                )

    def _dispatch(self, message: Any) -> None:
        if not isinstance(message, dict):
            self.refuse(None, JsonRpcInvalidRequest("a JSON-RPC message must be a JSON object"))
            return
        msg_id = readable_id(message)
        if "id" in message and msg_id is None:
            self.refuse(None, JsonRpcInvalidRequest("id must be an integer or a string"))
            return
        method = message.get("method")
        if method is None and msg_id is not None and ("result" in message or "error" in message):
            self._receive_response(msg_id, message)
            return
        if msg_id is not None:
            self._open_requests[msg_id] += 1
        if message.get("jsonrpc") != "2.0":
            self.refuse(msg_id, JsonRpcInvalidRequest('"jsonrpc" must be "2.0"'))
        elif method is None:
            self.refuse(msg_id, JsonRpcInvalidRequest("the message has no method"))
        elif not isinstance(method, str):
            self.refuse(msg_id, JsonRpcInvalidRequest("method must be a string"))
        elif msg_id is None:
            self._receive_notification(method, message)
        else:
            self._receive_request(msg_id, method, message)

    def _lifecycle_refusal(self, method: str) -> JsonRpcException | None:
        if self.phase == "new" and method != types.INITIALIZE:
            return JsonRpcServerNotInitialized(
                "the server is not initialized: send initialize first"
            )
        if self.phase == "running" and method == types.INITIALIZE:
            return JsonRpcInvalidRequest("initialize was already received")
        if self.phase in ("stopping", "stopped"):
            return JsonRpcInvalidRequest("the server is shutting down: only exit is accepted")
        return None

    def _receive_request(self, msg_id: MsgId, method: str, message: dict[str, Any]) -> None:
        refusal = self._lifecycle_refusal(method)
        if refusal is not None:
            self.refuse(msg_id, refusal)
            return
        if self.fm.builtin_features.get(method) is None and self.fm.features.get(method) is None:
            self.refuse(msg_id, JsonRpcMethodNotFound.of(method))
            return
        if is_notification_method(method):
            self.refuse(msg_id, JsonRpcInvalidRequest(f"{method} is a notification: no id"))
            return
        try:
            params = self._structure(method, message, JsonRPCRequestMessage)
        except Exception as exc:  # noqa: BLE001 - any failure to read params is the client's
            self.refuse(msg_id, JsonRpcInvalidParams(describe_params_error(method, exc)))
            return
        if method == types.INITIALIZE:
            self.phase = "running"
        elif method == types.SHUTDOWN:
            self.phase = "stopping"
        contextvars.copy_context().run(self._handle_request, msg_id, method, params)

    def _receive_notification(self, method: str, message: dict[str, Any]) -> None:
        if method != types.EXIT and self.phase in ("new", "stopped"):
            log.info("dropped %s: the server is %s", method, self.phase)
            return
        if is_request_method(method):
            log.warning("dropped %s: it is a request and came without an id", method)
            return
        try:
            params = self._structure(method, message, JsonRPCNotification)
        except Exception as exc:  # noqa: BLE001 - a notification has no one to answer
            log.warning("dropped %s", describe_params_error(method, exc))
            return
        contextvars.copy_context().run(self._handle_notification, method, params)

    def _structure(self, method: str, message: dict[str, Any], fallback: type[Any]) -> Any:
        kind = self.get_message_type(method)
        if kind is None:
            message = {**message, "params": message.get("params")}
            kind = fallback
        return self._converter.structure(message, kind).params

    def _receive_response(self, msg_id: MsgId, message: dict[str, Any]) -> None:
        result_type = self._result_types.pop(msg_id, None) or JsonRPCResponseMessage
        if "error" in message:
            try:
                error = self._converter.structure(message["error"], types.ResponseError)
            except Exception:  # noqa: BLE001 - still an error answer for whoever waits
                error = types.ResponseError(code=-32603, message="malformed error response")
            self._handle_response(msg_id, None, error)
            return
        try:
            result = self._converter.structure(message, result_type).result
        except Exception as exc:  # noqa: BLE001 - the waiting task gets an error, not a hang
            message_text = f"malformed response: {describe_params_error('the response', exc)}"
            self._handle_response(
                msg_id, None, types.ResponseError(code=-32603, message=message_text)
            )
            return
        self._handle_response(msg_id, result)

    # -- outgoing ------------------------------------------------------------------------------

    def refuse(self, msg_id: MsgId | None, error: JsonRpcException) -> None:
        """Answer a message with ``error`` (id null when the id could not be read)."""
        log.info("refused a message: %s (%s)", error.message, error.code)
        if msg_id is not None:
            self._send_response(msg_id, error=error.to_response_error())
            return
        body = {
            "jsonrpc": "2.0",
            "id": None,
            "error": {"code": error.code, "message": error.message},
        }
        self._send_data(body)

    def _send_response(
        self, msg_id: MsgId, result: Any | None = None, error: types.ResponseError | None = None
    ) -> None:
        if self._open_requests[msg_id] <= 0:
            self._open_requests.pop(msg_id, None)
            log.warning("dropped a second response to request %r", msg_id)
            return
        self._open_requests[msg_id] -= 1
        if self._open_requests[msg_id] <= 0:
            del self._open_requests[msg_id]
        try:
            super()._send_response(msg_id, result, error)
        except _Unencodable as exc:
            log.error("the answer to request %r could not be encoded: %s", msg_id, exc)
            failure = JsonRpcInternalError(f"the result could not be encoded ({exc})")
            super()._send_response(msg_id, error=failure.to_response_error())

    def set_writer(self, writer: Any, include_headers: bool = True) -> None:
        """Every byte to the client passes the key guard (``keyguard.MaskingWriter``)."""
        super().set_writer(MaskingWriter(writer), include_headers)

    def _send_data(self, data: Any) -> None:
        """pygls' ``_send_data``, except that a message that cannot be encoded raises
        ``_Unencodable`` (so a response becomes an error) instead of vanishing."""
        if not data:
            return
        if self.writer is None:
            log.error("no transport to send a message on")
            return
        try:
            body = json.dumps(data, default=self._serialize_message).encode("utf-8")
        except Exception as exc:  # noqa: BLE001 - the caller answers with an error instead
            raise _Unencodable(f"{type(exc).__name__}: {exc}") from exc
        if self._include_headers:
            header = (
                f"Content-Length: {len(body)}\r\n"
                f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            )
            body = header.encode("ascii") + body
        try:
            written = self.writer.write(body)
            if inspect.isawaitable(written):
                asyncio.ensure_future(written)
        except BrokenPipeError:
            log.error("the editor closed the connection")
            raise
        except Exception as error:  # noqa: BLE001 - reported like pygls does
            log.exception("could not send a message")
            self._server._report_server_error(error, JsonRpcInternalError)

    @property
    def open_requests(self) -> int:
        """Client requests received and not yet answered."""
        return sum(self._open_requests.values())

    # -- lifecycle -----------------------------------------------------------------------------

    def cancel_requests(self) -> list[asyncio.Future[Any]]:
        """Cancel every task handling a client request, except the caller's; returns them.

        Each still answers (its result, or ``RequestCancelled``); streamed edits put the
        original text back on cancel, so await the returned tasks before closing anything.
        """
        current = asyncio.current_task()
        tasks: list[asyncio.Future[Any]] = []
        for future in list(self._request_futures.values()):
            if isinstance(future, asyncio.Task) and future is not current and not future.done():
                future.cancel()
                tasks.append(future)
        return tasks

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        """Run the server's shutdown handler, cancel what is left, then refuse requests."""
        self.phase = "stopping"
        if (user_handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield user_handler, args, None
        current_id = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current_id and not future.done():
                future.cancel()
        self._shutdown = True
        self.phase = "stopped"

    @lsp_method(types.WORKSPACE_EXECUTE_COMMAND)
    def lsp_workspace__execute_command(
        self, params: types.ExecuteCommandParams
    ) -> Generator[Any, Any, Any]:
        """Run a command; a command that rejects its arguments answers ``InvalidParams``."""
        handler = self.fm.commands.get(params.command)
        if handler is None:
            raise JsonRpcInvalidParams(f"there is no command {params.command!r}")
        try:
            args, kwargs = _prepare_command_arguments(handler, params, self._converter)
        except Exception as exc:  # noqa: BLE001 - arguments that do not fit the handler
            raise JsonRpcInvalidParams(f"{params.command}: {exc}") from exc
        result = yield argument_errors(params.command, handler), args, kwargs
        return result

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        """Exit with 0 after ``shutdown`` was received, else 1 (LSP spec)."""
        self.exit_code = 0 if self.phase in ("stopping", "stopped") else 1
        self._shutdown = self.exit_code == 0
        yield from super().lsp_exit(*args)

    # -- cancellation --------------------------------------------------------------------------

    def _execute_handler(  # type: ignore[no-untyped-def]
        self, msg_id, handler, callback, args=None, kwargs=None
    ):
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        request_id = self.msg_id
        inner = self._request_futures.get(msg_id)
        if request_id == msg_id or not isinstance(inner, asyncio.Future):
            return
        # pygls stores the task of a command, or of an async notification handler, under a
        # fresh id and never removes it.
        inner.add_done_callback(lambda done: self._forget(msg_id, done))
        if request_id is None:
            return
        outer = self._request_futures.get(request_id)
        if outer is not None and outer is not inner:
            outer.add_done_callback(lambda done: done.cancelled() and inner.cancel())

    def _forget(self, msg_id: MsgId, done: object) -> None:
        if self._request_futures.get(msg_id) is done:
            del self._request_futures[msg_id]

    def _handle_response(  # type: ignore[no-untyped-def]
        self, msg_id, result: Any | None = None, error=None
    ):
        future = self._request_futures.get(msg_id)
        if future is not None and future.cancelled():
            self._request_futures.pop(msg_id, None)
            return
        super()._handle_response(msg_id, result, error)
