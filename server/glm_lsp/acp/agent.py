"""glm-lsp as an Agent Client Protocol agent: the chat engine's second face.

``GlmAgent`` implements the SDK's ``Agent`` methods over the same ``ChatService`` the LSP chat
uses (turns, tools, SQLite store): a session is a chat, ``session/prompt`` is a turn whose
stream becomes ``session/update`` notifications (``acp/updates.py``), ``session/cancel``
cancels the turn (which closes the upstream stream; nothing is half-written because writes
happen only after permission, whole). Settings, key discovery and providers are the LSP
server's: the user file and the environment (``GLM_API_KEY``, ``GLM_PROVIDER``, ...).
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from pathlib import Path
from typing import Any

from acp.schema import (
    AgentCapabilities,
    AuthenticateResponse,
    AuthMethodAgent,
    ClientCapabilities,
    Implementation,
    InitializeResponse,
    ListSessionsResponse,
    LoadSessionResponse,
    NewSessionResponse,
    PromptCapabilities,
    PromptResponse,
    SessionCapabilities,
    SessionInfo,
    SessionListCapabilities,
    SetSessionConfigOptionResponse,
    SetSessionModeResponse,
    ToolCallUpdate,
)

from acp import PROTOCOL_VERSION, RequestError
from glm_lsp import __version__
from glm_lsp.acp.files import OPTIONS, AcpToolbox, ClientFiles, chosen_option, client_reader
from glm_lsp.acp.history import replay
from glm_lsp.acp.prompt import prompt_text
from glm_lsp.acp.session import MODE_OF_SETTING, MODES, AcpWorkspace, Session, model_choices
from glm_lsp.acp.updates import Outbox, TurnStream
from glm_lsp.chat import ChatService, Hooks, SendRequest, TurnSetup, plan_for
from glm_lsp.chat.tools import Toolbox
from glm_lsp.chat.write_tools import WriteTools
from glm_lsp.context.engine import ContextEngine
from glm_lsp.errors import NeedsKeyError
from glm_lsp.llm import GlmClient, client_config_for, context_window
from glm_lsp.logs import secret_filter
from glm_lsp.settings import Settings, SettingsStore

__all__ = ["DB_ENV", "GlmAgent"]

log = logging.getLogger(__name__)

DB_ENV = "GLM_LSP_CHAT_DB"
"""Overrides the chat database path (the same variable as the LSP server's)."""

STOP_REASONS = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_limit": "max_turn_requests",
    "token_budget": "max_tokens",
    "cancelled": "cancelled",
    "sensitive": "refusal",
    "content_filter": "refusal",
}
MAX_SESSIONS = 32
"""Sessions kept open per process (each has a context engine); older idle ones are closed."""
KEY_HELP = (
    "glm-lsp reads the key like the language server does: set GLM_API_KEY (or the provider's "
    "own variable, e.g. ZAI_API_KEY) in the environment the editor starts `glm-lsp acp` with, "
    "or apiKey in the user settings file; `glm-lsp doctor` checks it."
)


