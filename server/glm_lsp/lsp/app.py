"""``create_server()``: the one place that builds the server and registers every feature.

Each feature module's ``register(server)`` adds its handlers and commands and hangs the
objects it owns on the server (``server.inline``, ``server.chat``), which closes them at
``shutdown``. Nothing is registered at import time, so tests can build many servers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from glm_lsp.lsp.features import (
    chat,
    code_actions,
    commands,
    documents,
    edit_commands,
    inline,
    lifecycle,
    next_edit,
)
from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["FEATURES", "create_server"]

FEATURES: tuple[Callable[[GlmLanguageServer], None], ...] = (
    lifecycle.register,
    documents.register,
    commands.register,
    chat.register,
    code_actions.register,
    edit_commands.register,
    inline.register,
    next_edit.register,
)
"""The ordered feature list."""


def create_server(environ: Mapping[str, str] | None = None) -> GlmLanguageServer:
    """A fresh server with every feature registered."""
    server = GlmLanguageServer(environ)
    for register in FEATURES:
        register(server)
    return server
