"""The sessions of ``glm-lsp acp`` over the chat engine (imported only when a session starts).

``AcpEngine`` keeps the ACP sessions over the same ``ChatService`` the LSP chat uses (turns,
tools, SQLite store): a session is a chat, ``session/prompt`` is a turn whose stream becomes
``session/update`` notifications (``acp/updates.py``), ``session/cancel`` cancels the turn
(which closes the upstream stream; nothing is half-written because writes happen only after
permission, whole). The protocol glue (``acp/agent.py``) imports this module lazily, after
``initialize`` has answered, so the editor sees the agent start as fast as the SDK allows.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from acp import RequestError
from acp.schema import ClientCapabilities, SessionInfo, ToolCallUpdate

from glm_lsp.acp.files import OPTIONS, AcpToolbox, ClientFiles, chosen_option, client_reader
from glm_lsp.acp.folders import canonical, listed, wrong_folder
from glm_lsp.acp.history import replay
from glm_lsp.acp.prompt import prompt_text
from glm_lsp.acp.session import MODE_OF_SETTING, AcpWorkspace, Session
from glm_lsp.acp.updates import Outbox, TurnStream
from glm_lsp.chat import ChatService, Hooks, SendRequest, TurnSetup, plan_for
from glm_lsp.chat.records import title_from
from glm_lsp.chat.store import ChatStore, StoreError
from glm_lsp.chat.tools import Toolbox
from glm_lsp.chat.write_tools import WriteTools
from glm_lsp.context.engine import ContextEngine
from glm_lsp.errors import NeedsKeyError
from glm_lsp.llm import GlmClient, client_config_for, context_window
from glm_lsp.logs import secret_filter
from glm_lsp.settings import SettingsStore

__all__ = ["DB_ENV", "MAX_SESSIONS", "AcpEngine"]

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_ENV = "GLM_LSP_CHAT_DB"
"""Overrides the chat database path (the same variable as the LSP server's)."""
MAX_SESSIONS = 32
"""Sessions kept open per process (each has a context engine); older idle ones are closed."""


class AcpEngine:
    """The open sessions, the chat service and the GLM client of one ``glm-lsp acp``."""

    def __init__(self, environ: dict[str, str], conn: Any, client_caps: ClientCapabilities) -> None:
        self.store = store = SettingsStore(environ=environ)
        for problem in store.load_startup():
            log.warning("glm-lsp: %s", problem)
        secret_filter.add(store.current.api_key)
        self.conn = conn
        self.client_caps = client_caps
        self.glm = GlmClient(client_config_for(store.current))
        db = store.environ.get(DB_ENV)
        self.chat = ChatService(
            Hooks(
                delta=self._delta,
                done=self._done,
                problem=lambda message: log.warning("%s", message),
                toolbox=self._toolbox,
            ),
            db_path=Path(db) if db else None,
        )
        self.sessions: dict[str, Session] = {}

    async def aclose(self) -> None:
        await self.chat.aclose()
        for session in self.sessions.values():
            session.close()
        await self.glm.aclose()

    def check_key(self) -> None:
        """Raise auth_required (naming where the key goes) when there is no API key."""
        settings = self.store.current
        if settings.api_key or settings.provider == "custom":
            return
        missing = NeedsKeyError(settings.provider, settings.preset.key_env_vars)
        raise RequestError.auth_required({"message": str(missing)})

    async def _store(self, fn: Callable[[ChatStore], T], what: str) -> T | None:
        """A chat store call; a failure is logged and yields None (the chat goes on)."""
        try:
            archive = await self.chat.archive()
            return await archive.run(fn, what)
        except StoreError as exc:
            log.warning("%s", exc)
            return None

    # -- sessions ------------------------------------------------------------------------------

    def open(self, session_id: str, cwd: str) -> Session:
        """A session of ``cwd`` (replacing an idle one of the same id)."""
        root = canonical(cwd)
        if not os.path.isabs(cwd) or not os.path.isdir(root):
            raise RequestError.invalid_params({"message": f"cwd {cwd!r}: not an absolute folder"})
        old = self.sessions.get(session_id)
        if old is not None and old.running():
            raise RequestError.invalid_request(
                {"message": "a prompt is running in this session: cancel it or wait"}
            )
        if old is not None:
            self.sessions.pop(session_id).close()
        self._forget_idle()
        settings = self.store.current
        engine = ContextEngine(
            workspace_roots=[root],
            exclude=list(settings.exclude),
            git_diff=settings.context.git_diff,
            open_files=settings.context.open_files,
        )
        engine.set_model_limits(context_window(settings.model), output_reserve=8192)
        fs = self.client_caps.fs
        files = ClientFiles(
            session_id,
            self.conn,
            can_read=bool(fs and fs.read_text_file),
            can_write=bool(fs and fs.write_text_file),
            ask=lambda update: self._ask(session_id, update),
        )
        outbox = Outbox(session_id, self._send_update)
        session = Session(session_id, root, engine, files, outbox, TurnStream(outbox, root))
        session.mode = MODE_OF_SETTING.get(settings.chat.thinking, "auto")
        session.model = settings.model
        self.sessions[session_id] = session
        return session

    def _forget_idle(self) -> None:
        """Close the oldest idle sessions past ``MAX_SESSIONS`` (a load brings one back)."""
        idle = [key for key, found in self.sessions.items() if not found.running()]
        for key in idle[: max(0, len(self.sessions) + 1 - MAX_SESSIONS)]:
            self.sessions.pop(key).close()

    def session(self, session_id: str) -> Session:
        found = self.sessions.get(session_id)
        if found is None:
            raise RequestError.invalid_params(
                {"message": f"no session {session_id!r}: create one or load it first"}
            )
        return found

    async def load(self, session_id: str, cwd: str) -> Session:
        """Open a stored chat as a session of ``cwd`` and replay its history to the client."""
        entries = await self.chat.history(session_id)
        if entries is None:
            raise RequestError.invalid_params(
                {"message": f"no session {session_id!r} in the chat store"}
            )
        roots = await self._store(lambda s: s.chat_roots(), "read the chats' folders") or {}
        why = wrong_folder(session_id, roots.get(session_id), canonical(cwd))
        if why is not None:
            raise RequestError.invalid_params({"message": why})
        session = self.open(session_id, cwd)
        for update in replay(entries, session.root):
            session.outbox.put(update)
        await session.outbox.drain()
        return session

    async def listing(self, cwd: str | None) -> list[SessionInfo]:
        """The stored chats as sessions with their folders (only ``cwd``'s when given)."""
        chats = await self.chat.list_chats()
        roots = await self._store(lambda s: s.chat_roots(), "read the chats' folders") or {}
        return [
            SessionInfo(
                session_id=chat["chatId"],
                cwd=folder,
                title=chat.get("title"),
                updated_at=chat.get("updatedAt"),
            )
            for chat, folder in listed(chats, roots, cwd, os.getcwd())
        ]

    # -- turns ---------------------------------------------------------------------------------

    async def _send_update(self, session_id: str, update: Any) -> None:
        await self.conn.session_update(session_id=session_id, update=update)

    async def _ask(self, session_id: str, update: ToolCallUpdate) -> str | None:
        session = self.sessions.get(session_id)
        if session is not None:
            await session.outbox.drain()  # the client has the tool call before it is asked
        try:
            answer = await self.conn.request_permission(
                session_id=session_id, tool_call=update, options=OPTIONS
            )
        except Exception:  # noqa: BLE001 - no answer is no permission
            log.warning("session/request_permission failed", exc_info=True)
            return None
        return chosen_option(answer)

    def _toolbox(self, ws: Any, writer: WriteTools) -> Toolbox:
        session = self.sessions.get(getattr(ws, "session_id", ""))
        if session is None:
            return Toolbox(ws, writer=writer)
        return AcpToolbox(ws, writer, session.files, session.stream.call_id_for)

    def _setup(self, session: Session) -> TurnSetup:
        settings = session.settings(self.store.current)
        engine = session.engine
        ws = AcpWorkspace(
            [session.root],
            excluded=engine.is_excluded,
            redact=engine.redact,
            reader=client_reader(engine.read_blocking, session.files, asyncio.get_running_loop()),
            excluded_blocking=engine.is_excluded_blocking,
        )
        ws.session_id = session.session_id
        return TurnSetup(plan_for(settings), self.glm, ws, engine, None)

    def _delta(self, payload: dict[str, Any]) -> None:
        session = self.sessions.get(str(payload.get("chatId")))
        if session is not None:
            session.stream.payload(payload)

    def _done(self, payload: dict[str, Any]) -> None:
        session = self.sessions.get(str(payload.get("chatId")))
        if session is not None and session.done is not None and not session.done.done():
            session.done.set_result(payload)

    async def turn(self, session: Session, prompt: list[Any]) -> dict[str, Any]:
        """Run one prompt as a chat turn; the chat service's done payload."""
        if session.running():
            raise RequestError.invalid_request(
                {"message": "a prompt is already running in this session: cancel it or wait"}
            )
        done_future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        session.done = done_future
        setup = self._setup(session)
        try:
            text = await prompt_text(prompt, setup.workspace)
            request = SendRequest(text.message, chat_id=session.session_id, display=text.display)
            session.stream.reset()
            self.chat.send(request, setup)
        except ValueError as exc:
            done_future.cancel()
            raise RequestError.invalid_params({"message": str(exc)}) from None
        except BaseException:
            done_future.cancel()
            raise
        try:
            await self._record_folder(session, title_from(text.display))
            return await done_future
        except asyncio.CancelledError:
            await self.chat.cancel(session.session_id)
            raise
        finally:
            await session.outbox.drain()

    async def _record_folder(self, session: Session, title: str) -> None:
        """Note the session's folder with its chat (the chat is made here when it is new,
        with the title the chat service would give it)."""
        if session.folder_recorded:
            return
        chat_id, root = session.session_id, session.root

        def record(store: ChatStore) -> bool:
            if not store.has_chat(chat_id):
                store.create_chat(chat_id, title)
            store.set_chat_root(chat_id, root)
            return True

        done = await self._store(record, "record the session's folder")
        session.folder_recorded = done is True

    async def cancel(self, session_id: str) -> None:
        if session_id in self.sessions:
            await self.chat.cancel(session_id)
