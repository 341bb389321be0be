"""Chat commands (``glm.chat.*``, ``glm.explain``) and the ``glm/chat/*`` notifications.

Thin glue: read the command's argument, build the turn's setup from the settings in force
(client, model plan, workspace, context engine, the editor's side of the agent loop) and call
``ChatService``. Turns run in the background; the commands answer at once.

The agent loop's editor side is ``_AgentGlue``, one per turn: ``glm/chat/progress``, the
editor's diagnostics for ``get_diagnostics`` (``lsp/diagnostics.py``), and under
``chat.autoApply`` each step's changes written at once through the apply path of
``lsp/chat_apply.py`` (rolled back if the turn is cancelled or fails; at its end the turn's
proposal is sent and recorded as applied, one checkpoint for the whole turn).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
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
from glm_lsp.chat.checkpoints import invert
from glm_lsp.chat.proposals import Draft, FileChange, Proposal
from glm_lsp.chat.references import References
from glm_lsp.chat.turn_input import AgentPorts
from glm_lsp.chat.write_tools import step_changes
from glm_lsp.context.files import path_to_uri, uri_to_path
from glm_lsp.errors import NeedsKeyError
from glm_lsp.lsp.arguments import (
    chat_diagnostics,
    command_object,
    optional_range,
    parse_diagnostics,
    text_field,
)
from glm_lsp.lsp.chat_apply import apply_files, proposed_hook, register_apply, version_of
from glm_lsp.lsp.diagnostics import REQUEST, ask_editor, settle, supports_request
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


class _AgentGlue:
    """The editor's side of one turn's agent loop."""

    def __init__(
        self, server: GlmLanguageServer, service: ChatService, stepwise: dict[str, _AgentGlue]
    ) -> None:
        self.server, self.service, self.stepwise = server, service, stepwise
        self.written: dict[str, FileChange] = {}
        """The draft's changes as written so far, by the path each file had before the turn."""
        self.versions: dict[str, int | None] = {}
        """Written paths -> the editor's version before the last write (None: not open)."""

    def ports(self, auto_apply: bool) -> AgentPorts:
        server = self.server
        return AgentPorts(
            progress=lambda params: notify(server, "glm/chat/progress", params),
            diagnostics=self.diagnostics,
            apply_step=self.apply_step if auto_apply else None,
            rollback=self.rollback if auto_apply else None,
        )

    def _uri(self, path: str) -> str:
        for uri in list(self.server.workspace.text_documents):
            if uri_to_path(uri) == path:
                return str(uri)
        return path_to_uri(path)

    async def diagnostics(self, paths: Sequence[str]) -> Any:
        """``get_diagnostics``'s port: ask the editor (after written files settled)."""
        server = self.server
        caps = server.client_capabilities
        send = None
        if supports_request(getattr(caps, "experimental", None)):
            written = {p: v for p, v in self.versions.items() if p in paths}
            await settle(written, lambda p: version_of(server, p))

            async def send(params: dict[str, Any]) -> Any:
                msg_id = f"glm-diagnostics-{uuid.uuid4().hex}"
                try:
                    return await server.protocol.send_request_async(REQUEST, params, msg_id)
                except asyncio.CancelledError:  # timed out or the turn was cancelled
                    with contextlib.suppress(Exception):  # the editor may be gone
                        cancel = types.CancelParams(id=msg_id)
                        server.protocol.notify(types.CANCEL_REQUEST, cancel)
                    raise

        uris = {p: self._uri(p) for p in paths}
        return await ask_editor(send, uris, server.diagnostics, self.versions)

    async def apply_step(self, turn_id: str, draft: Draft) -> list[str]:
        """Write what the draft gained since the last step; a notice per file not written."""
        steps = step_changes(self.written, draft)
        if not steps:
            return []
        self.stepwise[turn_id] = self
        states = {id(step): (key, state) for key, step, state in steps}
        files = [step for _, step, _ in steps]
        before = {f.path: version_of(self.server, f.path) for f in files}
        async with self.service.proposals.lock:
            done, refused = await apply_files(
                self.server, files, "GLM chat: agent step", "this answer's last step"
            )
        for step in done:
            key, state = states[id(step)]
            self.written[key] = state
            self.versions[step.final_path] = before.get(step.path)
        return [f"{c.shown} was not written: {why}" for c, why in refused]

    async def rollback(self, turn_id: str) -> list[str]:
        """Put back what the turn wrote; a notice per file left as it is."""
        self.stepwise.pop(turn_id, None)
        undo = [
            invert(w)
            for w in reversed(list(self.written.values()))
            if not (w.change == "edit" and w.before == w.after)
        ]
        if not undo:
            return []
        async with self.service.proposals.lock:
            done, refused = await apply_files(
                self.server, undo, "GLM chat: cancel", "this answer wrote it"
            )
        kept = {f.path for f in undo} - {f.path for f in done}
        self.written = {k: w for k, w in self.written.items() if w.final_path in kept}
        return [f"{c.shown} was left as it is: {why}" for c, why in refused]

    async def finish(self, proposal: Proposal) -> None:
        """The turn's end under ``chat.autoApply``: send its proposal, record the files
        written (all of the turn's change: one checkpoint) as applied."""
        notify(self.server, "glm/chat/proposal", proposal.to_json())
        by_key = {w.path: w for w in self.written.values()}
        applied = [
            f
            for f in proposal.files
            if (w := by_key.get(f.path)) is not None
            and (w.final_path, w.after) == (f.final_path, f.after)
        ]
        if applied:
            await self.service.proposals.applied(proposal, applied)


