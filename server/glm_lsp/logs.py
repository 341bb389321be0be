"""Logging: stderr (or a file) and the editor's log, never stdout, never the API key.

Over stdio, stdout carries the protocol, so nothing else may write there. Every handler gets
a ``SecretFilter`` that replaces any registered secret (the API key) in the formatted record,
so a key that slips into an exception message or a URL still never reaches a log line.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable

__all__ = ["SecretFilter", "WindowLogHandler", "configure_logging", "secret_filter"]

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SecretFilter(logging.Filter):
    """Masks registered secrets in every record it sees."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str | None) -> None:
        """Start masking ``secret`` (ignored when empty or too short to be a key)."""
        if secret and len(secret) >= 6:
            with self._lock:
                self._secrets.add(secret)

    def mask(self, text: str) -> str:
        """``text`` with every registered secret replaced."""
        with self._lock:
            secrets = tuple(self._secrets)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, "****")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self.mask(message)
        if record.exc_info and record.exc_info[1] is not None:
            exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self.mask(exc_text)
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
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    logging.getLogger("glm_lsp").setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
    handler.setLevel(level if verbosity > 0 else logging.INFO)
    for noisy in ("pygls", "httpx", "httpcore", "git"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbosity >= 3 else logging.WARNING)
