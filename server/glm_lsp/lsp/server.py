"""The language server object: settings, status, the model client, the context engine and
the feature objects (inline session, chat service, remembered diagnostics), closed at shutdown.

``glm_lsp.lsp.app.create_server()`` builds one and registers every feature.

Execution model: every handler that talks to the model is ``async`` and runs as its own task
on the single event loop, so ``$/cancelRequest`` cancels it at its next ``await`` and closes the
upstream HTTP stream. Handlers never block the loop: git and file reads go to a thread with a
time budget. No handler uses ``@server.thread()`` (pygls shares that pool with the stdin reader).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcParseError
from pygls.lsp.server import LanguageServer

from glm_lsp import __version__
from glm_lsp.context import ContextEngine
from glm_lsp.edits.active import ActiveEdits
from glm_lsp.errors import (
    AuthError,
    BillingError,
    ConfigError,
    GlmLspError,
    ModelError,
    NeedsKeyError,
    QuotaError,
    UpstreamError,
)
from glm_lsp.llm import GlmClient, client_config_for, context_window
from glm_lsp.logs import WindowLogHandler, secret_filter
from glm_lsp.lsp.diagnostics import RememberedDiagnostics
from glm_lsp.lsp.protocol import CancellableProtocol
from glm_lsp.settings import Settings, SettingsStore
from glm_lsp.status import NoticeLevel, StatusBoard

if TYPE_CHECKING:
    from glm_lsp.chat import ChatService
    from glm_lsp.edits.nextedit import NextEditEngine
    from glm_lsp.inline.session import InlineSession

__all__ = ["GlmLanguageServer"]

log = logging.getLogger(__name__)

BLOCK_BACKGROUND_SECONDS = 300.0
"""How long ghost text stays quiet after a failure only the user can fix."""
SHUTDOWN_SECONDS = 10.0
"""How long ``shutdown`` waits for cancelled work (streamed edits restoring their range)."""

Closer = Callable[[], object]
"""A shutdown step; its result is awaited when it is awaitable."""

_MESSAGE_TYPES: Mapping[NoticeLevel, types.MessageType] = {
    "error": types.MessageType.Error,
    "warning": types.MessageType.Warning,
    "info": types.MessageType.Info,
}


class GlmLanguageServer(LanguageServer):
    """pygls server plus the state every feature looks up."""

    protocol: CancellableProtocol

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(
            "glm-lsp",
            __version__,
            protocol_cls=CancellableProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.settings_store = SettingsStore(
            environ=dict(os.environ if environ is None else environ)
        )
        """All settings layers and the settings in force."""
        self.status = StatusBoard(self._send_status, self._show_notice)
        """glm/status and one-time notices."""
        self.background: set[asyncio.Task[Any]] = set()
        """Tasks started by notifications and commands that outlive their request."""
        self._settings_listeners: list[Callable[[Settings], None]] = []
        self.glm = GlmClient(client_config_for(self.settings_store.current))
        """The one GLM client (keep-alive pool, concurrency cap, usage totals)."""
        self._quiet_until: float | None = None
        """Background requests send nothing before this monotonic time (see model_client)."""
        self.context = ContextEngine()
        """The context engine, fed by document events (features/documents.py)."""
        self.startup_problems: list[ConfigError] = self.settings_store.load_startup()
        """Problems in the user file or environment, shown once the editor is connected."""
        self._log_handler = WindowLogHandler(self._send_log)
        logging.getLogger("glm_lsp").addHandler(self._log_handler)
        self._closers: list[Closer] = []
        self.inline: InlineSession | None = None
        """Ghost text (set by ``features/inline.register``; closed at shutdown)."""
        self.next_edit: NextEditEngine | None = None
        """Next-edit suggestions (set by ``features/next_edit.register``; fed by ``didChange``)."""
        self.chat: ChatService | None = None
        """Chat turns and their store (set by ``features/chat.register``; closed at shutdown)."""
        self.active_edits = ActiveEdits()
        """The edits streaming now: a second edit into a streaming range is refused."""
        self.diagnostics = RememberedDiagnostics()
        """Diagnostics the editor last sent per open document (dropped on ``didClose``)."""
        self.edit_converters_warm = False
        """Whether the workspace-edit converters were built (``editor.warm_up``)."""

    @property
    def exit_code(self) -> int:
        """The process status after serving: 1 when ``exit`` came without ``shutdown``."""
        return self.protocol.exit_code or 0

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve over stdio with bounded frame reading (``glm_lsp.lsp.frames``)."""
        from glm_lsp.lsp.frames import serve_stdio

        serve_stdio(self, stdin, stdout)

    def start_tcp(self, host: str, port: int) -> None:
        """Serve one TCP client with bounded frame reading (``glm_lsp.lsp.frames``)."""
        from glm_lsp.lsp.frames import serve_tcp

        serve_tcp(self, host, port)

    def on_shutdown(self, closer: Closer) -> None:
        """Have ``shutdown`` call ``closer`` (sync or async) after in-flight work stopped.

        Closers run in reverse order of registration, each at most once.
        """
        self._closers.append(closer)

    async def aclose(self) -> None:
        """The one shutdown path: stop in-flight work, then release every resource.

        Requests in flight are cancelled and awaited (a streamed edit puts its range's
        original text back, which takes the editor's answers), then background tasks (chat
        turns send their ``done`` and are saved), then the features' closers (chat store
        flushed and closed, inline flights, caches), the context engine and the HTTP pool.
        """
        pending: list[asyncio.Future[Any]] = self.protocol.cancel_requests()
        for task in list(self.background):
            task.cancel()
            pending.append(task)
        if pending:
            _, late = await asyncio.wait(pending, timeout=SHUTDOWN_SECONDS)
            if late:
                log.warning("shutdown: %d task(s) did not stop in time", len(late))
        closers, self._closers = self._closers[::-1], []
        for closer in closers:
            try:
                result = closer()
                if inspect.isawaitable(result):
                    await asyncio.wait_for(result, SHUTDOWN_SECONDS)
            except Exception:  # noqa: BLE001 - the next resource still gets closed
                log.exception(
                    "shutdown: closing %s failed", getattr(closer, "__qualname__", closer)
                )
        self.diagnostics.clear()
        self.context.close()
        await self.glm.aclose()

    @property
    def settings(self) -> Settings:
        """The settings in force."""
        return self.settings_store.current

    def on_settings_changed(self, listener: Callable[[Settings], None]) -> None:
        """Call ``listener`` with the new settings whenever they change (and once now)."""
        self._settings_listeners.append(listener)
        listener(self.settings)

    def update_settings(self, source: str, raw: Any, *, apply: bool = True) -> bool:
        """Apply one settings source; on error show it once and keep the previous settings.

        With ``apply`` False the new settings are stored but listeners are told later.
        """
        before = self.settings
        try:
            if raw is not None and not isinstance(raw, Mapping):
                raise ConfigError(f"settings from {source} must be an object with glm keys")
            self.settings_store.update(source, raw)
        except ConfigError as exc:
            log.warning("%s (from %s); keeping the previous settings", exc, source)
            self.show_message(types.MessageType.Error, f"glm-lsp: {exc}")
            return False
        if apply and self.settings != before:
            self.apply_settings()
        return True

    def apply_settings(self) -> None:
        """Tell every listener about the settings in force and update the status."""
        settings = self.settings
        secret_filter.add(settings.api_key)
        self.glm.update_config(client_config_for(settings))
        self.context.update_settings(
            exclude=list(settings.exclude),
            git_diff=settings.context.git_diff,
            open_files=settings.context.open_files,
        )
        self.context.set_model_limits(context_window(settings.model), output_reserve=8192)
        for listener in self._settings_listeners:
            listener(settings)
        self.status.clear_notice()
        self._quiet_until = None
        if self.key_missing():
            self.report_missing_key()
        else:
            self.status.set_base("ready")

    def key_missing(self) -> bool:
        """True when the provider needs a key and none is set (``custom`` hosts may need none)."""
        return not self.settings.api_key and self.settings.provider != "custom"

    def model_client(self, *, background: bool = False) -> GlmClient | None:
        """The client, or None after saying (once) that no key is set.

        ``background`` requests (ghost text while typing) also get None while the last
        failure was one only the user can fix (rejected key, billing, quota, unknown model),
        so typing does not hammer the host; settings changes or a few minutes lift that.
        """
        if self.key_missing():
            self.report_missing_key()
            return None
        if background and self._quiet_until is not None:
            if time.monotonic() < self._quiet_until:
                return None
            self._quiet_until = None
        return self.glm

    def upstream_failed(self, error: GlmLspError) -> None:
        """Show an upstream failure once per kind and mark the status ``error``."""
        kind = f"upstream:{type(error).__name__}:{getattr(error, 'code', None)}"
        log.warning("upstream failure: %s", error)
        if isinstance(error, UpstreamError) and error.retryable:
            return
        if isinstance(error, (AuthError, BillingError, QuotaError, ModelError)):
            self._quiet_until = time.monotonic() + BLOCK_BACKGROUND_SECONDS
        self.status.set_base("error", str(error))
        self.status.notice_once(kind, "error", f"glm-lsp: {error}")

    def upstream_ok(self) -> None:
        """A request succeeded: leave the ``error`` state."""
        self._quiet_until = None
        if self.status.message and not self.key_missing():
            self.status.clear_notice()
            self.status.set_base("ready")

    def report_missing_key(self) -> NeedsKeyError:
        """Say once that no key is set and mark the status unconfigured."""
        error = NeedsKeyError(self.settings.provider, self.settings.preset.key_env_vars)
        self.status.set_base("unconfigured", str(error))
        self.status.notice_once("no-key", "warning", f"glm-lsp: {error}")
        return error

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` in the background, keeping a reference and logging its failure."""
        task = asyncio.ensure_future(coro)
        self.background.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            self.background.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("background task failed", exc_info=finished.exception())

        task.add_done_callback(done)
        return task

    def usage_totals(self) -> dict[str, Any]:
        """Requests, tokens and estimated cost since the server started."""
        return self.glm.usage_totals.to_json()

    def show_message(self, kind: types.MessageType, message: str) -> None:
        """``window/showMessage`` (secrets masked)."""
        try:
            self.window_show_message(
                types.ShowMessageParams(type=kind, message=secret_filter.mask(message))
            )
        except Exception:  # noqa: BLE001 - no transport yet (doctor, unit use)
            log.info("%s", message)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log internal errors instead of pygls' "Error in server" popup at every keystroke.

        A request that failed with a JSON-RPC error the handler chose (bad arguments, say)
        already answered the editor with it: that is logged, not shown again. A WebSocket
        message that is not JSON (pygls' reader reports it here) is answered ``ParseError``.
        """
        if source is JsonRpcException and isinstance(error, (ValueError, RecursionError)):
            self.protocol.refuse(
                None, JsonRpcParseError(f"the message is not valid JSON ({error})")
            )
            return
        if isinstance(error, JsonRpcException) and not isinstance(error, JsonRpcInternalError):
            log.info("request refused: %s", error)
            return
        log.error("internal error (%s): %s", getattr(source, "__name__", source), error)
        self.status.notice_once(
            f"internal:{type(error).__name__}",
            "error",
            f"glm-lsp hit an internal error ({type(error).__name__}); "
            "details are in the glm-lsp log. The server keeps running.",
        )

    def _send_status(self, payload: dict[str, str]) -> None:
        try:
            self.protocol.notify("glm/status", payload)
        except Exception:  # noqa: BLE001 - not connected yet
            log.debug("status %s not sent: no client", payload)

    def _show_notice(self, level: NoticeLevel, message: str) -> None:
        self.show_message(_MESSAGE_TYPES[level], message)

    def _send_log(self, level: int, message: str) -> None:
        if getattr(self.protocol, "writer", None) is None:
            return
        kind = (
            types.MessageType.Error
            if level >= logging.ERROR
            else types.MessageType.Warning
            if level >= logging.WARNING
            else types.MessageType.Info
            if level >= logging.INFO
            else types.MessageType.Log
        )
        self.window_log_message(types.LogMessageParams(type=kind, message=message))
