"""Chat commands (``glm.chat.*``, ``glm.explain``) and the ``glm/chat/*`` notifications.

Thin glue: read the command's argument, build the turn's setup from the settings in force
(client, model plan, workspace, context engine) and call ``ChatService``. Turns run in the
background; the commands answer at once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pygls.exceptions import JsonRpcInvalidParams

from glm_lsp.chat import (
    ChatService,
    ChatWorkspace,
    Diagnostic,
    Hooks,
    SendRequest,
    TurnContext,
    TurnSetup,
    parse_references,
    plan_for,
)
from glm_lsp.chat.blocks import last_line
from glm_lsp.chat.references import References
from glm_lsp.context.files import uri_to_path
from glm_lsp.errors import NeedsKeyError
from glm_lsp.lsp.arguments import (
    chat_diagnostics,
    command_object,
    optional_range,
    parse_diagnostics,
    text_field,
)
from glm_lsp.lsp.chat_apply import proposed_hook, register_apply, version_of
from glm_lsp.lsp.editor import notify, workspace_roots
from glm_lsp.lsp.positions import code_point_position
from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["register"]

DB_ENV = "GLM_LSP_CHAT_DB"
"""Overrides the chat database path (tests, portable installs)."""

EXPLAIN_PROMPT = (
    "Explain the selected code from `{path}` (lines {first}-{last}): what it does and how, "
    "how it fits into the file, and anything surprising, risky or wrong in it. Take the "
    "diagnostics and uncommitted changes shown into account when there are any."
)


def _diagnostics(
    ls: GlmLanguageServer,
    value: Any,
    uri: str | None,
    rng: tuple[int, int, int, int] | None,
    whole_file: bool,
) -> tuple[Diagnostic, ...]:
    """The diagnostics sent with the command, else those the editor last sent with a code
    action request for ``uri``: touching the range, or the whole file for ``#diagnostics``."""
    if isinstance(value, list):
        found = parse_diagnostics(value)
    elif uri is None or (rng is None and not whole_file):
        return ()
    else:
        first, last = (0, 1 << 30) if whole_file or rng is None else (rng[0], last_line(rng))
        found = parse_diagnostics(ls.diagnostics.touching(uri, first, last))

    def column(line: int, character: int) -> int:
        return code_point_position(ls.workspace, uri or "", line, character)[1]

    return chat_diagnostics(found, column)


def _code_points(
    server: GlmLanguageServer, uri: str | None, rng: tuple[int, int, int, int] | None
) -> tuple[int, int, int, int] | None:
    """``rng`` in code points (the editor counts in the negotiated utf-8/16/32 units)."""
    if uri is None or rng is None:
        return rng
    l0, c0 = code_point_position(server.workspace, uri, rng[0], rng[1])
    l1, c1 = code_point_position(server.workspace, uri, rng[2], rng[3])
    return (l0, c0, l1, c1)


def _setup(server: GlmLanguageServer) -> TurnSetup:
    settings = server.settings
    engine = server.context

    def open_texts() -> dict[str, str]:
        out: dict[str, str] = {}
        for doc_uri, doc in list(server.workspace.text_documents.items()):
            path = uri_to_path(doc_uri)
            if path is not None:
                out[path] = doc.source
        return out

    workspace = ChatWorkspace(
        workspace_roots(server),
        excluded=engine.is_excluded,
        redact=engine.redact,
        open_texts=open_texts,
        reader=engine.read_blocking,
        excluded_blocking=engine.is_excluded_blocking,
    )
    client = server.model_client()
    key_error = None
    if client is None:
        key_error = str(NeedsKeyError(settings.provider, settings.preset.key_env_vars))
    return TurnSetup(plan_for(settings), client, workspace, engine, key_error)


def _send_request(ls: GlmLanguageServer, arg: dict[str, Any]) -> SendRequest:
    """``glm.chat.send``'s argument as the service's request."""
    message = text_field(arg, "message", required=True) or ""
    uri = text_field(arg, "uri")
    rng = optional_range(arg.get("range"))
    refs = parse_references(message)
    diagnostics = _diagnostics(ls, arg.get("diagnostics"), uri, rng, refs.diagnostics)
    ctx = TurnContext(uri, _code_points(ls, uri, rng), diagnostics, refs)
    return SendRequest(message, text_field(arg, "chatId"), ctx)