class GlmAgent:
    """The ACP agent; one per connection (one per ``glm-lsp acp`` process)."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self.store = SettingsStore(environ=dict(os.environ if environ is None else environ))
        for problem in self.store.load_startup():
            log.warning("glm-lsp: %s", problem)
        secret_filter.add(self.store.current.api_key)
        self.glm = GlmClient(client_config_for(self.store.current))
        db = self.store.environ.get(DB_ENV)
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
        self.conn: Any = None
        self.client_caps = ClientCapabilities()

    @property
    def settings(self) -> Settings:
        return self.store.current

    def on_connect(self, conn: Any) -> None:
        self.conn = conn

    async def aclose(self) -> None:
        await self.chat.aclose()
        for session in self.sessions.values():
            session.close()
        await self.glm.aclose()

    # -- initialize and auth -------------------------------------------------------------------

    async def initialize(
        self,
        protocol_version: int,
        client_capabilities: ClientCapabilities | None = None,
        client_info: Implementation | None = None,
        **kwargs: Any,
    ) -> InitializeResponse:
        self.client_caps = client_capabilities or ClientCapabilities()
        return InitializeResponse(
            protocol_version=min(protocol_version, PROTOCOL_VERSION),
            agent_capabilities=AgentCapabilities(
                load_session=True,
                prompt_capabilities=PromptCapabilities(
                    embedded_context=True, image=False, audio=False
                ),
                session_capabilities=SessionCapabilities(list=SessionListCapabilities()),
            ),
            auth_methods=[
                AuthMethodAgent(id="glm-api-key", name="GLM API key", description=KEY_HELP)
            ],
            agent_info=Implementation(name="glm-lsp", title="GLM (glm-lsp)", version=__version__),
        )

    def _key_error(self) -> NeedsKeyError | None:
        settings = self.settings
        if settings.api_key or settings.provider == "custom":
            return None
        return NeedsKeyError(settings.provider, settings.preset.key_env_vars)

    async def authenticate(self, method_id: str, **kwargs: Any) -> AuthenticateResponse:
        missing = self._key_error()
        if missing is not None:
            raise RequestError.auth_required({"message": str(missing)})
        return AuthenticateResponse()

    # -- sessions ------------------------------------------------------------------------------

    def _open(self, session_id: str, cwd: str) -> Session:
        root = os.path.realpath(cwd)
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
        settings = self.settings
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

    def _session(self, session_id: str) -> Session:
        found = self.sessions.get(session_id)
        if found is None:
            raise RequestError.invalid_params(
                {"message": f"no session {session_id!r}: create one or load it first"}
            )
        return found

    async def new_session(
        self, cwd: str, mcp_servers: list[Any] | None = None, **kwargs: Any
    ) -> NewSessionResponse:
        session = self._open(uuid.uuid4().hex, cwd)
        return NewSessionResponse(
            session_id=session.session_id,
            modes=session.modes(),
            config_options=session.config_options(self.settings),
        )

    async def load_session(
        self, cwd: str, session_id: str, mcp_servers: list[Any] | None = None, **kwargs: Any
    ) -> LoadSessionResponse:
        entries = await self.chat.history(session_id)
        if entries is None:
            raise RequestError.invalid_params(
                {"message": f"no session {session_id!r} in the chat store"}
            )
        session = self._open(session_id, cwd)
        for update in replay(entries, session.root):
            session.outbox.put(update)
        await session.outbox.drain()
        return LoadSessionResponse(
            modes=session.modes(), config_options=session.config_options(self.settings)
        )

    async def list_sessions(
        self, cwd: str | None = None, cursor: str | None = None, **kwargs: Any
    ) -> ListSessionsResponse:
        chats = await self.chat.list_chats()
        shown = cwd or os.getcwd()
        return ListSessionsResponse(
            sessions=[
                SessionInfo(
                    session_id=c["chatId"],
                    cwd=shown,
                    title=c.get("title"),
                    updated_at=c.get("updatedAt"),
                )
                for c in chats
            ]
        )

    async def set_session_mode(
        self, mode_id: str, session_id: str, **kwargs: Any
    ) -> SetSessionModeResponse:
        session = self._session(session_id)
        if mode_id not in MODES:
            raise RequestError.invalid_params(
                {"message": f"no mode {mode_id!r}; use one of {', '.join(MODES)}"}
            )
        session.mode = mode_id
        return SetSessionModeResponse()

    async def set_config_option(
        self, config_id: str, session_id: str, value: str | bool, **kwargs: Any
    ) -> SetSessionConfigOptionResponse:
        session = self._session(session_id)
        choices = model_choices(self.settings.model)
        if config_id != "model" or value not in choices:
            raise RequestError.invalid_params(
                {"message": f"config option model takes one of {', '.join(choices)}"}
            )
        session.model = str(value)
        return SetSessionConfigOptionResponse(config_options=session.config_options(self.settings))

    # -- turns ---------------------------------------------------------------------------------

    def _toolbox(self, ws: Any, writer: WriteTools) -> Toolbox:
        session = self.sessions.get(getattr(ws, "session_id", ""))
        if session is None:
            return Toolbox(ws, writer=writer)
        return AcpToolbox(ws, writer, session.files, session.stream.call_id_for)

    def _setup(self, session: Session) -> TurnSetup:
        settings = session.settings(self.settings)
        engine = session.engine
        ws = AcpWorkspace(
            [session.root],
            excluded=engine.is_excluded,
            redact=engine.redact,
            reader=client_reader(engine.read_blocking, session.files, asyncio.get_running_loop()),
            excluded_blocking=engine.is_excluded_blocking,
        )
        ws.session_id = session.session_id
        plan = plan_for(settings)
        return TurnSetup(plan, self.glm, ws, engine, None)

    def _delta(self, payload: dict[str, Any]) -> None:
        session = self.sessions.get(str(payload.get("chatId")))
        if session is not None:
            session.stream.payload(payload)

    def _done(self, payload: dict[str, Any]) -> None:
        session = self.sessions.get(str(payload.get("chatId")))
        if session is not None and session.done is not None and not session.done.done():
            session.done.set_result(payload)

    async def prompt(self, prompt: list[Any], session_id: str, **kwargs: Any) -> PromptResponse:
        session = self._session(session_id)
        missing = self._key_error()
        if missing is not None:
            raise RequestError.auth_required({"message": str(missing)})
        if session.running():
            raise RequestError.invalid_request(
                {"message": "a prompt is already running in this session: cancel it or wait"}
            )
        done_future = session.done = asyncio.get_running_loop().create_future()
        setup = self._setup(session)
        try:
            text = await prompt_text(prompt, setup.workspace)
            request = SendRequest(text.message, chat_id=session_id, display=text.display)
            session.stream.reset()
            self.chat.send(request, setup)
        except ValueError as exc:
            done_future.cancel()
            raise RequestError.invalid_params({"message": str(exc)}) from None
        except BaseException:
            done_future.cancel()
            raise
        try:
            done = await done_future
        except asyncio.CancelledError:
            await self.chat.cancel(session_id)
            raise
        finally:
            await session.outbox.drain()
        reason = str(done.get("finishReason") or "stop")
        if reason == "error":
            raise RequestError(-32603, str(done.get("error") or "the turn failed"))
        return PromptResponse(stop_reason=STOP_REASONS.get(reason, "end_turn"))  # type: ignore[arg-type]

    async def cancel(self, session_id: str, **kwargs: Any) -> None:
        if session_id in self.sessions:
            await self.chat.cancel(session_id)

    async def ext_method(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        raise RequestError.method_not_found(method)

    async def ext_notification(self, method: str, params: dict[str, Any]) -> None:
        log.debug("ignored extension notification %s", method)
