"""``CancellableProtocol``: closes two cancellation gaps of pygls 2.1.1.

1. ``$/cancelRequest`` for ``workspace/executeCommand`` cancels only pygls' outer generator
   future; the command's own task keeps running (and keeps streaming). We link the two, so
   cancelling the request cancels the command task and its upstream HTTP stream.
2. When a task awaiting a server-to-client request (``workspace/applyEdit``,
   ``window/workDoneProgress/create``, ``workspace/configuration``) is cancelled, the client's
   late answer raises ``InvalidStateError`` inside pygls, which it turns into an error popup
   (pygls issue #621, fixed upstream after 2.1.1). We drop answers to cancelled requests.
3. pygls keeps every async command's task in its table of pending requests forever (about
   1 KB a call); we remove it when it ends.

Both rely on private pygls internals, so pygls is pinned below 2.2 and
``tests/e2e/test_pygls_canaries.py`` fails when pygls changes the behaviour relied on here.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pygls.protocol import LanguageServerProtocol

__all__ = ["CancellableProtocol"]


class CancellableProtocol(LanguageServerProtocol):
    """The pygls language-server protocol with end-to-end cancellation."""

    def _execute_handler(  # type: ignore[no-untyped-def]
        self, msg_id, handler, callback, args=None, kwargs=None
    ):
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        request_id = self.msg_id
        inner = self._request_futures.get(msg_id)
        if request_id is None or request_id == msg_id or not isinstance(inner, asyncio.Future):
            return
        # pygls stores the command's own task under a fresh id and never removes it.
        inner.add_done_callback(lambda _: self._request_futures.pop(msg_id, None))
        outer = self._request_futures.get(request_id)
        if outer is not None and outer is not inner:
            outer.add_done_callback(lambda done: done.cancelled() and inner.cancel())

    def _handle_response(  # type: ignore[no-untyped-def]
        self, msg_id, result: Any | None = None, error=None
    ):
        future = self._request_futures.get(msg_id)
        if future is not None and future.cancelled():
            self._request_futures.pop(msg_id, None)
            return
        super()._handle_response(msg_id, result, error)
