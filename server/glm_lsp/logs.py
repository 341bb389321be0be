"""Logging: stderr (or a file) and the editor's log, never stdout, never the API key.

Over stdio, stdout carries the protocol, so nothing else may write there. Every handler gets
a ``SecretFilter`` that masks, through the key guard (``keyguard``), every key and piece of a
key in the formatted record, so a key that slips into an exception message, a traceback or a
URL still never reaches a log line.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from glm_lsp.keyguard import mask_secrets, remember, remember_environ

__all__ = ["SecretFilter", "WindowLogHandler", "configure_logging", "secret_filter"]

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SecretFilter(logging.Filter):
    """Masks every key the key guard knows in each record it sees (message and traceback)."""

    def add(self, secret: object) -> None:
        """Start masking ``secret`` (see ``keyguard.remember``)."""
        remember(secret)

    def mask(self, text: str) -> str:
        """``text`` with every known key masked."""
        return mask_secrets(text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if record.exc_info and record.exc_info[1] is not None:
            exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_secrets(exc_text)
        elif record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


secret_filter = SecretFilter()
"""The process-wide filter; the server registers the key in force with it."""


class WindowLogHandler(logging.Handler):
    """Forwards records to the editor as ``window/logMessage`` through ``send``."""

    def __init__(self, send: Callable[[int, str], None], level: int = logging.INFO) -> None:
        super().__init__(level)
        self._send = send
        self.addFilter(secret_filter)
        self._local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._local, "busy", False):
            return
        self._local.busy = True
        try:
            self._send(record.levelno, self.format(record))
        except Exception:  # noqa: BLE001 - a log line must never break the server
            pass
        finally:
            self._local.busy = False


def configure_logging(verbosity: int = 0, log_file: str | None = None) -> None:
    """Send ``glm_lsp`` logs to stderr or ``log_file``; quiet pygls' per-message logging."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler: logging.Handler = (
        logging.FileHandler(log_file, encoding="utf-8")
        if log_file
        else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(secret_filter)
    remember_environ(os.environ)
    sys.excepthook = _masked_excepthook
    threading.excepthook = _masked_thread_excepthook
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    logging.getLogger("glm_lsp").setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
    handler.setLevel(level if verbosity > 0 else logging.INFO)
    for noisy in ("pygls", "httpx", "httpcore", "git"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbosity >= 3 else logging.WARNING)


def _masked_excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """Print an uncaught exception's traceback to stderr with every key masked."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    try:
        sys.stderr.write(mask_secrets(text))
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _masked_thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    _masked_excepthook(args.exc_type, args.exc_value, args.exc_traceback)