def _setup(server: GlmLanguageServer, agent: AgentPorts) -> TurnSetup:
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
    return TurnSetup(plan_for(settings), client, workspace, engine, key_error, agent)


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


def _service(server: GlmLanguageServer) -> tuple[ChatService, dict[str, _AgentGlue]]:
    """The chat service, wired to the server (closed at shutdown), and the turns whose changes
    ``chat.autoApply`` writes step by step."""
    db = os.environ.get(DB_ENV)
    stepwise: dict[str, _AgentGlue] = {}

    def problem(message: str) -> None:
        server.status.notice_once(f"chat-store:{message[:60]}", "error", message)

    async def proposed(proposal: Proposal) -> None:
        glue = stepwise.pop(proposal.turn_id, None)
        if glue is not None:  # chat.autoApply wrote it step by step
            await glue.finish(proposal)
        else:
            await proposed_hook(server, service)(proposal)

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
            proposed=proposed,
        ),
        db_path=Path(db) if db else None,
    )
    server.on_shutdown(service.aclose)
    return service, stepwise


def register(server: GlmLanguageServer) -> None:
    """Chat commands."""
    service, stepwise = _service(server)
    server.chat = service
    register_apply(server, service)

    def setup(ls: GlmLanguageServer) -> TurnSetup:
        glue = _AgentGlue(ls, service, stepwise)
        return _setup(ls, glue.ports(ls.settings.chat.auto_apply))

    # glm.chat.send and glm.explain are synchronous handlers: pygls 2.1.1 keeps a reference to
    # the task of every async executeCommand handler for good (one per turn otherwise).
    @server.command("glm.chat.send")
    def chat_send(ls: GlmLanguageServer, *args: Any) -> dict[str, str]:
        request = _send_request(ls, command_object(args))
        try:
            return service.send(request, setup(ls))
        except ValueError as exc:
            raise JsonRpcInvalidParams(str(exc)) from exc

    @server.command("glm.explain")
    def explain(ls: GlmLanguageServer, *args: Any) -> dict[str, str]:
        arg = command_object(args)
        _explain_range(arg)  # a bad argument is refused before the key is looked at
        made = setup(ls)
        return service.send(_explain_request(ls, arg, made), made)

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