def _explain_range(arg: dict[str, Any]) -> tuple[str, tuple[int, int, int, int]]:
    """``glm.explain``'s uri and range (both required)."""
    uri = text_field(arg, "uri", required=True) or ""
    rng = optional_range(arg.get("range"))
    if rng is None:
        raise ValueError("range is required")
    return uri, rng


def _explain_request(ls: GlmLanguageServer, arg: dict[str, Any], setup: TurnSetup) -> SendRequest:
    """``glm.explain``'s argument as a chat message about the range."""
    uri, rng = _explain_range(arg)
    path = uri_to_path(uri)
    shown = os.path.basename(path) if path else uri
    if path is not None:
        shown = setup.workspace.display(path)
    last = last_line(rng)
    message = EXPLAIN_PROMPT.format(path=shown, first=rng[0] + 1, last=last + 1)
    diagnostics = _diagnostics(ls, arg.get("diagnostics"), uri, rng, False)
    refs = References(selection=True, diagnostics=bool(diagnostics))
    return SendRequest(
        message,
        text_field(arg, "chatId"),
        TurnContext(uri, _code_points(ls, uri, rng), diagnostics, refs),
        display=f"Explain {shown} lines {rng[0] + 1}-{last + 1}",
    )


def _service(server: GlmLanguageServer) -> ChatService:
    """The chat service, wired to the server (closed at shutdown)."""
    db = os.environ.get(DB_ENV)

    def problem(message: str) -> None:
        server.status.notice_once(f"chat-store:{message[:60]}", "error", message)

    service = ChatService(
        Hooks(
            delta=lambda params: notify(server, "glm/chat/delta", params),
            done=lambda params: notify(server, "glm/chat/done", params),
            spawn=server.spawn,
            problem=problem,
            upstream_failed=server.upstream_failed,
            upstream_ok=server.upstream_ok,
            busy=lambda: server.status.busy("chat"),
            version_of=lambda path: version_of(server, path),
            proposed=lambda proposal: proposed_hook(server, service)(proposal),
        ),
        db_path=Path(db) if db else None,
    )
    server.on_shutdown(service.aclose)
    return service


def register(server: GlmLanguageServer) -> None:
    """Chat commands."""
    service = server.chat = _service(server)
    register_apply(server, service)

    # glm.chat.send and glm.explain are synchronous handlers: pygls 2.1.1 keeps a reference to
    # the task of every async executeCommand handler for good (one per turn otherwise).
    @server.command("glm.chat.send")
    def chat_send(ls: GlmLanguageServer, *args: Any) -> dict[str, str]:
        request = _send_request(ls, command_object(args))
        try:
            return service.send(request, _setup(ls))
        except ValueError as exc:
            raise JsonRpcInvalidParams(str(exc)) from exc

    @server.command("glm.explain")
    def explain(ls: GlmLanguageServer, *args: Any) -> dict[str, str]:
        arg = command_object(args)
        _explain_range(arg)  # a bad argument is refused before the key is looked at
        setup = _setup(ls)
        return service.send(_explain_request(ls, arg, setup), setup)

    @server.command("glm.chat.cancel")
    async def chat_cancel(ls: GlmLanguageServer, *args: Any) -> None:
        arg = command_object(args)
        await service.cancel(text_field(arg, "chatId"), text_field(arg, "turnId"))

    @server.command("glm.chat.list")
    async def chat_list(ls: GlmLanguageServer, *args: Any) -> list[dict[str, Any]]:
        return await service.list_chats()

    @server.command("glm.chat.history")
    async def chat_history(ls: GlmLanguageServer, *args: Any) -> list[dict[str, Any]]:
        chat_id = text_field(command_object(args), "chatId", required=True) or ""
        entries = await service.history(chat_id)
        if entries is None:
            raise ValueError(f"there is no chat {chat_id!r} (deleted, or never saved)")
        return entries

    @server.command("glm.chat.delete")
    async def chat_delete(ls: GlmLanguageServer, *args: Any) -> None:
        chat_id = text_field(command_object(args), "chatId", required=True) or ""
        await service.delete(chat_id)
